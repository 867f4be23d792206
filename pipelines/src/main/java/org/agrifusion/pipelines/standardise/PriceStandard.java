package org.agrifusion.pipelines.standardise;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.reference.Resolution;
import org.agrifusion.pipelines.source.RecordKind;

/**
 * Price observation: one quoted price of one product in one market (or platform listing) on one
 * day, in CNY per kg where the unit allows (converted at the day's rate when quoted in another
 * currency); otherwise kept per unit and flagged.
 */
public final class PriceStandard extends RecordStandard {

  /** The CNY/kg price columns; each has a {@code _orig} twin in the quoted currency and unit. */
  public static final List<String> PRICES = List.of("price_low", "price_avg", "price_high", "price_modal");

  private final MarketLocation location;

  PriceStandard(ReferenceData reference) {
    super(reference, new StandardColumns()
        .date("observed_date")
        .text("market_code", "market_name", "market_region_raw", "market_region_code")
        .text(MarketLocation.COLUMNS)
        .text("channel", "category", "sub_category", "product_name", "variety", "category_code", "product_code",
            "variety_code", "spec", "grade", "origin_raw")
        .texts("origin_codes")
        .text("origin_status", "unit_raw")
        .number("kg_per_unit", "price_low_orig", "price_avg_orig", "price_high_orig", "price_modal_orig",
            "price_low", "price_avg", "price_high", "price_modal")
        .text("currency").number("fx_rate").date("fx_rate_date")
        .flag("unit_convertible")
        .number("volume_kg")
        .build());
    this.location = new MarketLocation(reference);
  }

  @Override
  public java.util.Optional<String> eventDateColumn() {
    return java.util.Optional.of("observed_date");
  }

  @Override
  public RecordKind kind() {
    return RecordKind.PRICE;
  }

  @Override
  protected Map<String, Object> read(FieldReader row, LocalDate businessDate) {
    Map<String, Object> v = values();
    LocalDate observed = row.date("observed_date", true);
    row.checkWindow("observed_date", observed, businessDate);
    v.put("observed_date", observed);
    for (String field : new String[] {"market_code", "market_name", "channel", "category", "sub_category", "spec", "grade"}) {
      v.put(field, row.text(field));
    }
    location.read(row, v, this);
    product(row, v, row.text("sub_category"));
    // a feed's own variety column codes the row to that variety when it names one of the product's
    String variety = row.text("variety");
    v.put("variety", variety);
    reference.products().variety((String) v.get("product_code"), variety).ifPresent(code -> v.put("variety_code", code));

    String origin = row.text("origin");
    Resolution resolution = reference.originResolver().resolve(origin);
    v.put("origin_raw", origin);
    v.put("origin_codes", resolution.codes());
    v.put("origin_status", resolution.status().name());

    String currency = currency(row, v);
    BigDecimal low = money(row, "price_low", false, true, currency);
    BigDecimal avg = money(row, "price_avg", true, true, currency);
    BigDecimal high = money(row, "price_high", false, true, currency);
    BigDecimal modal = money(row, "price_modal", false, true, currency);
    if (!ordered(low, avg) || !ordered(avg, high) || !ordered(low, high)) {
      row.reject(ReasonCode.PRICE_ORDER, "expected low <= avg <= high, got " + plain(low) + " / " + plain(avg) + " / " + plain(high));
    }
    String unit = row.required("unit");
    Optional<BigDecimal> kg = reference.units().kgPerUnit(unit, row.text("spec"));
    v.put("unit_raw", unit);
    v.put("kg_per_unit", kg.orElse(null));
    v.put("price_low_orig", low);
    v.put("price_avg_orig", avg);
    v.put("price_high_orig", high);
    v.put("price_modal_orig", modal);
    ToCny fx = toCny(row, currency, observed, true, v);
    for (String price : PRICES) {
      v.put(price, divide(ToCny.cny(fx, (BigDecimal) v.get(price + "_orig")), kg.orElse(null)));
    }
    plausible(row, PRICES, v);
    v.put("unit_convertible", kg.isPresent());

    v.put("volume_kg", kilograms(row, "volume", "volume_unit", row.decimal("volume", false, false)));
    return v;
  }

  private static boolean ordered(BigDecimal a, BigDecimal b) {
    return a == null || b == null || a.compareTo(b) <= 0;
  }

  private static String plain(BigDecimal v) {
    return v == null ? "-" : v.toPlainString();
  }
}
