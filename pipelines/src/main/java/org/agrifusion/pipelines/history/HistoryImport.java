package org.agrifusion.pipelines.history;

import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.agrifusion.pipelines.fuse.Deduplication;
import org.agrifusion.pipelines.fuse.FusePipeline;
import org.agrifusion.pipelines.fuse.Marts;
import org.agrifusion.pipelines.fuse.Parcels;
import org.agrifusion.pipelines.fuse.RegionTable;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.LakeTable;
import org.agrifusion.pipelines.lake.TableId;
import org.agrifusion.pipelines.lake.Tables;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.reference.RegionCatalog;
import org.agrifusion.pipelines.source.RawColumns;
import org.agrifusion.pipelines.source.RawIngest;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.spark.Kept;
import org.agrifusion.pipelines.standardise.Quarantine;
import org.agrifusion.pipelines.standardise.RecordStandard;
import org.agrifusion.pipelines.standardise.Standardiser;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One multi-day file of one feed (a price archive, a season of deliveries) through ingest,
 * standardise and fuse in one pass, instead of one nightly run per day: every row is filed under its
 * own date ({@link RecordStandard#eventDateColumn}; rows without a readable date, or dated after
 * {@code asOf}, under the {@code asOf} date, quarantined), and every date's partitions and daily marts are written as the
 * nightly job writes them, each table in one commit for all the dates.
 *
 * <ul>
 *   <li>raw.&lt;source&gt;: the dates' partitions hold the file's rows (tagged with a run id starting
 *       {@value RawColumns#IMPORT_RUN_PREFIX}, which the nightly ingest keeps when it finds no landed file for the date);
 *   <li>staging / quarantine: the source's rows of those dates are replaced, other feeds' rows kept;
 *   <li>curated and superseded: those dates fused again from staging, within each day (a record's
 *       versions share its event date), keeping versions later days brought to the dates' records;
 *   <li>derived tables of those dates, for the kind imported (prices: price_daily and spread_daily;
 *       sales and shipments: parcels, flows, spreads, deliveries, up-bound counts). Not
 *       order_fulfilment, which settles orders day by day: re-run a sale date to settle it.
 * </ul>
 *
 * <p>Not applied: the recent-median outlier check of the nightly standardise (it compares a day
 * with the lake's days before it, which an import writes in the same pass); the price bounds are.
 */
public final class HistoryImport {

  /** How far back a row's own date may lie from {@code asOf}: any date a feed can mean. */
  private static final int ANY_DAY_BEFORE = 366 * 100;
  private static final int TOP_REASONS = 10;

  /**
   * Told every date the import will write (its rows' dates and the dates whose marts it derives from
   * them) once they are known from the file, before anything is written: the caller claims them
   * against other writers of those dates, or throws to stop the import with nothing written.
   */
  @FunctionalInterface
  public interface DateClaim {
    void claim(SortedSet<LocalDate> dates);
  }

  /** Rows of one date on each side. */
  public record DateRows(LocalDate date, long read, long accepted, long quarantined) {
    public boolean balanced() {
      return read == accepted + quarantined;
    }
  }

  /**
   * @param dates per date the file's rows fell on, in date order
   * @param topReasons the most frequent quarantine reasons of the import, reason -> rows, most frequent first
   * @param derivedDates the dates whose derived tables were written (the dates, and for sales the
   *     look-back days after them)
   * @param snapshots the last snapshot committed to each table (qualified name -> id)
   */
  public record Result(List<DateRows> dates, Map<String, Long> topReasons, SortedSet<LocalDate> derivedDates,
      Map<String, Long> snapshots) {
    public long read() {
      return dates.stream().mapToLong(DateRows::read).sum();
    }

    public long accepted() {
      return dates.stream().mapToLong(DateRows::accepted).sum();
    }

    public long quarantined() {
      return dates.stream().mapToLong(DateRows::quarantined).sum();
    }

    public List<DateRows> unbalanced() {
      return dates.stream().filter(d -> !d.balanced()).toList();
    }
  }

  private final SparkSession spark;
  private final Lake lake;
  private final SourceDescriptor source;
  private final Map<String, Long> snapshots = new TreeMap<>();

  private HistoryImport(SparkSession spark, Lake lake, SourceDescriptor source) {
    this.spark = spark;
    this.lake = lake;
    this.source = source;
  }

  /**
   * @param asOf the date the file was produced: year-less dates take their year from it, rows dated
   *     after it (beyond the feed's {@code date_window.days_after}) are quarantined, and they and
   *     rows without a readable date are filed under it
   * @param runId must start with {@value RawColumns#IMPORT_RUN_PREFIX}
   * @param claim told the dates to be written before the first write
   */
  public static Result run(SparkSession spark, Lake lake, SourceDescriptor source, String file, LocalDate asOf, String runId,
      byte[] personalDataKey, ReferenceData reference, RegionCatalog regions, FusePipeline.Settings settings, DateClaim claim) {
    if (!runId.startsWith(RawColumns.IMPORT_RUN_PREFIX)) {
      throw new IllegalArgumentException("a history import's run id starts with " + RawColumns.IMPORT_RUN_PREFIX + ": " + runId);
    }
    return new HistoryImport(spark, lake, source).run(file, asOf, runId, personalDataKey, reference, regions, settings, claim);
  }

  private Result run(String file, LocalDate asOf, String runId, byte[] personalDataKey, ReferenceData reference,
      RegionCatalog regions, FusePipeline.Settings settings, DateClaim claim) {
    RecordStandard standard = RecordStandard.of(source.kind(), reference);
    spark.sparkContext().setJobDescription("import-history " + source.id() + " " + file);
    // one file is one read task: spread its rows over the cores before the per-row work
    Dataset<Row> raw = RawIngest.read(spark, source, List.of(file), runId, asOf, personalDataKey)
        .repartition(Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions")));
    SourceDescriptor anyDay = source.withDateWindow(
        new SourceDescriptor.DateWindow(ANY_DAY_BEFORE, source.dateWindow().daysAfter()));
    // a date past the window is no date to file anything under (its row is quarantined for it)
    Column asOfDate = lit(java.sql.Date.valueOf(asOf));
    Column latest = lit(java.sql.Date.valueOf(asOf.plusDays(source.dateWindow().daysAfter())));
    Column ownDate = standard.eventDateColumn().map(c -> when(col(c).leq(latest), col(c)).otherwise(asOfDate)).orElse(asOfDate);
    Dataset<Row> standardised = Kept.keep(Standardiser.standardise(raw, anyDay, standard, asOf)
        .withColumn(Lake.PARTITION_COLUMN, ownDate));
    SortedSet<LocalDate> dates;
    SortedSet<LocalDate> derived;
    try {
      dates = dates(standardised);
      if (dates.isEmpty()) {
        return new Result(List.of(), Map.of(), Collections.emptySortedSet(), Map.of());
      }
      derived = new TreeSet<>(dates);
      if (source.kind() == RecordKind.SALE) {
        // an order is matched to the waybills of the look-back days after it
        dates.forEach(d -> d.datesUntil(d.plusDays(settings.targets().lookbackDays() + 1L)).forEach(derived::add));
      }
      claim.claim(Collections.unmodifiableSortedSet(derived));
      Column[] rawColumns = java.util.Arrays.stream(raw.columns())
          .map(c -> source.columns().contains(c) ? col(Standardiser.rawColumn(c)).as(c) : col(c)).toArray(Column[]::new);
      commit(lake.raw(source.id()), standardised.select(rawColumns), dates);
      replaceSourceRows(lake.staging(source.kind()), Standardiser.accepted(standardised, standard), dates);
      replaceSourceRows(lake.quarantine(source.kind()), Quarantine.rows(standardised, source), dates);
    } finally {
      Kept.release(standardised);
    }
    List<DateRows> rows = account(dates, runId);
    fuse(source.kind(), dates, settings);
    derive(source.kind(), derived, regions, settings.targets());
    return new Result(rows, topReasons(dates, runId), Collections.unmodifiableSortedSet(derived),
        Collections.unmodifiableMap(snapshots));
  }

  private static SortedSet<LocalDate> dates(Dataset<Row> rows) {
    SortedSet<LocalDate> dates = new TreeSet<>();
    rows.select(col(Lake.PARTITION_COLUMN)).distinct().collectAsList().forEach(r -> dates.add(r.getDate(0).toLocalDate()));
    return dates;
  }

  /** The source's rows of the dates become {@code rows}; other feeds' rows of those dates stay. */
  private void replaceSourceRows(TableId table, Dataset<Row> rows, SortedSet<LocalDate> dates) {
    Dataset<Row> others = inDates(table, dates).map(d -> d.where(col(RawColumns.SOURCE_ID).notEqual(lit(source.id()))))
        .map(d -> rows.unionByName(d, true)).orElse(rows);
    commit(table, others, dates);
  }

  /** Per date, rows read, accepted and quarantined, read back from what was written (one row per date is collected). */
  private List<DateRows> account(SortedSet<LocalDate> dates, String runId) {
    Function<TableId, Dataset<Row>> ofThisRun = table -> inDates(table, dates).orElseThrow()
        .where(col(RawColumns.SOURCE_ID).equalTo(lit(source.id())).and(col(RawColumns.RUN_ID).equalTo(lit(runId))));
    Dataset<Row> read = perDate(ofThisRun.apply(lake.raw(source.id())), "read");
    Dataset<Row> accepted = inDates(lake.staging(source.kind()), dates).isPresent()
        ? perDate(ofThisRun.apply(lake.staging(source.kind())), "accepted") : read.limit(0).withColumnRenamed("read", "accepted");
    Dataset<Row> quarantined = inDates(lake.quarantine(source.kind()), dates).isPresent()
        ? perDate(ofThisRun.apply(lake.quarantine(source.kind())), "quarantined")
        : read.limit(0).withColumnRenamed("read", "quarantined");
    List<DateRows> rows = new ArrayList<>();
    read.join(accepted, new String[] {Lake.PARTITION_COLUMN}, "full_outer")
        .join(quarantined, new String[] {Lake.PARTITION_COLUMN}, "full_outer")
        .select(col(Lake.PARTITION_COLUMN), coalesce(col("read"), lit(0L)), coalesce(col("accepted"), lit(0L)),
            coalesce(col("quarantined"), lit(0L)))
        .orderBy(Lake.PARTITION_COLUMN)
        .collectAsList()
        .forEach(r -> rows.add(new DateRows(r.getDate(0).toLocalDate(), r.getLong(1), r.getLong(2), r.getLong(3))));
    return rows;
  }

  private Map<String, Long> topReasons(SortedSet<LocalDate> dates, String runId) {
    Map<String, Long> reasons = new java.util.LinkedHashMap<>();
    inDates(lake.quarantine(source.kind()), dates).ifPresent(q -> q
        .where(col(RawColumns.SOURCE_ID).equalTo(lit(source.id())).and(col(RawColumns.RUN_ID).equalTo(lit(runId))))
        .select(explode(array_distinct(col(Standardiser.REASONS))).as("reason"))
        .groupBy("reason").count()
        .orderBy(col("count").desc(), col("reason"))
        .limit(TOP_REASONS)
        .collectAsList()
        .forEach(r -> reasons.put(r.getString(0), r.getLong(1))));
    return Collections.unmodifiableMap(reasons);
  }

  private static Dataset<Row> perDate(Dataset<Row> rows, String name) {
    return rows.groupBy(Lake.PARTITION_COLUMN).agg(count(lit(1)).as(name));
  }

  /**
   * The dates' curated and superseded partitions of the kind, fused again from all of their feeds'
   * staging rows, day by day: as the nightly fuse, except that no version is carried to an earlier
   * day (an import files a record's versions under its own date). Versions that later days already
   * brought to these dates' records stay, as on a nightly re-run.
   */
  private void fuse(RecordKind kind, SortedSet<LocalDate> dates, FusePipeline.Settings settings) {
    spark.sparkContext().setJobDescription("import-history fuse " + kind.dataset());
    TableId curated = lake.table(LakeTable.of(kind));
    TableId superseded = lake.superseded(kind);
    Optional<Dataset<Row>> staged = inDates(lake.staging(kind), dates);
    if (staged.isEmpty()) {
      clear(curated, dates);
      clear(superseded, dates);
      return;
    }
    Dataset<Row> ranked = Kept.keep(Deduplication.ranked(staged.get(), settings.sourcePriority()));
    try {
      Column ownDay = col(Lake.PARTITION_COLUMN);
      Dataset<Row> fused = Deduplication.fused(ranked).withColumn(FusePipeline.REPORTED_DATE, ownDay);
      Dataset<Row> losers = Deduplication.superseded(ranked).withColumn(FusePipeline.REPORTED_DATE, ownDay);
      Optional<Dataset<Row>> newer = inDates(curated, dates).map(d -> d.where(col(FusePipeline.REPORTED_DATE).gt(ownDay)));
      if (newer.isPresent()) {
        fused = fused.join(newer.get().select(col(Standardiser.RECORD_ID).as("_n"), col(Lake.PARTITION_COLUMN).as("_nd")),
                col(Standardiser.RECORD_ID).equalTo(col("_n")).and(ownDay.equalTo(col("_nd"))), "left_anti")
            .unionByName(newer.get(), true);
      }
      Optional<Dataset<Row>> replacedByLaterDays = inDates(superseded, dates)
          .map(d -> d.where(col(FusePipeline.REPORTED_DATE).lt(ownDay)));
      commit(curated, fused, dates);
      commit(superseded, replacedByLaterDays.map(d -> losers.unionByName(d, true)).orElse(losers), dates);
    } finally {
      Kept.release(ranked);
    }
  }

  /** The derived tables of the dates that depend on the kind imported. */
  private void derive(RecordKind kind, SortedSet<LocalDate> dates, RegionCatalog regions, Parcels.Targets targets) {
    spark.sparkContext().setJobDescription("import-history marts " + kind.dataset());
    Optional<Dataset<Row>> prices = inDates(lake.table(LakeTable.PRICE_OBSERVATION), dates);
    Optional<Dataset<Row>> sales = inDates(lake.table(LakeTable.SALE), dates);
    if (kind == RecordKind.PRICE || kind == RecordKind.SALE) {
      derived(LakeTable.SPREAD_DAILY, sales.flatMap(s -> prices.map(p -> Marts.spreadDaily(s, p))), dates);
    }
    if (kind == RecordKind.PRICE) {
      derived(LakeTable.PRICE_DAILY, prices.map(Marts::priceDaily), dates);
    }
    if (kind == RecordKind.SALE) {
      derived(LakeTable.FLOW_DAILY, sales.map(Marts::flowDaily), dates);
    }
    if (kind == RecordKind.SALE || kind == RecordKind.SHIPMENT) {
      Optional<Dataset<Row>> shipments = inDates(lake.table(LakeTable.SHIPMENT), dates);
      Dataset<Row> orders = Tables.readRange(spark, lake.table(LakeTable.SALE), dates.first().minusDays(targets.lookbackDays()),
          dates.last()).orElseGet(() -> Parcels.noSales(spark));
      derived(LakeTable.PARCEL, shipments.map(s -> Parcels.derive(s, orders, RegionTable.of(spark, regions), targets)), dates);
      Optional<Dataset<Row>> parcels = inDates(lake.table(LakeTable.PARCEL), dates);
      derived(LakeTable.DELIVERY_DAILY, parcels.map(Marts::deliveryDaily), dates);
      derived(LakeTable.UPBOUND_DAILY, parcels.map(Marts::upboundDaily), dates);
      for (LocalDate month : dates.stream().map(d -> d.withDayOfMonth(1)).collect(java.util.stream.Collectors.toCollection(TreeSet::new))) {
        TableId monthly = lake.table(LakeTable.UPBOUND_MONTHLY);
        String value = month.toString().substring(0, 7);
        Optional<Dataset<Row>> daily = Tables.readRange(spark, lake.table(LakeTable.UPBOUND_DAILY), month,
            month.withDayOfMonth(month.lengthOfMonth()));
        if (daily.isPresent()) {
          snapshots.put(monthly.qualifiedName(), Tables.replace(Marts.upboundMonthly(daily.get()), monthly, value));
        } else {
          Tables.clear(spark, monthly, value).ifPresent(s -> snapshots.put(monthly.qualifiedName(), s));
        }
      }
    }
  }

  private void derived(LakeTable table, Optional<Dataset<Row>> rows, SortedSet<LocalDate> dates) {
    TableId id = lake.table(table);
    if (rows.isPresent()) {
      commit(id, rows.get(), dates);
    } else {
      clear(id, dates);
    }
  }

  /** The table's rows of the dates, as one pruned scan; empty when it holds none. */
  private Optional<Dataset<Row>> inDates(TableId table, SortedSet<LocalDate> dates) {
    Column in = col(Lake.PARTITION_COLUMN).isin(dates.stream().map(java.sql.Date::valueOf).toArray());
    return Tables.readRange(spark, table, dates.first(), dates.last()).map(d -> d.where(in));
  }

  private void commit(TableId table, Dataset<Row> rows, SortedSet<LocalDate> dates) {
    snapshots.put(table.qualifiedName(), Tables.replaceDates(rows, table, dates));
  }

  private void clear(TableId table, SortedSet<LocalDate> dates) {
    Tables.clearDates(spark, table, dates).ifPresent(s -> snapshots.put(table.qualifiedName(), s));
  }
}
