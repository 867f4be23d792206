package org.agrifusion.pipelines.sink.extract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.agrifusion.pipelines.lake.Snapshots;
import org.agrifusion.pipelines.support.SparkExtension;
import org.agrifusion.pipelines.support.TestReference;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An extract re-cut from the rows it was cut from is byte-identical, however Spark partitions them and
 * whenever it runs; its manifest names the lake snapshots the rows were read from.
 */
@ExtendWith(SparkExtension.class)
class ExtractReproducibilityTest {

  static final Snapshots PINS = Snapshots.of(Map.of(
      "marts.price_daily", 7L, "curated.price_observation", 8_734_118_205_550_612_003L));
  static final String[] MARKETS = {"BJ-XFD", "SX-TYHS", "SX-YCNC"};
  static final String[][] PRODUCTS = {
      {"富士", "0201", "020101"}, {"红富士", "0201", "020101"}, {"长茄", "0148", "014801"}, {"酥梨", "0202", "020201"}};
  static final String[][] ORIGINS = {{"晋", "140000"}, {"运城", "140800"}, {"临猗", "140821"}, {"陕", "610000"}};

  final SparkSession spark;
  @TempDir Path dir;

  ExtractReproducibilityTest(SparkSession spark) {
    this.spark = spark;
  }

  /** A day of quotes with many ties on any one column: several markets quote each product from several origins. */
  static List<Row> quotes() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 240; i++) {
      String[] product = PRODUCTS[i % PRODUCTS.length];
      String[] origin = ORIGINS[(i / 4) % ORIGINS.length];
      double low = 2 + (i % 7) * 0.5;
      rows.add(ExtractsTest.quote(MARKETS[(i / 16) % MARKETS.length], product[0], product[1], product[2], origin[0],
          List.of(origin[1]), i % 11 != 0, low, low + 1, low + 2));
    }
    return rows;
  }

  /** The detail of the day sorted only by product, so most rows tie on the sort key. */
  static ExtractSpec detail() {
    return new ExtractSpec("price-detail", "价格明细", null, "curated.price_observation", ExtractSpec.Cadence.DAILY, null, null,
        List.of(new ExtractSpec.OutputColumn("product_name", "品名", null),
            new ExtractSpec.OutputColumn("market_code", "市场代码", null),
            new ExtractSpec.OutputColumn("origin_raw", "产地", null),
            new ExtractSpec.OutputColumn("origin_codes", "产地代码", null),
            new ExtractSpec.OutputColumn("price_low", "最低价", null),
            new ExtractSpec.OutputColumn("price_avg", "平均价", null)),
        List.of("product_name"), List.of(ExtractSpec.Format.CSV, ExtractSpec.Format.XLSX), "x");
  }

  ExtractWriter.Manifest cut(ExtractSpec spec, Dataset<Row> source, String runId) {
    return ExtractWriter.write(spec, ExtractQuery.rows(spec, source, TestReference.SHIPPED).toLocalIterator(),
        ExtractsTest.DAY, PINS, folder(spec), runId, spark.sparkContext().hadoopConfiguration());
  }

  String folder(ExtractSpec spec) {
    return "file:" + dir.resolve(spec.id());
  }

  @Test
  void aReCutOfTheSameRowsIsByteIdenticalHoweverTheyArePartitionedAndWhenever() throws Exception {
    List<Row> rows = quotes();
    List<Row> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, new Random(11));
    Dataset<Row> issued = spark.createDataFrame(rows, ExtractsTest.PRICES).coalesce(1);
    Dataset<Row> reCut = spark.createDataFrame(shuffled, ExtractsTest.PRICES).repartition(5);
    List<ExtractSpec> specs = List.of(detail(), ExtractSpecs.load(ExtractsTest.CONF.resolve(
        "provincial-daily-price-bulletin.yml")));

    List<ExtractWriter.Manifest> first = new ArrayList<>();
    for (ExtractSpec spec : specs) {
      first.add(cut(spec, issued, "run-1"));
    }
    // zip entry times have two seconds' resolution, the workbook's properties one
    Thread.sleep(2_100);
    for (int i = 0; i < specs.size(); i++) {
      ExtractWriter.Manifest second = cut(specs.get(i), reCut, "run-2");

      assertThat(second.files()).extracting(ExtractWriter.FileEntry::name)
          .containsExactly(specs.get(i).id() + "_2021-12-07.csv", specs.get(i).id() + "_2021-12-07.xlsx");
      assertThat(second.files()).as(specs.get(i).id()).isEqualTo(first.get(i).files());
      assertThat(second.rows()).isPositive().isEqualTo(first.get(i).rows());
      assertThat(second.runId()).isNotEqualTo(first.get(i).runId());
      Path period = dir.resolve(specs.get(i).id()).resolve("2021-12-07");
      for (ExtractWriter.FileEntry file : second.files()) {
        assertThat(sha256(period.resolve(file.name()))).isEqualTo(file.sha256());
      }
    }
    // ties on the sort key are broken by the other columns, in order
    List<String> csv = Files.readAllLines(dir.resolve("price-detail/2021-12-07/price-detail_2021-12-07.csv"));
    assertThat(csv.subList(1, 4)).containsExactly(
        "富士,BJ-XFD,临猗,140821,2,3", "富士,BJ-XFD,临猗,140821,2.5,3.5", "富士,BJ-XFD,临猗,140821,4,5");
  }

  /**
   * The mean of 2.78, 1.54, 16.88 and 9.22 is 7.605: summed as doubles in some orders it comes out a
   * hair below and the bulletin would print 7.60 on one night and 7.61 on a re-run.
   */
  @Test
  void aMeanOnARoundingTieIsTheSameInEveryRowOrder() {
    double[] avg = {2.78, 1.54, 16.88, 9.22};
    ExtractSpec bulletin = ExtractSpecs.load(ExtractsTest.CONF.resolve("provincial-daily-price-bulletin.yml"));
    java.util.Set<Object> printed = new java.util.HashSet<>();
    for (int[] order : new int[][] {{0, 1, 2, 3}, {3, 2, 1, 0}, {1, 3, 0, 2}, {2, 0, 3, 1}, {0, 2, 1, 3}, {3, 0, 2, 1}}) {
      List<Row> rows = new ArrayList<>();
      for (int i : order) {
        rows.add(ExtractsTest.quote("BJ-XFD", "富士", "0201", "020101", "运城", List.of("140800"), true, 1.0, avg[i], 20.0));
      }
      printed.add(ExtractQuery.rows(bulletin, spark.createDataFrame(rows, ExtractsTest.PRICES).coalesce(1), TestReference.SHIPPED)
          .first().getAs("price_avg"));
    }
    assertThat(printed).containsExactly(7.61);
  }

  @Test
  void aWorkbookCarriesTheBusinessDateAndFixedEntryTimesInsteadOfTheClock() throws IOException {
    cut(detail(), spark.createDataFrame(quotes(), ExtractsTest.PRICES), "1");

    Path xlsx = dir.resolve("price-detail/2021-12-07/price-detail_2021-12-07.xlsx");
    try (InputStream in = Files.newInputStream(xlsx); XSSFWorkbook book = new XSSFWorkbook(in)) {
      var core = book.getProperties().getCoreProperties();
      OffsetDateTime midnight = OffsetDateTime.of(2021, 12, 7, 0, 0, 0, 0, ZoneOffset.ofHours(8));
      assertThat(core.getCreated().toInstant()).isEqualTo(midnight.toInstant());
      assertThat(core.getModified().toInstant()).isEqualTo(midnight.toInstant());
      assertThat(book.getSheet("2021-12-07").getLastRowNum()).isEqualTo(240);
    }
    try (ZipFile zip = new ZipFile(xlsx.toFile())) {
      List<String> names = new ArrayList<>();
      for (ZipEntry entry : Collections.list(zip.entries())) {
        names.add(entry.getName());
        // the DOS time fields themselves, which are the same in every time zone
        assertThat(entry.getTimeLocal()).as(entry.getName()).isEqualTo(LocalDateTime.of(1980, 1, 1, 0, 0));
        assertThat(entry.getExtra()).as(entry.getName()).isNullOrEmpty();
      }
      assertThat(names).startsWith("[Content_Types].xml").contains("docProps/core.xml", "xl/worksheets/sheet1.xml");
    }
  }

  @Test
  void theManifestNamesTheSnapshotsTheRowsWereReadFromAndReadsBack() throws IOException {
    ExtractSpec spec = detail();
    ExtractWriter.Manifest written = cut(spec, spark.createDataFrame(quotes(), ExtractsTest.PRICES), "9");

    var json = new ObjectMapper().readTree(dir.resolve("price-detail/2021-12-07/manifest.json").toFile());
    assertThat(json.get("snapshots").fieldNames()).toIterable()
        .containsExactly("curated.price_observation", "marts.price_daily");
    assertThat(json.get("snapshots").get("curated.price_observation").asLong()).isEqualTo(8_734_118_205_550_612_003L);

    var hadoop = spark.sparkContext().hadoopConfiguration();
    ExtractWriter.Manifest read = ExtractWriter.readManifest(folder(spec), "2021-12-07", hadoop).orElseThrow();
    assertThat(read).isEqualTo(written);
    assertThat(read.pinned()).isEqualTo(PINS);
    assertThat(ExtractWriter.readManifest(folder(spec), "2021-12-08", hadoop)).isEmpty();
    assertThat(ExtractWriter.readManifest("file:" + dir.resolve("never-issued"), "2021-12", hadoop)).isEmpty();
  }

  @Test
  void aManifestIssuedBeforeSnapshotsWereRecordedReadsBackWithNone() throws IOException {
    ExtractSpec spec = detail();
    cut(spec, spark.createDataFrame(quotes().subList(0, 3), ExtractsTest.PRICES), "9");
    Path file = dir.resolve("price-detail/2021-12-07/manifest.json");
    var json = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(file.toFile());
    json.remove("snapshots");
    Files.writeString(file, json.toString());
    Files.delete(file.resolveSibling(".manifest.json.crc")); // Hadoop's checksum of the file as written

    ExtractWriter.Manifest read = ExtractWriter.readManifest(folder(spec), "2021-12-07",
        spark.sparkContext().hadoopConfiguration()).orElseThrow();
    assertThat(read.snapshots()).isEmpty();
    assertThat(read.rows()).isEqualTo(3);
  }

  @Test
  void anAggregateThatDependsOnTheOrderRowsAreReadInIsRefused() throws IOException {
    String good = Files.readString(ExtractsTest.CONF.resolve("provincial-daily-price-bulletin.yml"));
    assertThat(problem(good.replace("min(market_name)", "first(market_name)")))
        .endsWith("columns.market_name.expr: function first is not allowed: it takes whichever row Spark reads first,"
            + " so a re-cut of the period could differ; use min or max");
    assertThat(problem(good.replace("min(market_name)", "any_value(market_name)"))).contains("function any_value is not allowed");
    assertThat(problem(good.replace("min(market_name)", "upper(last(market_name))"))).contains("function last is not allowed");
    assertThat(problem(good.replace("array_sort(collect_set(origin_raw))", "collect_set(origin_raw)")))
        .endsWith("columns.origins.expr: collect_set lists values in the order Spark reads them, so a re-cut of the"
            + " period could differ; sort them: array_sort(collect_set(...))");
    assertThat(problem(good.replace("array_sort(collect_set(origin_raw))", "array_distinct(collect_list(origin_raw))")))
        .contains("collect_list lists values in the order Spark reads them");
    // sorted, a collected list is the same however the rows come
    ExtractSpecs.load(write(good.replace("array_sort(collect_set(origin_raw))", "sort_array(collect_list(origin_raw))")));
  }

  String problem(String yaml) throws IOException {
    Path file = write(yaml);
    return org.assertj.core.api.Assertions.catchThrowable(() -> ExtractSpecs.load(file)).getMessage();
  }

  Path write(String yaml) throws IOException {
    return Files.writeString(dir.resolve("definition.yml"), yaml);
  }

  static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
