package org.agrifusion.pipelines.standardise;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.agrifusion.pipelines.source.SourceDescriptor;

/**
 * Turns one landed row into a canonical price observation or a list of reasons. Plain Java, so
 * every rule is unit-tested without Spark; {@link PriceObservationStandardiser} runs it per row.
 */
public final class PriceObservationParser implements Serializable {

  private static final int PRICE_SCALE = 4;

  private final SourceDescriptor source;
  private final UnitCatalog units;
  private transient List<DateTimeFormatter> formatters;

  public PriceObservationParser(SourceDescriptor source, UnitCatalog units) {
    this.source = source;
    this.units = units;
  }

  /** Result of parsing one row: the canonical values and, if rejected, the reasons. */
  public record Parsed(
      LocalDate observedDate, String marketCode, String marketName, String marketRegionCode,
      String channel, String category, String subCategory, String productName, String spec,
      String origin, String unit, BigDecimal kgPerUnit,
      BigDecimal lowOrig, BigDecimal avgOrig, BigDecimal highOrig,
      BigDecimal low, BigDecimal avg, BigDecimal high, boolean unitConvertible,
      List<ReasonCode> reasons, List<String> details) {

    public boolean accepted() {
      return reasons.isEmpty();
    }
  }

  /**
   * @param column value of a source column by name, as landed
   * @param parseError the reader's complaint about the line, or null
   */
  public Parsed parse(UnaryOperator<String> column, String parseError, LocalDate businessDate) {
    List<ReasonCode> reasons = new ArrayList<>();
    List<String> details = new ArrayList<>();
    if (parseError != null) {
      reasons.add(ReasonCode.UNPARSEABLE_LINE);
      details.add(parseError);
    }
    Fields f = new Fields(column);
    for (String required : source.kind().requiredFields()) {
      if (f.get(required) == null) {
        reasons.add(ReasonCode.MISSING_FIELD);
        details.add(required + " is empty");
      }
    }

    LocalDate observed = null;
    String dateText = f.get("observed_date");
    if (dateText != null) {
      try {
        observed = Dates.parseDate(dateText, formatters());
        if (!observed.equals(businessDate)) {
          reasons.add(ReasonCode.DATE_OUTSIDE_WINDOW);
          details.add("observed_date " + observed + " is not the business date " + businessDate);
        }
      } catch (DateTimeParseException e) {
        reasons.add(ReasonCode.BAD_DATE);
        details.add("observed_date " + e.getMessage());
      }
    }

    BigDecimal low = price(f, "price_low", reasons, details);
    BigDecimal avg = price(f, "price_avg", reasons, details);
    BigDecimal high = price(f, "price_high", reasons, details);
    if (avg == null && f.get("price_avg") == null) {
      reasons.add(ReasonCode.MISSING_FIELD);
      details.add("price_avg is empty");
    }
    if (!ordered(low, avg) || !ordered(avg, high) || !ordered(low, high)) {
      reasons.add(ReasonCode.PRICE_ORDER);
      details.add("expected low <= avg <= high, got " + plain(low) + " / " + plain(avg) + " / " + plain(high));
    }

    String unit = f.get("unit");
    Optional<BigDecimal> kg = units.kgPerUnit(unit);
    return new Parsed(observed, f.get("market_code"), f.get("market_name"), f.get("market_region_code"),
        f.get("channel"), f.get("category"), f.get("sub_category"), f.get("product_name"), f.get("spec"),
        f.get("origin"), unit, kg.orElse(null), low, avg, high,
        perKg(low, kg), perKg(avg, kg), perKg(high, kg), kg.isPresent(),
        List.copyOf(reasons), List.copyOf(details));
  }

  private static BigDecimal price(Fields f, String field, List<ReasonCode> reasons, List<String> details) {
    String text = f.get(field);
    if (text == null) {
      return null;
    }
    try {
      BigDecimal value = Numbers.parseDecimal(text);
      if (value.signum() <= 0) {
        reasons.add(ReasonCode.NON_POSITIVE_PRICE);
        details.add(field + " is " + value.toPlainString());
      }
      return value;
    } catch (NumberFormatException e) {
      reasons.add(ReasonCode.BAD_NUMBER);
      details.add(field + " " + e.getMessage());
      return null;
    }
  }

  /** Price per kilogram: the price per unit divided by the unit's weight. */
  public static BigDecimal perKg(BigDecimal pricePerUnit, Optional<BigDecimal> kgPerUnit) {
    if (pricePerUnit == null || kgPerUnit.isEmpty()) {
      return null;
    }
    return pricePerUnit.divide(kgPerUnit.get(), PRICE_SCALE, RoundingMode.HALF_UP).stripTrailingZeros();
  }

  private static boolean ordered(BigDecimal a, BigDecimal b) {
    return a == null || b == null || a.compareTo(b) <= 0;
  }

  private static String plain(BigDecimal v) {
    return v == null ? "-" : v.toPlainString();
  }

  private List<DateTimeFormatter> formatters() {
    if (formatters == null) {
      formatters = Dates.formatters(source.dateFormats());
    }
    return formatters;
  }

  /** Canonical fields of the row, normalised, from mapped columns or constants. */
  private final class Fields {
    private final UnaryOperator<String> column;

    Fields(UnaryOperator<String> column) {
      this.column = column;
    }

    String get(String canonicalField) {
      return Text.normalise(source.valueOf(canonicalField, column));
    }
  }
}
