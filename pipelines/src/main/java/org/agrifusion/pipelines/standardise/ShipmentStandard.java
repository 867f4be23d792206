package org.agrifusion.pipelines.standardise;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.source.SourceDescriptor;

/**
 * Shipment: one courier waybill, from pickup (揽收) to sign (签收), to a coded receiver region and,
 * when the feed knows it, from a coded sender region.
 */
public final class ShipmentStandard extends RecordStandard {

  ShipmentStandard(ReferenceData reference) {
    super(reference, new StandardColumns()
        .text("courier_raw", "courier_code", "tracking_no")
        .timestamp("pickup_time")
        .date("pickup_date")
        .timestamp("sign_time")
        .text("sender_region_raw", "sender_region_code", "receiver_region_raw", "receiver_region_code")
        .number("weight_kg", "fee_orig", "fee_cny")
        .text("currency").number("fx_rate").date("fx_rate_date")
        .text("status")
        .build());
  }

  @Override
  public java.util.Optional<String> eventDateColumn() {
    return java.util.Optional.of("pickup_date");
  }

  @Override
  public RecordKind kind() {
    return RecordKind.SHIPMENT;
  }

  @Override
  protected Map<String, Object> read(FieldReader row, LocalDate businessDate) {
    Map<String, Object> v = values();
    String courier = row.required("courier");
    v.put("courier_raw", courier);
    courier(courier, v, row);
    String tracking = row.required("tracking_no");
    v.put("tracking_no", tracking == null ? null : tracking.replace(" ", "").toUpperCase(Locale.ROOT));
    Instant pickup = row.timestamp("pickup_time", true);
    Instant sign = row.timestamp("sign_time", false);
    LocalDate pickupDate = row.localDate(pickup);
    row.checkWindow("pickup_time", pickupDate, businessDate);
    if (pickup != null && sign != null && sign.isBefore(pickup)) {
      row.reject(ReasonCode.TIME_ORDER, "sign_time " + sign + " is before pickup_time " + pickup);
    }
    v.put("pickup_time", pickup);
    v.put("pickup_date", pickupDate);
    v.put("sign_time", sign);
    // A feed that has no sender (last-mile deliveries) leaves it null; one that maps it must give it.
    SourceDescriptor feed = row.source();
    region(row, "sender_region", feed.fields().containsKey("sender_region") || feed.constants().containsKey("sender_region"), v);
    region(row, "receiver_region", true, v);
    v.put("weight_kg", kilograms(row, "weight", "weight_unit", row.decimal("weight", false, true)));
    String currency = currency(row, v);
    BigDecimal fee = money(row, "fee", false, false, currency);
    ToCny fx = toCny(row, currency, pickupDate, fee != null, v);
    v.put("fee_orig", fee);
    v.put("fee_cny", ToCny.amount(fx, fee));
    v.put("status", status(row, false));
    return v;
  }
}
