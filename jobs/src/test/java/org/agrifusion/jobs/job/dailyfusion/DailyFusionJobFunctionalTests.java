package org.agrifusion.jobs.job.dailyfusion;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.size;
import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.agrifusion.jobs.es.FamilyLoader;
import org.agrifusion.jobs.support.TestLake;
import org.agrifusion.jobs.es.IndexManager;
import org.agrifusion.pipelines.generate.SyntheticFeeds;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.lake.LakeTable;
import org.agrifusion.pipelines.lake.Tables;
import org.agrifusion.pipelines.source.RecordKind;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * The whole nightly job on real components: embedded Spark, Parquet on local disk, Spring Batch
 * on H2, and the local Elasticsearch node that scripts/test.sh starts (AGRI_ES_URL).
 */
@SpringBootTest
class DailyFusionJobFunctionalTests {

  static final LocalDate DAY = LocalDate.of(2021, 12, 7);
  static final TestLake LAKE = TestLake.create("job-it");
  static final Path ROOT = LAKE.root();
  static final Path SAMPLE = Path.of("../samples/landing/xinfadi-daily-prices/2021-12-07/xinfadi_prices_2021-12-07.csv");

  /**
   * Real lines of the sample, each broken in one way a market feed breaks, plus one good line
   * (豆王). Expected: 5 quarantined with the named reason, 1 accepted.
   */
  static final String DAMAGED = """
      prodCat,prodPcat,prodName,lowPrice,avgPrice,highPrice,place,unitInfo,pubDate
      蔬菜,,长茄,abc,3.0,2.5,冀晋辽,斤,2021-12-07 00:00:00
      蔬菜,,韭菜,3.0,2.0,2.5,晋,斤,2021-12-07 00:00:00
      蔬菜,,架豆,5.0,6.0,5.5,冀晋,斤,2021-12-06 00:00:00
      蔬菜,,尖椒,4.0,5.0
      蔬菜,,,4.0,5.0,4.5,冀晋鲁,斤,2021-12-07 00:00:00
      蔬菜,,豆王,4.0,5.0,4.5,冀晋甘,斤,2021-12-07 00:00:00
      """;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    LAKE.register(registry, "daily-fusion-it");
  }

  @Autowired JobOperator jobOperator;
  @Autowired Job dailyFusionJob;
  @Autowired SparkSession spark;
  @Autowired Lake lake;
  @Autowired IndexManager indices;
  @Autowired ElasticsearchClient client;
  @Autowired ReferenceData reference;

  Path landing() throws IOException {
    return Files.createDirectories(ROOT.resolve("landing/xinfadi-daily-prices/" + DAY));
  }

  @BeforeEach
  void landTheNight() throws IOException {
    FileSystemUtils.deleteRecursively(ROOT.resolve("landing"));
    TestLake.dropTables(spark, lake);
    Files.copy(SAMPLE, landing().resolve("xinfadi_prices_2021-12-07.csv"));
    Files.writeString(landing().resolve("xinfadi_damaged_2021-12-07.csv"), DAMAGED, StandardCharsets.UTF_8);
  }

  @AfterAll
  static void dropTestIndices(@Autowired FamilyLoader loader, @Autowired IndexManager indices) {
    LAKE.drop(indices, loader.families().keySet());
  }

  @Test
  void theNightOnRealComponentsAddsUpAndARerunChangesNothing() throws Exception {
    // when
    JobExecution first = jobOperator.start(dailyFusionJob, DailyFusionParameters.of(DAY));

    // then
    assertThat(first.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(first.getStepExecutions()).extracting(StepExecution::getStepName)
        .containsExactly("ingest", "standardise", "fuse", "publish", "index", "extract", "report");
    StepExecution standardise = step(first, "standardise");
    assertThat(standardise.getReadCount()).isEqualTo(443 + 6);
    assertThat(standardise.getWriteCount()).isEqualTo(440 + 1);
    assertThat(standardise.getFilterCount()).isEqualTo(3 + 5);
    assertThat(standardise.getReadCount()).isEqualTo(standardise.getWriteCount() + standardise.getFilterCount());
    assertOutputsHold(441, 8);

    Dataset<Row> quarantine = Tables.read(spark, lake.quarantine(RecordKind.PRICE), DAY).orElseThrow();
    assertThat(quarantine.where(size(col("reasons")).equalTo(0)).count()).isZero();
    assertThat(quarantine.where(col("source_file").endsWith("xinfadi_damaged_2021-12-07.csv"))
        .orderBy("source_row").select(col("reasons").getItem(0)).as(Encoders.STRING()).collectAsList())
        .containsExactly("BAD_NUMBER", "PRICE_ORDER", "DATE_OUTSIDE_WINDOW", "UNPARSEABLE_LINE", "MISSING_FIELD");
    assertThat(quarantine.where(col("reasons").getItem(0).equalTo("DUPLICATE")).count()).isEqualTo(3);

    // when the same date is forced to run again
    JobExecution rerun = jobOperator.start(dailyFusionJob, DailyFusionParameters.rerunOf(DAY, "rerun-1"));

    // then nothing is duplicated anywhere
    assertThat(rerun.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    assertOutputsHold(441, 8);
    assertThat(step(rerun, "index").getExecutionContext().get("figures").toString()).contains("441 of 441 (stale removed 0)");
  }

  @Test
  void aRerunWithoutAFileRemovesItsRowsFromEveryOutput() throws Exception {
    assertThat(jobOperator.start(dailyFusionJob, DailyFusionParameters.rerunOf(DAY, "with-both")).getStatus())
        .isEqualTo(BatchStatus.COMPLETED);
    Files.delete(landing().resolve("xinfadi_damaged_2021-12-07.csv"));

    JobExecution rerun = jobOperator.start(dailyFusionJob, DailyFusionParameters.rerunOf(DAY, "sample-only"));

    assertThat(rerun.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    assertOutputsHold(440, 3);
    // the 440 sample rows are overwritten in place; only the damaged file's one good row is stale
    assertThat(step(rerun, "index").getExecutionContext().get("figures").toString()).contains("440 of 440 (stale removed 1)");
  }

  @Test
  void allFourKindsOfFeedAreStandardisedAddUpAndCarryNoPersonalData() throws Exception {
    // given a day of generated shop orders, courier waybills and origin registry besides the prices
    new SyntheticFeeds(reference.regions()).write(ROOT.resolve("landing"), DAY, 300, 7);

    // when
    JobExecution run = jobOperator.start(dailyFusionJob, DailyFusionParameters.rerunOf(DAY, "four-kinds"));

    // then
    assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    StepExecution standardise = step(run, "standardise");
    assertThat(standardise.getReadCount()).isEqualTo(standardise.getWriteCount() + standardise.getFilterCount());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> files = (List<Map<String, Object>>) ((Map<String, Object>) standardise.getExecutionContext()
        .get("figures")).get("files");
    assertThat(files).extracting(f -> f.get("source")).contains("shop-orders", "courier-waybills", "origin-registry",
        "xinfadi-daily-prices");
    assertThat(files).allSatisfy(f ->
        assertThat((Long) f.get("read")).isEqualTo((Long) f.get("accepted") + (Long) f.get("quarantined")));

    for (LakeTable dataset : List.of(LakeTable.SALE, LakeTable.SHIPMENT, LakeTable.ORIGIN_ENTITY)) {
      Dataset<Row> curated = Tables.read(spark, lake.table(dataset), DAY).orElseThrow();
      assertThat(curated.count()).as(dataset.qualifiedName()).isPositive();
      for (String column : curated.columns()) {
        // hashes and tracking numbers are long digit runs by nature; every other text column is checked
        boolean digitsByNature = List.of("record_id", "content_hash", "buyer_ref", "tracking_no").contains(column);
        if (!digitsByNature && curated.schema().apply(column).dataType().equals(org.apache.spark.sql.types.DataTypes.StringType)) {
          assertThat(curated.where(col(column).rlike("(^|\\D)1[3-9]\\d{9}(\\D|$)|先生|女士|经理|幸福路|建设街")).count())
              .as("personal data in %s.%s", dataset, column).isZero();
        }
      }
    }
    Dataset<Row> sales = Tables.read(spark, lake.table(LakeTable.SALE), DAY).orElseThrow();
    assertThat(sales.where(col("buyer_ref").rlike("^[0-9a-f]{64}$")).count()).isEqualTo(sales.count());
    assertThat(sales.where(col("product_code").isNull().or(col("buyer_region_code").isNull())).count()).isZero();
    Dataset<Row> shipments = Tables.read(spark, lake.table(LakeTable.SHIPMENT), DAY).orElseThrow();
    assertThat(shipments.where(col("sender_region_code").isNull().or(col("receiver_region_code").isNull())).count()).isZero();
  }

  @Test
  void aWaybillOfYesterdaysOrderIsMatchedTheNextDayAndTheMartsArePublished() throws Exception {
    // given two days of generated feeds; some of the first day's orders are picked up on the second
    LocalDate before = DAY.minusDays(1);
    SyntheticFeeds feeds = new SyntheticFeeds(reference.regions());
    feeds.write(ROOT.resolve("landing"), before, 200, 11);
    feeds.write(ROOT.resolve("landing"), DAY, 200, 11);

    // when both days run in order
    assertThat(jobOperator.start(dailyFusionJob, DailyFusionParameters.rerunOf(before, "late-1")).getStatus())
        .isEqualTo(BatchStatus.COMPLETED);
    JobExecution second = jobOperator.start(dailyFusionJob, DailyFusionParameters.rerunOf(DAY, "late-2"));

    // then the second day's parcels find orders of the first day, and nothing is dropped
    assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    Dataset<Row> parcels = Tables.read(spark, lake.table(LakeTable.PARCEL), DAY).orElseThrow();
    Dataset<Row> shipments = Tables.read(spark, lake.table(LakeTable.SHIPMENT), DAY).orElseThrow();
    assertThat(parcels.count()).isEqualTo(shipments.count());
    assertThat(parcels.where(col("match_status").equalTo("matched").and(col("order_date").equalTo(java.sql.Date.valueOf(before))))
        .count()).isPositive();
    assertThat(parcels.where(col("match_status").equalTo("no_order").and(col("direction").equalTo("down"))).count()).isPositive();
    for (LakeTable mart : List.of(LakeTable.PRICE_DAILY, LakeTable.FLOW_DAILY, LakeTable.DELIVERY_DAILY, LakeTable.SPREAD_DAILY,
        LakeTable.UPBOUND_DAILY)) {
      assertThat(Tables.read(spark, lake.table(mart), DAY)).as(mart.qualifiedName()).isPresent();
    }
    Dataset<Row> upbound = Tables.read(spark, lake.table(LakeTable.UPBOUND_MONTHLY), "2021-12").orElseThrow();
    long upboundAgricultural = parcels.where(col("direction").equalTo("up").and(col("agricultural"))).count()
        + Tables.read(spark, lake.table(LakeTable.PARCEL), before).orElseThrow()
            .where(col("direction").equalTo("up").and(col("agricultural"))).count();
    assertThat(upbound.agg(org.apache.spark.sql.functions.sum("parcels")).first().getLong(0)).isEqualTo(upboundAgricultural);

    // and the monthly extracts hold the month so far (both days) of Shanxi's counties and cities
    long shanxiUpbound = upbound.where(col("county_code").startsWith("14")).agg(org.apache.spark.sql.functions.sum("parcels"))
        .first().getLong(0);
    assertThat(extractColumnSum("shanxi-postal-administration", "upbound-parcels-monthly", "2021-12", 4)).isEqualTo(shanxiUpbound);
    long shanxiOrders = Tables.read(spark, lake.table(LakeTable.FLOW_DAILY), before).orElseThrow()
        .union(Tables.read(spark, lake.table(LakeTable.FLOW_DAILY), DAY).orElseThrow())
        .where(col("origin_county_code").startsWith("14")).agg(org.apache.spark.sql.functions.sum("orders")).first().getLong(0);
    assertThat(extractColumnSum("shanxi-agriculture-department", "origin-market-flow-monthly", "2021-12", 7)).isEqualTo(shanxiOrders);

    // and the run report has every source and a series for each chart, drawn in report.html
    JsonNode report = new ObjectMapper().readTree(Path.of(java.net.URI.create(ReportTasklet.target(lake, DAY))).toFile());
    assertThat(report.get("sources").findValuesAsText("source"))
        .contains("xinfadi-daily-prices", "shop-orders", "courier-waybills", "origin-registry");
    assertThat(report.get("sources")).allSatisfy(s ->
        assertThat(s.get("read").asLong()).isEqualTo(s.get("accepted").asLong() + s.get("quarantined").asLong()));
    JsonNode charts = report.get("charts");
    assertThat(charts.get("priceTrend").get("series")).hasSize(5);
    assertThat(charts.get("priceTrend").get("series").get(0).get("points").get(0).get("date").asText()).isEqualTo(DAY.toString());
    assertThat(charts.get("deliveryByCity").get("top")).isNotEmpty();
    assertThat(charts.get("deliveryByCity").get("top").findValues("parcels").stream().mapToLong(JsonNode::asLong).sum())
        .isLessThanOrEqualTo(parcels.count());
    assertThat(charts.get("upboundByCounty").get("parcels").asLong()).isEqualTo(upboundAgricultural);
    String html = Files.readString(Path.of(java.net.URI.create(ReportTasklet.htmlTarget(lake, DAY))), StandardCharsets.UTF_8);
    assertThat(html.split("<svg ", -1)).hasSize(1 + 3);
    assertThat(html).contains("shop-orders", "courier-waybills", "standardise", "publish",
        charts.get("priceTrend").get("series").get(0).get("name").asText()).doesNotContain("No data");
  }

  /** The sum of one numeric column of an extract's CSV, after checking the manifest's row count. */
  long extractColumnSum(String destination, String id, String period, int column) throws IOException {
    Path folder = Path.of(java.net.URI.create(lake.extract(destination, id))).resolve(period);
    List<String> rows = Files.readAllLines(folder.resolve(id + "_" + period + ".csv")).stream().skip(1).toList();
    assertThat(new ObjectMapper().readTree(folder.resolve("manifest.json").toFile()).get("rows").asInt()).isEqualTo(rows.size());
    assertThat(rows).isNotEmpty();
    return rows.stream().mapToLong(r -> Long.parseLong(r.split(",")[column])).sum();
  }

  @Test
  void personalDataInShiftedOrUnexpectedColumnsReachesNeitherRawNorQuarantineNorTheReport() throws Exception {
    // given the order export with 备注 inserted before 收货人, and one with the right header
    // whose region and tracking-number columns hold an address and a phone number
    Path orders = Files.createDirectories(ROOT.resolve("landing/shop-orders/" + DAY));
    Files.copy(Path.of("../pipelines/src/test/resources/fixtures/shop-orders-shifted-remark.csv"), orders.resolve("orders_shifted.csv"));
    Files.writeString(orders.resolve("orders_right.csv"), "\uFEFF平台,订单编号,子订单编号,下单时间,店铺名称,发货地,商品名称,规格,"
        + "购买数量,单位,单价,实付金额,收货人,收货人手机,收货地址,收货地区,物流公司,运单号,订单状态\r\n"
        + "拼多多,211207000001,1,2021-12-07 10:15:00,临猗果园旗舰店,运城临猗,临猗红富士苹果 产地直发,10斤/箱,2,箱,45.0,90.0,"
        + "王先生,13912345678,幸福路8号,15644226657,中通快递,ZT70000000001,已发货\r\n"
        + "淘宝,211207000002,1,2021-12-07 10:16:00,临猗果园旗舰店,运城临猗,临猗红富士苹果 产地直发,10斤/箱,1,箱,45.0,45.0,"
        + "李女士,13912345679,幸福路9号,广东省广州市天河区,幸福路230号,ZT70000000002,已发货\r\n", StandardCharsets.UTF_8);

    // when
    JobExecution run = jobOperator.start(dailyFusionJob, DailyFusionParameters.rerunOf(DAY, "personal-data"));

    // then the run completes, with the installation key generated in the lake for owner only
    assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(ROOT.resolve("secrets/pii-hash.key")))).isEqualTo("rw-------");
    // and no mobile number, street address or name is in raw, quarantine, report.json or report.html
    java.util.regex.Pattern leak = java.util.regex.Pattern.compile(
        "(?<![0-9A-Za-z])1[3-9]\\d[\\s-]?\\d{4}[\\s-]?\\d{4}(?![0-9A-Za-z])|幸福路|阳光小区|建设街|北关村|人民路|王先生|李女士");
    List<String> texts = new java.util.ArrayList<>();
    texts.addAll(Tables.read(spark, lake.raw("shop-orders"), DAY).orElseThrow().toJSON().collectAsList());
    Dataset<Row> quarantine = Tables.read(spark, lake.quarantine(RecordKind.SALE), DAY).orElseThrow();
    texts.addAll(quarantine.toJSON().collectAsList());
    String report = Files.readString(Path.of(java.net.URI.create(ReportTasklet.target(lake, DAY))));
    texts.add(report);
    texts.add(Files.readString(Path.of(java.net.URI.create(ReportTasklet.htmlTarget(lake, DAY)))));
    assertThat(texts).hasSizeGreaterThan(9).noneMatch(text -> leak.matcher(text).find());
    assertThat(quarantine.count()).isGreaterThanOrEqualTo(2);
    assertThat(report).contains("PERSONAL_DATA_IN_FIELD", "buyer_region (收货地区) held a mobile number (masked on reading)");
  }

  /** Parquet, Elasticsearch, the extract and the report all agree on the counts. */
  void assertOutputsHold(long accepted, long quarantined) throws IOException {
    Dataset<Row> curated = Tables.read(spark, lake.table(LakeTable.PRICE_OBSERVATION), DAY).orElseThrow();
    assertThat(curated.count()).isEqualTo(accepted);
    assertThat(curated.select("record_id").distinct().count()).isEqualTo(accepted);
    assertThat(Tables.read(spark, lake.quarantine(RecordKind.PRICE), DAY).orElseThrow().count())
        .isEqualTo(quarantined);

    String index = indices.alias("price-observations");
    assertThat(client.count(c -> c.index(index)).count()).isEqualTo(accepted);
    SearchResponse<Map> fuji = client.search(s -> s.index(index)
        .query(q -> q.matchPhrase(m -> m.field("product_name").query("富士"))), Map.class);
    assertThat(fuji.hits().hits()).isNotEmpty()
        .allSatisfy(h -> assertThat(h.source().get("product_name").toString()).contains("富士"));

    Path extracts = Path.of(java.net.URI.create(lake.extract("shanxi-agriculture-department", "wholesale-price-observations")));
    Path extract = extracts.resolve(DAY + "/wholesale-price-observations_" + DAY + ".csv");
    byte[] bytes = Files.readAllBytes(extract);
    assertThat(bytes).startsWith((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
    List<String> lines = Files.readAllLines(extract, StandardCharsets.UTF_8);
    assertThat(lines).hasSize((int) accepted + 1);
    assertThat(lines.get(0)).startsWith("\uFEFF日期,市场代码,批发市场,市场所在国家,市场所在省/州,市场所在市/县,一级分类");
    // Xinfadi (market_region 110106) is in China, 北京市, 丰台区
    assertThat(lines).anyMatch(l -> l.contains(",北京新发地农产品批发市场,CN,北京市,丰台区,"));
    assertThat(new ObjectMapper().readTree(extracts.resolve(DAY + "/manifest.json").toFile()).get("rows").asLong())
        .isEqualTo(accepted);
    // the sample day has one Shanxi-grown quote: 长茄 from 冀晋辽; every bulletin line is grown in Shanxi
    Path bulletin = Path.of(java.net.URI.create(lake.extract("shanxi-agriculture-department", "provincial-daily-price-bulletin")))
        .resolve(DAY + "/provincial-daily-price-bulletin_" + DAY + ".csv");
    assertThat(Files.readAllLines(bulletin).stream().skip(1)).isNotEmpty().allMatch(l -> l.matches(".*,[^,]*晋[^,]*$"))
        .anyMatch(l -> l.startsWith(DAY + ",014801,长茄,BJ-XFD,北京新发地农产品批发市场,3,3.5,4,1,冀晋辽"));

    JsonNode report = new ObjectMapper().readTree(Path.of(java.net.URI.create(ReportTasklet.target(lake, DAY))).toFile());
    assertThat(report.get("businessDate").asText()).isEqualTo(DAY.toString());
    JsonNode std = report.get("steps").get(1);
    assertThat(std.get("name").asText()).isEqualTo("standardise");
    assertThat(std.get("written").asLong()).isEqualTo(accepted);
    assertThat(std.get("quarantined").asLong()).isEqualTo(quarantined);
    JsonNode prices = report.get("sources").findParents("source").stream()
        .filter(s -> s.get("source").asText().equals("xinfadi-daily-prices")).findFirst().orElseThrow();
    assertThat(prices.get("accepted").asLong()).isEqualTo(accepted);
    assertThat(prices.get("quarantined").asLong()).isEqualTo(quarantined);
    assertThat(report.get("quarantine").get(0).get("topReasons")).anySatisfy(r -> {
      assertThat(r.get("reason").asText()).isEqualTo("DUPLICATE");
      assertThat(r.get("rows").asLong()).isEqualTo(3);
      assertThat(r.get("samples")).hasSize(3);
    });
    assertThat(Path.of(java.net.URI.create(ReportTasklet.htmlTarget(lake, DAY)))).content(StandardCharsets.UTF_8)
        .contains("xinfadi-daily-prices", "DUPLICATE", "<svg ");
  }

  static StepExecution step(JobExecution execution, String name) {
    return execution.getStepExecutions().stream().filter(s -> s.getStepName().equals(name)).findFirst().orElseThrow();
  }
}
