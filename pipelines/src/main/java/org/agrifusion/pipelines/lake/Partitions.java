package org.agrifusion.pipelines.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/** Reads, replaces and deletes one business-date partition of an internal layer (raw, staging, quarantine). */
public final class Partitions {

  private Partitions() {}

  /**
   * Replaces the date's partition of an internal layer (raw, staging, quarantine) when the row count
   * is not known before writing: the old partition is removed first, so an empty result leaves no
   * stale rows. Readers of these layers are the pipeline's own later steps only.
   */
  public static void replace(Dataset<Row> rows, String table, LocalDate date) {
    delete(rows.sparkSession(), Lake.partition(table, date));
    rows.write()
        .mode(SaveMode.Overwrite)
        .option("partitionOverwriteMode", "dynamic")
        .partitionBy(Lake.PARTITION_COLUMN)
        .parquet(table);
  }

  /**
   * The date's rows (with the partition column), or empty when the partition does not exist or
   * holds no data files (a published empty partition has only its manifest).
   */
  public static Optional<Dataset<Row>> read(SparkSession spark, String table, LocalDate date) {
    return read(spark, table, Lake.PARTITION_COLUMN, date.toString());
  }

  /** The rows of the partition {@code column=value}, or empty as {@link #read(SparkSession, String, LocalDate)}. */
  public static Optional<Dataset<Row>> read(SparkSession spark, String table, String column, String value) {
    String partition = table + "/" + column + "=" + value;
    if (!hasData(spark, partition)) {
      return Optional.empty();
    }
    return Optional.of(spark.read().option("basePath", table).parquet(partition));
  }

  /**
   * The rows of every date from {@code from} to {@code to} (both included) that has data, as one
   * dataset (columns added later in a table's life are null in older days); empty when none has.
   */
  public static Optional<Dataset<Row>> readDays(SparkSession spark, String table, LocalDate from, LocalDate to) {
    if (to.isBefore(from)) {
      return Optional.empty();
    }
    return from.datesUntil(to.plusDays(1))
        .map(day -> read(spark, table, day))
        .flatMap(Optional::stream)
        .reduce((a, b) -> a.unionByName(b, true));
  }

  /** Whether the folder exists and holds a data file (names starting with _ or . are metadata). */
  public static boolean hasData(SparkSession spark, String folder) {
    Path p = new Path(folder);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return fs.exists(p) && java.util.Arrays.stream(fs.listStatus(p))
          .map(s -> s.getPath().getName()).anyMatch(n -> !n.startsWith("_") && !n.startsWith("."));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
  }

  public static boolean exists(SparkSession spark, String path) {
    Path p = new Path(path);
    try {
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check " + path, e);
    }
  }

  public static void delete(SparkSession spark, String path) {
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(p) && !fs.delete(p, true)) {
        throw new IOException("delete returned false");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path, e);
    }
  }
}
