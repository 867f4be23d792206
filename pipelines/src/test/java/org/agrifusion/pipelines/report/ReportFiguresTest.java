package org.agrifusion.pipelines.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.LakeTable;
import org.agrifusion.pipelines.lake.Snapshots;
import org.agrifusion.pipelines.lake.TableId;
import org.agrifusion.pipelines.lake.Tables;
import org.agrifusion.pipelines.report.ReportFigures.PricePoint;
import org.agrifusion.pipelines.source.LandedFiles;
import org.agrifusion.pipelines.source.LandedFiles.LandedFile;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.support.SparkExtension;
import org.agrifusion.pipelines.support.TestReference;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The report's figures from small lake tables with a known answer for each. */
@ExtendWith(SparkExtension.class)
class ReportFiguresTest {

  static final LocalDate DAY = LocalDate.of(2021, 12, 7);
  final SparkSession spark;
  @TempDir Path root;
  Lake lake;
  ReportFigures figures;

  ReportFiguresTest(SparkSession spark) {
    this.spark = spark;
  }

  @BeforeEach
  void lake() {
    lake = new Lake(root.toString()).register(spark);
    figures = new ReportFigures(spark, lake, TestReference.SHIPPED, null);
  }

  TableId priceDaily() {
    return lake.table(LakeTable.PRICE_DAILY);
  }

  Dataset<Row> json(String ddl, String... rows) {
    return spark.read().schema(ddl).json(spark.createDataset(List.of(rows), Encoders.STRING()));
  }

  static final String PRICE_DAILY = "business_date DATE, variety_code STRING, market_code STRING, product_code STRING, "
      + "product_name STRING, market_name STRING, price_avg DOUBLE, observations BIGINT";

  static String priceDaily(String date, String variety, String market, String name, Double avg, long observations) {
    return String.format("{\"business_date\":\"%s\",\"variety_code\":\"%s\",\"market_code\":\"%s\",\"product_code\":\"%s\","
        + "\"product_name\":\"%s\",\"market_name\":\"新发地\",\"price_avg\":%s,\"observations\":%d}",
        date, variety, market, variety.substring(0, 4), name, avg, observations);
  }

  @Test
  void priceTrendIsChinasMarketsOnly() {
    // given the date: 红富士 at Xinfadi, and apples at two Indian mandis with more observations (no market code)
    String ddl = PRICE_DAILY + ", market_key STRING, market_country_code STRING";
    Tables.replace(json(ddl,
        priceDaily("2021-12-07", "020101", "XFD", "富士苹果", 6.0, 3).replace("}", ",\"market_key\":\"XFD\",\"market_country_code\":\"CN\"}"),
        priceDaily("2021-12-07", "0201", null, "Apple", 43.0, 4)
            .replace("}", ",\"market_key\":\"IN/IN-HP/Kangra/Palampur\",\"market_country_code\":\"IN\"}"),
        priceDaily("2021-12-07", "020101", null, "Apple", 45.0, 2)
            .replace("}", ",\"market_key\":\"IN/IN-JK/Srinagar/Ganderbal\",\"market_country_code\":\"IN\"}")), priceDaily(), DAY);

    ReportFigures.PriceTrend trend = figures.priceTrend(DAY);

    assertThat(trend.series()).singleElement().satisfies(s -> {
      assertThat(s.code()).isEqualTo("020101");
      assertThat(s.observations()).isEqualTo(3L);
      assertThat(s.points()).containsExactly(new PricePoint("2021-12-07", 6.0));
    });
  }

