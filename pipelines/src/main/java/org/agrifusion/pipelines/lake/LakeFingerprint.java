package org.agrifusion.pipelines.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.agrifusion.pipelines.source.RawColumns;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.SparkSession;

/**
 * What each lake table holds, as a row count and an order-independent digest of its rows: two
 * lakes built from one input (embedded and on a cluster, on local disk, HDFS or an object store)
 * must print the same lines. Values that name the run or where the files were stored are not part
 * of the input, so they are left out: the run id, file modification times, and the folder part of
 * file URIs (the file name stays). Computed in Spark; only one row per table reaches the driver.
 */
public final class LakeFingerprint {

  /** Columns whose value differs between two runs of the same input. */
  static final Set<String> RUN_COLUMNS = Set.of(RawColumns.RUN_ID, "modified_ms");
  /** Columns holding a file's URI: only the file name is the input's. */
  static final Set<String> FILE_COLUMNS = Set.of(RawColumns.SOURCE_FILE, "file");

  /** @param digest the sum of every row's 64-bit hash, exact (so the order rows come in does not matter) */
  public record TableDigest(String table, long rows, String digest) {
    @Override
    public String toString() {
      return table + " rows=" + rows + " digest=" + digest;
    }
  }

  private LakeFingerprint() {}

  /** Every table of the lake ({@link LakeInventory#tables}), in inventory order. */
  public static List<TableDigest> of(SparkSession spark, Lake lake) {
    List<TableDigest> digests = new ArrayList<>();
    for (TableId table : LakeInventory.tables(spark, lake)) {
      digests.add(Tables.readAll(spark, table, null).map(rows -> digest(table.qualifiedName(), rows))
          .orElse(new TableDigest(table.qualifiedName(), 0, "0")));
    }
    return digests;
  }

  static TableDigest digest(String name, Dataset<Row> rows) {
    List<Column> values = new ArrayList<>();
    for (StructField field : rows.schema().fields()) {
      if (RUN_COLUMNS.contains(field.name())) {
        continue;
      }
      Column value = col(field.name());
      if (FILE_COLUMNS.contains(field.name()) && field.dataType() instanceof StringType) {
        value = element_at(split(value, "/"), -1);
      } else if (field.dataType() instanceof MapType) {
        value = to_json(value); // xxhash64 does not take maps
      }
      // the column's name is hashed with its value, so a value moved to another column changes the digest
      values.add(lit(field.name()));
      values.add(value);
    }
    Row row = rows.agg(count(lit(1)), sum(xxhash64(values.toArray(Column[]::new)).cast("decimal(38,0)"))).first();
    long count = row.getLong(0);
    return new TableDigest(name, count, count == 0 ? "0" : row.getDecimal(1).toPlainString());
  }
}
