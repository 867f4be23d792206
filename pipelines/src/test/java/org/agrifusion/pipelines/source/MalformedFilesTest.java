package org.agrifusion.pipelines.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.standardise.Quarantine;
import org.agrifusion.pipelines.standardise.RecordStandard;
import org.agrifusion.pipelines.standardise.Standardiser;
import org.agrifusion.pipelines.support.SparkExtension;
import org.agrifusion.pipelines.support.TestReference;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The malformed-file corpus (src/test/resources/malformed/, README there): each kind of bad file is
 * landed, ingested ({@link RawIngest}) and standardised ({@link Standardiser}), and its outcome is
 * asserted end to end: rows read, accepted, quarantined with which reasons, and read = accepted +
 * quarantined. No file may fail the read. Files that are large or binary are written by the test.
 */
@ExtendWith(SparkExtension.class)
class MalformedFilesTest {

  static final byte[] KEY = "a-test-key-of-enough-length".getBytes(StandardCharsets.UTF_8);
  static final Path CORPUS = Path.of("src/test/resources/malformed");
  static final LocalDate DAY = LocalDate.of(2021, 12, 7);
  static final LocalDate XLSX_DAY = LocalDate.of(2013, 6, 10);
  static final List<String> SAMPLE = lines(Path.of("../samples/landing/xinfadi-daily-prices/2021-12-07/xinfadi_prices_2021-12-07.csv"));
  static final String HEADER = SAMPLE.get(0);
  /** 22 real quotes of the sample, all accepted as they are. */
  static final List<String> QUOTES = SAMPLE.subList(1, 23);
  static final String LONG_VALUE = "菜".repeat(1_750_000);

  /**
   * One kind of malformed file and what must become of it.
   *
   * @param reasons quarantined rows per reason code (a row with two reasons counts under each)
   * @param quarantinedRows source_row of the quarantined rows, in order, when line numbers matter
   * @param neverKept a personal value that must appear in no raw or quarantined value
   */
  record Case(String kind, String source, LocalDate date, String file, Writer writer, long read, long accepted,
      Map<String, Long> reasons, List<Long> quarantinedRows, String neverKept) {
    @Override
    public String toString() {
      return kind;
    }
  }

  @FunctionalInterface
  interface Writer {
    void write(Path file) throws IOException;
  }

  static Case corpus(String kind, String source, LocalDate date, String file, long read, long accepted, Map<String, Long> reasons) {
    return new Case(kind, source, date, file, null, read, accepted, reasons, null, null);
  }

  static Case written(String kind, String source, LocalDate date, String file, Writer writer, long read, long accepted,
      Map<String, Long> reasons) {
    return new Case(kind, source, date, file, writer, read, accepted, reasons, null, null);
  }

  static Case rows(Case c, Long... quarantinedRows) {
    return new Case(c.kind, c.source, c.date, c.file, c.writer, c.read, c.accepted, c.reasons, List.of(quarantinedRows), c.neverKept);
  }

  static Case neverKeeps(Case c, String value) {
    return new Case(c.kind, c.source, c.date, c.file, c.writer, c.read, c.accepted, c.reasons, c.quarantinedRows, value);
  }

  static Map<String, Long> reasons(Object... codeAndRows) {
    Map<String, Long> map = new TreeMap<>();
    for (int i = 0; i < codeAndRows.length; i += 2) {
      map.put((String) codeAndRows[i], ((Number) codeAndRows[i + 1]).longValue());
    }
    return map;
  }

