package org.agrifusion.pipelines.lake;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.DeleteOrphanFiles;
import org.apache.iceberg.actions.ExpireSnapshots;
import org.apache.iceberg.actions.RewriteDataFiles;
import org.apache.iceberg.actions.SizeBasedFileRewritePlanner;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;

/**
 * Keeps every table of the lake ({@link LakeInventory#tables}) small and fast, table by table:
 *
 * <ol>
 *   <li><b>compact</b>: a partition made of many small files (one per task of every re-run) is
 *       rewritten into files of about the target size, in one commit that changes no row; the
 *       table's write properties apply, so the new files are zstd Parquet too;
 *   <li><b>expire</b> the snapshots older than the retention, except the current one, those in the
 *       keep-set (what recent runs published, what issued extracts were cut from) and those a tag or
 *       branch names; Iceberg then deletes the files no remaining snapshot references;
 *   <li><b>remove orphan files</b>: files in the table's folder that no snapshot references (left
 *       by a killed write), when older than a safety age, since a younger one may belong to a
 *       commit in progress.
 * </ol>
 *
 * Compaction runs first so that, once its predecessor snapshots age out, the files it replaced go
 * in the same pass as any other expired file. Run it when no job writes the lake: a compaction
 * racing a date's replace fails its commit (and is simply retried next time).
 */
public final class LakeMaintenance {

  /**
   * How long the history is kept.
   *
   * @param expireAfterDays snapshots committed longer ago than this are expired (0: all but the kept ones)
   * @param keepSnapshots snapshot ids never expired, whatever their age (ids are unique across tables)
   * @param orphanAfterHours unreferenced files younger than this are left alone
   */
  public record Retention(int expireAfterDays, Set<Long> keepSnapshots, int orphanAfterHours) {

    public static final int DEFAULT_ORPHAN_AFTER_HOURS = 72;

    public Retention {
      if (expireAfterDays < 0) {
        throw new IllegalArgumentException("snapshot retention must be 0 days or more, not " + expireAfterDays);
      }
      if (orphanAfterHours < 1) {
        throw new IllegalArgumentException("orphan files must be at least 1 hour old to be removed, not " + orphanAfterHours);
      }
      keepSnapshots = Set.copyOf(keepSnapshots);
    }
  }

  /**
   * How small files are merged.
   *
   * @param targetFileSizeBytes the size the rewritten files aim at
   * @param minInputFiles a partition is rewritten when it has at least this many files too small
   *     for the target (or when they add up to more than one target file)
   */
  public record Compaction(long targetFileSizeBytes, int minInputFiles) {

    public static final Compaction DEFAULT = new Compaction(128L << 20, 5);

    public Compaction {
      if (targetFileSizeBytes < 1 << 20) {
        throw new IllegalArgumentException("compaction target must be at least 1 MiB, not " + targetFileSizeBytes + " bytes");
      }
      if (minInputFiles < 2) {
        throw new IllegalArgumentException("compaction needs at least 2 input files, not " + minInputFiles);
      }
    }
  }

  /**
   * What maintenance did to one table, and how long each part took.
   *
   * @param snapshotsExpired snapshots removed from the table's history
   * @param snapshotsLeft snapshots still in it
   * @param expiredFilesDeleted data and delete files that only expired snapshots referenced
   * @param orphanFilesRemoved files no snapshot referenced
   * @param filesRewritten small data files compaction replaced
   * @param filesAdded the files that replaced them
   * @param bytesRewritten the size of the replaced files
   */
  public record TableResult(TableId table, int snapshotsExpired, int snapshotsLeft, long expiredFilesDeleted,
      long orphanFilesRemoved, int filesRewritten, int filesAdded, long bytesRewritten,
      Duration compactTime, Duration expireTime, Duration orphanTime) {

    public Duration time() {
      return compactTime.plus(expireTime).plus(orphanTime);
    }
  }

  private LakeMaintenance() {}

