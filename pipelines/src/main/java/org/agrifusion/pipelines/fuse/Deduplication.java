package org.agrifusion.pipelines.fuse;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import java.util.Map;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.source.RawColumns;
import org.agrifusion.pipelines.standardise.Standardiser;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Fuse stage, de-duplication: the accepted rows of every feed of a kind -> one row per record id.
 *
 * <p>The same record from several feeds (the same market price from the market and an aggregator,
 * the same order in two exports) is kept once, with {@value #REPORTED_BY} listing the feeds that sent
 * it. When the versions differ, the rule is: the feed with the highest priority wins (lowest number
 * in {@code agri.fusion.source-priority}; unlisted feeds have {@value #DEFAULT_PRIORITY}), then the
 * latest file by name (file names carry the delivery date and time), then the latest line. The record is
 * flagged {@value #CONFLICT} and each losing version is returned by {@link #superseded}.
 */
public final class Deduplication {

  public static final String REPORTED_BY = "reported_by";
  public static final String CONFLICT = "has_conflict";
  public static final int DEFAULT_PRIORITY = 100;
  private static final String RANK = "_rank";
  private static final String WINNER = "_winner_hash";

  private Deduplication() {}

  /** Every accepted row with its rank among the versions of its record and the winner's content hash. */
  public static Dataset<Row> ranked(Dataset<Row> accepted, Map<String, Integer> sourcePriority) {
    Column priority = lit(DEFAULT_PRIORITY);
    for (Map.Entry<String, Integer> e : sourcePriority.entrySet()) {
      priority = when(col(RawColumns.SOURCE_ID).equalTo(e.getKey()), lit(e.getValue())).otherwise(priority);
    }
    // per day as well: a history import fuses many days at once, each on its own (a daily run has one)
    WindowSpec byRecord = Window.partitionBy(Lake.PARTITION_COLUMN, Standardiser.RECORD_ID);
    // The file's name, not its path: feeds live in different folders, and "latest" is about the delivery.
    Column fileName = element_at(split(col(RawColumns.SOURCE_FILE), "/"), -1);
    WindowSpec ordered = byRecord.orderBy(priority.asc(), fileName.desc(), col(RawColumns.SOURCE_ROW).desc());
    return accepted
        .withColumn(RANK, row_number().over(ordered))
        .withColumn(WINNER, first(col(Standardiser.CONTENT_HASH)).over(ordered))
        .withColumn(REPORTED_BY, array_sort(collect_set(col(RawColumns.SOURCE_ID)).over(byRecord)))
        .withColumn(CONFLICT, size(collect_set(col(Standardiser.CONTENT_HASH)).over(byRecord)).gt(1));
  }

  /** One row per record: the winning version, with the feeds that reported it and the conflict flag. */
  public static Dataset<Row> fused(Dataset<Row> ranked) {
    return ranked.where(col(RANK).equalTo(1)).drop(RANK, WINNER);
  }

  /** Versions that lost to a different winning version (identical copies are merged, not listed). */
  public static Dataset<Row> superseded(Dataset<Row> ranked) {
    return ranked.where(col(RANK).gt(1).and(col(Standardiser.CONTENT_HASH).notEqual(col(WINNER))))
        .drop(RANK, WINNER);
  }
}
