package org.agrifusion.pipelines.sink.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.agrifusion.pipelines.lake.Snapshots;
import org.agrifusion.pipelines.support.SparkExtension;
import org.agrifusion.pipelines.support.TestReference;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The shipped extract definitions run on real-looking curated rows, written as departments receive them. */
@ExtendWith(SparkExtension.class)
class ExtractsTest {

  static final Path CONF = Path.of("../conf/extracts");
  static final LocalDate DAY = LocalDate.of(2021, 12, 7);
  static final Snapshots NO_SNAPSHOTS = Snapshots.of(Map.of());
  static final StructType PRICES = DataTypes.createStructType(List.of(
      DataTypes.createStructField("business_date", DataTypes.DateType, false),
      DataTypes.createStructField("market_code", DataTypes.StringType, true),
      DataTypes.createStructField("market_key", DataTypes.StringType, true),
      DataTypes.createStructField("market_name", DataTypes.StringType, true),
      DataTypes.createStructField("product_name", DataTypes.StringType, true),
      DataTypes.createStructField("product_code", DataTypes.StringType, true),
      DataTypes.createStructField("variety_code", DataTypes.StringType, true),
      DataTypes.createStructField("origin_raw", DataTypes.StringType, true),
      DataTypes.createStructField("origin_codes", DataTypes.createArrayType(DataTypes.StringType), false),
      DataTypes.createStructField("unit_convertible", DataTypes.BooleanType, false),
      DataTypes.createStructField("price_low", DataTypes.DoubleType, true),
      DataTypes.createStructField("price_avg", DataTypes.DoubleType, true),
      DataTypes.createStructField("price_high", DataTypes.DoubleType, true)));

  final SparkSession spark;
  @TempDir Path dir;

  ExtractsTest(SparkSession spark) {
    this.spark = spark;
  }

  static Row quote(String market, String product, String productCode, String variety, String origin, List<String> codes,
      boolean convertible, Double low, Double avg, Double high) {
    return RowFactory.create(java.sql.Date.valueOf(DAY), market, market, "北京新发地农产品批发市场", product, productCode, variety, origin,
        codes.toArray(new String[0]), convertible, low, avg, high);
  }

  /** Quotes as the Xinfadi feeds give them after standardisation (prices in CNY/kg). */
  Dataset<Row> prices() {
    return spark.createDataFrame(List.of(
        quote("BJ-XFD", "富士", "0201", "020101", "晋", List.of("140000"), true, 6.0, 8.0, 10.0),
        quote("BJ-XFD", "红富士", "0201", "020101", "运城", List.of("140800"), true, 7.0, 9.0, 11.0),
        quote("BJ-XFD", "长茄", "0148", "014801", "冀晋辽", List.of("130000", "140000", "210000"), true, 3.0, 4.0, 3.5),
        // a product name a spreadsheet would run as a formula
        quote("BJ-XFD", "=HYPERLINK(\"http://x\",\"梨\")", "0202", null, "晋", List.of("140000"), true, 5.0, 5.0, 5.0),
        // not Shanxi-grown, and a price that is not per kg: both left out of the bulletin
        quote("BJ-XFD", "富士", "0201", "020101", "陕", List.of("610000"), true, 5.0, 6.0, 7.0),
        quote("BJ-XFD", "富士", "0201", "020101", "晋", List.of("140000"), false, null, null, null)), PRICES);
  }

  ExtractSpec shipped(String id) {
    return ExtractSpecs.load(CONF.resolve(id + ".yml"));
  }

  ExtractWriter.Manifest write(ExtractSpec spec, Dataset<Row> source, LocalDate date, String runId) {
    Dataset<Row> rows = ExtractQuery.rows(spec, source, TestReference.SHIPPED);
    return ExtractWriter.write(spec, rows.toLocalIterator(), date, NO_SNAPSHOTS, "file:" + dir.resolve(spec.id()), runId,
        spark.sparkContext().hadoopConfiguration());
  }