  static Stream<Case> corpus() {
    String prices = "xinfadi-daily-prices";
    String multiline = "xinfadi-multiline";
    String orders = "shop-orders";
    String waybills = "courier-waybills";
    String history = "xinfadi-history-xlsx";
    String registry = "origin-registry";
    return Stream.of(
        // delimited text
        rows(corpus("unbalanced quote: that line only, the next 20 are read", prices, DAY, "unbalanced-quote.csv", 22, 21,
            reasons("UNPARSEABLE_LINE", 1, "MISSING_FIELD", 1)), 3L),
        corpus("quote opened in the last field", prices, DAY, "quote-in-last-field.csv", 3, 2, reasons("UNPARSEABLE_LINE", 1)),
        rows(corpus("quoted value over two lines, line-per-record feed", prices, DAY, "quoted-newline.csv", 4, 2,
            reasons("UNPARSEABLE_LINE", 2, "MISSING_FIELD", 2, "UNKNOWN_PRODUCT", 1)), 3L, 4L),
        corpus("quoted value over two lines, multiline_records feed", multiline, DAY, "quoted-newline.csv", 3, 3, reasons()),
        rows(written("5 MB line", prices, DAY, "long-line.csv", f -> text(f, HEADER, QUOTES.get(0), QUOTES.get(1),
            "蔬菜,,菜花," + LONG_VALUE + ",3.2,3.1,冀,斤,2021-12-07 00:00:00", QUOTES.get(2)), 4, 3,
            reasons("LINE_TOO_LONG", 1, "MISSING_FIELD", 1)), 4L),
        written("5 MB line, multiline_records feed: the rest of the file is one row", multiline, DAY, "long-line.csv",
            f -> text(f, HEADER, QUOTES.get(0), QUOTES.get(1), "蔬菜,,菜花," + LONG_VALUE + ",3.2,3.1,冀,斤,2021-12-07 00:00:00",
                QUOTES.get(2)), 3, 2, reasons("LINE_TOO_LONG", 1, "MISSING_FIELD", 1)),
        written("gzip", prices, DAY, "prices.csv.gz", f -> Files.write(f, gzip(join(HEADER, QUOTES))), 22, 22, reasons()),
        rows(written("gzip truncated mid-archive", prices, DAY, "prices.csv.gz", f -> Files.write(f, truncatedGzip(
            join(HEADER, QUOTES.subList(0, 10)), join(QUOTES.get(10), QUOTES.subList(11, 22)))), 11, 10,
            reasons("TRUNCATED_FILE", 1, "MISSING_FIELD", 1)), 12L),
        written("not gzip despite .gz", prices, DAY, "prices.csv.gz", f -> text(f, HEADER, QUOTES.get(0)), 1, 0,
            reasons("UNREADABLE_FILE", 1, "MISSING_FIELD", 1)),
        corpus("empty (0 bytes)", prices, DAY, "empty.csv", 0, 0, reasons()),
        corpus("header only", prices, DAY, "header-only.csv", 0, 0, reasons()),
        rows(corpus("blank and whitespace lines keep line numbers", prices, DAY, "blank-lines.csv", 5, 4,
            reasons("UNPARSEABLE_LINE", 1, "MISSING_FIELD", 1)), 9L),
        corpus("CRLF line ends", prices, DAY, "crlf.csv", 5, 5, reasons()),
        corpus("CR line ends", prices, DAY, "cr-only.csv", 5, 5, reasons()),
        rows(corpus("BOM in the middle (two exports joined)", prices, DAY, "bom-in-the-middle.csv", 5, 4,
            reasons("UNPARSEABLE_LINE", 1, "BAD_NUMBER", 1, "BAD_DATE", 1, "UNKNOWN_PRODUCT", 1)), 4L),
        rows(corpus("NUL bytes in a value and as padding", prices, DAY, "nul-bytes.csv", 4, 2,
            reasons("UNPARSEABLE_LINE", 2, "MISSING_FIELD", 1, "UNKNOWN_PRODUCT", 1)), 3L, 5L),
        rows(corpus("mixed encodings: a GBK line in a UTF-8 file", prices, DAY, "mixed-encoding.csv", 3, 2,
            reasons("UNPARSEABLE_LINE", 1, "UNKNOWN_PRODUCT", 1)), 3L),
        corpus("a UTF-8 file for a GBK feed", "xinfadi-spec-origin-gbk", LocalDate.of(2021, 12, 10), "utf8-file-for-gbk-feed.csv",
            5, 0, reasons("HEADER_MISMATCH", 5, "UNKNOWN_PRODUCT", 5)),
        corpus("columns reordered and one added", prices, DAY, "reordered-extra-column.csv", 5, 5, reasons()),
        corpus("header in another language", prices, DAY, "header-other-language.csv", 4, 0, reasons("HEADER_MISMATCH", 4)),
        corpus("duplicate header name", prices, DAY, "duplicate-header.csv", 4, 0, reasons("DUPLICATE_HEADER", 4)),
        rows(corpus("short and long rows", prices, DAY, "wrong-field-count.csv", 4, 2, reasons("UNPARSEABLE_LINE", 2,
            "MISSING_FIELD", 1, "BAD_DATE", 1)), 3L, 4L),
        rows(corpus("records wrapped whole in quotes (a spreadsheet re-save) are read unwrapped", prices, DAY,
            "record-wrapped-in-quotes.csv", 4, 3, reasons("UNPARSEABLE_LINE", 1, "MISSING_FIELD", 1)), 5L),
        corpus("records wrapped whole in quotes, multiline_records feed", multiline, DAY, "record-wrapped-in-quotes.csv", 4, 3,
            reasons("UNPARSEABLE_LINE", 1, "MISSING_FIELD", 1)),
        corpus("more than 4096 fields", prices, DAY, "too-many-fields.csv", 3, 2, reasons("UNPARSEABLE_LINE", 1, "MISSING_FIELD", 1)),
        corpus("headerless feed, a row missing a field", "xinfadi-api-dump", LocalDate.of(2022, 6, 18), "api-dump-missing-field.csv",
            6, 5, reasons("UNPARSEABLE_LINE", 1, "MISSING_FIELD", 1)),
        // personal data
        neverKeeps(corpus("order export with 备注 before 收货人", orders, DAY, "orders-extra-column.csv", 3, 3, reasons()), "15644226657"),
        neverKeeps(corpus("order export lacking 收货地区", orders, DAY, "orders-missing-column.csv", 3, 0,
            reasons("HEADER_MISMATCH", 3, "MISSING_FIELD", 3, "DUPLICATE", 2)), "15644226657"),
        neverKeeps(corpus("order row shifted by an unquoted comma", orders, DAY, "orders-shifted-row.csv", 3, 2,
            reasons("UNPARSEABLE_LINE", 1, "MISSING_FIELD", 1)), "15644226657"),
        // JSON Lines
        rows(neverKeeps(corpus("JSON Lines: cut, non-object, two objects, a key twice, a bare string, BOM", waybills, DAY,
            "waybills-broken-lines.jsonl", 8, 3, reasons("UNPARSEABLE_LINE", 5, "MISSING_FIELD", 5, "DUPLICATE", 4)), "15000000002"), 2L, 3L, 4L, 5L, 6L),
        corpus("JSON array, pretty-printed", waybills, DAY, "waybills-json-array.jsonl", 44, 0,
            reasons("UNPARSEABLE_LINE", 44, "MISSING_FIELD", 44, "DUPLICATE", 43)),
        corpus("JSON array on one line", waybills, DAY, "waybills-json-array-one-line.jsonl", 1, 0, reasons("UNPARSEABLE_LINE", 1, "MISSING_FIELD", 1)),
        written("JSON Lines whose first line is an array", waybills, DAY, "waybills.jsonl", f -> text(f, "[1, 2]", waybill(1),
            waybill(2)), 3, 2, reasons("UNPARSEABLE_LINE", 1, "MISSING_FIELD", 1)),
        written("JSON Lines, 5 MB line", waybills, DAY, "waybills.jsonl", f -> text(f, waybill(1),
            waybill(2).replace("幸福路8号", LONG_VALUE), waybill(3)), 3, 2, reasons("LINE_TOO_LONG", 1, "MISSING_FIELD", 1)),
        written("JSON Lines gzip truncated", waybills, DAY, "waybills.jsonl.gz", f -> Files.write(f, truncatedGzip(
            join(waybill(1), List.of(waybill(2))), join(waybill(3), List.of(waybill(4))))), 3, 2,
            reasons("TRUNCATED_FILE", 1, "MISSING_FIELD", 1)),
        // Excel
        written("xlsx with merged cells", history, XLSX_DAY, "merged.xlsx", f -> workbook(f, (book, dates) -> {
          Sheet sheet = prices(book.createSheet("蔬菜"), dates, false);
          sheet.addMergedRegion(CellRangeAddress.valueOf("F2:F4"));
          sheet.addMergedRegion(CellRangeAddress.valueOf("G2:G4"));
          for (int r = 2; r <= 3; r++) {
            sheet.getRow(r).removeCell(sheet.getRow(r).getCell(5));
            sheet.getRow(r).removeCell(sheet.getRow(r).getCell(6));
          }
        }), 3, 3, reasons()),
        written("xlsx with formulas (cached values)", history, XLSX_DAY, "formulas.xlsx", f -> workbook(f, (book, dates) -> {
          Sheet sheet = prices(book.createSheet("蔬菜"), dates, false);
          for (int r = 1; r <= 3; r++) {
            sheet.getRow(r).getCell(2).setCellFormula("ROUND((B" + (r + 1) + "+D" + (r + 1) + ")/2,2)");
          }
          book.getCreationHelper().createFormulaEvaluator().evaluateAll();
        }), 3, 3, reasons()),
        written("xlsx with several sheets: the first is read", history, XLSX_DAY, "sheets.xlsx", f -> workbook(f, (book, dates) -> {
          prices(book.createSheet("蔬菜"), dates, false);
          book.createSheet("说明").createRow(0).createCell(0).setCellValue("数据来源：新发地");
        }), 3, 3, reasons()),
        neverKeeps(written("xlsx with the named sheet second", registry, DAY, "registry.xlsx", f -> workbook(f, (book, dates) -> {
          book.createSheet("说明").createRow(0).createCell(0).setCellValue("山西省农产品产地经营主体名录");
          registry(book.createSheet("经营主体"));
        }), 2, 2, reasons()), "13912345678"),
        written("xlsx without the named sheet", registry, DAY, "registry.xlsx", f -> workbook(f, (book, dates) ->
            registry(book.createSheet("Sheet1"))), 1, 0, reasons("UNREADABLE_FILE", 1, "MISSING_FIELD", 1)),
        written("xlsx truncated", history, XLSX_DAY, "cut.xlsx", f -> {
          workbook(f, (book, dates) -> prices(book.createSheet("蔬菜"), dates, false));
          byte[] all = Files.readAllBytes(f);
          Files.write(f, Arrays.copyOf(all, all.length / 2));
        }, 1, 0, reasons("UNREADABLE_FILE", 1, "MISSING_FIELD", 1)),
        rows(written("xlsx with empty rows and a value beyond the last column", history, XLSX_DAY, "gaps.xlsx", f -> workbook(f, (book, dates) -> {
          Sheet sheet = prices(book.createSheet("蔬菜"), dates, false);
          sheet.shiftRows(2, 3, 2);
          sheet.createRow(2);
          sheet.getRow(4).createCell(9).setCellValue("备注：新货");
        }), 3, 2, reasons("UNPARSEABLE_LINE", 1)), 5L),
        written("xlsx header only", history, XLSX_DAY, "head.xlsx", f -> workbook(f, (book, dates) -> {
          Sheet sheet = prices(book.createSheet("蔬菜"), dates, false);
          for (int r = 1; r <= 3; r++) {
            sheet.removeRow(sheet.getRow(r));
          }
        }), 0, 0, reasons()),
        written("xlsx with columns reordered and one added", history, XLSX_DAY, "reordered.xlsx", f -> workbook(f, (book, dates) ->
            prices(book.createSheet("蔬菜"), dates, true)), 3, 3, reasons()));
  }

