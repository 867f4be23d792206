package org.agrifusion.pipelines.source;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
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

/** Each shipped descriptor on a real (or realistically generated) file of its feed. */
@ExtendWith(SparkExtension.class)
class FeedFormatsTest {

  static final byte[] KEY = "a-test-key-of-enough-length".getBytes(StandardCharsets.UTF_8);
  static final Path FIXTURES = Path.of("src/test/resources/fixtures");

  final SparkSession spark;
  @TempDir Path root;

  FeedFormatsTest(SparkSession spark) {
    this.spark = spark;
  }

  /** Lands the file for the source and date, and returns its raw rows. */
  Dataset<Row> ingest(SourceDescriptor source, LocalDate date, Path file) throws IOException {
    Path dir = Files.createDirectories(root.resolve("landing/" + source.id() + "/" + date));
    Files.copy(file, dir.resolve(file.getFileName()));
    Lake lake = new Lake(root.toString());
    return RawIngest.read(spark, source, RawIngest.landedFiles(spark, lake, source, date), "run-1", date, KEY).cache();
  }

  Dataset<Row> standardise(SourceDescriptor source, Dataset<Row> raw, LocalDate date) {
    return Standardiser.standardise(raw, source, RecordStandard.of(source.kind(), TestReference.SHIPPED), date).cache();
  }

  @Test
  void gbkFileIsDecoded() throws IOException {
    SourceDescriptor gbk = TestReference.descriptor("xinfadi-spec-origin-gbk");
    LocalDate day = LocalDate.of(2021, 12, 10);
    Dataset<Row> raw = ingest(gbk, day, FIXTURES.resolve("xinfadi-spec-origin-gbk-head.csv"));
    assertThat(raw.count()).isEqualTo(30);
    assertThat(raw.where(col(RawColumns.PARSE_ERROR).isNotNull()).count()).isZero();
    Row first = raw.orderBy(RawColumns.SOURCE_ROW).first();
    assertThat((String) first.getAs("品名")).isEqualTo("大白菜");
    assertThat((String) first.getAs("产地")).isEqualTo("冀陕辽");
    Dataset<Row> std = standardise(gbk, raw, day);
    assertThat(std.where("size(reasons) = 0").count()).isEqualTo(30);
  }

  @Test
  void headerlessApiDumpIsReadByPositionAndItsRealDefectsAreQuarantined() throws IOException {
    SourceDescriptor dump = TestReference.descriptor("xinfadi-api-dump");
    LocalDate day = LocalDate.of(2022, 6, 18);
    Dataset<Row> raw = ingest(dump, day, FIXTURES.resolve("xinfadi-api-dump-2022-06-18.csv"));
    assertThat(raw.count()).isEqualTo(318);
    Row first = raw.orderBy(RawColumns.SOURCE_ROW).first();
    assertThat((String) first.getAs("prodName")).isEqualTo("大白菜");
    assertThat((String) first.getAs("unitInfo")).isEqualTo("斤");
    assertThat((Long) first.getAs(RawColumns.SOURCE_ROW)).isEqualTo(1L);

    Dataset<Row> std = standardise(dump, raw, day);
    Dataset<Row> rejected = Quarantine.rows(std, dump);
    assertThat(rejected.where("array_contains(reasons, 'DUPLICATE')").count()).isEqualTo(20);
    assertThat(rejected.where("array_contains(reasons, 'PRICE_ORDER')").select("raw_values.prodName")
        .as(Encoders.STRING()).collectAsList()).containsExactly("泰国香蕉");
    assertThat(Standardiser.accepted(std, RecordStandard.of(RecordKind.PRICE, TestReference.SHIPPED)).count()
        + rejected.count()).isEqualTo(318);
  }

  @Test
  void excelWorkbookWithSerialDatesIsRead() throws IOException {
    SourceDescriptor xlsx = TestReference.descriptor("xinfadi-history-xlsx");
    LocalDate day = LocalDate.of(2013, 6, 10);
    Dataset<Row> raw = ingest(xlsx, day, FIXTURES.resolve("xinfadi-veg-2013-head.xlsx"));
    assertThat(raw.count()).isEqualTo(60);
    Row first = raw.orderBy(RawColumns.SOURCE_ROW).first();
    assertThat((String) first.getAs("品名")).isEqualTo("芋头");
    assertThat((String) first.getAs("发布日期")).isEqualTo("41435");
    assertThat((Long) first.getAs(RawColumns.SOURCE_ROW)).isEqualTo(2L);
    Dataset<Row> std = standardise(xlsx, raw, day);
    Row taro = std.where(col("product_name").equalTo("芋头")).first();
    assertThat(taro.<java.sql.Date>getAs("observed_date").toLocalDate()).isEqualTo(day);
    assertThat((Double) taro.getAs("price_avg")).isEqualTo(3.1);
  }

