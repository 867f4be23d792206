package org.agrifusion.pipelines.standardise;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.source.RecordKind;

/**
 * Origin entity: a cooperative, production base or geographic-indication product of the origin
 * registry, with its region, the products it grows (coded) and its capacities in tonnes.
 */
public final class OriginEntityStandard extends RecordStandard {

  private static final Pattern LIST = Pattern.compile("[|、,;/\\s]+");
  private static final BigDecimal KG_PER_TONNE = new BigDecimal(1000);

  OriginEntityStandard(ReferenceData reference) {
    super(reference, new StandardColumns()
        .text("entity_id", "name", "entity_type", "region_raw", "region_code", "products_raw")
        .texts("product_codes", "unmatched_products", "certifications")
        .number("annual_output_t", "cold_storage_t")
        .build());
  }

  @Override
  public java.util.Optional<String> eventDateColumn() {
    return java.util.Optional.empty();
  }

  @Override
  public RecordKind kind() {
    return RecordKind.ORIGIN;
  }

  @Override
  protected Map<String, Object> read(FieldReader row, LocalDate businessDate) {
    Map<String, Object> v = values();
    v.put("entity_id", row.required("entity_id"));
    v.put("name", row.required("name"));
    v.put("entity_type", row.text("entity_type"));
    region(row, "region", true, v);
    String products = row.text("products");
    Set<String> codes = new LinkedHashSet<>();
    List<String> unmatched = new ArrayList<>();
    for (String item : split(products)) {
      var match = reference.products().match(item, null);
      if (match.isPresent()) {
        codes.add(match.get().varietyCode() != null ? match.get().varietyCode() : match.get().productCode());
      } else {
        unmatched.add(item);
      }
    }
    v.put("products_raw", products);
    v.put("product_codes", List.copyOf(codes));
    v.put("unmatched_products", unmatched);
    v.put("certifications", split(row.text("certifications")));
    v.put("annual_output_t", tonnes(row, "annual_output", "output_unit"));
    v.put("cold_storage_t", tonnes(row, "cold_storage", "cold_storage_unit"));
    return v;
  }

  /** A quantity in tonnes; the unit defaults to 吨. */
  private BigDecimal tonnes(FieldReader row, String field, String unitField) {
    BigDecimal value = row.decimal(field, false, false);
    return row.text(unitField) == null ? value : divide(kilograms(row, field, unitField, value), KG_PER_TONNE);
  }

  private static List<String> split(String text) {
    if (text == null) {
      return List.of();
    }
    return LIST.splitAsStream(text).filter(s -> !s.isBlank()).toList();
  }
}