  @Test
  void theBulletinHoldsShanxiGrownVarietiesPerMarketWithChineseHeadersBehindABom() throws IOException {
    ExtractWriter.Manifest manifest = write(shipped("provincial-daily-price-bulletin"), prices(), DAY, "41");

    Path period = dir.resolve("provincial-daily-price-bulletin/2021-12-07");
    byte[] bytes = Files.readAllBytes(period.resolve("provincial-daily-price-bulletin_2021-12-07.csv"));
    assertThat(bytes).startsWith((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
    List<String> lines = new String(bytes, StandardCharsets.UTF_8).substring(1).lines().toList();
    assertThat(lines).containsExactly(
        "日期,品种代码,品种,市场代码,批发市场,最低价(元/公斤),平均价(元/公斤),最高价(元/公斤),报价条数,产地",
        "2021-12-07,014801,长茄,BJ-XFD,北京新发地农产品批发市场,3,4,3.5,1,冀晋辽",
        "2021-12-07,020101,红富士,BJ-XFD,北京新发地农产品批发市场,6,8.5,11,2,晋、运城",
        "2021-12-07,0202,梨,BJ-XFD,北京新发地农产品批发市场,5,5,5,1,晋");
    assertThat(manifest.rows()).isEqualTo(3);
    assertThat(manifest.period()).isEqualTo("2021-12-07");
    assertThat(manifest.periodComplete()).isTrue();
    assertThat(manifest.runId()).isEqualTo("41");
    assertThat(manifest.columns()).extracting(ExtractWriter.ColumnEntry::header).startsWith("日期", "品种代码", "品种");
  }

  @Test
  void cellsThatWouldRunAsFormulasAreWrittenAsText() throws IOException {
    Dataset<Row> source = prices();
    ExtractSpec detail = shipped("wholesale-price-observations");
    ExtractSpec spec = new ExtractSpec("names", "品名", null, "curated.price_observation", ExtractSpec.Cadence.DAILY, null, null,
        List.of(new ExtractSpec.OutputColumn("product_name", "品名", null), new ExtractSpec.OutputColumn("price_low", "最低价", null),
            new ExtractSpec.OutputColumn("note", "备注", "'@SUM(A1)'"), new ExtractSpec.OutputColumn("minus", "负数", "-price_low")),
        List.of("product_name"), List.of(ExtractSpec.Format.CSV, ExtractSpec.Format.XLSX), "x");
    assertThat(detail.formats()).containsExactly(ExtractSpec.Format.CSV);
    write(spec, source.limit(4), DAY, "7");

    Path period = dir.resolve("names/2021-12-07");
    List<String> csv = Files.readAllLines(period.resolve("names_2021-12-07.csv"));
    assertThat(csv).contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"梨\"\")\",5,'@SUM(A1),-5");
    try (InputStream in = Files.newInputStream(period.resolve("names_2021-12-07.xlsx")); XSSFWorkbook book = new XSSFWorkbook(in)) {
      Sheet sheet = book.getSheet("2021-12-07");
      assertThat(sheet.getRow(0).getCell(0).getStringCellValue()).isEqualTo("品名");
      org.apache.poi.ss.usermodel.Row formula = sheet.getRow(1);
      assertThat(formula.getCell(0).getCellType()).isEqualTo(CellType.STRING);
      assertThat(formula.getCell(0).getStringCellValue()).isEqualTo("'=HYPERLINK(\"http://x\",\"梨\")");
      assertThat(formula.getCell(2).getStringCellValue()).isEqualTo("'@SUM(A1)");
      // numbers stay numbers, negative ones too
      assertThat(formula.getCell(1).getCellType()).isEqualTo(CellType.NUMERIC);
      assertThat(formula.getCell(3).getNumericCellValue()).isEqualTo(-5.0);
      assertThat(sheet.getLastRowNum()).isEqualTo(4);
    }
  }

  @Test
  void theManifestChecksumsMatchTheFilesAndARerunReplacesThePeriod() throws Exception {
    ExtractSpec spec = shipped("provincial-daily-price-bulletin");
    write(spec, prices(), DAY, "1");
    write(spec, prices().where("product_name <> '长茄'"), DAY, "2");

    Path folder = dir.resolve("provincial-daily-price-bulletin");
    try (Stream<Path> entries = Files.list(folder)) {
      assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("2021-12-07");
    }
    JsonNode manifest = new ObjectMapper().readTree(folder.resolve("2021-12-07/manifest.json").toFile());
    assertThat(manifest.get("run_id").asText()).isEqualTo("2");
    assertThat(manifest.get("rows").asLong()).isEqualTo(2);
    assertThat(manifest.get("extract_id").asText()).isEqualTo("provincial-daily-price-bulletin");
    assertThat(manifest.get("generated_at").asText()).endsWith("+08:00");
    assertThat(manifest.get("files")).hasSize(2);
    for (JsonNode file : manifest.get("files")) {
      byte[] bytes = Files.readAllBytes(folder.resolve("2021-12-07").resolve(file.get("name").asText()));
      assertThat(file.get("bytes").asLong()).isEqualTo(bytes.length);
      assertThat(file.get("sha256").asText()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    }
    assertThat(Files.readAllLines(folder.resolve("2021-12-07/provincial-daily-price-bulletin_2021-12-07.csv")))
        .hasSize(3).noneMatch(l -> l.contains("长茄"));
  }

  @Test
  void aMonthlyExtractIsMonthToDateAndNamesRegions() throws IOException {
    StructType schema = DataTypes.createStructType(List.of(
        DataTypes.createStructField("business_month", DataTypes.StringType, false),
        DataTypes.createStructField("county_code", DataTypes.StringType, false),
        DataTypes.createStructField("parcels", DataTypes.LongType, false),
        DataTypes.createStructField("by_courier", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), false)));
    Dataset<Row> upbound = spark.createDataFrame(List.of(
        RowFactory.create("2021-12", "140728", 57L, scala.collection.immutable.Map$.MODULE$.<String, Long>empty()
            .updated("SF", 10L).updated("EMS", 47L)),
        RowFactory.create("2021-12", "110105", 3L, scala.collection.immutable.Map$.MODULE$.<String, Long>empty())), schema);

    ExtractWriter.Manifest manifest = write(shipped("upbound-parcels-monthly"), upbound, DAY, "3");

    assertThat(manifest.period()).isEqualTo("2021-12");
    assertThat(manifest.periodComplete()).isFalse();
    assertThat(Files.readAllLines(dir.resolve("upbound-parcels-monthly/2021-12/upbound-parcels-monthly_2021-12.csv")))
        .containsExactly("\uFEFF月份,市,区县代码,区县,上行包裹数(件),分快递企业(件)", "2021-12,晋中市,140728,平遥县,57,EMS=47; SF=10");
    assertThat(ExtractSpec.Cadence.MONTHLY.complete(LocalDate.of(2021, 12, 31))).isTrue();
  }

  @Test
  void aPeriodWithoutDataGivesHeadersOnly() throws IOException {
    ExtractSpec spec = shipped("origin-market-flow-monthly");
    ExtractWriter.Manifest manifest = ExtractWriter.write(spec, null, DAY, NO_SNAPSHOTS, "file:" + dir.resolve("flow"), "5",
        spark.sparkContext().hadoopConfiguration());
    assertThat(manifest.rows()).isZero();
    assertThat(Files.readAllLines(dir.resolve("flow/2021-12/origin-market-flow-monthly_2021-12.csv"))).hasSize(1);
  }

  @Test
  void everyShippedExtractLoads() {
    assertThat(ExtractSpecs.loadAll(CONF)).extracting(ExtractSpec::id).containsExactly(
        "origin-market-flow-monthly", "provincial-daily-price-bulletin", "upbound-parcels-monthly", "wholesale-price-observations");
  }

  @Test
  void aBrokenDefinitionIsRejectedWithFileFieldAndProblem() throws IOException {
    String good = Files.readString(CONF.resolve("upbound-parcels-monthly.yml"));
    assertThat(problem(good.replace("dataset: marts.upbound_monthly", "dataset: marts.parcels_monthly")))
        .contains("dataset: 'marts.parcels_monthly' is not one of");
    assertThat(problem(good.replace("cadence: monthly", "cadence: daily")))
        .contains("cadence: daily is not possible for marts.upbound_monthly, which is kept per month");
    assertThat(problem(good.replace("region_name(county_code)", "region_name(county_code")))
        .contains("columns.county_name.expr: 'region_name(county_code' is not a Spark SQL expression");
    assertThat(problem(good.replace("sort: [county_code]", "sort: [parcels_total desc]")))
        .contains("sort: 'parcels_total' is not an output column");
    assertThat(problem(good.replace("{ column: county_code, prefix: \"14\" }", "{ column: county_code, prefix: \"14\", equals: \"1\" }")))
        .contains("filter.county_code: give exactly one of prefix, equals or in");
    assertThat(problem(good.replace("formats: [csv, xlsx]", "formats: [pdf]"))).contains("formats");
    assertThat(problem(good + "\nschedule: daily\n")).contains("schedule: unknown key");
  }

  @Test
  void anExpressionMayCallOnlyAllowedFunctions() throws IOException {
    String good = Files.readString(CONF.resolve("upbound-parcels-monthly.yml"));
    // the finding: a column that wrote the ES password into a department CSV
    assertThat(problem(good.replace("expr: \"region_name(county_code)\"",
        "expr: \"java_method('java.lang.System', 'getenv', 'AGRI_ES_PASSWORD')\"")))
        .endsWith("broken.yml: columns.county_name.expr: function java_method is not allowed");
    assertThat(problem(good.replace("region_name(county_code)", "upper(REFLECT('java.lang.System', 'getenv', 'HOME'))")))
        .endsWith("columns.county_name.expr: function reflect is not allowed");
    assertThat(problem(good.replace("region_name(county_code)", "try_reflect('java.lang.System', 'getenv', 'HOME')")))
        .endsWith("function try_reflect is not allowed");
    assertThat(problem(good.replace("region_name(county_code)", "system.builtin.upper(county_code)")))
        .endsWith("function system.builtin.upper is not allowed");
    // hidden in an aggregate's filter, a lambda, a group-by, and behind a subquery or IDENTIFIER
    assertThat(problem(good.replace("region_name(county_code)", "count(*) FILTER (WHERE reflect('a', 'b') IS NULL)")))
        .endsWith("function reflect is not allowed");
    assertThat(problem(good.replace("region_name(county_code)", "array_join(transform(array(county_code), x -> x), ',')")))
        .endsWith("function transform is not allowed");
    assertThat(problem(good.replace("columns:", "group_by: [\"input_file_name()\"]\ncolumns:")))
        .endsWith("group_by: function input_file_name is not allowed");
    assertThat(problem(good.replace("region_name(county_code)", "(SELECT max(value) FROM text.`/etc/passwd`)")))
        .endsWith("columns.county_name.expr: a subquery is not allowed");
    assertThat(problem(good.replace("region_name(county_code)", "IDENTIFIER('reflect')('a', 'b')")))
        .endsWith("IDENTIFIER(...) is not allowed");
  }

  String problem(String yaml) throws IOException {
    Path file = dir.resolve("broken.yml");
    Files.writeString(file, yaml);
    return org.assertj.core.api.Assertions.catchThrowable(() -> ExtractSpecs.load(file)).getMessage();
  }
}
