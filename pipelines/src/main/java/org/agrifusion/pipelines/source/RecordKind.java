package org.agrifusion.pipelines.source;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The kinds of canonical record a feed can deliver (docs/data-standard.md): the canonical fields a
 * descriptor may map, those it must map, and the fields a natural key may use with the standardised
 * column each one is keyed on (so the same record from two feeds gets the same record id).
 */
public enum RecordKind {
  PRICE("price_observation",
      List.of("observed_date", "product_name", "unit", "price_avg"),
      Map.ofEntries(
          Map.entry("observed_date", "observed_date"), Map.entry("market_code", "market_code"),
          Map.entry("market_name", "market_name"), Map.entry("market_region", "market_region_code"),
          Map.entry("market_country", "market_country_code"), Map.entry("market_subdivision", "market_subdivision_code"),
          Map.entry("market_district", "market_district_raw"), Map.entry("grade", "grade"),
          Map.entry("channel", "channel"), Map.entry("category", "category"),
          Map.entry("sub_category", "sub_category"), Map.entry("product_name", "product_name"),
          Map.entry("variety", "variety"), Map.entry("spec", "spec"), Map.entry("origin", "origin_raw"), Map.entry("unit", "unit_raw"),
          Map.entry("price_low", "price_low_orig"), Map.entry("price_avg", "price_avg_orig"),
          Map.entry("price_high", "price_high_orig"), Map.entry("price_modal", "price_modal_orig"),
          Map.entry("currency", "currency"),
          Map.entry("volume", "volume_kg"), Map.entry("volume_unit", "volume_kg"))),
  SALE("sale",
      List.of("platform", "order_id", "order_time", "product_name", "quantity", "unit", "amount", "buyer_region", "status"),
      Map.ofEntries(
          Map.entry("platform", "platform"), Map.entry("order_id", "order_id"), Map.entry("line_id", "line_id"),
          Map.entry("order_time", "order_time"), Map.entry("shop_name", "shop_name"),
          Map.entry("seller_region", "seller_region_code"), Map.entry("product_name", "product_name"),
          Map.entry("spec", "spec"), Map.entry("quantity", "quantity"), Map.entry("unit", "unit_raw"),
          Map.entry("unit_price", "unit_price_orig"), Map.entry("amount", "amount_orig"),
          Map.entry("currency", "currency"),
          Map.entry("buyer_region", "buyer_region_code"), Map.entry("courier", "courier_code"),
          Map.entry("tracking_no", "tracking_no"), Map.entry("status", "status"), Map.entry("buyer_ref", "buyer_ref"))),
  SHIPMENT("shipment",
      // sender_region is optional: last-mile feeds (LaDe) know only where a parcel went
      List.of("courier", "tracking_no", "pickup_time", "receiver_region"),
      Map.ofEntries(
          Map.entry("courier", "courier_code"), Map.entry("tracking_no", "tracking_no"),
          Map.entry("pickup_time", "pickup_time"), Map.entry("sign_time", "sign_time"),
          Map.entry("sender_region", "sender_region_code"), Map.entry("receiver_region", "receiver_region_code"),
          Map.entry("weight", "weight_kg"), Map.entry("weight_unit", "weight_kg"), Map.entry("fee", "fee_orig"),
          Map.entry("currency", "currency"),
          Map.entry("status", "status"))),
  ORIGIN("origin_entity",
      List.of("entity_id", "name", "region"),
      Map.ofEntries(
          Map.entry("entity_id", "entity_id"), Map.entry("name", "name"), Map.entry("entity_type", "entity_type"),
          Map.entry("region", "region_code"), Map.entry("products", "products_raw"),
          Map.entry("certifications", "certifications"), Map.entry("annual_output", "annual_output_t"),
          Map.entry("output_unit", "annual_output_t"), Map.entry("cold_storage", "cold_storage_t"),
          Map.entry("cold_storage_unit", "cold_storage_t")));

  private final String dataset;
  private final List<String> requiredFields;
  private final Map<String, String> keyColumns;

  RecordKind(String dataset, List<String> requiredFields, Map<String, String> keyColumns) {
    this.dataset = dataset;
    this.requiredFields = requiredFields;
    this.keyColumns = keyColumns;
  }

  /** Name of the staging / curated / quarantine table this kind lands in. */
  public String dataset() {
    return dataset;
  }

  public List<String> requiredFields() {
    return requiredFields;
  }

  /** Every canonical field a descriptor may map or set. */
  public Set<String> knownFields() {
    return keyColumns.keySet();
  }

  /** The standardised column a natural-key field is compared on. */
  public String keyColumn(String field) {
    return keyColumns.get(field);
  }

  @JsonValue
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Descriptors write kinds in lower case: {@code kind: price}. */
  @JsonCreator
  public static RecordKind fromYaml(String value) {
    for (RecordKind kind : values()) {
      if (kind.yamlName().equals(value)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown kind '" + value + "'; known: "
        + Arrays.stream(values()).map(RecordKind::yamlName).toList());
  }
}
