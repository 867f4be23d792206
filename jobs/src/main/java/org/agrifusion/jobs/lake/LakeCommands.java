package org.agrifusion.jobs.lake;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.agrifusion.jobs.config.AgriProperties;
import org.agrifusion.jobs.job.dailyfusion.DepartmentExtracts;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.LakeFingerprint;
import org.agrifusion.pipelines.lake.LakeInventory;
import org.agrifusion.pipelines.lake.LakeMaintenance;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** {@code agri lake tables}, {@code agri lake fingerprint} and {@code agri lake maintain}. */
@Component
public class LakeCommands {

  private static final Logger log = LoggerFactory.getLogger(LakeCommands.class);

  private final ObjectProvider<SparkSession> spark;
  private final Lake lake;
  private final Publications publications;
  private final DepartmentExtracts extracts;
  private final AgriProperties.Maintenance settings;

  public LakeCommands(ObjectProvider<SparkSession> spark, Lake lake, Publications publications, DepartmentExtracts extracts,
      AgriProperties properties) {
    this.spark = spark;
    this.lake = lake;
    this.publications = publications;
    this.extracts = extracts;
    this.settings = properties.lake().maintenance();
  }

  /** Every table of the lake with its current snapshot, rows, data files and bytes. */
  public void tables(PrintStream out) {
    List<LakeInventory.TableState> tables = LakeInventory.list(spark.getObject(), lake);
    out.printf("%-36s %20s %-20s %12s %7s %12s%n", "table (catalog " + lake.catalog().name() + ")", "snapshot", "committed",
        "rows", "files", "bytes");
    long rows = 0;
    long files = 0;
    long bytes = 0;
    for (LakeInventory.TableState t : tables) {
      out.printf("%-36s %20s %-20s %,12d %,7d %,12d%n", t.table().qualifiedName(), t.snapshotId() == null ? "-" : t.snapshotId(),
          t.committedAt() == null ? "-" : t.committedAt().toString().substring(0, 19), t.records(), t.dataFiles(), t.bytes());
      rows += t.records();
      files += t.dataFiles();
      bytes += t.bytes();
    }
    out.printf("%-36s %20s %-20s %,12d %,7d %,12d%n", tables.size() + " tables", "", "", rows, files, bytes);
  }

  /**
   * Every table's rows and content digest, one line each: two lakes built from the same landed
   * files (embedded and on a cluster, on any storage) print the same lines.
   */
  public void fingerprint(PrintStream out) {
    LakeFingerprint.of(spark.getObject(), lake).forEach(t -> out.printf("%-36s %,12d %s%n", t.table(), t.rows(), t.digest()));
  }

  /**
   * Expires snapshots older than the retention (never those the last runs published or an issued
   * extract was cut from), removes orphan files, compacts small files.
   */
  public List<LakeMaintenance.TableResult> maintain(PrintStream out) {
    Set<Long> keep = new HashSet<>(publications.snapshotsOfLast(settings.keepRuns()));
    keep.addAll(extracts.issuedSnapshots());
    LakeMaintenance.Retention retention = new LakeMaintenance.Retention(settings.expireAfterDays(), keep,
        settings.orphanAfterDays() * 24);
    LakeMaintenance.Compaction compaction = new LakeMaintenance.Compaction((long) settings.targetFileMb() << 20,
        LakeMaintenance.Compaction.DEFAULT.minInputFiles());
    long started = System.nanoTime();
    List<LakeMaintenance.TableResult> results = LakeMaintenance.run(spark.getObject(), lake, retention, compaction, Instant.now());
    out.printf("%-36s %9s %6s %9s %8s %12s %8s%n", "table", "expired", "left", "files del", "orphans", "compacted", "time");
    for (LakeMaintenance.TableResult r : results) {
      out.printf("%-36s %9d %6d %9d %8d %5d -> %-4d %7.1fs%n", r.table().qualifiedName(), r.snapshotsExpired(), r.snapshotsLeft(),
          r.expiredFilesDeleted(), r.orphanFilesRemoved(), r.filesRewritten(), r.filesAdded(), r.time().toMillis() / 1000.0);
    }
    Duration total = Duration.ofNanos(System.nanoTime() - started);
    out.printf("%d tables maintained in %.1f s; %d snapshots kept for recent runs and issued extracts%n", results.size(),
        total.toMillis() / 1000.0, keep.size());
    log.info("lake maintained: {} tables in {} ms, {} snapshots expired, {} files compacted", results.size(), total.toMillis(),
        results.stream().mapToInt(LakeMaintenance.TableResult::snapshotsExpired).sum(),
        results.stream().mapToInt(LakeMaintenance.TableResult::filesRewritten).sum());
    return results;
  }
}
