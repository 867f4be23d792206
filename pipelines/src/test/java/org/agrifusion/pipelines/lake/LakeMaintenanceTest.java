package org.agrifusion.pipelines.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;
import static org.apache.spark.sql.functions.sum;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.agrifusion.pipelines.lake.LakeInventory.TableState;
import org.agrifusion.pipelines.lake.LakeMaintenance.Compaction;
import org.agrifusion.pipelines.lake.LakeMaintenance.Retention;
import org.agrifusion.pipelines.lake.LakeMaintenance.TableResult;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.support.SparkExtension;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkExtension.class)
class LakeMaintenanceTest {

  static final LocalDate DAY = LocalDate.of(2021, 12, 7);
  static final int FILES_PER_WRITE = 6;

  /** {@code rows} parcels of the day, spread over {@code files} files; the weights depend on {@code run}. */
  static Dataset<Row> parcels(SparkSession spark, LocalDate day, int run, int rows, int files) {
    return spark.range(rows).selectExpr(
            "concat('SF', lpad(cast(id + " + run * 1000 + " as string), 10, '0')) AS tracking_no",
            "cast(0.5 + (id % 37) * 0.25 + " + run + " as double) AS weight_kg",
            "DATE'" + day + "' AS business_date")
        .repartition(files);
  }

  static double weight(Dataset<Row> d) {
    return d.agg(sum("weight_kg")).first().getDouble(0);
  }

  @Test
  void expiresUnkeptOldSnapshotsRemovesOldOrphansAndCompactsSmallFiles(SparkSession spark, @TempDir Path dir)
      throws IOException, SQLException {
    Lake lake = new Lake(dir.toString()).register(spark);
    TableId parcel = lake.table(LakeTable.PARCEL);
    TableId quarantine = lake.quarantine(RecordKind.SHIPMENT);
    Tables.replace(parcels(spark, DAY.plusDays(1), 0, 40, 1), parcel, DAY.plusDays(1));
    // the day is re-run five times, each run writing several small files
    List<Long> runs = new ArrayList<>();
    for (int run = 1; run <= 5; run++) {
      runs.add(Tables.replace(parcels(spark, DAY, run, 300 + run, FILES_PER_WRITE), parcel, DAY));
    }
    Tables.replace(parcels(spark, DAY, 9, 20, 2), quarantine, DAY);
    long kept = runs.get(1);
    long expired = runs.get(2);
    Dataset<Row> atKept = spark.read().option("versionAsOf", kept).table(parcel.identifier()).where("business_date = DATE'" + DAY + "'");
    long keptRows = atKept.count();
    double keptWeight = weight(atKept);
    Dataset<Row> current = spark.read().table(parcel.identifier());
    long currentRows = current.count();
    double currentWeight = weight(current);
    assertThat(dataFiles(spark, parcel, DAY)).isEqualTo(FILES_PER_WRITE);

    Path partition = Path.of(java.net.URI.create(Tables.load(spark, parcel).location() + "/data/business_date=" + DAY));
    Instant now = Instant.now();
    Path oldOrphan = orphan(partition, "00000-killed-write.parquet", now.minus(Duration.ofDays(5)));
    Path youngOrphan = orphan(partition, "00001-write-in-progress.parquet", now.minus(Duration.ofMinutes(5)));
    Retention retention = new Retention(7, Set.of(kept), Retention.DEFAULT_ORPHAN_AFTER_HOURS);
    // Iceberg's own history limit (5 days unless set) must not expire a kept snapshot: make it 1 ms here
    Tables.load(spark, parcel).updateProperties().set("history.expire.max-snapshot-age-ms", "1").commit();

    // today: every snapshot is younger than the retention; only the old orphan goes, and the small files are merged
    List<TableResult> today = LakeMaintenance.run(spark, lake, retention, Compaction.DEFAULT, now);
    print("today", today);

    assertThat(today).extracting(TableResult::table).containsExactly(quarantine, parcel);
    TableResult p = today.get(1);
    assertThat(p.snapshotsExpired()).isZero();
    assertThat(p.orphanFilesRemoved()).isEqualTo(1);
    assertThat(p.filesRewritten()).isEqualTo(FILES_PER_WRITE);
    assertThat(p.filesAdded()).isEqualTo(1);
    assertThat(p.bytesRewritten()).isPositive();
    assertThat(oldOrphan).doesNotExist();
    assertThat(youngOrphan).exists();
    // the lone file of the next day and the 2 files of the quarantine table are left as they are
    assertThat(dataFiles(spark, parcel, DAY.plusDays(1))).isEqualTo(1);
    assertThat(today.get(0).filesRewritten()).isZero();
    // compaction changes files, not rows
    assertThat(dataFiles(spark, parcel, DAY)).isEqualTo(1);
    Dataset<Row> compacted = spark.read().table(parcel.identifier());
    assertThat(compacted.count()).isEqualTo(currentRows);
    assertThat(weight(compacted)).isCloseTo(currentWeight, offset(1e-6));
    assertThat(codecs(spark, parcel, DAY)).containsOnly("ZSTD");

    // a month later: everything but the current snapshot and the kept one is expired, with the files only they referenced
    List<TableResult> later = LakeMaintenance.run(spark, lake, retention, Compaction.DEFAULT, now.plus(Duration.ofDays(30)));
    print("a month later", later);

    p = later.get(1);
    // the first write of the next day, runs 1, 3, 4 and 5 (run 5's files were compacted); run 2 is kept
    assertThat(p.snapshotsExpired()).isEqualTo(5);
    assertThat(p.snapshotsLeft()).isEqualTo(2);
    assertThat(p.expiredFilesDeleted()).isEqualTo(4L * FILES_PER_WRITE);
    assertThat(p.orphanFilesRemoved()).isEqualTo(1);
    assertThat(p.filesRewritten()).isZero();
    assertThat(youngOrphan).doesNotExist();
    // what is left on disk: the kept run's files and the compacted file
    try (Stream<Path> files = Files.list(partition)) {
      assertThat(files.filter(f -> f.getFileName().toString().endsWith(".parquet") && !f.getFileName().toString().startsWith(".")))
          .hasSize(FILES_PER_WRITE + 1);
    }
    assertThat(later.get(0).snapshotsExpired()).isZero();

    Dataset<Row> stillKept = spark.read().option("versionAsOf", kept).table(parcel.identifier()).where("business_date = DATE'" + DAY + "'");
    assertThat(stillKept.count()).isEqualTo(keptRows);
    assertThat(weight(stillKept)).isCloseTo(keptWeight, offset(1e-6));
    Dataset<Row> afterAll = spark.read().table(parcel.identifier());
    assertThat(afterAll.count()).isEqualTo(currentRows);
    assertThat(weight(afterAll)).isCloseTo(currentWeight, offset(1e-6));
    assertThatThrownBy(() -> spark.read().option("versionAsOf", expired).table(parcel.identifier()).count())
        .hasMessageContaining(Long.toString(expired));

    TableState state = LakeInventory.list(spark, lake).stream().filter(s -> s.table().equals(parcel)).findFirst().orElseThrow();
    assertThat(state.snapshotId()).isEqualTo(Tables.snapshot(spark, parcel).orElseThrow());
    assertThat(state.records()).isEqualTo(currentRows);
    assertThat(state.dataFiles()).isEqualTo(2);
    assertThat(state.bytes()).isPositive();
  }

