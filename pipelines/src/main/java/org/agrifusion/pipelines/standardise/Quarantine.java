package org.agrifusion.pipelines.standardise;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_arrays;
import static org.apache.spark.sql.functions.size;

import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.source.RawColumns;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Rejected rows, one schema for every feed: lineage, reason codes, a readable detail, and the
 * landed values as a column -> value map, so feeds with different columns share one table.
 */
public final class Quarantine {

  public static final String RECORD_KIND = "record_kind";
  public static final String RAW_VALUES = "raw_values";

  private Quarantine() {}

  /** Rows of a standardised dataset that carry at least one reason. */
  public static Dataset<Row> rows(Dataset<Row> standardised, SourceDescriptor source) {
    Column[] names = source.columns().stream().map(c -> lit(c)).toArray(Column[]::new);
    Column[] values = source.columns().stream().map(c -> col(Standardiser.rawColumn(c))).toArray(Column[]::new);
    return standardised
        .where(size(col(Standardiser.REASONS)).gt(0))
        .select(
            col(Lake.PARTITION_COLUMN),
            lit(source.kind().dataset()).as(RECORD_KIND),
            col(RawColumns.SOURCE_ID),
            col(RawColumns.SOURCE_FILE),
            col(RawColumns.SOURCE_ROW),
            col(RawColumns.RUN_ID),
            col(Standardiser.REASONS),
            col(Standardiser.REASON_DETAIL),
            map_from_arrays(array(names), array(values)).as(RAW_VALUES),
            col(RawColumns.RAW_LINE));
  }
}