  @Test
  void priceTrendFollowsTheDaysMostObservedVarietiesOverThirtyDays() {
    // given the date: 红富士 at two markets (3 observations at 6.0, 1 at 8.0), 大白菜 3, 油菜 2, 菜心 2, and 紫菜苔 and
    // 国光 with one each (the tie goes to the lower code)
    Tables.replace(json(PRICE_DAILY,
        priceDaily("2021-12-07", "020101", "XFD", "富士苹果", 6.0, 3),
        priceDaily("2021-12-07", "020101", "YF", "红富士", 8.0, 1),
        priceDaily("2021-12-07", "0101", "XFD", "大白菜", 1.2, 3),
        priceDaily("2021-12-07", "0104", "XFD", "油菜", 3.0, 2),
        priceDaily("2021-12-07", "0105", "XFD", "菜心", 4.5, 2),
        priceDaily("2021-12-07", "0106", "XFD", "红菜苔", 5.0, 1),
        priceDaily("2021-12-07", "020102", "XFD", "国光", 4.0, 1)), priceDaily(), DAY);
    // and earlier days: one inside the 30 days with a day without a price, the first day of the window, one day too early
    Tables.replace(json(PRICE_DAILY, priceDaily("2021-12-05", "020101", "XFD", "富士苹果", 5.5, 2),
        priceDaily("2021-12-05", "0101", "XFD", "大白菜", null, 1)), priceDaily(), LocalDate.of(2021, 12, 5));
    Tables.replace(json(PRICE_DAILY, priceDaily("2021-11-08", "020101", "XFD", "富士苹果", 7.0, 1)),
        priceDaily(), LocalDate.of(2021, 11, 8));
    Tables.replace(json(PRICE_DAILY, priceDaily("2021-11-07", "020101", "XFD", "富士苹果", 9.9, 1)),
        priceDaily(), LocalDate.of(2021, 11, 7));

    ReportFigures.PriceTrend trend = figures.priceTrend(DAY);

    assertThat(trend.from()).isEqualTo("2021-11-08");
    assertThat(trend.to()).isEqualTo("2021-12-07");
    assertThat(trend.series()).extracting(s -> s.code(), s -> s.name(), s -> s.observations()).containsExactly(
        tuple("020101", "红富士", 4L), tuple("0101", "大白菜", 3L), tuple("0104", "油菜", 2L), tuple("0105", "菜心", 2L),
        tuple("0106", "紫菜苔", 1L));
    assertThat(trend.series().get(0).points()).containsExactly(new PricePoint("2021-11-08", 7.0),
        new PricePoint("2021-12-05", 5.5), new PricePoint("2021-12-07", 6.5));
    assertThat(trend.series().get(1).points()).containsExactly(new PricePoint("2021-12-07", 1.2));
  }

  static final String DELIVERY_DAILY = "business_date DATE, county_code STRING, courier_code STRING, parcels BIGINT, "
      + "signed BIGINT, half_day_rate DOUBLE, next_day_rate DOUBLE";

  @Test
  void deliveryRatesPerCityAreWeightedBySignedParcels() {
    Tables.replace(json(DELIVERY_DAILY,
        "{\"business_date\":\"2021-12-07\",\"county_code\":\"140922\",\"courier_code\":\"ZTO\",\"parcels\":10,\"signed\":8,"
            + "\"half_day_rate\":0.5,\"next_day_rate\":0.75}",
        "{\"business_date\":\"2021-12-07\",\"county_code\":\"140921\",\"courier_code\":\"SF\",\"parcels\":5,\"signed\":2,"
            + "\"half_day_rate\":1.0,\"next_day_rate\":1.0}",
        "{\"business_date\":\"2021-12-07\",\"county_code\":\"140105\",\"courier_code\":\"ZTO\",\"parcels\":4,\"signed\":0}",
        "{\"business_date\":\"2021-12-07\",\"county_code\":\"429004\",\"courier_code\":\"YTO\",\"parcels\":20,\"signed\":20,"
            + "\"half_day_rate\":0.25,\"next_day_rate\":0.5}"), lake.table(LakeTable.DELIVERY_DAILY), DAY);

    ReportFigures.DeliveryByCity delivery = figures.deliveryByCity(DAY, 12, 24);

    assertThat(delivery.halfDayHours()).isEqualTo(12);
    assertThat(delivery.cities()).isEqualTo(3);
    assertThat(delivery.top()).containsExactly(
        new ReportFigures.CityDelivery("429000", "省直辖县级行政区划", 20, 20, 0.25, 0.5),
        new ReportFigures.CityDelivery("140900", "忻州市", 15, 10, 0.6, 0.8),
        new ReportFigures.CityDelivery("140100", "太原市", 4, 0, null, null));
  }

