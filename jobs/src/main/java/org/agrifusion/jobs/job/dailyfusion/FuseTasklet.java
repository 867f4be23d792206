package org.agrifusion.jobs.job.dailyfusion;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Optional;
import org.agrifusion.jobs.config.AgriProperties;
import org.agrifusion.pipelines.fuse.Deduplication;
import org.agrifusion.pipelines.fuse.Fulfilment;
import org.agrifusion.pipelines.fuse.Marts;
import org.agrifusion.pipelines.fuse.Parcels;
import org.agrifusion.pipelines.fuse.RegionTable;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.Partitions;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.source.RecordKind;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Step fuse: the accepted rows of every feed -> one record per record id (staging/fused/&lt;dataset&gt;,
 * losing versions to superseded/), the day's parcels with delivery figures and their orders, and
 * the marts. Everything is staged; the publish step commits it.
 */
class FuseTasklet implements Tasklet {

  private static final Logger log = LoggerFactory.getLogger(FuseTasklet.class);

  private final ObjectProvider<SparkSession> spark;
  private final Lake lake;
  private final ReferenceData reference;
  private final AgriProperties.Fusion settings;

  FuseTasklet(ObjectProvider<SparkSession> spark, Lake lake, ReferenceData reference, AgriProperties properties) {
    this.spark = spark;
    this.lake = lake;
    this.reference = reference;
    this.settings = properties.fusion();
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext context) {
    LocalDate date = DailyFusionParameters.businessDate(context);
    SparkSession session = spark.getObject();
    // A re-run must not publish what an earlier run of the date staged and this one does not rebuild.
    for (FusedTables table : FusedTables.values()) {
      Partitions.delete(session, table.staged(lake) + "/" + table.partitionColumn + "=" + table.partitionValue(date));
    }
    LinkedHashMap<String, Object> dedup = new LinkedHashMap<>();
    long in = 0;
    long out = 0;
    for (RecordKind kind : RecordKind.values()) {
      session.sparkContext().setJobDescription("fuse " + kind.dataset() + " " + date);
      long[] counts = deduplicate(session, kind, date);
      in += counts[0];
      out += counts[1];
      LinkedHashMap<String, Long> figures = new LinkedHashMap<>();
      figures.put("accepted", counts[0]);
      figures.put("fused", counts[1]);
      figures.put("merged", counts[0] - counts[1] - counts[2]);
      figures.put("superseded", counts[2]);
      figures.put("conflicts", counts[3]);
      dedup.put(kind.dataset(), figures);
    }

    session.sparkContext().setJobDescription("fuse parcels and marts " + date);
    Dataset<Row> prices = staged(session, FusedTables.PRICE_OBSERVATION, date);
    Dataset<Row> sales = staged(session, FusedTables.SALE, date);
    Dataset<Row> shipments = staged(session, FusedTables.SHIPMENT, date);
    LinkedHashMap<String, Long> derived = new LinkedHashMap<>();
    Dataset<Row> stagedParcels = null;
    if (shipments != null) {
      Parcels.Targets targets = new Parcels.Targets(settings.halfDayHours(), settings.nextDayHours(), settings.lookbackDays());
      Dataset<Row> window = salesWindow(session, sales, date);
      Dataset<Row> parcels = Parcels.derive(shipments, window == null ? Parcels.noSales(session) : window,
          RegionTable.of(session, reference.regions()), targets);
      derived.put("parcel", stage(parcels, FusedTables.PARCEL, date));
      stagedParcels = staged(session, FusedTables.PARCEL, date);
      derived.put("delivery_daily", stage(Marts.deliveryDaily(stagedParcels), FusedTables.DELIVERY_DAILY, date));
    }
    Dataset<Row> settled = settleOrders(session, sales, shipments, date);
    if (settled != null) {
      derived.put("order_fulfilment", stage(settled, FusedTables.ORDER_FULFILMENT, date));
    }
    Dataset<Row> month = monthOfParcels(session, stagedParcels, date);
    if (month != null) {
      derived.put("upbound_monthly", stage(Marts.upboundMonthly(month), FusedTables.UPBOUND_MONTHLY, date));
    }
    if (prices != null) {
      derived.put("price_daily", stage(Marts.priceDaily(prices), FusedTables.PRICE_DAILY, date));
    }
    if (sales != null) {
      derived.put("flow_daily", stage(Marts.flowDaily(sales), FusedTables.FLOW_DAILY, date));
      if (prices != null) {
        derived.put("spread_daily", stage(Marts.spreadDaily(sales, prices), FusedTables.SPREAD_DAILY, date));
      }
    }
    StepFigures.record(contribution, in, out, 0);
    StepFigures.detail(context, "deduplication", dedup);
    StepFigures.detail(context, "derivedRows", derived);
    log.info("fused {}: {} accepted rows -> {} records; derived {}", date, in, out, derived);
    return RepeatStatus.FINISHED;
  }

