package org.agrifusion.pipelines.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.iceberg.spark.SparkWriteOptions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.types.StructField;

/**
 * Reads and writes the lake's Iceberg tables one partition (a business date, or a month) at a time.
 *
 * <p>A write replaces the partition in one commit: the partition's files are dropped and the new
 * ones added atomically, so a reader sees the old rows or the new ones, never a mix, and a re-run
 * leaves exactly the re-run's rows. Tables are created on first write; a column the rows have and
 * the table lacks is added (Iceberg schema evolution), so older snapshots stay readable.
 *
 * <p>A read is one partition-pruned scan, of the current snapshot or of a pinned one ({@link Snapshots}).
 */
public final class Tables {

  /** Every table's properties: zstd Parquet, schema evolution on write, writers not forced through one task per partition. */
  /**
   * Bytes of data files per read task. Iceberg's default (128 MB) puts a day's few raw files in one
   * task, so one core parsed a whole feed while the others waited; what is read here is compact
   * columnar data that costs far more CPU downstream than it takes to read.
   */
  static final long SPLIT_SIZE = 8L << 20;
  static final Map<String, String> PROPERTIES = Map.of(
      "format-version", "2",
      "write.format.default", "parquet",
      "write.parquet.compression-codec", "zstd",
      "write.spark.accept-any-schema", "true",
      "write.distribution-mode", "none",
      "write.metadata.delete-after-commit.enabled", "true",
      "write.metadata.previous-versions-max", "50",
      "write.parquet.dict-size-bytes", "16384");

  private Tables() {}

  /**
   * Replaces the partition {@code value} of the table with {@code rows} (which must all belong to it)
   * in one commit; with no rows the partition is emptied.
   *
   * @return the snapshot committed
   */
  public static long replace(Dataset<Row> rows, TableId table, String value) {
    SparkSession spark = rows.sparkSession();
    createIfMissing(spark, table, rows);
    overwrite(rows, table, inPartition(table, value));
    return load(spark, table).currentSnapshot().snapshotId();
  }

  public static long replace(Dataset<Row> rows, TableId table, LocalDate date) {
    return replace(rows, table, date.toString());
  }

  /**
   * Replaces the partitions of every date in {@code dates} with {@code rows} (which must all belong
   * to one of them) in one commit; a date without rows is emptied. Rows are clustered by date first,
   * so each date gets few files, not one per task.
   *
   * @return the snapshot committed
   */
  public static long replaceDates(Dataset<Row> rows, TableId table, java.util.SortedSet<LocalDate> dates) {
    SparkSession spark = rows.sparkSession();
    createIfMissing(spark, table, rows);
    Column inDates = col(Lake.PARTITION_COLUMN).isin(dates.stream().map(java.sql.Date::valueOf).toArray());
    overwrite(rows.repartitionByRange(col(Lake.PARTITION_COLUMN)).sortWithinPartitions(Lake.PARTITION_COLUMN), table, inDates);
    return load(spark, table).currentSnapshot().snapshotId();
  }

  /**
   * Replaces the rows the condition selects with {@code rows}, matching columns by name. A column the
   * rows have and the table lacks is appended to the table's schema ({@code merge-schema}); a column
   * the table has and the rows lack is written as null (every column is created optional). Ordering
   * is not checked: a table an earlier version created keeps its column order, and a column added
   * since in the middle of a record shape (issue 14 added currency, market and grade columns so) is
   * appended at the end of the table, which Iceberg's default ordering check refused ("x is out of
   * order, before y"), so the first night after an upgrade failed. A type Iceberg cannot promote
   * still fails, and the message names the table.
   */
  private static void overwrite(Dataset<Row> rows, TableId table, Column condition) {
    try {
      rows.writeTo(table.identifier()).option(SparkWriteOptions.MERGE_SCHEMA, "true")
          .option(SparkWriteOptions.CHECK_ORDERING, "false").overwrite(condition);
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new IllegalStateException(table + " disappeared while it was written", e);
    } catch (IllegalArgumentException e) { // Iceberg's schema checks: a type it cannot promote, a required column missing
      throw new IllegalStateException("cannot write " + table.qualifiedName() + ": " + problems(e.getMessage()), e);
    }
  }

  /** Iceberg's problems, one line: its message lists them as "* ..." lines under the whole table schema. */
  static String problems(String message) {
    if (message == null) {
      return "no message";
    }
    String listed = message.lines().filter(l -> l.startsWith("* ")).map(l -> l.substring(2).strip())
        .collect(Collectors.joining("; "));
    return listed.isEmpty() ? message.lines().findFirst().orElse("").strip() : listed;
  }

  /**
   * Empties the partition, if the table exists.
   *
   * @return the snapshot committed, or empty when there is no table
   */
  public static Optional<Long> clear(SparkSession spark, TableId table, String value) {
    if (!exists(spark, table)) {
      return Optional.empty();
    }
    Table t = load(spark, table);
    t.newDelete().deleteFromRowFilter(Expressions.equal(table.partitionColumn(), value)).commit();
    return Optional.of(t.currentSnapshot().snapshotId());
  }

  /** Empties the partitions of every date in {@code dates} in one commit, if the table exists. */
  public static Optional<Long> clearDates(SparkSession spark, TableId table, java.util.SortedSet<LocalDate> dates) {
    if (!exists(spark, table)) {
      return Optional.empty();
    }
    Table t = load(spark, table);
    t.newDelete().deleteFromRowFilter(Expressions.in(table.partitionColumn(), dates.stream().map(LocalDate::toString).toArray()))
        .commit();
    return Optional.of(t.currentSnapshot().snapshotId());
  }