  /**
   * Maintains every table of the lake.
   *
   * @param now the time retention is counted from (the clock, except in tests)
   */
  public static List<TableResult> run(SparkSession spark, Lake lake, Retention retention, Compaction compaction, Instant now) {
    return LakeInventory.tables(spark, lake).stream().map(t -> maintain(spark, lake, t, retention, compaction, now)).toList();
  }

  /** Maintains one table. */
  public static TableResult maintain(SparkSession spark, Lake lake, TableId id, Retention retention, Compaction compaction,
      Instant now) {
    Table table = LakeInventory.load(spark, lake, id);
    SparkActions actions = SparkActions.get(spark);
    try {
      Timed<RewriteDataFiles.Result> compacted = timed(() -> table.currentSnapshot() == null ? null
          : actions.rewriteDataFiles(table).binPack()
              .option(RewriteDataFiles.TARGET_FILE_SIZE_BYTES, Long.toString(compaction.targetFileSizeBytes()))
              .option(SizeBasedFileRewritePlanner.MIN_INPUT_FILES, Integer.toString(compaction.minInputFiles()))
              .execute());

      table.refresh();
      int before = size(table.snapshots());
      Set<Long> expirable = expirable(table, retention.keepSnapshots(), now.minus(Duration.ofDays(retention.expireAfterDays())));
      Timed<ExpireSnapshots.Result> expired = timed(() -> expirable.isEmpty() ? null : expire(actions, table, expirable));
      table.refresh();
      int after = size(table.snapshots());

      long orphanBefore = now.minus(Duration.ofHours(retention.orphanAfterHours())).toEpochMilli();
      Timed<DeleteOrphanFiles.Result> orphans = timed(() -> actions.deleteOrphanFiles(table).olderThan(orphanBefore)
          .option("stream-results", "true").execute());

      RewriteDataFiles.Result c = compacted.value();
      ExpireSnapshots.Result e = expired.value();
      return new TableResult(id, before - after, after,
          e == null ? 0 : e.deletedDataFilesCount() + e.deletedPositionDeleteFilesCount() + e.deletedEqualityDeleteFilesCount(),
          orphans.value().orphanFilesCount(),
          c == null ? 0 : c.rewrittenDataFilesCount(), c == null ? 0 : c.addedDataFilesCount(),
          c == null ? 0 : c.rewrittenBytesCount(),
          compacted.time(), expired.time(), orphans.time());
    } catch (RuntimeException e) {
      throw new IllegalStateException("maintenance of " + id.qualifiedName() + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * The snapshots committed before {@code cutoff} that nothing needs: not the current one, not kept,
   * not named by a tag or branch (Iceberg refuses to expire those).
   */
  static Set<Long> expirable(Table table, Set<Long> keep, Instant cutoff) {
    Snapshot current = table.currentSnapshot();
    Set<Long> referenced = table.refs().values().stream().map(SnapshotRef::snapshotId).collect(Collectors.toSet());
    return StreamSupport.stream(table.snapshots().spliterator(), false)
        .filter(s -> s.timestampMillis() < cutoff.toEpochMilli())
        .map(Snapshot::snapshotId)
        .filter(s -> current == null || s != current.snapshotId())
        .filter(s -> !keep.contains(s) && !referenced.contains(s))
        .collect(Collectors.toSet());
  }

  /**
   * Expires exactly the given snapshots. The explicit "older than" of 0 matters: without it Iceberg
   * also expires every snapshot older than the table's max-snapshot-age (5 days by default),
   * kept ones included.
   */
  private static ExpireSnapshots.Result expire(SparkActions actions, Table table, Set<Long> ids) {
    ExpireSnapshots action = actions.expireSnapshots(table).expireOlderThan(0L).option("stream-results", "true");
    ids.forEach(action::expireSnapshotId);
    return action.execute();
  }

  private static int size(Iterable<Snapshot> snapshots) {
    return (int) StreamSupport.stream(snapshots.spliterator(), false).count();
  }

  private record Timed<T>(T value, Duration time) {}

  private static <T> Timed<T> timed(Supplier<T> step) {
    long start = System.nanoTime();
    T value = step.get();
    return new Timed<>(value, Duration.ofNanos(System.nanoTime() - start));
  }
}
