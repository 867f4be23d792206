package org.agrifusion.pipelines.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrifusion.pipelines.lake.Lake;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Every table of a lake at one moment (its current snapshot), to put the lake back to: a fixture that
 * takes several pipeline runs is built once per class, and each test that starts from it gets it back
 * as it was, whatever the test before wrote. Iceberg keeps the older snapshots and their files, so
 * going back is a metadata commit per table; a table created after the checkpoint is dropped.
 */
public final class LakeCheckpoint {

  private final Lake lake;
  private final Map<String, Long> snapshots;

  private LakeCheckpoint(Lake lake, Map<String, Long> snapshots) {
    this.lake = lake;
    this.snapshots = snapshots;
  }

  /**
   * A new folder for a shared lake under the class's folder: a fixture whose build failed half-way
   * leaves its tables behind, and the next test builds it again from nothing.
   */
  public static Path freshDir(Path parent) {
    try {
      return Files.createTempDirectory(parent, "lake");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static LakeCheckpoint of(SparkSession spark, Lake lake) {
    Map<String, Long> snapshots = new LinkedHashMap<>();
    for (String table : tables(spark, lake)) {
      Snapshot current = load(spark, table).currentSnapshot();
      if (current == null) {
        throw new IllegalStateException(table + " has no snapshot to go back to");
      }
      snapshots.put(table, current.snapshotId());
    }
    return new LakeCheckpoint(lake, snapshots);
  }

  /** Puts every table back to its snapshot at the checkpoint and drops the tables created since. */
  public void restore(SparkSession spark) {
    for (String table : tables(spark, lake)) {
      Long snapshot = snapshots.get(table);
      if (snapshot == null) {
        spark.sql("DROP TABLE " + table + " PURGE");
        continue;
      }
      Table t = load(spark, table);
      if (t.currentSnapshot().snapshotId() != snapshot) {
        t.manageSnapshots().setCurrentSnapshot(snapshot).commit();
      }
    }
  }

  private static List<String> tables(SparkSession spark, Lake lake) {
    String catalog = lake.catalog().name();
    List<String> tables = new ArrayList<>();
    for (Row ns : spark.sql("SHOW NAMESPACES IN " + catalog).collectAsList()) {
      for (Row t : spark.sql("SHOW TABLES IN " + catalog + "." + ns.getString(0)).collectAsList()) {
        tables.add(catalog + "." + ns.getString(0) + ".`" + t.getString(1) + "`");
      }
    }
    return tables;
  }

  private static Table load(SparkSession spark, String table) {
    try {
      Table t = Spark3Util.loadIcebergTable(spark, table);
      t.refresh();
      return t;
    } catch (Exception e) {
      throw new IllegalStateException("cannot load " + table, e);
    }
  }
}