  /** The partition's current rows, or empty when the table or the partition holds none. */
  public static Optional<Dataset<Row>> read(SparkSession spark, TableId table, String value) {
    return read(spark, table, value, null);
  }

  public static Optional<Dataset<Row>> read(SparkSession spark, TableId table, LocalDate date) {
    return read(spark, table, date.toString(), null);
  }

  /**
   * The partition's rows at the table's snapshot in {@code pins} (the current snapshot when
   * {@code pins} is null); empty when it held none, or when {@code pins} does not name the table.
   */
  public static Optional<Dataset<Row>> read(SparkSession spark, TableId table, String value, Snapshots pins) {
    Expression filter = Expressions.equal(table.partitionColumn(), value);
    return scan(spark, table, pins, filter).map(d -> d.where(inPartition(table, value)));
  }

  /** The rows of every date from {@code from} to {@code to} (both included), as one pruned scan; empty when none. */
  public static Optional<Dataset<Row>> readRange(SparkSession spark, TableId table, LocalDate from, LocalDate to, Snapshots pins) {
    if (to.isBefore(from)) {
      return Optional.empty();
    }
    String c = table.partitionColumn();
    Expression filter = Expressions.and(Expressions.greaterThanOrEqual(c, from.toString()),
        Expressions.lessThanOrEqual(c, to.toString()));
    return scan(spark, table, pins, filter)
        .map(d -> d.where(col(c).between(lit(java.sql.Date.valueOf(from)), lit(java.sql.Date.valueOf(to)))));
  }

  public static Optional<Dataset<Row>> readRange(SparkSession spark, TableId table, LocalDate from, LocalDate to) {
    return readRange(spark, table, from, to, null);
  }

  /** The whole table (at the pinned snapshot), or empty when it holds no rows. */
  public static Optional<Dataset<Row>> readAll(SparkSession spark, TableId table, Snapshots pins) {
    return scan(spark, table, pins, Expressions.alwaysTrue());
  }

  public static boolean exists(SparkSession spark, TableId table) {
    if (!spark.conf().contains("spark.sql.catalog." + table.catalog())) {
      throw new IllegalStateException("the lake's catalog '" + table.catalog() + "' is not registered in this Spark session"
          + " (Lake.register(spark) comes before any table is read or written)");
    }
    return spark.catalog().tableExists(table.identifier());
  }

  /** The table's current snapshot, or empty when the table does not exist or has none. */
  public static Optional<Long> snapshot(SparkSession spark, TableId table) {
    if (!exists(spark, table)) {
      return Optional.empty();
    }
    return Optional.ofNullable(load(spark, table).currentSnapshot()).map(s -> s.snapshotId());
  }

  /** The Iceberg table, refreshed. */
  public static Table load(SparkSession spark, TableId table) {
    try {
      Table t = Spark3Util.loadIcebergTable(spark, table.identifier());
      t.refresh();
      return t;
    } catch (ParseException | org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new IllegalArgumentException("no lake table " + table, e);
    }
  }

  /**
   * The table at the snapshot (current, or pinned), when a planned scan with the filter finds data
   * files; planning reads metadata only.
   */
  private static Optional<Dataset<Row>> scan(SparkSession spark, TableId table, Snapshots pins, Expression filter) {
    if (!exists(spark, table) || (pins != null && !pins.pins(table))) {
      return Optional.empty();
    }
    Table t = load(spark, table);
    Long snapshot = pins == null ? (t.currentSnapshot() == null ? null : t.currentSnapshot().snapshotId())
        : pins.of(table).orElseThrow();
    if (snapshot == null) {
      return Optional.empty();
    }
    if (t.snapshot(snapshot) == null) {
      throw new IllegalStateException("snapshot " + snapshot + " of " + table.qualifiedName() + " no longer exists: lake"
          + " maintenance expired it (agri.lake.maintenance.expire-after-days); publish the date anew to read it again");
    }
    TableScan planned = t.newScan().useSnapshot(snapshot).filter(filter);
    try (CloseableIterable<FileScanTask> tasks = planned.planFiles()) {
      if (!tasks.iterator().hasNext()) {
        return Optional.empty();
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot plan a scan of " + table, e);
    }
    return Optional.of(spark.read().option("versionAsOf", snapshot).option("split-size", String.valueOf(SPLIT_SIZE))
        .table(table.identifier()));
  }

  private static Column inPartition(TableId table, String value) {
    Object literal = Lake.PARTITION_COLUMN.equals(table.partitionColumn()) ? java.sql.Date.valueOf(value) : value;
    return col(table.partitionColumn()).equalTo(lit(literal));
  }

  /** Creates the table with the rows' columns (all optional), partitioned by its partition column. */
  private static void createIfMissing(SparkSession spark, TableId table, Dataset<Row> rows) {
    if (exists(spark, table)) {
      return;
    }
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + table.catalog() + "." + table.namespace());
    String columns = Arrays.stream(rows.schema().fields()).map(Tables::column).collect(Collectors.joining(", "));
    String properties = PROPERTIES.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> "'" + e.getKey() + "'='" + e.getValue() + "'").collect(Collectors.joining(", "));
    spark.sql("CREATE TABLE IF NOT EXISTS " + table.identifier() + " (" + columns + ") USING iceberg PARTITIONED BY (`"
        + table.partitionColumn() + "`) TBLPROPERTIES (" + properties + ")");
  }

  private static String column(StructField f) {
    return "`" + f.name() + "` " + f.dataType().sql();
  }
}
