package org.agrifusion.pipelines.sink.extract;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.List;

/**
 * One department extract, as a data steward writes it in {@code conf/extracts/<id>.yml}: which
 * table, which rows, which columns under which headers, how often, in which formats and where to.
 *
 * @param dataset a curated table or mart of the lake (price_observation, price_daily, upbound_monthly, ...)
 * @param filter conditions that must all hold; a condition on an array column holds when any element matches
 * @param groupBy when given, the columns are aggregates over these Spark SQL expressions
 * @param columns the output columns in order
 * @param sort output column names, each optionally followed by {@code desc}
 * @param destination the receiving department's folder: relative to {@code <data-root>/extracts/}, or a Hadoop URI
 */
public record ExtractSpec(String id, String title, String description, String dataset, Cadence cadence,
    List<Condition> filter, List<String> groupBy, List<OutputColumn> columns, List<String> sort, List<Format> formats,
    String destination) implements Serializable {

  public enum Cadence {
    @JsonProperty("daily") DAILY,
    @JsonProperty("monthly") MONTHLY;

    /** The period a business date falls in: the date itself, or its month (yyyy-MM). */
    public String period(LocalDate date) {
      return this == DAILY ? date.toString() : date.toString().substring(0, 7);
    }

    /** Whether the period is over with this date (a monthly extract is month-to-date until the last day). */
    public boolean complete(LocalDate date) {
      return this == DAILY || date.getDayOfMonth() == date.lengthOfMonth();
    }
  }

  public enum Format {
    @JsonProperty("csv") CSV,
    @JsonProperty("xlsx") XLSX;

    public String extension() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A row condition on one column: exactly one of {@code prefix}, {@code equals} or {@code in}. */
  public record Condition(String column, String prefix, String equals, List<String> in) implements Serializable {}

  /**
   * @param name the column's ASCII name (manifest, sort)
   * @param header the header departments read, usually Chinese
   * @param expr a Spark SQL expression; the column of the same name when absent. {@code region_name(code)}
   *     gives the name of a GB/T 2260 code.
   */
  public record OutputColumn(String name, String header, String expr) implements Serializable {

    public String expression() {
      return expr == null ? "`" + name + "`" : expr;
    }
  }
}