  /** Last-mile parcels (no sender, so no rate) count as parcels and signed but must not dilute the city's rates. */
  @Test
  void deliveryRatesLeaveOutGroupsWithoutARate() {
    Tables.replace(json(DELIVERY_DAILY,
        "{\"business_date\":\"2021-12-07\",\"county_code\":\"140922\",\"courier_code\":\"ZTO\",\"parcels\":10,\"signed\":8,"
            + "\"half_day_rate\":0.5,\"next_day_rate\":0.75}",
        "{\"business_date\":\"2021-12-07\",\"county_code\":\"140921\",\"courier_code\":\"SF\",\"parcels\":5,\"signed\":2,"
            + "\"half_day_rate\":1.0,\"next_day_rate\":1.0}",
        "{\"business_date\":\"2021-12-07\",\"county_code\":\"140900\",\"courier_code\":\"CAINIAO\",\"parcels\":6,\"signed\":6}"),
        lake.table(LakeTable.DELIVERY_DAILY), DAY);

    assertThat(figures.deliveryByCity(DAY, 12, 24).top())
        .containsExactly(new ReportFigures.CityDelivery("140900", "忻州市", 21, 16, 0.6, 0.8));
  }

  static final String UPBOUND_MONTHLY = "business_month STRING, county_code STRING, parcels BIGINT, by_courier MAP<STRING,BIGINT>";

  @Test
  void upboundParcelsOfTheMonthByCountyWithNames() {
    TableId upboundMonthly = lake.table(LakeTable.UPBOUND_MONTHLY);
    Tables.replace(json(UPBOUND_MONTHLY,
        "{\"business_month\":\"2021-12\",\"county_code\":\"140921\",\"parcels\":12,\"by_courier\":{\"ZTO\":12}}",
        "{\"business_month\":\"2021-12\",\"county_code\":\"140922\",\"parcels\":30,\"by_courier\":{\"ZTO\":20,\"SF\":10}}",
        "{\"business_month\":\"2021-12\",\"county_code\":\"140923\",\"parcels\":12,\"by_courier\":{\"YTO\":12}}"),
        upboundMonthly, "2021-12");
    Tables.replace(json(UPBOUND_MONTHLY,
        "{\"business_month\":\"2021-11\",\"county_code\":\"140922\",\"parcels\":99,\"by_courier\":{\"ZTO\":99}}"),
        upboundMonthly, "2021-11");

    ReportFigures.UpboundByCounty upbound = figures.upboundByCounty(DAY);

    assertThat(upbound.month()).isEqualTo("2021-12");
    assertThat(upbound.parcels()).isEqualTo(54);
    assertThat(upbound.counties()).isEqualTo(3);
    assertThat(upbound.top()).containsExactly(new ReportFigures.CountyParcels("140922", "五台县", "忻州市", 30),
        new ReportFigures.CountyParcels("140921", "定襄县", "忻州市", 12),
        new ReportFigures.CountyParcels("140923", "代县", "忻州市", 12));
  }

