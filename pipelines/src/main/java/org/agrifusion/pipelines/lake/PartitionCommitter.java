package org.agrifusion.pipelines.lake;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Publishes one partition of a curated or mart table so readers never see it half written: the
 * rows are written aside under {@code <table>/.pending/<run>/}, a manifest is added, and only then
 * is the complete folder renamed into place (the previous one moved to {@code .trash} first).
 * Spark and DuckDB ignore folders starting with a dot, so neither sees the pending copy.
 *
 * <p>File count rule: {@code ceil(rows / rowsPerFile)} files per partition (at least one), so a
 * partition is neither one huge file nor thousands of small ones.
 *
 * <p>The rename is atomic on HDFS and local disks. On object stores (s3a) a folder rename is a copy;
 * there the manifest is the commit point: a partition without {@value #MANIFEST} is incomplete.
 */
public final class PartitionCommitter {

  public static final String MANIFEST = "_MANIFEST.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private PartitionCommitter() {}

  /** What was committed. */
  public record Manifest(String table, String partition, String runId, long rows, List<String> files, int schemaVersion) {}

  /**
   * @param rows the partition's rows, including the partition column; with no rows the partition is
   *     published empty (a manifest saying 0 rows), so the previous run's rows disappear
   * @param rowCount their number (known to the caller, so the rows are not counted twice)
   */
  public static Manifest publish(Dataset<Row> rows, String table, String partitionColumn, String partitionValue,
      long rowCount, long rowsPerFile, String runId, int schemaVersion) {
    String partition = partitionColumn + "=" + partitionValue;
    Path pendingRoot = new Path(table + "/.pending/" + runId);
    Path pending = new Path(pendingRoot, partition);
    Path target = new Path(table + "/" + partition);
    Path trash = new Path(table + "/.trash/" + runId + "/" + partition);
    try {
      FileSystem fs = target.getFileSystem(rows.sparkSession().sparkContext().hadoopConfiguration());
      fs.delete(pendingRoot, true);
      if (rowCount > 0) {
        int files = (int) Math.max(1, (rowCount + rowsPerFile - 1) / rowsPerFile);
        rows.repartition(files).write().mode(SaveMode.Overwrite).partitionBy(partitionColumn).parquet(pendingRoot.toString());
      }
      fs.mkdirs(pending);
      List<String> names = Arrays.stream(fs.listStatus(pending)).map(FileStatus::getPath).map(Path::getName)
          .filter(n -> n.endsWith(".parquet")).sorted().toList();
      Manifest manifest = new Manifest(table, partition, runId, rowCount, names, schemaVersion);
      writeManifest(fs, new Path(pending, MANIFEST), manifest);
      if (fs.exists(target)) {
        fs.mkdirs(trash.getParent());
        rename(fs, target, trash);
      }
      rename(fs, pending, target);
      fs.delete(new Path(table + "/.trash/" + runId), true);
      fs.delete(pendingRoot, true);
      return manifest;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish " + partition + " of " + table, e);
    }
  }

  private static void rename(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("rename " + from + " -> " + to + " failed");
    }
  }

  private static void writeManifest(FileSystem fs, Path file, Manifest m) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("table", m.table());
    json.put("partition", m.partition());
    json.put("run_id", m.runId());
    json.put("rows", m.rows());
    json.put("files", m.files());
    json.put("schema_version", m.schemaVersion());
    json.put("committed_at", Instant.now().toString());
    try (OutputStream out = fs.create(file, true)) {
      JSON.writerWithDefaultPrettyPrinter().writeValue(out, json);
    }
  }
}
