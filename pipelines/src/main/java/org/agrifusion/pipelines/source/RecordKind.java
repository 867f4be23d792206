package org.agrifusion.pipelines.source;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The kinds of canonical record a feed can deliver, with the canonical fields each one accepts. */
public enum RecordKind {
  PRICE(
      "price_observation",
      List.of("observed_date", "product_name", "unit"),
      List.of(
          "observed_date", "market_code", "market_name", "market_region_code", "channel",
          "category", "sub_category", "product_name", "spec", "origin", "unit",
          "price_low", "price_avg", "price_high"));

  private final String dataset;
  private final List<String> requiredFields;
  private final Set<String> knownFields;

  RecordKind(String dataset, List<String> requiredFields, List<String> knownFields) {
    this.dataset = dataset;
    this.requiredFields = requiredFields;
    this.knownFields = Set.copyOf(knownFields);
  }

  /** Name of the curated / staging / quarantine table this kind lands in. */
  public String dataset() {
    return dataset;
  }

  public List<String> requiredFields() {
    return requiredFields;
  }

  public Set<String> knownFields() {
    return knownFields;
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
        + java.util.Arrays.stream(values()).map(RecordKind::yamlName).toList());
  }
}