  @Test
  void figuresReadThePinnedSnapshotsSoALaterReplaceOfAPartitionDoesNotChangeThem() {
    // given a run that published the date's price_daily and delivery_daily and the month's upbound_monthly
    TableId deliveryDaily = lake.table(LakeTable.DELIVERY_DAILY);
    TableId upboundMonthly = lake.table(LakeTable.UPBOUND_MONTHLY);
    long pricePin = Tables.replace(json(PRICE_DAILY, priceDaily("2021-12-07", "020101", "XFD", "富士苹果", 6.0, 3)), priceDaily(), DAY);
    long deliveryPin = Tables.replace(json(DELIVERY_DAILY,
        "{\"business_date\":\"2021-12-07\",\"county_code\":\"140922\",\"courier_code\":\"ZTO\",\"parcels\":10,\"signed\":8,"
            + "\"half_day_rate\":0.5,\"next_day_rate\":0.75}"), deliveryDaily, DAY);
    long upboundPin = Tables.replace(json(UPBOUND_MONTHLY,
        "{\"business_month\":\"2021-12\",\"county_code\":\"140922\",\"parcels\":30,\"by_courier\":{\"ZTO\":30}}"),
        upboundMonthly, "2021-12");
    ReportFigures pinned = new ReportFigures(spark, lake, TestReference.SHIPPED, Snapshots.of(Map.of(
        priceDaily().qualifiedName(), pricePin, deliveryDaily.qualifiedName(), deliveryPin,
        upboundMonthly.qualifiedName(), upboundPin)));

    // when a later run replaces those partitions and creates a quarantine table the pins do not name
    Tables.replace(json(PRICE_DAILY, priceDaily("2021-12-07", "020101", "XFD", "富士苹果", 9.0, 5)), priceDaily(), DAY);
    Tables.replace(json(DELIVERY_DAILY,
        "{\"business_date\":\"2021-12-07\",\"county_code\":\"140922\",\"courier_code\":\"ZTO\",\"parcels\":12,\"signed\":12,"
            + "\"half_day_rate\":1.0,\"next_day_rate\":1.0}"), deliveryDaily, DAY);
    Tables.replace(json(UPBOUND_MONTHLY,
        "{\"business_month\":\"2021-12\",\"county_code\":\"140922\",\"parcels\":41,\"by_courier\":{\"ZTO\":41}}"),
        upboundMonthly, "2021-12");
    Tables.replace(json(QUARANTINE, rejected(9, "\"DUPLICATE\"", "\"prodName\":\"大白菜\"", null)), lake.quarantine(RecordKind.PRICE), DAY);

    // then the pinned figures are the first run's, and the current ones the later run's
    assertThat(pinned.priceTrend(DAY).series()).singleElement().satisfies(s -> {
      assertThat(s.observations()).isEqualTo(3);
      assertThat(s.points()).containsExactly(new PricePoint("2021-12-07", 6.0));
    });
    assertThat(pinned.deliveryByCity(DAY, 12, 24).top())
        .containsExactly(new ReportFigures.CityDelivery("140900", "忻州市", 10, 8, 0.5, 0.75));
    assertThat(pinned.upboundByCounty(DAY).parcels()).isEqualTo(30);
    assertThat(pinned.quarantine(DAY)).isEmpty();
    assertThat(figures.priceTrend(DAY).series().get(0).points()).containsExactly(new PricePoint("2021-12-07", 9.0));
    assertThat(figures.deliveryByCity(DAY, 12, 24).top())
        .containsExactly(new ReportFigures.CityDelivery("140900", "忻州市", 12, 12, 1.0, 1.0));
    assertThat(figures.upboundByCounty(DAY).parcels()).isEqualTo(41);
    assertThat(figures.quarantine(DAY)).singleElement().satisfies(kind -> assertThat(kind.rows()).isEqualTo(1));
  }

  @Test
  void martsWithoutPartitionsGiveEmptyFigures() {
    assertThat(figures.priceTrend(DAY).series()).isEmpty();
    assertThat(figures.deliveryByCity(DAY, 12, 24).top()).isEmpty();
    assertThat(figures.upboundByCounty(DAY).top()).isEmpty();
    assertThat(figures.quarantine(DAY)).isEmpty();
  }

  static final String QUARANTINE = "business_date DATE, record_kind STRING, source_id STRING, source_file STRING, "
      + "source_row BIGINT, run_id STRING, reasons ARRAY<STRING>, reason_detail STRING, raw_values MAP<STRING,STRING>, raw_line STRING";

  static String rejected(int row, String reasons, String values, String rawLine) {
    return String.format("{\"business_date\":\"2021-12-07\",\"record_kind\":\"price_observation\","
        + "\"source_id\":\"xinfadi-daily-prices\",\"source_file\":\"file:/lake/landing/xinfadi-daily-prices/2021-12-07/"
        + "xinfadi_prices_2021-12-07.csv\",\"source_row\":%d,\"run_id\":\"daily-fusion-1\",\"reasons\":[%s],"
        + "\"reason_detail\":\"detail %d\",\"raw_values\":{%s}%s}",
        row, reasons, row, values, rawLine == null ? "" : ",\"raw_line\":\"" + rawLine + "\"");
  }

