package org.agrifusion.pipelines.standardise;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.source.RecordKind;

/**
 * Sale: one e-commerce order line, with the quantity in kg and the price per kg where the unit
 * allows, the buyer's region (needed for origin-to-market flows) and the parcel that carries it.
 */
public final class SaleStandard extends RecordStandard {

  SaleStandard(ReferenceData reference) {
    super(reference, new StandardColumns()
        .text("platform", "order_id", "line_id")
        .timestamp("order_time")
        .date("order_date")
        .text("shop_name", "seller_region_raw", "seller_region_code", "product_name", "category_code",
            "product_code", "variety_code", "spec", "unit_raw")
        .number("quantity", "kg_per_unit", "quantity_kg", "unit_price_orig", "unit_price_cny_kg", "amount_orig", "amount_cny")
        .text("currency").number("fx_rate").date("fx_rate_date")
        .flag("unit_convertible")
        .text("buyer_region_raw", "buyer_region_code", "courier_code", "tracking_no", "status", "buyer_ref")
        .build());
  }

  @Override
  public java.util.Optional<String> eventDateColumn() {
    return java.util.Optional.of("order_date");
  }

  @Override
  public RecordKind kind() {
    return RecordKind.SALE;
  }

  @Override
  protected Map<String, Object> read(FieldReader row, LocalDate businessDate) {
    Map<String, Object> v = values();
    v.put("platform", row.required("platform"));
    v.put("order_id", row.required("order_id"));
    String line = row.text("line_id");
    v.put("line_id", line == null ? "1" : line);
    Instant orderTime = row.timestamp("order_time", true);
    LocalDate orderDate = row.localDate(orderTime);
    row.checkWindow("order_time", orderDate, businessDate);
    v.put("order_time", orderTime);
    v.put("order_date", orderDate);
    v.put("shop_name", row.text("shop_name"));
    region(row, "seller_region", false, v);
    product(row, v, null);
    String spec = row.text("spec");
    v.put("spec", spec);

    BigDecimal quantity = row.decimal("quantity", true, true);
    String unit = row.required("unit");
    Optional<BigDecimal> kg = reference.units().kgPerUnit(unit, spec);
    BigDecimal quantityKg = multiply(quantity, kg.orElse(null));
    String currency = currency(row, v);
    BigDecimal unitPrice = money(row, "unit_price", false, true, currency);
    BigDecimal amount = money(row, "amount", true, false, currency);
    v.put("quantity", quantity);
    v.put("unit_raw", unit);
    v.put("kg_per_unit", kg.orElse(null));
    v.put("quantity_kg", quantityKg);
    ToCny fx = toCny(row, currency, orderDate, true, v);
    v.put("unit_price_orig", unitPrice);
    v.put("unit_price_cny_kg", unitPrice != null ? divide(ToCny.cny(fx, unitPrice), kg.orElse(null)) : divide(ToCny.cny(fx, amount), quantityKg));
    v.put("amount_orig", amount);
    v.put("amount_cny", ToCny.amount(fx, amount));
    v.put("unit_convertible", kg.isPresent());
    plausible(row, List.of("unit_price_cny_kg"), v);

    region(row, "buyer_region", true, v);
    courier(row.text("courier"), v, row);
    String tracking = row.text("tracking_no");
    v.put("tracking_no", tracking == null ? null : tracking.replace(" ", "").toUpperCase(java.util.Locale.ROOT));
    v.put("status", status(row, true));
    v.put("buyer_ref", row.text("buyer_ref"));
    return v;
  }
}
