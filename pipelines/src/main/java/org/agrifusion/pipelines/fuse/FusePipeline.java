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
import org.agrifusion.pipelines.standardise.Standardiser;
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
 *       replaces it there (MERGE INTO by record id) instead of being added again; an identical
 *       re-send changes nothing. Each row says in {@value #REPORTED_DATE} which day's feed its
 *       version came from, so re-running the home date keeps a newer version a later day brought.
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

  /** Per kind: accepted rows in, records out, what happened to the other versions. */
  public record Dedup(long accepted, long fused, long merged, long superseded, long conflicts, long lateUpdates, long resent) {}

  /**
   * @param touchedDates earlier dates whose tables this run changed: the home dates of late versions and
   *     the look-back days after them, whose derived tables were recomputed
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
    Optional<Dataset<Row>> accepted = Tables.read(spark, lake.staging(kind), date);
    if (accepted.isEmpty()) {
      clear(curated, date.toString());
      clear(superseded, date.toString());
      return new Dedup(0, 0, 0, 0, 0, 0, 0);
    }
    Dataset<Row> ranked = Deduplication.ranked(accepted.get(), settings.sourcePriority()).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> fused = Deduplication.fused(ranked).withColumn(REPORTED_DATE, lit(java.sql.Date.valueOf(date)));
      Dataset<Row> losers = Deduplication.superseded(ranked);
      long inDayLosers = losers.count();
      long lateUpdates = 0;
      long resent = 0;
      Dataset<Row> today = fused;
      if (CARRIED_OVER.contains(kind) && settings.lateHorizonDays() > 0) {
        CarriedOver carried = carryOver(curated, fused, date);
        today = carried.today();
        losers = losers.unionByName(carried.replaced().withColumn(Lake.PARTITION_COLUMN, lit(java.sql.Date.valueOf(date))), true)
            .drop(REPORTED_DATE);
        lateUpdates = carried.lateCount();
        resent = carried.resentCount();
        touched.addAll(carried.homeDates());
      }
      commit(curated, date.toString(), today);
      if (lateUpdates > 0) {
        mergeLate(curated, fused, date);
      }
      commit(superseded, date.toString(), losers);
      long in = accepted.get().count();
      long out = fused.count();
      long conflicts = fused.where(col(Deduplication.CONFLICT)).count();
      return new Dedup(in, out, in - out - inDayLosers, inDayLosers + lateUpdates, conflicts, lateUpdates, resent);
    } finally {
      ranked.unpersist();
    }
  }

  /**
   * Today's records split by where they belong.
   *
   * @param today the rows of the business date's partition: new records, and records this date is
   *     home to whose newer version a later day already brought (kept as they are)
   * @param replaced the earlier days' versions a late version replaces
   * @param homeDates the earlier days those are on
   */
  private record CarriedOver(Dataset<Row> today, Dataset<Row> replaced, long lateCount, long resentCount, Set<LocalDate> homeDates) {}

  private CarriedOver carryOver(TableId curated, Dataset<Row> fused, LocalDate date) {
    Dataset<Row> keys = fused.select(col(Standardiser.RECORD_ID).as("_id"), col(Standardiser.CONTENT_HASH).as("_hash"));
    Optional<Dataset<Row>> before = Tables.readRange(spark, curated, date.minusDays(settings.lateHorizonDays()), date.minusDays(1));
    Dataset<Row> today = fused;
    Dataset<Row> replaced = fused.limit(0);
    long late = 0;
    long resent = 0;
    Set<LocalDate> homes = new TreeSet<>();
    if (before.isPresent()) {
      Dataset<Row> earlier = before.get().join(keys, col(Standardiser.RECORD_ID).equalTo(col("_id"))).persist(StorageLevel.MEMORY_AND_DISK());
      today = fused.join(earlier.select(col("_id")), col(Standardiser.RECORD_ID).equalTo(col("_id")), "left_anti");
      replaced = earlier.where(col(Standardiser.CONTENT_HASH).notEqual(col("_hash"))).drop("_id", "_hash");
      late = replaced.count();
      resent = earlier.count() - late;
      replaced.select(col(Lake.PARTITION_COLUMN)).distinct().collectAsList()
          .forEach(r -> homes.add(r.getDate(0).toLocalDate()));
      earlier.unpersist();
    }
    // a re-run of this date keeps the versions later days brought to its records
    Optional<Dataset<Row>> mine = Tables.read(spark, curated, date);
    if (mine.isPresent()) {
      Dataset<Row> newer = mine.get().where(col(REPORTED_DATE).gt(lit(java.sql.Date.valueOf(date))));
      today = today.join(newer.select(col(Standardiser.RECORD_ID).as("_id")), col(Standardiser.RECORD_ID).equalTo(col("_id")), "left_anti")
          .unionByName(newer, true);
    }
    return new CarriedOver(today, replaced, late, resent, homes);
  }

  /** Writes each changed record's newer version over its row on its home date, in one MERGE. */
  private void mergeLate(TableId curated, Dataset<Row> fused, LocalDate date) {
    LocalDate from = date.minusDays(settings.lateHorizonDays());
    Dataset<Row> earlier = Tables.readRange(spark, curated, from, date.minusDays(1)).orElseThrow()
        .select(col(Standardiser.RECORD_ID).as("_id"), col(Lake.PARTITION_COLUMN).as("_home"), col(Standardiser.CONTENT_HASH).as("_old"));
    Dataset<Row> late = fused.join(earlier, col(Standardiser.RECORD_ID).equalTo(col("_id")))
        .where(col(Standardiser.CONTENT_HASH).notEqual(col("_old")))
        .withColumn(Lake.PARTITION_COLUMN, col("_home"))
        .drop("_id", "_home", "_old");
    String view = "agri_late_" + curated.name() + "_" + date.toString().replace('-', '_');
    late.createOrReplaceTempView(view);
    try {
      spark.sql("MERGE INTO " + curated.identifier() + " t USING " + view + " s"
          + " ON t." + Standardiser.RECORD_ID + " = s." + Standardiser.RECORD_ID
          + " AND t." + Lake.PARTITION_COLUMN + " = s." + Lake.PARTITION_COLUMN
          + " AND t." + Lake.PARTITION_COLUMN + " BETWEEN DATE'" + from + "' AND DATE'" + date.minusDays(1) + "'"
          + " WHEN MATCHED THEN UPDATE SET *");
    } finally {
      spark.catalog().dropTempView(view);
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
