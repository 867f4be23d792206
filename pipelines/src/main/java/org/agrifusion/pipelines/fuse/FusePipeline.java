package org.agrifusion.pipelines.fuse;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.LakeTable;
import org.agrifusion.pipelines.lake.TableId;
import org.agrifusion.pipelines.lake.Tables;
import org.agrifusion.pipelines.reference.RegionCatalog;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.spark.Kept;
import org.agrifusion.pipelines.standardise.Standardiser;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The fuse stage of one business date, from the day's accepted rows (staging) to the curated
 * records, parcels and marts, each committed to its Iceberg table.
 *
 * <ol>
 *   <li>De-duplication within the day ({@link Deduplication}); losing versions go to superseded.
 *   <li>Across days, for the kinds whose records change state ({@link #CARRIED_OVER}: a waybill in
 *       transit on D and signed on D+2, an order paid then refunded): a record already curated on
 *       one of the {@code lateHorizonDays} days before keeps its home date, and the newer version
 *       replaces it there by record id (the home dates' partitions rewritten in one commit) instead
 *       of being added again; the replaced version goes to superseded; an identical re-send changes
 *       nothing. Each row says in {@value #REPORTED_DATE} which day's feed its version came from, so
 *       re-running the home date keeps a newer version a later day brought, and re-running the late
 *       date leaves the same rows (see {@link #carryOver}).
 *   <li>The derived tables of the date, and of every earlier date a late version touched (and the
 *       look-back days after it that read it): parcels, order fulfilment and the marts.
 * </ol>
 */
public final class FusePipeline {

  /** The business date of the delivery a record's version came from. */
  public static final String REPORTED_DATE = "reported_date";
  static final Set<RecordKind> CARRIED_OVER = EnumSet.of(RecordKind.SALE, RecordKind.SHIPMENT);

  /**
   * @param sourcePriority which feed wins when two send different versions on one day
   * @param lateHorizonDays how many days back a re-sent record is looked for
   */
  public record Settings(Map<String, Integer> sourcePriority, Parcels.Targets targets, int lateHorizonDays) {}

  /**
   * Per kind: accepted rows in, records out, what happened to the other versions.
   *
   * @param superseded rows the date's superseded partition holds: versions that lost within the day,
   *     and earlier days' versions this date's versions replaced
   * @param lateUpdates records whose home row, on an earlier day, carries this date's version
   * @param resent records re-sent unchanged after an earlier day
   */
  public record Dedup(long accepted, long fused, long merged, long superseded, long conflicts, long lateUpdates, long resent) {}

  /**
   * @param touchedDates earlier dates whose derived tables this run recomputed: the home dates whose
   *     rows late versions changed (on a re-run, also those its previous run changed) and the
   *     look-back days after them
   * @param derivedRows rows of each derived table for the business date
   * @param snapshots the last snapshot this stage committed to each table
   */
  public record Result(Map<RecordKind, Dedup> dedup, Map<String, Long> derivedRows, SortedSet<LocalDate> touchedDates,
      Map<String, Long> snapshots) {
    public long accepted() {
      return dedup.values().stream().mapToLong(Dedup::accepted).sum();
    }

    public long fused() {
      return dedup.values().stream().mapToLong(Dedup::fused).sum();
    }
  }

  private final SparkSession spark;
  private final Lake lake;
  private final RegionCatalog regions;
  private final Settings settings;
  private final Map<String, Long> snapshots = new LinkedHashMap<>();

  private FusePipeline(SparkSession spark, Lake lake, RegionCatalog regions, Settings settings) {
    this.spark = spark;
    this.lake = lake;
    this.regions = regions;
    this.settings = settings;
  }

  public static Result run(SparkSession spark, Lake lake, RegionCatalog regions, LocalDate date, Settings settings) {
    return new FusePipeline(spark, lake, regions, settings).run(date);
  }

  private Result run(LocalDate date) {
    Map<RecordKind, Dedup> dedup = new LinkedHashMap<>();
    SortedSet<LocalDate> touched = new TreeSet<>();
    for (RecordKind kind : RecordKind.values()) {
      spark.sparkContext().setJobDescription("fuse " + kind.dataset() + " " + date);
      dedup.put(kind, deduplicate(kind, date, touched));
    }
    SortedSet<LocalDate> derive = new TreeSet<>();
    derive.add(date);
    // a late version on t changes the parcels and settlements of t and of the look-back days after it
    int lookback = settings.targets().lookbackDays();
    touched.forEach(t -> t.datesUntil(min(t.plusDays(lookback + 1L), date)).forEach(derive::add));
    Map<String, Long> derived = new LinkedHashMap<>();
    for (LocalDate day : derive) {
      spark.sparkContext().setJobDescription("fuse parcels and marts " + day + " (run of " + date + ")");
      Map<String, Long> rows = deriveDay(day);
      if (day.equals(date)) {
        derived.putAll(rows);
      }
    }
    for (LocalDate month : derive.stream().map(d -> d.withDayOfMonth(1)).collect(java.util.stream.Collectors.toCollection(TreeSet::new))) {
      long rows = upboundMonthly(month);
      if (month.equals(date.withDayOfMonth(1))) {
        derived.put(LakeTable.UPBOUND_MONTHLY.table(), rows);
      }
    }
    derive.remove(date);
    return new Result(dedup, derived, derive, Map.copyOf(snapshots));
  }

  private static LocalDate min(LocalDate a, LocalDate b) {
    return a.isBefore(b) ? a : b;
  }

  private Dedup deduplicate(RecordKind kind, LocalDate date, Set<LocalDate> touched) {
    TableId curated = lake.table(LakeTable.of(kind));
    TableId superseded = lake.superseded(kind);
    boolean carried = CARRIED_OVER.contains(kind) && settings.lateHorizonDays() > 0;
    Optional<Dataset<Row>> staged = Tables.read(spark, lake.staging(kind), date);
    if (staged.isEmpty() && !(carried && Tables.exists(spark, curated))) {
      clear(curated, date.toString());
      clear(superseded, date.toString());
      return new Dedup(0, 0, 0, 0, 0, 0, 0);
    }
    // a day without rows still gives back what its previous run merged into earlier days
    Dataset<Row> accepted = staged.orElseGet(() -> spark.read().table(curated.identifier())
        .drop(REPORTED_DATE, Deduplication.REPORTED_BY, Deduplication.CONFLICT).where(lit(false)));
    Dataset<Row> ranked = Kept.keep(Deduplication.ranked(accepted, settings.sourcePriority()));
    try {
      Column reported = lit(java.sql.Date.valueOf(date));
      Dataset<Row> fused = Deduplication.fused(ranked).withColumn(REPORTED_DATE, reported);
      Dataset<Row> losers = Deduplication.superseded(ranked).withColumn(REPORTED_DATE, reported);
      long inDayLosers = losers.count();
      long lateUpdates = 0;
      long resent = 0;
      if (carried) {
        CarriedOver carriedOver = carryOver(curated, superseded, fused, date);
        commit(curated, date.toString(), carriedOver.today());
        carriedOver.afterToday().run();
        losers = losers.unionByName(carriedOver.superseded(), true);
        lateUpdates = carriedOver.lateCount();
        resent = carriedOver.resentCount();
        touched.addAll(carriedOver.homeDates());
      } else {
        commit(curated, date.toString(), fused);
      }
      long supersededRows = commit(superseded, date.toString(), losers);
      long in = accepted.count();
      long out = fused.count();
      long conflicts = fused.where(col(Deduplication.CONFLICT)).count();
      return new Dedup(in, out, in - out - inDayLosers, supersededRows, conflicts, lateUpdates, resent);
    } finally {
      Kept.release(ranked);
    }
  }

  /**
   * Today's records split by where they belong.
   *
   * @param today the rows of the business date's partition: new records, and records this date is
   *     home to whose newer version a later day already brought (kept as they are)
   * @param superseded the earlier days' versions this date's versions replace (on a re-run: those
   *     its previous run replaced, for the records whose home row still carries this date's version)
   * @param afterToday run once today's rows are committed: writes this date's versions over their
   *     home rows, gives back the replaced version of a record this date no longer reports, and
   *     releases the cached home rows
   * @param lateCount records whose home row (on an earlier day) carries this date's version
   * @param resentCount records re-sent unchanged
   * @param homeDates the earlier days whose rows this date's versions changed, or re-derived on a re-run
   */
  private record CarriedOver(Dataset<Row> today, Dataset<Row> superseded, Runnable afterToday, long lateCount, long resentCount,
      Set<LocalDate> homeDates) {}

  /**
   * Where each of the date's versions goes, by the home row its record already has on one of the
   * {@code lateHorizonDays} days before and the date that row's version was reported on:
   * <ul>
   *   <li>none: the record belongs to this date;
   *   <li>reported earlier: a late version; a different one replaces the home row (the replaced row
   *       goes to superseded), an identical one changes nothing (resent);
   *   <li>reported on this date: this date's previous run merged it; it is written again if it
   *       changed, and the version it replaced stays in superseded; a record this date no longer
   *       reports gets that version back;
   *   <li>reported later: a later day already brought a newer version; this one changes nothing.
   * </ul>
   */
  private CarriedOver carryOver(TableId curated, TableId superseded, Dataset<Row> fused, LocalDate date) {
    Column thisDate = lit(java.sql.Date.valueOf(date));
    Dataset<Row> today = fused;
    Dataset<Row> replaced = fused.where(lit(false));
    Runnable after = () -> { };
    long late = 0;
    long resent = 0;
    Set<LocalDate> homeDates = new TreeSet<>();
    Optional<Dataset<Row>> before = Tables.readRange(spark, curated, date.minusDays(settings.lateHorizonDays()), date.minusDays(1));
    if (before.isPresent()) {
      Dataset<Row> versions = fused.select(col(Standardiser.RECORD_ID).as("_id"), col(Standardiser.CONTENT_HASH).as("_hash"));
      Dataset<Row> homes = before.get().join(versions, col(Standardiser.RECORD_ID).equalTo(col("_id")), "left")
          .where(col("_id").isNotNull().or(col(REPORTED_DATE).equalTo(thisDate)))
          .persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> reportedEarlier = homes.where(col("_id").isNotNull().and(col(REPORTED_DATE).lt(thisDate)));
      Dataset<Row> changed = reportedEarlier.where(col(Standardiser.CONTENT_HASH).notEqual(col("_hash")));
      Dataset<Row> mineBefore = homes.where(col(REPORTED_DATE).equalTo(thisDate));
      resent = reportedEarlier.count() - changed.count();
      late = changed.count() + mineBefore.where(col("_id").isNotNull()).count();

      // the versions this date's previous run replaced, still replaced while a home row carries this date's or a later version
      Dataset<Row> previouslyReplaced = Tables.read(spark, superseded, date)
          .map(s -> s.where(col(REPORTED_DATE).lt(thisDate)))
          .orElseGet(() -> before.get().where(lit(false)));
      Dataset<Row> kept = previouslyReplaced.join(homes.where(col("_id").isNotNull().and(col(REPORTED_DATE).geq(thisDate)))
          .select(col(Standardiser.RECORD_ID).as("_k")), col(Standardiser.RECORD_ID).equalTo(col("_k")), "left_semi");
      replaced = changed.drop("_id", "_hash").withColumn(Lake.PARTITION_COLUMN, thisDate).unionByName(kept, true);

      // new home rows: this date's changed versions, and the replaced version of a record this date no longer reports
      Dataset<Row> homeOf = homes.select(col(Standardiser.RECORD_ID).as("_h"), col(Lake.PARTITION_COLUMN).as("_home"));
      Dataset<Row> rewritten = fused.join(changed.select(col("_id")).unionByName(
              mineBefore.where(col("_id").isNotNull().and(col(Standardiser.CONTENT_HASH).notEqual(col("_hash")))).select(col("_id"))),
              col(Standardiser.RECORD_ID).equalTo(col("_id")), "left_semi")
          .unionByName(previouslyReplaced.join(mineBefore.where(col("_id").isNull())
              .select(col(Standardiser.RECORD_ID).as("_g")), col(Standardiser.RECORD_ID).equalTo(col("_g")), "left_semi"), true)
          .join(homeOf, col(Standardiser.RECORD_ID).equalTo(col("_h")))
          .withColumn(Lake.PARTITION_COLUMN, col("_home"))
          .drop("_h", "_home")
          .persist(StorageLevel.MEMORY_AND_DISK());
      Set<LocalDate> rewrittenDates = dates(rewritten);
      // a re-run re-derives the days its previous run changed, in case that run stopped before deriving them
      homeDates.addAll(rewrittenDates);
      homeDates.addAll(dates(mineBefore));
      after = () -> {
        if (!rewrittenDates.isEmpty()) {
          rewriteHomes(curated, before.get(), rewritten, rewrittenDates);
        }
        rewritten.unpersist();
        homes.unpersist();
      };
      today = fused.join(homes.where(col("_id").isNotNull()).select(col("_id").as("_e")), col(Standardiser.RECORD_ID).equalTo(col("_e")),
          "left_anti");
    }
    // a re-run of this date keeps the versions later days brought to its records
    Optional<Dataset<Row>> mine = Tables.read(spark, curated, date);
    if (mine.isPresent()) {
      Dataset<Row> newer = mine.get().where(col(REPORTED_DATE).gt(thisDate));
      today = today.join(newer.select(col(Standardiser.RECORD_ID).as("_n")), col(Standardiser.RECORD_ID).equalTo(col("_n")), "left_anti")
          .unionByName(newer, true);
    }
    return new CarriedOver(today, replaced, after, late, resent, homeDates);
  }

  private static Set<LocalDate> dates(Dataset<Row> rows) {
    Set<LocalDate> dates = new TreeSet<>();
    rows.select(col(Lake.PARTITION_COLUMN)).distinct().collectAsList().forEach(r -> dates.add(r.getDate(0).toLocalDate()));
    return dates;
  }

  /**
   * Replaces the home rows of the changed records in one commit: the home dates' partitions, as read
   * before this run changed anything, with the changed records' rows swapped in.
   */
  private void rewriteHomes(TableId curated, Dataset<Row> before, Dataset<Row> changed, Set<LocalDate> homes) {
    Column inHomes = col(Lake.PARTITION_COLUMN).isin(homes.stream().map(java.sql.Date::valueOf).toArray());
    Column[] columns = java.util.Arrays.stream(before.columns()).map(c -> col(c)).toArray(Column[]::new);
    Dataset<Row> rows = before.where(inHomes)
        .join(changed.select(col(Standardiser.RECORD_ID).as("_c")), col(Standardiser.RECORD_ID).equalTo(col("_c")), "left_anti")
        .select(columns)
        .unionByName(changed.select(columns));
    try {
      rows.writeTo(curated.identifier()).overwrite(inHomes);
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new IllegalStateException(curated + " disappeared while late versions were written", e);
    }
    snapshots.put(curated.qualifiedName(), Tables.snapshot(spark, curated).orElseThrow());
  }

  /** Parcels, order fulfilment and daily marts of one day, from its curated records; rows per table. */
  private Map<String, Long> deriveDay(LocalDate day) {
    Map<String, Long> rows = new LinkedHashMap<>();
    String value = day.toString();
    Optional<Dataset<Row>> shipments = Tables.read(spark, lake.table(LakeTable.SHIPMENT), day);
    Optional<Dataset<Row>> sales = Tables.read(spark, lake.table(LakeTable.SALE), day);
    Optional<Dataset<Row>> prices = Tables.read(spark, lake.table(LakeTable.PRICE_OBSERVATION), day);
    int lookback = settings.targets().lookbackDays();

    Optional<Dataset<Row>> parcels = shipments.map(s -> Parcels.derive(s,
        Tables.readRange(spark, lake.table(LakeTable.SALE), day.minusDays(lookback), day).orElseGet(() -> Parcels.noSales(spark)),
        RegionTable.of(spark, regions), settings.targets()));
    rows.put(LakeTable.PARCEL.table(), commit(lake.table(LakeTable.PARCEL), value, parcels.orElse(null)));
    Optional<Dataset<Row>> committedParcels = Tables.read(spark, lake.table(LakeTable.PARCEL), day);
    rows.put(LakeTable.DELIVERY_DAILY.table(), commit(lake.table(LakeTable.DELIVERY_DAILY), value,
        committedParcels.map(Marts::deliveryDaily).orElse(null)));
    rows.put(LakeTable.UPBOUND_DAILY.table(), commit(lake.table(LakeTable.UPBOUND_DAILY), value,
        committedParcels.map(Marts::upboundDaily).orElse(null)));

    // the orders placed N days ago, whose waybills had their N days to arrive, published under this day
    LocalDate orderDate = day.minusDays(lookback);
    Optional<Dataset<Row>> settled = Tables.read(spark, lake.table(LakeTable.SALE), orderDate).map(orders -> Fulfilment.settle(orders,
            Tables.readRange(spark, lake.table(LakeTable.SHIPMENT), orderDate, day).orElseGet(() -> Fulfilment.noWaybills(spark)), orderDate)
        .withColumn(Lake.PARTITION_COLUMN, lit(java.sql.Date.valueOf(day))));
    rows.put(LakeTable.ORDER_FULFILMENT.table(), commit(lake.table(LakeTable.ORDER_FULFILMENT), value, settled.orElse(null)));

    rows.put(LakeTable.PRICE_DAILY.table(), commit(lake.table(LakeTable.PRICE_DAILY), value, prices.map(Marts::priceDaily).orElse(null)));
    rows.put(LakeTable.FLOW_DAILY.table(), commit(lake.table(LakeTable.FLOW_DAILY), value, sales.map(Marts::flowDaily).orElse(null)));
    rows.put(LakeTable.SPREAD_DAILY.table(), commit(lake.table(LakeTable.SPREAD_DAILY), value,
        sales.flatMap(s -> prices.map(p -> Marts.spreadDaily(s, p))).orElse(null)));
    return rows;
  }

  /** The month's upbound_monthly partition, summed from its upbound_daily rows (one pruned scan). */
  private long upboundMonthly(LocalDate month) {
    Optional<Dataset<Row>> daily = Tables.readRange(spark, lake.table(LakeTable.UPBOUND_DAILY), month,
        month.withDayOfMonth(month.lengthOfMonth()));
    return commit(lake.table(LakeTable.UPBOUND_MONTHLY), month.toString().substring(0, 7), daily.map(Marts::upboundMonthly).orElse(null));
  }

  /** Replaces the partition with the rows (null: empties it) and returns how many rows it now holds. */
  private long commit(TableId table, String value, Dataset<Row> rows) {
    if (rows == null) {
      clear(table, value);
      return 0;
    }
    snapshots.put(table.qualifiedName(), Tables.replace(rows, table, value));
    return Tables.read(spark, table, value).map(Dataset::count).orElse(0L);
  }

  private void clear(TableId table, String value) {
    Tables.clear(spark, table, value).ifPresent(s -> snapshots.put(table.qualifiedName(), s));
  }
}