  @Test
  void quarantineShowsTheTopReasonsWithSamples() {
    // given 9 quarantined rows, one of them for two reasons
    Tables.replace(json(QUARANTINE,
        rejected(9, "\"DUPLICATE\"", "\"prodName\":\"大白菜\"", null),
        rejected(3, "\"DUPLICATE\"", "\"prodName\":\"韭菜\"", null),
        rejected(7, "\"DUPLICATE\"", "\"prodName\":\"长茄\"", null),
        rejected(5, "\"DUPLICATE\"", "\"prodName\":\"架豆\"", null),
        rejected(11, "\"UNPARSEABLE_LINE\"", "", "蔬菜,,尖椒,4.0,5.0"),
        rejected(12, "\"UNPARSEABLE_LINE\"", "", "蔬菜"),
        rejected(13, "\"BAD_NUMBER\",\"PRICE_ORDER\"", "\"lowPrice\":\"abc\"", null),
        rejected(14, "\"MISSING_FIELD\"", "\"prodName\":\"\"", null),
        rejected(15, "\"UNKNOWN_PRODUCT\"", "\"prodName\":\"苹果王\"", null)), lake.quarantine(RecordKind.PRICE), DAY);

    List<ReportFigures.QuarantinedKind> quarantine = figures.quarantine(DAY);

    assertThat(quarantine).singleElement().satisfies(kind -> {
      assertThat(kind.kind()).isEqualTo("price_observation");
      assertThat(kind.rows()).isEqualTo(9);
      assertThat(kind.topReasons()).extracting(r -> r.reason(), r -> r.rows()).containsExactly(tuple("DUPLICATE", 4L),
          tuple("UNPARSEABLE_LINE", 2L), tuple("BAD_NUMBER", 1L), tuple("MISSING_FIELD", 1L), tuple("PRICE_ORDER", 1L));
      assertThat(kind.topReasons().get(0).samples()).extracting(s -> s.row(), s -> s.values())
          .containsExactly(tuple(3L, Map.of("prodName", "韭菜")), tuple(5L, Map.of("prodName", "架豆")),
              tuple(7L, Map.of("prodName", "长茄")));
      assertThat(kind.topReasons().get(1).samples()).extracting(s -> s.rawLine()).containsExactly("蔬菜,,尖椒,4.0,5.0", "蔬菜");
      ReportFigures.Sample twoReasons = kind.topReasons().get(4).samples().get(0);
      assertThat(twoReasons.reasons()).containsExactly("BAD_NUMBER", "PRICE_ORDER");
      assertThat(twoReasons.file()).isEqualTo("xinfadi_prices_2021-12-07.csv");
      assertThat(twoReasons.detail()).isEqualTo("detail 13");
    });
  }

  @Test
  void aReasonCountsRowsNotOccurrencesAndItsSamplesAreDistinctRows() {
    // given 3 rows: one missing three fields (and a bad number), one missing one field, one with a bad number
    Tables.replace(json(QUARANTINE,
        rejected(2, "\"MISSING_FIELD\",\"MISSING_FIELD\",\"MISSING_FIELD\",\"BAD_NUMBER\"", "\"prodName\":\"\"", null),
        rejected(4, "\"MISSING_FIELD\"", "\"place\":\"\"", null),
        rejected(6, "\"BAD_NUMBER\",\"BAD_NUMBER\"", "\"lowPrice\":\"abc\"", null)),
        lake.quarantine(RecordKind.PRICE), DAY);

    ReportFigures.QuarantinedKind kind = figures.quarantine(DAY).get(0);

    assertThat(kind.rows()).isEqualTo(3);
    assertThat(kind.topReasons()).extracting(r -> r.reason(), r -> r.rows())
        .containsExactly(tuple("BAD_NUMBER", 2L), tuple("MISSING_FIELD", 2L));
    assertThat(kind.topReasons()).allSatisfy(r -> assertThat(r.samples()).extracting(s -> s.file() + ":" + s.row())
        .doesNotHaveDuplicates().hasSize(2));
    assertThat(kind.topReasons().get(1).samples()).extracting(s -> s.row()).containsExactly(2L, 4L);
  }

