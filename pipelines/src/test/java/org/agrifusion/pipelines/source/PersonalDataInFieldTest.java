package org.agrifusion.pipelines.source;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.agrifusion.pipelines.generate.SyntheticFeeds;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.standardise.Quarantine;
import org.agrifusion.pipelines.standardise.RecordStandard;
import org.agrifusion.pipelines.standardise.Standardiser;
import org.agrifusion.pipelines.support.SparkExtension;
import org.agrifusion.pipelines.support.TestReference;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Personal data found by its shape in columns the descriptor does not declare personal. */
@ExtendWith(SparkExtension.class)
class PersonalDataInFieldTest {

  static final byte[] KEY = "a-test-key-of-enough-length-for-tests".getBytes(StandardCharsets.UTF_8);
  static final Path FIXTURES = Path.of("src/test/resources/fixtures");
  static final LocalDate DAY = LocalDate.of(2021, 12, 7);
  /** What must never be seen outside the reader: mobile numbers (any spacing) and the fixture's addresses and names. */
  static final Pattern LEAK = Pattern.compile("(?<![0-9A-Za-z])1[3-9]\\d[\\s-]?\\d{4}[\\s-]?\\d{4}(?![0-9A-Za-z])|幸福路|阳光小区|建设街|北关村|人民路|王先生|李女士");

  final SparkSession spark;
  @TempDir Path root;

  PersonalDataInFieldTest(SparkSession spark) {
    this.spark = spark;
  }

  Dataset<Row> ingest(SourceDescriptor source, LocalDate date) {
    Lake lake = new Lake(root.toString());
    return RawIngest.read(spark, source, RawIngest.landedFiles(spark, lake, source, date), "run-1", date, KEY).cache();
  }

  Path land(SourceDescriptor source, LocalDate date, String name) throws IOException {
    return Files.createDirectories(root.resolve("landing/" + source.id() + "/" + date)).resolve(name);
  }

  Dataset<Row> standardise(SourceDescriptor source, Dataset<Row> raw, LocalDate date) {
    return Standardiser.standardise(raw, source, RecordStandard.of(source.kind(), TestReference.SHIPPED), date).cache();
  }

  static List<String> json(Dataset<Row> rows) {
    return rows.toJSON().collectAsList();
  }

  @Test
  void theShiftedColumnOrderExportLeaksNothingIntoRawOrQuarantine() throws IOException {
    // given the export: one extra column (备注) before 收货人 shifts personal data into kept fields
    SourceDescriptor orders = TestReference.descriptor("shop-orders");
    Files.copy(FIXTURES.resolve("shop-orders-shifted-remark.csv"), land(orders, DAY, "orders_2021-12-07.csv"));
    assertThat(LEAK.matcher(Files.readString(FIXTURES.resolve("shop-orders-shifted-remark.csv"))).results().count())
        .as("the fixture holds what must not leak").isGreaterThan(10);

    // when it is read and standardised
    Dataset<Row> raw = ingest(orders, DAY);
    Dataset<Row> standardised = standardise(orders, raw, DAY);
    Dataset<Row> quarantine = Quarantine.rows(standardised, orders);

    // then every row is accounted for, and no phone number, address or name is in raw or quarantine
    assertThat(raw.count()).isEqualTo(5);
    assertThat(Standardiser.accepted(standardised, RecordStandard.of(orders.kind(), TestReference.SHIPPED)).count()
        + quarantine.count()).isEqualTo(5);
    List<String> everything = new ArrayList<>(json(raw));
    everything.addAll(json(quarantine));
    assertThat(everything).isNotEmpty().noneMatch(text -> LEAK.matcher(text).find());
  }

