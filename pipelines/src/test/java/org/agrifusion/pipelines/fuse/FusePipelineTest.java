package org.agrifusion.pipelines.fuse;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.LakeTable;
import org.agrifusion.pipelines.lake.TableId;
import org.agrifusion.pipelines.lake.Tables;
import org.agrifusion.pipelines.source.RawColumns;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.standardise.RecordStandard;
import org.agrifusion.pipelines.standardise.Standardiser;
import org.agrifusion.pipelines.support.LakeCheckpoint;
import org.agrifusion.pipelines.support.SparkExtension;
import org.agrifusion.pipelines.support.TestReference;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.metrics.MetricsReport;
import org.apache.iceberg.metrics.MetricsReporter;
import org.apache.iceberg.metrics.ScanReport;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fuse stage on real Iceberg tables: staging rows in the layout {@link Standardiser#accepted}
 * writes, runs of several dates, and what every table holds afterwards.
 */
@ExtendWith(SparkExtension.class)
class FusePipelineTest {

  static final LocalDate D = LocalDate.of(2021, 12, 7);
  /** A rural county of Xinzhou (Shanxi) and the city district it ships to: up-bound, same city. */
  static final String RURAL = "140821";
  static final String CITY = "140802";

  final SparkSession spark;
  Lake lake;
  FusePipeline.Settings settings = new FusePipeline.Settings(Map.of(), Parcels.Targets.defaults(), 7);

  FusePipelineTest(SparkSession spark) {
    this.spark = spark;
  }

  /** The lake {@link #lateSignedWaybillFused()} builds once for the class. */
  @TempDir static Path sharedDir;
  static LateSignedWaybillFused shared;

  @BeforeEach
  void freshLake(@TempDir Path dir) {
    lake = lakeIn(dir);
  }

  Lake lakeIn(Path dir) {
    Lake lake = new Lake(dir.toString()).register(spark);
    // every Iceberg scan of this lake's tables is reported to ScansSeen
    spark.conf().set("spark.sql.catalog." + lake.catalog().name() + ".metrics-reporter-impl", ScansSeen.class.getName());
    return lake;
  }

  @AfterAll
  static void forgetTheSharedLake() {
    shared = null;
  }

  // ---- staging rows as Standardiser.accepted writes them ----

  /** One accepted row: its canonical values by column name; the rest are null. */
  record Accepted(String recordId, Map<String, Object> values, String sourceFile, long sourceRow) {}

  static Accepted shipment(String tracking, String pickup, String sign, String from, String to) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("courier_raw", "中通");
    v.put("courier_code", "ZTO");
    v.put("tracking_no", tracking);
    v.put("pickup_time", time(pickup));
    v.put("pickup_date", Date.valueOf(pickup.substring(0, 10)));
    v.put("sign_time", sign == null ? null : time(sign));
    v.put("sender_region_code", from);
    v.put("receiver_region_code", to);
    v.put("weight_kg", 5.0);
    v.put("status", sign == null ? "in_transit" : "signed");
    return new Accepted("ship-ZTO-" + tracking, v, "zto_waybills.csv", 2);
  }

  static Accepted sale(String order, String orderTime, double kg, double amount, String tracking, String status) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("platform", "拼多多");
    v.put("order_id", order);
    v.put("line_id", "1");
    v.put("order_time", time(orderTime));
    v.put("order_date", Date.valueOf(orderTime.substring(0, 10)));
    v.put("seller_region_code", RURAL);
    v.put("product_name", "富士苹果");
    v.put("category_code", "02");
    v.put("product_code", "0201");
    v.put("variety_code", "020101");
    v.put("quantity_kg", kg);
    v.put("amount_cny", amount);
    v.put("unit_price_cny_kg", amount / kg);
    v.put("unit_convertible", true);
    v.put("buyer_region_code", CITY);
    v.put("courier_code", tracking == null ? null : "ZTO");
    v.put("tracking_no", tracking);
    v.put("status", status);
    return new Accepted("sale-" + order, v, "orders.csv", 2);
  }

  static Timestamp time(String local) {
    return Timestamp.from(OffsetDateTime.parse(local + "+08:00").toInstant());
  }

  /** Replaces the day's staging partition of the kind with the rows, as the standardise step does. */
  void stage(RecordKind kind, LocalDate day, Accepted... rows) {
    RecordStandard standard = RecordStandard.of(kind, TestReference.SHIPPED);
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField(Standardiser.RECORD_ID, DataTypes.StringType, true));
    fields.add(DataTypes.createStructField(Lake.PARTITION_COLUMN, DataTypes.DateType, true));
    fields.addAll(standard.fields());
    fields.add(DataTypes.createStructField(RawColumns.SOURCE_ID, DataTypes.StringType, true));
    fields.add(DataTypes.createStructField(RawColumns.SOURCE_FILE, DataTypes.StringType, true));
    fields.add(DataTypes.createStructField(RawColumns.SOURCE_ROW, DataTypes.LongType, false));
    fields.add(DataTypes.createStructField(RawColumns.RUN_ID, DataTypes.StringType, true));
    StructType schema = DataTypes.createStructType(fields);
    List<Row> data = new ArrayList<>();
    int line = 1;
    for (Accepted a : rows) {
      Object[] r = new Object[schema.size()];
      r[0] = a.recordId();
      r[1] = Date.valueOf(day);
      for (int i = 0; i < standard.fields().size(); i++) {
        r[2 + i] = a.values().get(standard.fields().get(i).name());
      }
      int lineage = 2 + standard.fields().size();
      r[lineage] = kind.dataset() + "-feed";
      r[lineage + 1] = "landing/" + kind.dataset() + "-feed/" + day + "/" + day + "_" + a.sourceFile();
      r[lineage + 2] = a.sourceRow() + line++;
      r[lineage + 3] = "run-" + day;
      data.add(RowFactory.create(r));
    }
    Dataset<Row> accepted = spark.createDataFrame(data, schema).withColumn(Standardiser.CONTENT_HASH, Standardiser.contentHash(standard))
        .select(Standardiser.curatedColumns(standard).stream().map(c -> col(c)).toArray(Column[]::new));
    Tables.replace(accepted, lake.staging(kind), day);
  }

  FusePipeline.Result run(LocalDate day) {
    return FusePipeline.run(spark, lake, TestReference.SHIPPED.regions(), day, settings);
  }

  List<Row> rows(TableId table) {
    return Tables.readAll(spark, table, null).map(Dataset::collectAsList).orElse(List.of());
  }

  List<Row> rows(LakeTable table, LocalDate day) {
    return Tables.read(spark, lake.table(table), table.partitionValue(day)).map(Dataset::collectAsList).orElse(List.of());
  }

  /** Every row of every table fuse writes, each table's rows as sorted strings. */
  Map<String, List<String>> everything() {
    Map<String, List<String>> all = new TreeMap<>();
    List<TableId> tables = new ArrayList<>();
    for (LakeTable t : LakeTable.values()) {
      tables.add(lake.table(t));
    }
    for (RecordKind kind : RecordKind.values()) {
      tables.add(lake.superseded(kind));
    }
    for (TableId t : tables) {
      all.put(t.qualifiedName(), Tables.readAll(spark, t, null)
          .map(d -> d.collectAsList().stream().map(Row::toString).sorted().toList()).orElse(List.of()));
    }
    return all;
  }

  // ---- the scenarios ----

  /** In transit on D, nothing on D+1 but another parcel, signed on D+2. */
  void lateSignedWaybill() {
    stage(RecordKind.SHIPMENT, D, shipment("ZT1", "2021-12-07T10:00:00", null, RURAL, CITY));
    stage(RecordKind.SALE, D, sale("A1", "2021-12-07T08:00:00", 10, 90, "ZT1", "shipped"));
    stage(RecordKind.SHIPMENT, D.plusDays(1), shipment("ZT2", "2021-12-08T10:00:00", "2021-12-08T18:00:00", RURAL, CITY));
    stage(RecordKind.SHIPMENT, D.plusDays(2), shipment("ZT1", "2021-12-07T10:00:00", "2021-12-08T02:00:00", RURAL, CITY),
        shipment("ZT3", "2021-12-09T09:00:00", null, RURAL, CITY));
  }

  /**
   * The lake of {@link #lateSignedWaybill()} fused on D, D+1 and D+2.
   *
   * @param checkpoint the lake after the run of D+2, which each test starting from it gets back
   * @param afterSecondDay every table after the run of D+1
   * @param thirdDay the run of D+2
   */
  record LateSignedWaybillFused(Lake lake, LakeCheckpoint checkpoint, Map<String, List<String>> afterSecondDay,
      FusePipeline.Result thirdDay) {}

  /**
   * Switches this test to the class's lake of {@link #lateSignedWaybill()} fused on D, D+1 and D+2:
   * the first test to ask runs the three days, the others get that lake back as the runs left it.
   */
  LateSignedWaybillFused lateSignedWaybillFused() {
    if (shared == null) {
      lake = lakeIn(LakeCheckpoint.freshDir(sharedDir));
      lateSignedWaybill();
      run(D);
      run(D.plusDays(1));
      Map<String, List<String>> afterSecondDay = everything();
      FusePipeline.Result thirdDay = run(D.plusDays(2));
      shared = new LateSignedWaybillFused(lake, LakeCheckpoint.of(spark, lake), afterSecondDay, thirdDay);
    } else {
      lake = shared.lake();
      shared.checkpoint().restore(spark);
    }
    return shared;
  }

  @Test
  void aWaybillSignedTwoDaysLaterUpdatesItsHomeDateAndItsMarts() {
    FusePipeline.Result late = lateSignedWaybillFused().thirdDay();

    List<Row> zt1 = rows(lake.table(LakeTable.SHIPMENT)).stream().filter(r -> "ZT1".equals(r.getAs("tracking_no"))).toList();
    assertThat(zt1).extracting(r -> r.getAs(Lake.PARTITION_COLUMN).toString(), r -> r.getAs(FusePipeline.REPORTED_DATE).toString(),
        r -> r.getAs("sign_time") != null).containsExactly(tuple("2021-12-07", "2021-12-09", true));
    assertThat(rows(LakeTable.SHIPMENT, D.plusDays(2))).extracting(r -> r.getAs("tracking_no")).containsExactly("ZT3");
    assertThat(rows(LakeTable.PARCEL, D)).extracting(r -> r.getAs("tracking_no"), r -> r.getAs("transit_hours"),
        r -> r.getAs("delivery_class"), r -> r.getAs("agricultural")).containsExactly(tuple("ZT1", 16.0, "next_day", true));
    assertThat(rows(LakeTable.DELIVERY_DAILY, D)).extracting(r -> r.getAs("county_code"), r -> r.getAs("parcels"), r -> r.getAs("signed"),
        r -> r.getAs("transit_hours_median"), r -> r.getAs("next_day_rate")).containsExactly(tuple(RURAL, 1L, 1L, 16.0, 1.0));
    assertThat(late.touchedDates()).contains(D).doesNotContain(D.plusDays(2));
    assertThat(late.dedup().get(RecordKind.SHIPMENT)).extracting(FusePipeline.Dedup::lateUpdates, FusePipeline.Dedup::resent)
        .containsExactly(1L, 0L);
    assertThat(rows(lake.superseded(RecordKind.SHIPMENT))).extracting(r -> r.getAs(Lake.PARTITION_COLUMN).toString(),
        r -> r.getAs("tracking_no"), r -> r.getAs("sign_time")).containsExactly(tuple("2021-12-09", "ZT1", null));

    // the same signed version again on D+3: nothing changes on D
    Set<String> filesOfD = files(lake.table(LakeTable.SHIPMENT), D);
    Map<String, List<String>> before = everything();
    stage(RecordKind.SHIPMENT, D.plusDays(3), shipment("ZT1", "2021-12-07T10:00:00", "2021-12-08T02:00:00", RURAL, CITY));
    FusePipeline.Result resent = run(D.plusDays(3));

    assertThat(resent.dedup().get(RecordKind.SHIPMENT)).extracting(FusePipeline.Dedup::lateUpdates, FusePipeline.Dedup::resent,
        FusePipeline.Dedup::superseded).containsExactly(0L, 1L, 0L);
    assertThat(resent.touchedDates()).isEmpty();
    assertThat(files(lake.table(LakeTable.SHIPMENT), D)).isEqualTo(filesOfD);
    assertThat(rows(LakeTable.SHIPMENT, D.plusDays(3))).isEmpty();
    Map<String, List<String>> after = everything();
    before.keySet().forEach(t -> assertThat(after.get(t)).as(t).containsAll(before.get(t)));
  }

  /** The data files that hold a date's partition of a table now. */
  Set<String> files(TableId table, LocalDate day) {
    Set<String> paths = new TreeSet<>();
    try (CloseableIterable<FileScanTask> tasks = Tables.load(spark, table).newScan()
        .filter(Expressions.equal(Lake.PARTITION_COLUMN, day.toString())).planFiles()) {
      tasks.forEach(t -> paths.add(t.file().location()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return paths;
  }

  @Test
  void anOrderRefundedTheNextDayIsOneRefundedSaleOnItsOrderDateAndLeavesTheFlow() {
    stage(RecordKind.SALE, D, sale("A1", "2021-12-07T08:00:00", 10, 90, null, "paid"),
        sale("A2", "2021-12-07T09:00:00", 5, 45, null, "paid"));
    stage(RecordKind.SALE, D.plusDays(1), sale("A1", "2021-12-07T08:00:00", 10, 90, null, "refunded"));
    run(D);
    assertThat(rows(LakeTable.FLOW_DAILY, D)).extracting(r -> r.getAs("orders"), r -> r.getAs("kg")).containsExactly(tuple(2L, 15.0));

    FusePipeline.Result next = run(D.plusDays(1));

    assertThat(rows(lake.table(LakeTable.SALE))).extracting(r -> r.getAs("order_id"), r -> r.getAs(Lake.PARTITION_COLUMN).toString(),
        r -> r.getAs("status")).containsExactlyInAnyOrder(tuple("A1", "2021-12-07", "refunded"), tuple("A2", "2021-12-07", "paid"));
    assertThat(rows(LakeTable.FLOW_DAILY, D)).extracting(r -> r.getAs("orders"), r -> r.getAs("kg")).containsExactly(tuple(1L, 5.0));
    assertThat(rows(LakeTable.FLOW_DAILY, D.plusDays(1))).isEmpty();
    assertThat(next.touchedDates()).containsExactly(D);
    assertThat(rows(lake.superseded(RecordKind.SALE))).extracting(r -> r.getAs("order_id"), r -> r.getAs("status"))
        .containsExactly(tuple("A1", "paid"));
  }

  @Test
  void reRunningAnyDateLeavesEveryTableAsItWasAndKeepsTheNewerVersion() {
    lateSignedWaybill();
    // on D+1 ZT1 is reported again, still unsigned but at the depot: an older version than D+2's
    Accepted depot = shipment("ZT1", "2021-12-07T10:00:00", null, RURAL, CITY);
    depot.values().put("status", "at_depot");
    stage(RecordKind.SHIPMENT, D.plusDays(1), depot, shipment("ZT2", "2021-12-08T10:00:00", "2021-12-08T18:00:00", RURAL, CITY));
    stage(RecordKind.SALE, D.plusDays(1), sale("A2", "2021-12-08T08:00:00", 5, 45, "ZT2", "shipped"));
    run(D);
    run(D.plusDays(1));
    run(D.plusDays(2));
    Map<String, List<String>> state = everything();
    assertThat(rows(lake.superseded(RecordKind.SHIPMENT))).extracting(r -> r.getAs(Lake.PARTITION_COLUMN).toString(),
        r -> r.getAs("status")).containsExactlyInAnyOrder(tuple("2021-12-08", "in_transit"), tuple("2021-12-09", "at_depot"));

    FusePipeline.Result again = run(D);
    assertThat(rows(LakeTable.SHIPMENT, D)).extracting(r -> r.getAs("tracking_no"), r -> r.getAs("sign_time") != null,
        r -> r.getAs(FusePipeline.REPORTED_DATE).toString()).containsExactly(tuple("ZT1", true, "2021-12-09"));
    assertThat(again.touchedDates()).isEmpty();
    assertThat(everything()).isEqualTo(state);
    for (LocalDate day : List.of(D.plusDays(1), D.plusDays(2), D.plusDays(2), D, D.plusDays(1))) {
      run(day);
      assertThat(everything()).as("after re-running " + day).isEqualTo(state);
    }
  }

  @Test
  void upboundMonthlyIsTheSumOfItsDaysAndFollowsARerunOfAnEarlierDay() {
    LocalDate first = LocalDate.of(2021, 12, 1);
    for (int d = 0; d < 3; d++) {
      LocalDate day = first.plusDays(d);
      String t = "2021-12-0" + (d + 1);
      stage(RecordKind.SALE, day, sale("A" + d, t + "T08:00:00", 10, 90, "ZT" + d, "shipped"),
          sale("B" + d, t + "T08:30:00", 10, 90, "ZT9" + d, "shipped"));
      stage(RecordKind.SHIPMENT, day, shipment("ZT" + d, t + "T10:00:00", t + "T18:00:00", RURAL, CITY),
          shipment("ZT9" + d, t + "T10:00:00", null, "141031", CITY),
          shipment("ZS" + d, t + "T10:00:00", null, CITY, RURAL));   // down-bound: not counted
      run(day);
    }
    assertThat(monthly()).isEqualTo(Map.of(RURAL, 3L, "141031", 3L));
    assertThat(monthly()).isEqualTo(summedDaily()).isEqualTo(countedParcels());

    // a late delivery for the 1st adds a parcel; re-running the 1st updates the month
    stage(RecordKind.SALE, first, sale("A0", "2021-12-01T08:00:00", 10, 90, "ZT0", "shipped"),
        sale("B0", "2021-12-01T08:30:00", 10, 90, "ZT90", "shipped"), sale("C0", "2021-12-01T08:40:00", 10, 90, "ZT80", "shipped"));
    stage(RecordKind.SHIPMENT, first, shipment("ZT0", "2021-12-01T10:00:00", "2021-12-01T18:00:00", RURAL, CITY),
        shipment("ZT90", "2021-12-01T10:00:00", null, "141031", CITY), shipment("ZT80", "2021-12-01T11:00:00", null, RURAL, CITY));
    run(first);
    assertThat(monthly()).isEqualTo(Map.of(RURAL, 4L, "141031", 3L)).isEqualTo(summedDaily()).isEqualTo(countedParcels());
    assertThat(rows(lake.table(LakeTable.UPBOUND_MONTHLY))).extracting(r -> r.getAs(Lake.MONTH_COLUMN), r -> r.getAs("county_code"),
        r -> r.getJavaMap(r.fieldIndex("by_courier"))).contains(tuple("2021-12", RURAL, Map.of("ZTO", 4L)));
  }

  Map<String, Long> monthly() {
    Map<String, Long> m = new TreeMap<>();
    rows(LakeTable.UPBOUND_MONTHLY, D).forEach(r -> m.put(r.getAs("county_code"), r.getAs("parcels")));
    return m;
  }

  Map<String, Long> summedDaily() {
    Map<String, Long> m = new TreeMap<>();
    rows(lake.table(LakeTable.UPBOUND_DAILY)).forEach(r -> m.merge(r.getAs("county_code"), r.<Long>getAs("parcels"), Long::sum));
    return m;
  }

  /** The definition before daily aggregates: up-bound agricultural parcels of the month, per county. */
  Map<String, Long> countedParcels() {
    Map<String, Long> m = new TreeMap<>();
    Tables.readAll(spark, lake.table(LakeTable.PARCEL), null).orElseThrow()
        .where(col("direction").equalTo("up").and(col("agricultural")))
        .groupBy("county_code").agg(count(lit(1)).as("n")).collectAsList()
        .forEach(r -> m.put(r.getString(0), r.getLong(1)));
    return m;
  }

  @Test
  void theLastDayOfAMonthReadsNoMoreParcelDataThanTheFirst() {
    LocalDate first = LocalDate.of(2021, 12, 1);
    LocalDate last = LocalDate.of(2021, 12, 31);
    for (LocalDate day : List.of(first, last)) {
      String t = day.toString();
      stage(RecordKind.SALE, day, sale("A" + t, t + "T08:00:00", 10, 90, "ZT" + day.getDayOfMonth(), "shipped"));
      stage(RecordKind.SHIPMENT, day, shipment("ZT" + day.getDayOfMonth(), t + "T10:00:00", t + "T18:00:00", RURAL, CITY),
          shipment("ZS" + day.getDayOfMonth(), t + "T10:00:00", null, CITY, RURAL));
    }
    ScansSeen.clear();
    run(first);
    int day1Scans = ScansSeen.of(lake.table(LakeTable.PARCEL)).size();
    // the days between hold parcels of their own (as if each had run)
    Dataset<Row> parcels = Tables.read(spark, lake.table(LakeTable.PARCEL), first).orElseThrow().cache();
    for (int d = 2; d < 31; d++) {
      Tables.replace(parcels.withColumn(Lake.PARTITION_COLUMN, lit(Date.valueOf(first.withDayOfMonth(d)))), lake.table(LakeTable.PARCEL),
          first.withDayOfMonth(d));
    }
    parcels.unpersist();

    ScansSeen.clear();
    run(last);
    List<ScanReport> day31 = ScansSeen.of(lake.table(LakeTable.PARCEL));

    // as many scans of curated.parcel as on day 1, none planning more than the day's own partition
    long dayFiles = files(lake.table(LakeTable.PARCEL), last).size();
    long dayBytes = Tables.read(spark, lake.table(LakeTable.PARCEL), last).isPresent() ? bytes(lake.table(LakeTable.PARCEL), last) : 0;
    assertThat(day1Scans).isPositive();
    assertThat(day31).hasSize(day1Scans).allSatisfy(r -> {
      assertThat(r.scanMetrics().resultDataFiles().value()).as("files planned by %s", r.filter()).isLessThanOrEqualTo(dayFiles);
      assertThat(r.scanMetrics().totalFileSizeInBytes().value()).as("bytes planned by %s", r.filter()).isLessThanOrEqualTo(dayBytes);
    });
    assertThat(rows(LakeTable.UPBOUND_MONTHLY, last)).extracting(r -> r.getAs("parcels")).containsExactly(2L);
  }

  long bytes(TableId table, LocalDate day) {
    long bytes = 0;
    try (CloseableIterable<FileScanTask> tasks = Tables.load(spark, table).newScan()
        .filter(Expressions.equal(Lake.PARTITION_COLUMN, day.toString())).planFiles()) {
      for (FileScanTask t : tasks) {
        bytes += t.file().fileSizeInBytes();
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes;
  }

  /** Collects Iceberg's scan reports: what each scan of a table planned (data files, bytes, filter). */
  public static final class ScansSeen implements MetricsReporter {
    static final ConcurrentLinkedQueue<ScanReport> SEEN = new ConcurrentLinkedQueue<>();

    @Override
    public void report(MetricsReport report) {
      if (report instanceof ScanReport scan) {
        SEEN.add(scan);
      }
    }

    static void clear() {
      SEEN.clear();
    }

    /** The scans of the table since {@link #clear()}. */
    static List<ScanReport> of(TableId table) {
      return SEEN.stream().filter(r -> r.tableName().endsWith(table.qualifiedName())).toList();
    }

  }

  // ---- edges ----

  @Test
  void anEmptyDayAndADayThatLostItsRowsLeaveEmptyPartitions() {
    FusePipeline.Result nothing = run(D);
    assertThat(nothing.accepted()).isZero();
    assertThat(nothing.derivedRows()).allSatisfy((t, n) -> assertThat(n).as(t).isZero());

    // only shipments: the other kinds have no rows
    stage(RecordKind.SHIPMENT, D, shipment("ZT1", "2021-12-07T10:00:00", "2021-12-07T18:00:00", RURAL, CITY));
    FusePipeline.Result onlyWaybills = run(D);
    assertThat(onlyWaybills.derivedRows()).containsEntry("parcel", 1L).containsEntry("delivery_daily", 1L)
        .containsEntry("upbound_daily", 0L).containsEntry("flow_daily", 0L).containsEntry("order_fulfilment", 0L);
    assertThat(rows(LakeTable.PARCEL, D)).extracting(r -> r.getAs("match_status")).containsExactly("no_order");

    // the day's feed is withdrawn: a re-run leaves nothing of it
    Tables.clear(spark, lake.staging(RecordKind.SHIPMENT), D.toString());
    FusePipeline.Result withdrawn = run(D);
    assertThat(withdrawn.derivedRows()).allSatisfy((t, n) -> assertThat(n).as(t).isZero());
    assertThat(everything()).allSatisfy((t, r) -> assertThat(r).as(t).isEmpty());
  }

  @Test
  void aLateVersionWithdrawnOnARerunGivesItsHomeDateBackThePreviousVersion() {
    Map<String, List<String>> beforeLate = lateSignedWaybillFused().afterSecondDay();

    // the feed of D+2 is withdrawn: ZT1 is in transit again on D, as before D+2 ran
    stage(RecordKind.SHIPMENT, D.plusDays(2));
    FusePipeline.Result withdrawn = run(D.plusDays(2));

    assertThat(withdrawn.touchedDates()).contains(D);
    assertThat(everything()).isEqualTo(beforeLate);
  }

  @Test
  void aHomeDateWhoseFeedIsWithdrawnKeepsTheVersionALaterDayBrought() {
    lateSignedWaybillFused();

    stage(RecordKind.SHIPMENT, D);
    run(D);

    assertThat(rows(lake.table(LakeTable.SHIPMENT))).extracting(r -> r.getAs("tracking_no"), r -> r.getAs(Lake.PARTITION_COLUMN).toString(),
        r -> r.getAs(FusePipeline.REPORTED_DATE).toString()).containsExactlyInAnyOrder(
            tuple("ZT1", "2021-12-07", "2021-12-09"), tuple("ZT2", "2021-12-08", "2021-12-08"), tuple("ZT3", "2021-12-09", "2021-12-09"));
    assertThat(rows(LakeTable.PARCEL, D)).extracting(r -> r.getAs("tracking_no"), r -> r.getAs("delivery_class"))
        .containsExactly(tuple("ZT1", "next_day"));
  }

  @Test
  void withNoLookBackOrdersAndWaybillsMeetOnTheirDay() {
    settings = new FusePipeline.Settings(Map.of(), new Parcels.Targets(12, 24, 0), 0);
    stage(RecordKind.SALE, D, sale("A1", "2021-12-07T08:00:00", 10, 90, "ZT1", "shipped"));
    stage(RecordKind.SHIPMENT, D, shipment("ZT1", "2021-12-07T10:00:00", "2021-12-07T18:00:00", RURAL, CITY));
    FusePipeline.Result result = run(D);

    assertThat(rows(LakeTable.PARCEL, D)).extracting(r -> r.getAs("match_status"), r -> r.getAs("delivery_class"))
        .containsExactly(tuple("matched", "half_day"));
    assertThat(rows(LakeTable.ORDER_FULFILMENT, D)).extracting(r -> r.getAs("order_id"), r -> r.getAs("waybill_status"))
        .containsExactly(tuple("A1", "matched"));
    assertThat(result.touchedDates()).isEmpty();
  }
}