  @Test
  void retentionRefusesSettingsThatWouldDeleteTooMuch() {
    assertThatThrownBy(() -> new Retention(-1, Set.of(), 72)).hasMessageContaining("0 days or more");
    assertThatThrownBy(() -> new Retention(7, Set.of(), 0)).hasMessageContaining("at least 1 hour");
    assertThatThrownBy(() -> new Compaction(128L << 20, 1)).hasMessageContaining("at least 2 input files");
  }

  static void print(String when, List<TableResult> results) {
    results.forEach(r -> System.out.printf("maintenance %s: %s expired %d (left %d, files deleted %d) in %d ms, orphans %d in %d ms,"
            + " compacted %d -> %d files (%d bytes) in %d ms%n", when, r.table().qualifiedName(), r.snapshotsExpired(),
        r.snapshotsLeft(), r.expiredFilesDeleted(), r.expireTime().toMillis(), r.orphanFilesRemoved(), r.orphanTime().toMillis(),
        r.filesRewritten(), r.filesAdded(), r.bytesRewritten(), r.compactTime().toMillis()));
  }

  static Path orphan(Path partition, String name, Instant modified) throws IOException {
    Path file = Files.writeString(partition.resolve(name), "not parquet: a file a killed write left behind");
    Files.setLastModifiedTime(file, FileTime.from(modified));
    return file;
  }

  /** Data files of the day's partition in the current snapshot, as Iceberg plans them. */
  static List<String> plannedFiles(SparkSession spark, TableId table, LocalDate day) throws IOException {
    List<String> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = Tables.load(spark, table).newScan()
        .filter(Expressions.equal(Lake.PARTITION_COLUMN, day.toString())).planFiles()) {
      tasks.forEach(t -> files.add(t.file().location()));
    }
    return files;
  }

  static int dataFiles(SparkSession spark, TableId table, LocalDate day) throws IOException {
    return plannedFiles(spark, table, day).size();
  }

  /** The compression codecs of the columns of the day's current data files, from their Parquet footers. */
  static List<String> codecs(SparkSession spark, TableId table, LocalDate day) throws IOException, SQLException {
    List<String> codecs = new ArrayList<>();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
      for (String file : plannedFiles(spark, table, day)) {
        try (ResultSet rs = duck.createStatement().executeQuery("SELECT DISTINCT compression FROM parquet_metadata('"
            + file.replaceFirst("^file:", "").replace("'", "''") + "')")) {
          while (rs.next()) {
            codecs.add(rs.getString(1));
          }
        }
      }
    }
    return codecs;
  }
}