  @Test
  void everyLandedFileHasAStatusAndItsRowsAndFilesSeenAreProcessedPlusRejected() throws Exception {
    // given the date's landing: a file with 3 rows, a header-only and an empty file, an .xls, and a folder without descriptor
    Path folder = Files.createDirectories(root.resolve("landing/xinfadi-daily-prices/" + DAY));
    String header = "prodCat,prodPcat,prodName,lowPrice,avgPrice,highPrice,place,unitInfo,pubDate\n";
    Files.writeString(folder.resolve("a.csv"), header + "蔬菜,,韭菜,1,2,3,冀,斤,2021-12-07\n".repeat(3));
    Files.writeString(folder.resolve("header.csv"), header);
    Files.write(folder.resolve("empty.csv"), new byte[0]);
    Files.write(folder.resolve("prices.xls"), new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1,
        (byte) 0xB1, 0x1A, (byte) 0xE1});
    Files.createDirectories(root.resolve("landing/mystery/" + DAY));
    Files.writeString(root.resolve("landing/mystery/" + DAY + "/x.csv"), header);
    List<SourceDescriptor> sources = List.of(TestReference.descriptor("xinfadi-daily-prices"),
        TestReference.descriptor("shop-orders"));
    List<LandedFile> inventory = LandedFiles.take(spark, lake, sources, DAY);
    String a = inventory.stream().map(LandedFile::file).filter(f -> f.endsWith("/a.csv")).findFirst().orElseThrow();
    // and of a.csv's 3 rows, 2 accepted and 1 quarantined
    String lineage = "{\"business_date\":\"2021-12-07\",\"source_id\":\"xinfadi-daily-prices\",\"source_file\":\"" + a + "\"}";
    String ddl = "business_date DATE, source_id STRING, source_file STRING";
    Tables.replace(json(ddl, lineage, lineage, lineage), lake.raw("xinfadi-daily-prices"), DAY);
    Tables.replace(json(ddl, lineage, lineage), lake.staging(RecordKind.PRICE), DAY);
    Tables.replace(json(ddl, lineage), lake.quarantine(RecordKind.PRICE), DAY);

    List<ReportFigures.FileRows> files = figures.landedFiles(DAY);
    List<ReportFigures.SourceRows> rows = figures.sources(sources, files, DAY);

    assertThat(files).extracting(f -> f.source(), f -> f.file(), f -> f.status(), f -> f.reason(), f -> f.read(),
        f -> f.accepted(), f -> f.quarantined()).containsExactly(
            tuple("mystery", "x.csv", "rejected", "NO_DESCRIPTOR", 0L, 0L, 0L),
            tuple("xinfadi-daily-prices", "a.csv", "processed", null, 3L, 2L, 1L),
            tuple("xinfadi-daily-prices", "empty.csv", "empty", null, 0L, 0L, 0L),
            tuple("xinfadi-daily-prices", "header.csv", "header-only", null, 0L, 0L, 0L),
            tuple("xinfadi-daily-prices", "prices.xls", "rejected", "UNSUPPORTED_TYPE", 0L, 0L, 0L));
    assertThat(files.get(1).bytes()).isEqualTo(Files.size(folder.resolve("a.csv")));
    assertThat(files.get(1).sha256()).hasSize(64);
    assertThat(rows).containsExactly(
        new ReportFigures.SourceRows("xinfadi-daily-prices", "price_observation", 4, 3, 1, 3, 2, 1),
        new ReportFigures.SourceRows("shop-orders", "sale", 0, 0, 0, 0, 0, 0),
        new ReportFigures.SourceRows("mystery", null, 1, 0, 1, 0, 0, 0));
    assertThat(ReportFigures.FileTotals.of(files)).isEqualTo(new ReportFigures.FileTotals(5, 3, 2));
  }
}
