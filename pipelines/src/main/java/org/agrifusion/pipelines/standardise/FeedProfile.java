package org.agrifusion.pipelines.standardise;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.source.RawIngest;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * What the standard makes of a feed's files, for a data steward onboarding it: how many rows would
 * be accepted, how many get a product code, how many origins resolve, and what is rejected and why.
 * Every rule applies except the date window, so a file spanning many days can be profiled at once.
 */
public final class FeedProfile {

  private static final int TOP = 10;

  /** The figures of one profile; shares are of all rows, origins of rows with an origin. */
  public record Figures(long rows, long accepted, long quarantined, long productCoded, long originGiven,
      long originResolved, Map<String, Long> reasons, Map<String, Long> unknownProducts, Map<String, Long> unresolvedOrigins) {}

  private FeedProfile() {}

  /** @param businessDate the date the files are read as of: year-less dates take their year from it */
  public static Figures profile(SparkSession spark, SourceDescriptor source, List<String> files, ReferenceData reference,
      byte[] personalDataKey, LocalDate businessDate) {
    SourceDescriptor anyDay = source.withDateWindow(new SourceDescriptor.DateWindow(365_000, 365_000));
    Dataset<Row> raw = RawIngest.read(spark, anyDay, files, "profile", businessDate, personalDataKey);
    Dataset<Row> std = Standardiser.standardise(raw, anyDay, RecordStandard.of(source.kind(), reference), businessDate)
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      boolean hasProduct = Arrays.asList(std.columns()).contains("product_code");
      boolean hasOrigin = Arrays.asList(std.columns()).contains("origin_codes");
      Row totals = std.agg(
          count(), countIf(size(col(Standardiser.REASONS)).equalTo(0)),
          hasProduct ? countIf(col("product_code").isNotNull()) : count().multiply(0),
          hasOrigin ? countIf(col("origin_raw").isNotNull()) : count().multiply(0),
          hasOrigin ? countIf(col("origin_raw").isNotNull().and(size(col("origin_codes")).gt(0))) : count().multiply(0))
          .first();
      long rows = totals.getLong(0);
      long accepted = totals.getLong(1);
      return new Figures(rows, accepted, rows - accepted, totals.getLong(2), totals.getLong(3), totals.getLong(4),
          top(std.select(explode(col(Standardiser.REASONS)).as("key"))),
          hasProduct ? top(std.where(col("product_code").isNull().and(col("product_name").isNotNull())).select(col("product_name").as("key"))) : Map.of(),
          hasOrigin ? top(std.where(col("origin_status").isin("UNRESOLVED", "PARTIAL", "AMBIGUOUS")).select(col("origin_raw").as("key"))) : Map.of());
    } finally {
      std.unpersist();
    }
  }

  private static Column count() {
    return sum(org.apache.spark.sql.functions.lit(1L));
  }

  private static Column countIf(Column condition) {
    return sum(when(condition, 1L).otherwise(0L));
  }

  private static Map<String, Long> top(Dataset<Row> keys) {
    Map<String, Long> top = new LinkedHashMap<>();
    keys.groupBy("key").count().orderBy(col("count").desc(), col("key")).limit(TOP).collectAsList()
        .forEach(r -> top.put(r.getString(0), r.getLong(1)));
    return top;
  }
}