  /** @return accepted in, fused out, superseded, records with conflicting versions */
  private long[] deduplicate(SparkSession session, RecordKind kind, LocalDate date) {
    FusedTables table = FusedTables.of(kind);
    Optional<Dataset<Row>> accepted = Partitions.read(session, lake.staging(kind.dataset()), date);
    String superseded = lake.superseded(kind.dataset());
    if (accepted.isEmpty()) {
      Partitions.delete(session, Lake.partition(table.staged(lake), date));
      Partitions.delete(session, Lake.partition(superseded, date));
      return new long[4];
    }
    Dataset<Row> ranked = Deduplication.ranked(accepted.get(), settings.sourcePriority()).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Partitions.replace(Deduplication.fused(ranked), table.staged(lake), date);
      Partitions.replace(Deduplication.superseded(ranked), superseded, date);
    } finally {
      ranked.unpersist();
    }
    Dataset<Row> fused = staged(session, table, date);
    long supersededRows = Partitions.read(session, superseded, date).map(Dataset::count).orElse(0L);
    return new long[] {accepted.get().count(), fused.count(), supersededRows, fused.where(col(Deduplication.CONFLICT)).count()};
  }

  /**
   * The orders placed N days ago, whose waybills had their N days to arrive, settled against the
   * waybills of those days; published under this business date.
   */
  private Dataset<Row> settleOrders(SparkSession session, Dataset<Row> todaysSales, Dataset<Row> todaysShipments, LocalDate date) {
    LocalDate orderDate = date.minusDays(settings.lookbackDays());
    Dataset<Row> orders = settings.lookbackDays() == 0 ? todaysSales
        : Partitions.read(session, FusedTables.SALE.published(lake), orderDate).orElse(null);
    if (orders == null) {
      return null;
    }
    Dataset<Row> waybills = withToday(todaysShipments,
        Partitions.readDays(session, FusedTables.SHIPMENT.published(lake), orderDate, date.minusDays(1)));
    if (waybills == null) {
      waybills = Fulfilment.noWaybills(session);
    }
    return Fulfilment.settle(orders, waybills, orderDate)
        .withColumn(Lake.PARTITION_COLUMN, lit(java.sql.Date.valueOf(date)));
  }

  /** The fused sales of the look-back window: today's staged ones and the published ones of the days before. */
  private Dataset<Row> salesWindow(SparkSession session, Dataset<Row> today, LocalDate date) {
    return withToday(today, Partitions.readDays(session, FusedTables.SALE.published(lake),
        date.minusDays(settings.lookbackDays()), date.minusDays(1)));
  }

  /** Today's staged rows (or null) with the published rows of other days (if any); null when neither. */
  private static Dataset<Row> withToday(Dataset<Row> today, Optional<Dataset<Row>> others) {
    if (today == null) {
      return others.orElse(null);
    }
    return others.map(o -> today.unionByName(o, true)).orElse(today);
  }

  /**
   * The month's parcels: this day's staged ones and the published ones of every other day of the
   * month (also later days, when an earlier day is re-run), or null when there are none.
   */
  private Dataset<Row> monthOfParcels(SparkSession session, Dataset<Row> today, LocalDate date) {
    Optional<Dataset<Row>> month = Partitions.readDays(session, FusedTables.PARCEL.published(lake),
        date.withDayOfMonth(1), date.withDayOfMonth(date.lengthOfMonth()));
    // the date's published partition is the previous run's; today's staged parcels replace it
    return withToday(today, month.map(m -> m.where(col(Lake.PARTITION_COLUMN).notEqual(lit(java.sql.Date.valueOf(date))))));
  }

  private Dataset<Row> staged(SparkSession session, FusedTables table, LocalDate date) {
    return Partitions.read(session, table.staged(lake), table.partitionColumn, table.partitionValue(date)).orElse(null);
  }

  private long stage(Dataset<Row> rows, FusedTables table, LocalDate date) {
    String partition = table.staged(lake) + "/" + table.partitionColumn + "=" + table.partitionValue(date);
    Partitions.delete(rows.sparkSession(), partition);
    rows.write().mode(SaveMode.Overwrite).option("partitionOverwriteMode", "dynamic")
        .partitionBy(table.partitionColumn).parquet(table.staged(lake));
    return Partitions.read(rows.sparkSession(), table.staged(lake), table.partitionColumn, table.partitionValue(date))
        .map(Dataset::count).orElse(0L);
  }
}
