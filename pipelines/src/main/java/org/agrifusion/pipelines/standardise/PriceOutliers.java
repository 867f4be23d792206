package org.agrifusion.pipelines.standardise;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.median;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.LakeTable;
import org.agrifusion.pipelines.lake.Tables;
import org.agrifusion.pipelines.reference.OriginResolver;
import org.agrifusion.pipelines.reference.PriceBounds;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The outlier rule of price observations: a price in CNY/kg more than the rule's factor above or
 * below the median of its variety in its market's country over the days before the business date is
 * PRICE_OUTLIER. Each country is judged against its own markets: India's mandis and China's markets
 * trade one variety at their own levels, and a median over both would be whichever has more markets.
 *
 * <p>The medians come from the published {@code price_daily} mart (one average per variety, market
 * and day), one small row per variety key and country, broadcast to the day's rows. A variety
 * without history in the country (the first day, a new product, a country's first feed) is not judged.
 */
public final class PriceOutliers {

  static final String KEY = "_variety_key";
  static final String COUNTRY = "_outlier_country";
  static final String MEDIAN = "_median_cny_kg";
  private static final String FACTOR = "_outlier_factor";
  private static final String DAYS = "_outlier_days";

  private PriceOutliers() {}

  /**
   * Per variety key and market country of price_daily, the median of its daily averages over the
   * rule's days before {@code date} (the date itself excluded, so a re-run is not judged against
   * itself); empty when no earlier day is published or the rule is off everywhere.
   */
  public static Optional<Dataset<Row>> medians(SparkSession spark, Lake lake, LocalDate date, PriceBounds bounds) {
    int days = bounds.maxOutlierDays();
    if (days == 0) {
      return Optional.empty();
    }
    return Tables.readRange(spark, lake.table(LakeTable.PRICE_DAILY), date.minusDays(days), date.minusDays(1))
        .map(history -> history
            .where(col("price_avg").gt(0)
                .and(datediff(lit(Date.valueOf(date)), col(Lake.PARTITION_COLUMN)).leq(byRule(col("variety_code"), bounds, PriceBounds.Rule::outlierDays))))
            .groupBy(col("variety_code").as(KEY), country(history).as(COUNTRY))
            .agg(median(col("price_avg")).as(MEDIAN)));
  }

  /** Adds PRICE_OUTLIER, with a detail per price, to the standardised price rows that are outliers. */
  public static Dataset<Row> mark(Dataset<Row> standardised, Dataset<Row> medians, PriceBounds bounds) {
    Dataset<Row> joined = standardised
        .withColumn(KEY, coalesce(col("variety_code"), col("product_code")))
        .withColumn(COUNTRY, country(standardised))
        .join(broadcast(medians), new String[] {KEY, COUNTRY}, "left")
        .withColumn(FACTOR, byRule(col(KEY), bounds, PriceBounds.Rule::outlierFactor))
        .withColumn(DAYS, byRule(col(KEY), bounds, PriceBounds.Rule::outlierDays));
    List<Column> details = new ArrayList<>();
    for (String price : PriceStandard.PRICES) {
      Column p = col(price);
      Column out = p.gt(col(MEDIAN).multiply(col(FACTOR))).or(p.lt(col(MEDIAN).divide(col(FACTOR))));
      details.add(when(out, format_string("%s %s CNY/kg is more than %sx away from %s's median %s CNY/kg of the %s days before in %s",
          lit(price), p, col(FACTOR), col(KEY), col(MEDIAN), col(DAYS), col(COUNTRY))));
    }
    Column detail = concat_ws("; ", details.toArray(Column[]::new));
    Column outlier = detail.notEqual(lit(""));
    return joined
        .withColumn(Standardiser.REASONS, when(outlier, concat(col(Standardiser.REASONS), array(lit(ReasonCode.PRICE_OUTLIER.name()))))
            .otherwise(col(Standardiser.REASONS)))
        .withColumn(Standardiser.REASON_DETAIL, when(outlier, concat_ws("; ", col(Standardiser.REASON_DETAIL), detail))
            .otherwise(col(Standardiser.REASON_DETAIL)))
        .drop(KEY, COUNTRY, MEDIAN, FACTOR, DAYS);
  }

  /**
   * The market's country, China where it is null: rows of feeds that name no country and whose market
   * region is not coded, and price_daily partitions published before market_country_code existed
   * (whose table may lack the column), are Chinese markets, as the spreads take them.
   */
  private static Column country(Dataset<Row> rows) {
    return List.of(rows.columns()).contains("market_country_code")
        ? coalesce(col("market_country_code"), lit(OriginResolver.CHINA)) : lit(OriginResolver.CHINA);
  }

  /** A rule's value for a catalogue code, as one CASE over the prefixes, longest first. */
  private static Column byRule(Column code, PriceBounds bounds, Function<PriceBounds.Rule, Object> value) {
    Column out = null;
    for (PriceBounds.Rule rule : bounds.rules()) {
      if (rule.prefix().equals(PriceBounds.DEFAULT)) {
        Object fallback = value.apply(rule);
        return out == null ? lit(fallback) : out.otherwise(lit(fallback));
      }
      Column match = code.startsWith(rule.prefix());
      Object v = value.apply(rule);
      out = out == null ? when(match, lit(v)) : out.when(match, lit(v));
    }
    return out;
  }
}