  @Test
  void jsonLinesAreReadByKeyAndABrokenLineIsKeptForQuarantine() throws IOException {
    SourceDescriptor waybills = TestReference.descriptor("courier-waybills");
    LocalDate day = LocalDate.of(2021, 12, 7);
    Path file = Files.writeString(root.resolve("waybills.jsonl"), """
        {"mailNo":"ZT70000000001","expressCompany":"中通快递","acceptTime":"2021-12-07 15:20:00","signTime":"2021-12-08 09:00:00","senderArea":"山西省运城市临猗县","receiverArea":"广东省广州市天河区","weight":"5.5","freight":"12","status":"已签收","receiverName":"王先生","receiverPhone":"15000000000"}

        {"mailNo":"ZT70000000002","expressCompany":"中通快递", broken
        """);
    Dataset<Row> raw = ingest(waybills, day, file);
    List<Row> rows = raw.orderBy(RawColumns.SOURCE_ROW).collectAsList();
    assertThat(rows).hasSize(2);
    assertThat((String) rows.get(0).getAs("mailNo")).isEqualTo("ZT70000000001");
    assertThat((String) rows.get(0).getAs("receiverName")).isNull();
    assertThat((String) rows.get(0).getAs("receiverPhone")).isNull();
    assertThat((Long) rows.get(1).getAs(RawColumns.SOURCE_ROW)).isEqualTo(3L);
    assertThat((String) rows.get(1).getAs(RawColumns.PARSE_ERROR)).startsWith("UNPARSEABLE_LINE: not valid JSON");
    // the feed carries personal data, so the text of a broken line is not kept
    assertThat((String) rows.get(1).getAs(RawColumns.RAW_LINE)).isNull();

    Row shipment = standardise(waybills, raw, day).where("size(reasons) = 0").first();
    assertThat((String) shipment.getAs("courier_code")).isEqualTo("ZTO");
    assertThat((String) shipment.getAs("sender_region_code")).isEqualTo("140821");
    assertThat((String) shipment.getAs("receiver_region_code")).isEqualTo("440106");
    assertThat((String) shipment.getAs("status")).isEqualTo("delivered");
    assertThat((Double) shipment.getAs("weight_kg")).isEqualTo(5.5);
  }

  @Test
  void personalDataNeverReachesTheRawLayer() throws IOException {
    SourceDescriptor orders = TestReference.descriptor("shop-orders");
    LocalDate day = LocalDate.of(2021, 12, 7);
    Path file = Files.writeString(root.resolve("orders.csv"), "\uFEFF平台,订单编号,子订单编号,下单时间,店铺名称,发货地,商品名称,规格,"
        + "购买数量,单位,单价,实付金额,收货人,收货人手机,收货地址,收货地区,物流公司,运单号,订单状态\r\n"
        + "拼多多,211207000001,1,2021-12-07 10:15:00,临猗果园旗舰店,运城临猗,临猗红富士苹果 产地直发,10斤/箱,2,箱,45.0,90.0,"
        + "王先生,13912345678,幸福路8号,广东省广州市天河区,中通快递,ZT70000000001,已发货\r\n");
    Dataset<Row> raw = ingest(orders, day, file);
    Row row = raw.first();
    assertThat((String) row.getAs("收货人")).isNull();
    assertThat((String) row.getAs("收货地址")).isNull();
    assertThat((String) row.getAs("收货人手机")).hasSize(64).doesNotContain("13912345678");

    Row sale = standardise(orders, raw, day).first();
    assertThat((String) sale.getAs("variety_code")).isEqualTo("020101");
    assertThat((Double) sale.getAs("quantity_kg")).isEqualTo(10.0);
    assertThat((Double) sale.getAs("unit_price_cny_kg")).isEqualTo(9.0);
    assertThat((String) sale.getAs("seller_region_code")).isEqualTo("140821");
    assertThat((String) sale.getAs("buyer_region_code")).isEqualTo("440106");
    assertThat((String) sale.getAs("courier_code")).isEqualTo("ZTO");
    assertThat((String) sale.getAs("status")).isEqualTo("shipped");
    assertThat((String) sale.getAs("buyer_ref")).isEqualTo(row.getAs("收货人手机"));
  }
}
