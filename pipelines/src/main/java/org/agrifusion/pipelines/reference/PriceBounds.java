package org.agrifusion.pipelines.reference;

import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Plausible prices per product ({@code price-bounds.csv}): for each catalogue code prefix the
 * lowest and highest believable price in CNY/kg, and the outlier rule against the variety's recent
 * median. The longest matching prefix applies; the row {@value #DEFAULT} applies to every other code.
 */
public final class PriceBounds implements Serializable {

  public static final String DEFAULT = "*";

  /**
   * @param outlierFactor a price more than this many times above or below the median is an outlier;
   *     null turns the outlier rule off for the prefix
   * @param outlierDays how many days before the business date the median looks back
   */
  public record Rule(String prefix, String name, BigDecimal min, BigDecimal max, Double outlierFactor, Integer outlierDays)
      implements Serializable {}

  /** Longest prefix first, the default last. */
  private final List<Rule> rules;

  private PriceBounds(List<Rule> rules) {
    this.rules = rules;
  }

  public static PriceBounds load(Path csv) {
    List<Rule> rules = new ArrayList<>();
    Set<String> prefixes = new HashSet<>();
    for (ReferenceCsv.Line line : ReferenceCsv.read(csv, "prefix", "name", "min_cny_kg", "max_cny_kg", "outlier_factor", "outlier_days")) {
      String where = csv + " line " + line.number() + ": ";
      String prefix = line.get("prefix");
      if (!prefix.equals(DEFAULT) && !prefix.matches("\\d{2}|\\d{4}|\\d{6}")) {
        throw new IllegalArgumentException(where + "prefix '" + prefix + "' is not a category, product or variety code (2, 4 or 6 digits) or " + DEFAULT);
      }
      if (!prefixes.add(prefix)) {
        throw new IllegalArgumentException(where + "prefix '" + prefix + "' is listed twice");
      }
      BigDecimal min = decimal(where, line, "min_cny_kg");
      BigDecimal max = decimal(where, line, "max_cny_kg");
      if (min.signum() <= 0 || max.compareTo(min) <= 0) {
        throw new IllegalArgumentException(where + "expected 0 < min_cny_kg < max_cny_kg, got " + min + " and " + max);
      }
      String factor = line.get("outlier_factor");
      String days = line.get("outlier_days");
      if (factor.isEmpty() != days.isEmpty()) {
        throw new IllegalArgumentException(where + "give both outlier_factor and outlier_days, or neither");
      }
      Double f = factor.isEmpty() ? null : decimal(where, line, "outlier_factor").doubleValue();
      Integer d = days.isEmpty() ? null : decimal(where, line, "outlier_days").intValue();
      if (f != null && (f <= 1 || d < 1)) {
        throw new IllegalArgumentException(where + "outlier_factor must be above 1 and outlier_days at least 1");
      }
      rules.add(new Rule(prefix, line.get("name"), min, max, f, d));
    }
    if (!prefixes.contains(DEFAULT)) {
      throw new IllegalArgumentException(csv + ": needs a row with prefix " + DEFAULT + " (the bounds of every other code)");
    }
    rules.sort(Comparator.comparingInt((Rule r) -> r.prefix().equals(DEFAULT) ? -1 : r.prefix().length()).reversed());
    return new PriceBounds(List.copyOf(rules));
  }

  private static BigDecimal decimal(String where, ReferenceCsv.Line line, String column) {
    try {
      return new BigDecimal(line.get(column));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + column + " '" + line.get(column) + "' is not a number");
    }
  }

  /** The rule of a catalogue code (variety, product or category; null for an unknown product). */
  public Rule forCode(String code) {
    for (Rule rule : rules) {
      if (code != null && !rule.prefix().equals(DEFAULT) && code.startsWith(rule.prefix())) {
        return rule;
      }
    }
    return rules.get(rules.size() - 1);
  }

  /** Every rule, longest prefix first and the default last. */
  public List<Rule> rules() {
    return rules;
  }

  /** The longest look-back of any outlier rule (0 when the rule is off everywhere). */
  public int maxOutlierDays() {
    return rules.stream().filter(r -> r.outlierDays() != null).mapToInt(Rule::outlierDays).max().orElse(0);
  }
}