  @Test
  void aPersonalValueInAKeptColumnIsMaskedAndItsRowQuarantinedNamingTheField() throws IOException {
    // given an export with the right header whose kept columns carry a street address and a phone number
    SourceDescriptor orders = TestReference.descriptor("shop-orders");
    Files.writeString(land(orders, DAY, "orders.csv"), "\uFEFF平台,订单编号,子订单编号,下单时间,店铺名称,发货地,商品名称,规格,"
        + "购买数量,单位,单价,实付金额,收货人,收货人手机,收货地址,收货地区,物流公司,运单号,订单状态\r\n"
        + "拼多多,211207000001,1,2021-12-07 10:15:00,临猗果园旗舰店,运城临猗,临猗红富士苹果 产地直发,10斤/箱,2,箱,45.0,90.0,"
        + "王先生,13912345678,幸福路8号,广东省广州市天河区体育西路101号,中通快递,ZT70000000001,已发货\r\n"
        + "淘宝,211207000002,1,2021-12-07 10:16:00,临猗果园旗舰店,运城临猗,临猗红富士苹果 产地直发,10斤/箱,1,箱,45.0,45.0,"
        + "李女士,13912345679,幸福路9号,广东省广州市天河区,中通快递,15644226657,已发货\r\n"
        + "京东,211207000003,1,2021-12-07 10:17:00,临猗果园旗舰店,运城临猗,临猗红富士苹果 产地直发,10斤/箱,1,箱,45.0,45.0,"
        + "张先生,13912345670,幸福路10号,广东省广州市天河区,中通快递,SF1234567890123,已发货\r\n");

    Dataset<Row> raw = ingest(orders, DAY);
    List<Row> rows = raw.orderBy(RawColumns.SOURCE_ROW).collectAsList();
    assertThat(rows).extracting(r -> (String) r.getAs("收货地区"))
        .containsExactly("[redacted:address]", "广东省广州市天河区", "广东省广州市天河区");
    assertThat(rows).extracting(r -> (String) r.getAs("运单号")).containsExactly("ZT70000000001", "[redacted:mobile]", "SF1234567890123");

    Dataset<Row> standardised = standardise(orders, raw, DAY);
    List<Row> quarantined = Quarantine.rows(standardised, orders).orderBy(RawColumns.SOURCE_ROW).collectAsList();
    assertThat(quarantined).hasSize(2);
    assertThat(quarantined.get(0).<String>getAs(Standardiser.REASON_DETAIL))
        .contains("buyer_region (收货地区) held a street address (masked on reading)");
    assertThat(quarantined.get(1).<String>getAs(Standardiser.REASON_DETAIL))
        .contains("tracking_no (运单号) held a mobile number (masked on reading)");
    assertThat(quarantined).allSatisfy(r -> assertThat(r.getList(r.fieldIndex(Standardiser.REASONS))).contains("PERSONAL_DATA_IN_FIELD"));
    assertThat(json(Quarantine.rows(standardised, orders))).noneMatch(text -> LEAK.matcher(text).find() || text.contains("体育西路"));
    // the clean row is accepted, tracking number and all
    assertThat(Standardiser.accepted(standardised, RecordStandard.of(orders.kind(), TestReference.SHIPPED))
        .select("tracking_no").as(Encoders.STRING()).collectAsList()).containsExactly("SF1234567890123");
  }

  @Test
  void aFeedWithoutPersonalColumnsKeepsNoRawLineThatHoldsPersonalData() throws IOException {
    // given a price feed (no personal_data declared) with a phone number in a field and in a broken line
    SourceDescriptor xinfadi = TestReference.descriptor("xinfadi-daily-prices");
    Files.writeString(land(xinfadi, DAY, "prices.csv"), "prodCat,prodPcat,prodName,lowPrice,avgPrice,highPrice,place,unitInfo,pubDate\n"
        + "蔬菜,,菜花,3.0,3.2,3.1,冀 联系人13912345678,斤,2021-12-07 00:00:00\n"
        + "蔬菜,,尖椒,4.0,5.0,电话13912345678\n"
        + "蔬菜,,架豆,4.0,5.0\n", StandardCharsets.UTF_8);

    List<Row> rows = ingest(xinfadi, DAY).orderBy(RawColumns.SOURCE_ROW).collectAsList();

    assertThat((String) rows.get(0).getAs("place")).isEqualTo("[redacted:mobile]");
    assertThat((String) rows.get(1).getAs(RawColumns.RAW_LINE)).isNull();
    assertThat((String) rows.get(2).getAs(RawColumns.RAW_LINE)).isEqualTo("蔬菜,,架豆,4.0,5.0");
    assertThat(rows).noneMatch(r -> LEAK.matcher(r.toString()).find());
  }

  @Test
  void theRealSamplesAndGeneratedFeedsHaveNoFalsePositive() throws IOException {
    // the real market files of samples/ and the fixtures, and a day of every generated feed
    SourceDescriptor daily = TestReference.descriptor("xinfadi-daily-prices");
    Files.copy(Path.of("../samples/landing/xinfadi-daily-prices/2021-12-07/xinfadi_prices_2021-12-07.csv"), land(daily, DAY, "p.csv"));
    new SyntheticFeeds(TestReference.SHIPPED.regions()).write(root.resolve("landing"), DAY, 400, 11);
    List<Dataset<Row>> all = new ArrayList<>();
    for (String id : List.of("xinfadi-daily-prices", "shop-orders", "courier-waybills", "origin-registry")) {
      all.add(ingest(TestReference.descriptor(id), DAY));
    }
    record Fixture(String source, LocalDate day, String file) {}
    for (Fixture f : List.of(new Fixture("xinfadi-spec-origin-gbk", LocalDate.of(2021, 12, 10), "xinfadi-spec-origin-gbk-head.csv"),
        new Fixture("xinfadi-api-dump", LocalDate.of(2022, 6, 18), "xinfadi-api-dump-2022-06-18.csv"),
        new Fixture("xinfadi-history-xlsx", LocalDate.of(2013, 6, 10), "xinfadi-veg-2013-head.xlsx"))) {
      SourceDescriptor source = TestReference.descriptor(f.source());
      Files.copy(FIXTURES.resolve(f.file()), land(source, f.day(), f.file()));
      all.add(ingest(source, f.day()));
    }

    long rows = 0;
    for (Dataset<Row> raw : all) {
      rows += raw.count();
      assertThat(json(raw)).noneMatch(text -> text.contains(PersonalDataDetector.MASK_PREFIX));
      assertThat(raw.where(col(RawColumns.PARSE_ERROR).isNotNull()).count()).isZero();
    }
    assertThat(rows).isGreaterThan(443 + 400 + 30 + 318 + 60);
  }
}