  final SparkSession spark;
  @TempDir Path root;

  MalformedFilesTest(SparkSession spark) {
    this.spark = spark;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void eachKindOfMalformedFileHasItsOutcomeAndEveryRowIsAccountedFor(Case c) throws IOException {
    SourceDescriptor source = c.source.equals("xinfadi-multiline")
        ? SourceDescriptors.load(CORPUS.resolve("descriptors/xinfadi-multiline.yml")) : TestReference.descriptor(c.source);
    Path landed = Files.createDirectories(root.resolve("landing/" + source.id() + "/" + c.date)).resolve(c.file);
    if (c.writer == null) {
      Files.copy(CORPUS.resolve(c.file), landed);
    } else {
      c.writer.write(landed);
    }
    List<String> files = RawIngest.landedFiles(spark, new Lake(root.toString()), source, c.date);
    assertThat(files).hasSize(1);

    Dataset<Row> raw = RawIngest.read(spark, source, files, "run-1", c.date, KEY).cache();
    RecordStandard standard = RecordStandard.of(source.kind(), TestReference.SHIPPED);
    Dataset<Row> std = Standardiser.standardise(raw, source, standard, c.date).cache();
    List<String> rawRows = raw.toJSON().collectAsList();
    long accepted = Standardiser.accepted(std, standard).count();
    // the corpus files are small: their quarantine is looked at here, not in Spark
    List<Row> quarantined = Quarantine.rows(std, source).orderBy(RawColumns.SOURCE_ROW).collectAsList();
    Map<String, Long> reasons = new TreeMap<>();
    quarantined.forEach(r -> r.<String>getList(r.fieldIndex(Standardiser.REASONS)).stream().distinct()
        .forEach(reason -> reasons.merge(reason, 1L, Long::sum)));
    String outcome = "read " + rawRows.size() + ", accepted " + accepted + ", reasons " + reasons + ", details "
        + quarantined.stream().limit(5).map(r -> r.getAs(RawColumns.SOURCE_ROW) + ": " + r.getAs(Standardiser.REASON_DETAIL)).toList();

    assertThat((long) rawRows.size()).as(outcome).isEqualTo(c.read);
    assertThat(accepted).as(outcome).isEqualTo(c.accepted);
    assertThat((long) quarantined.size()).as("read = accepted + quarantined").isEqualTo(rawRows.size() - accepted);
    assertThat(reasons).as(outcome).isEqualTo(c.reasons);
    if (c.quarantinedRows != null) {
      assertThat(quarantined.stream().map(r -> (Long) r.getAs(RawColumns.SOURCE_ROW)).toList()).as(outcome)
          .containsExactlyElementsOf(c.quarantinedRows);
    }
    if (c.neverKept != null) {
      assertThat(rawRows).noneMatch(json -> json.contains(c.neverKept));
      assertThat(quarantined).noneMatch(r -> r.toString().contains(c.neverKept));
    }
    raw.unpersist();
    std.unpersist();
  }

  static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static void text(Path file, String... lines) throws IOException {
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  static String join(String first, List<String> rest) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(rest);
    return String.join("\n", all) + "\n";
  }

  static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  /** A whole gzip member with {@code complete}, then a second member cut 20 bytes into its data. */
  static byte[] truncatedGzip(String complete, String cut) throws IOException {
    byte[] first = gzip(complete);
    byte[] second = gzip(cut);
    byte[] all = Arrays.copyOf(first, first.length + 30);
    System.arraycopy(second, 0, all, first.length, 30);
    return all;
  }

  static String waybill(int n) {
    return String.format("{\"mailNo\":\"ZT7000000%04d\",\"expressCompany\":\"中通快递\",\"acceptTime\":\"2021-12-07 15:20:00\","
        + "\"signTime\":\"2021-12-08 09:00:00\",\"senderArea\":\"山西省运城市临猗县\",\"receiverArea\":\"广东省广州市天河区\",\"weight\":\"5.5\","
        + "\"freight\":\"12\",\"status\":\"已签收\",\"receiverName\":\"王先生\",\"receiverPhone\":\"1500000%04d\",\"receiverAddress\":\"幸福路8号\"}", n, n);
  }

  @FunctionalInterface
  interface Book {
    void fill(XSSFWorkbook book, CellStyle dates) throws IOException;
  }

  static void workbook(Path file, Book content) throws IOException {
    try (XSSFWorkbook book = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
      CellStyle dates = book.createCellStyle();
      dates.setDataFormat(book.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd"));
      content.fill(book, dates);
      book.write(out);
    }
  }

  /** Three quotes of the Xinfadi history workbook (dates as Excel dates); optionally columns reordered, plus a remark. */
  static Sheet prices(Sheet sheet, CellStyle dates, boolean reordered) {
    Object[][] rows = {
        {"品名", "最低价", "平均价", "最高价", "规格", "单位", "发布日期"},
        {"芋头", 2.8, 3.1, 3.4, "", "斤", 41435.0},
        {"大白菜", 0.5, 0.6, 0.7, "", "斤", 41435.0},
        {"土豆", 1.2, 1.4, 1.6, "", "斤", 41435.0}};
    int[] order = reordered ? new int[] {6, 0, 5, 1, 2, 3, 4} : new int[] {0, 1, 2, 3, 4, 5, 6};
    for (int r = 0; r < rows.length; r++) {
      var row = sheet.createRow(r);
      for (int c = 0; c < order.length; c++) {
        Object value = rows[r][order[c]];
        var cell = row.createCell(c);
        if (value instanceof Double d) {
          cell.setCellValue(d);
          if (order[c] == 6) {
            cell.setCellStyle(dates);
          }
        } else if (!((String) value).isEmpty()) {
          cell.setCellValue((String) value);
        }
      }
      if (reordered) {
        row.createCell(order.length).setCellValue(r == 0 ? "备注" : "新货");
      }
    }
    return sheet;
  }

  static void registry(Sheet sheet) {
    String[][] rows = {
        {"主体编号", "主体名称", "主体类型", "所在地区", "主营品种", "认证", "年产量(吨)", "冷库容量(吨)", "负责人", "联系电话"},
        {"SX0001", "临猗苹果专业合作社1", "农民专业合作社", "山西省运城市临猗县", "苹果|核桃", "绿色食品", "1200", "500", "王经理", "13912345678"},
        {"SX0002", "隰县玉露香梨专业合作社2", "家庭农场", "临汾隰县", "梨", "地理标志", "800", "0", "李经理", "13912345679"}};
    for (int r = 0; r < rows.length; r++) {
      var row = sheet.createRow(r);
      for (int c = 0; c < rows[r].length; c++) {
        row.createCell(c).setCellValue(rows[r][c]);
      }
    }
  }
}
