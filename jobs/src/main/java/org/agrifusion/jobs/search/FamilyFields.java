package org.agrifusion.jobs.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.agrifusion.jobs.es.IndexFamily;

/**
 * An index family with the types of its mapping's fields (conf/es/&lt;family&gt;.json): what a
 * request may sort, filter and group on is decided from these, before anything reaches the node.
 */
public record FamilyFields(IndexFamily family, Map<String, String> types) {

  private static final Set<String> NUMBERS = Set.of("long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float");
  /** Fields holding product codes (2/4/6 digits extending each other), in the families that have them. */
  static final List<String> PRODUCT_FIELDS = List.of("product_code", "variety_code", "product_codes");
  /**
   * Fields naming a market: its code, and its market_key (the code, or country / subdivision /
   * district / name for a market without one, such as an Indian mandi; docs/data-standard.md 3.1).
   */
  static final List<String> MARKET_FIELDS = List.of("market_code", "market_key");

  static FamilyFields load(IndexFamily family, Path esDir) {
    Path file = esDir.resolve(family.name() + ".json");
    try {
      Map<String, String> types = new LinkedHashMap<>();
      JsonNode properties = new ObjectMapper().readTree(file.toFile()).path("mappings").path("properties");
      properties.properties().forEach(p -> {
        // a field the node does not index cannot be filtered or sorted on
        boolean searchable = p.getValue().path("index").asBoolean(true) || p.getValue().path("doc_values").asBoolean(true);
        if (p.getValue().has("type") && searchable) {
          types.put(p.getKey(), p.getValue().get("type").asText());
        }
      });
      return new FamilyFields(family, Map.copyOf(types));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  boolean has(String field) {
    return types.containsKey(field);
  }

  boolean isKeyword(String field) {
    return "keyword".equals(types.get(field));
  }

  /** Whether the field can be a sort key: keyword, number or date. */
  boolean sortable(String field) {
    String type = types.get(field);
    return type != null && (type.equals("keyword") || type.equals("date") || NUMBERS.contains(type));
  }

  List<String> productFields() {
    return PRODUCT_FIELDS.stream().filter(this::has).toList();
  }

  List<String> marketFields() {
    return MARKET_FIELDS.stream().filter(this::has).toList();
  }

  /** The region code fields with their province and city companions (docs/search.md). */
  List<String> regionFields() {
    return family.regions();
  }

  /** The field a date range filters on: the table's partition column. */
  String dateField() {
    return family.partition();
  }
}
