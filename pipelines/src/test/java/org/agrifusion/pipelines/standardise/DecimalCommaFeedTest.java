package org.agrifusion.pipelines.standardise;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.Tables;
import org.agrifusion.pipelines.source.IngestPipeline;
import org.agrifusion.pipelines.source.RawIngest;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.source.SourceDescriptors;
import org.agrifusion.pipelines.support.SparkExtension;
import org.agrifusion.pipelines.support.TestReference;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest and standardise, end to end, of a feed that writes decimal commas (a European wholesale
 * export: semicolons, {@code 1,85} EUR/kg, {@code 1.250,5} kg) and of a decimal-point feed with one
 * decimal comma in it, which is quarantined rather than read ten times too large.
 */
@ExtendWith(SparkExtension.class)
class DecimalCommaFeedTest {

  static final byte[] KEY = "a-test-key-of-enough-length".getBytes(StandardCharsets.UTF_8);
  static final LocalDate JULY_27 = LocalDate.of(2023, 7, 27);

  final SparkSession spark;
  @TempDir Path root;

  DecimalCommaFeedTest(SparkSession spark) {
    this.spark = spark;
  }

  @Test
  void aDecimalCommaFeedGivesTheRightCnyPerKilogram() throws IOException {
    SourceDescriptor feed = SourceDescriptors.load(Files.writeString(root.resolve("eu-wholesale-prices.yml"), """
        id: eu-wholesale-prices
        kind: price
        landing: {pattern: "{date}/*.csv"}
        format: {type: csv, encoding: UTF-8, header: true, delimiter: ";", decimal_separator: ","}
        columns: [Datum, Produkt, Einheit, Min, Mittel, Max, Menge]
        fields: {observed_date: Datum, product_name: Produkt, unit: Einheit, price_low: Min, price_avg: Mittel,
          price_high: Max, volume: Menge}
        constants: {currency: EUR, volume_unit: kg, market_name: Großmarkt, market_country: DE, channel: wholesale}
        date_formats: [dd.MM.yyyy]
        natural_key: [observed_date, market_name, product_name, unit]
        """));
    Lake lake = new Lake(root.toString()).register(spark);
    Path dir = Files.createDirectories(root.resolve("landing/eu-wholesale-prices/" + JULY_27));
    Files.writeString(dir.resolve("preise.csv"), """
        Datum;Produkt;Einheit;Min;Mittel;Max;Menge
        27.07.2023;Apple;kg;1,60;1,85;2,10;1.250,5
        27.07.2023;Tomato;kg;2,40;2,75;3,20;12.400
        27.07.2023;Potato;kg;0,45;0,52;0,60;3 500
        27.07.2023;Onion;kg;0,70;0.85;1,00;800
        27.07.2023;Carrot;kg;€0,55;0,62 €;0,70;1.000
        """, StandardCharsets.UTF_8);
    IngestPipeline.run(spark, lake, List.of(feed), JULY_27, "run-1", KEY);

    StandardisePipeline.Result result = StandardisePipeline.run(spark, lake, List.of(feed), TestReference.SHIPPED, JULY_27);

    assertThat(result.read()).isEqualTo(5L).isEqualTo(result.accepted() + result.quarantined());
    assertThat(result.accepted()).isEqualTo(4L);
    assertThat(result.unbalanced()).isEmpty();
    List<Row> accepted = Tables.read(spark, lake.staging(RecordKind.PRICE), JULY_27).orElseThrow()
        .select("product_name", "currency", "price_low_orig", "price_avg_orig", "price_high_orig", "price_avg", "volume_kg")
        .orderBy("product_name").collectAsList();
    // EUR at 7.951 CNY on 27 July 2023 (exchange-rates.csv): 1,85 EUR/kg is 14.7094 CNY/kg, not 147
    assertThat(accepted).extracting(r -> r.getString(0), r -> r.getString(1), r -> r.getDouble(2), r -> r.getDouble(3),
            r -> r.getDouble(4), r -> r.getDouble(5), r -> r.getDouble(6))
        .containsExactly(
            tuple("Apple", "EUR", 1.6, 1.85, 2.1, 14.7094, 1250.5),
            tuple("Carrot", "EUR", 0.55, 0.62, 0.7, 4.9296, 1000.0),
            tuple("Potato", "EUR", 0.45, 0.52, 0.6, 4.1345, 3500.0),
            tuple("Tomato", "EUR", 2.4, 2.75, 3.2, 21.8653, 12400.0));

    Row onion = Tables.read(spark, lake.quarantine(RecordKind.PRICE), JULY_27).orElseThrow()
        .select(col("raw_values").getItem("Produkt"), col("reasons"), col("reason_detail")).first();
    assertThat(onion.getString(0)).isEqualTo("Onion");
    assertThat(onion.getList(1)).containsExactly("BAD_NUMBER");
    assertThat(onion.getString(2)).isEqualTo("price_avg '0.85' is not a number: this feed writes decimal commas"
        + " (format.decimal_separator: \",\"), where '.', space and apostrophe only separate groups of three (1.234.567,5)");
  }

  @Test
  void aDecimalCommaInADecimalPointFeedIsQuarantinedAsBadNumber() throws IOException {
    List<SourceDescriptor> xinfadi = List.of(TestReference.descriptor("xinfadi-daily-prices"));
    LocalDate day = LocalDate.of(2021, 12, 7);
    Lake lake = new Lake(root.toString()).register(spark);
    Path dir = Files.createDirectories(root.resolve("landing/xinfadi-daily-prices/" + day));
    // the real 富士 quote, then the same quote with its high price (the "avgPrice" column) as 2,6
    Files.writeString(dir.resolve("prices.csv"), """
        prodCat,prodPcat,prodName,lowPrice,avgPrice,highPrice,place,unitInfo,pubDate
        水果,苹果类,富士,1.8,2.6,2.2,,斤,2021-12-07 00:00:00
        水果,苹果类,富士,1.8,"2,6",2.2,冀,斤,2021-12-07 00:00:00
        """, StandardCharsets.UTF_8);
    IngestPipeline.run(spark, lake, xinfadi, day, "run-1", KEY);

    StandardisePipeline.Result result = StandardisePipeline.run(spark, lake, xinfadi, TestReference.SHIPPED, day);

    assertThat(result.read()).isEqualTo(2L).isEqualTo(result.accepted() + result.quarantined());
    assertThat(result.accepted()).isEqualTo(1L);
    assertThat(Tables.read(spark, lake.staging(RecordKind.PRICE), day).orElseThrow().select("price_high_orig").first().getDouble(0))
        .isEqualTo(2.6);
    Row quarantined = Tables.read(spark, lake.quarantine(RecordKind.PRICE), day).orElseThrow()
        .select(col("reasons"), col("reason_detail")).first();
    assertThat(quarantined.getList(0)).containsExactly("BAD_NUMBER");
    assertThat(quarantined.getString(1)).isEqualTo("price_high '2,6' is not a number: ',' is not a thousands separator here"
        + " (groups of three: 1,234,567; or Indian: 1,00,000); a feed that writes decimal commas (2,6) needs"
        + " format.decimal_separator: \",\"");
  }

  /**
   * Workbook cells hold binary numbers; they are written out in the feed's convention, not the
   * machine's locale: on a German JVM a decimal-point feed's 980.5 and 1,234.50 do not come out as
   * "980,5" and "1.234,50" (read as 9805 and 1.2345 before feeds had a convention).
   */
  @Test
  void workbookNumbersAreWrittenInTheFeedsConventionWhateverTheMachinesLocale() throws IOException {
    SourceDescriptor history = TestReference.descriptor("xinfadi-history-xlsx");
    String yaml = Files.readString(Path.of("../conf/sources/xinfadi-history-xlsx.yml"));
    SourceDescriptor commaHistory = SourceDescriptors.load(Files.writeString(root.resolve("comma.yml"),
        yaml.replace("  header: true\n", "  header: true\n  decimal_separator: \",\"\n")));
    LocalDate day = LocalDate.of(2013, 6, 10);
    Locale machine = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY);
    try {
      for (SourceDescriptor feed : List.of(history, commaHistory)) {
        Path dir = Files.createDirectories(root.resolve(feed.format().decimalChar() + "/landing/" + feed.id() + "/" + day));
        workbook(dir.resolve("prices.xlsx"));
        Lake lake = new Lake(root.resolve(String.valueOf(feed.format().decimalChar())).toString());
        Dataset<Row> raw = RawIngest.read(spark, feed, RawIngest.landedFiles(spark, lake, feed, day), "run-1", day, KEY);
        RecordStandard standard = RecordStandard.of(RecordKind.PRICE, TestReference.SHIPPED);
        Dataset<Row> standardised = Standardiser.standardise(raw, feed, standard, day);
        List<Row> rows = Standardiser.accepted(standardised, standard)
            .select("price_low_orig", "price_avg_orig", "price_high_orig").collectAsList();
        assertThat(rows).as("decimal separator " + feed.format().decimalChar() + ": "
                + standardised.select(Standardiser.REASON_DETAIL).collectAsList())
            .extracting(r -> r.getDouble(0), r -> r.getDouble(1), r -> r.getDouble(2))
            .containsExactly(tuple(980.5, 1234.5, 1300.0));
      }
    } finally {
      Locale.setDefault(machine);
    }
  }

  /** A quote shaped like the Xinfadi history workbook's, per tonne: prices in General and in a grouped "#,##0.00" format. */
  static void workbook(Path file) throws IOException {
    try (XSSFWorkbook book = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
      CellStyle dates = book.createCellStyle();
      dates.setDataFormat(book.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd"));
      CellStyle grouped = book.createCellStyle();
      grouped.setDataFormat(book.getCreationHelper().createDataFormat().getFormat("#,##0.00"));
      Sheet sheet = book.createSheet("蔬菜");
      String[] header = {"品名", "最低价", "平均价", "最高价", "规格", "单位", "发布日期"};
      var top = sheet.createRow(0);
      for (int c = 0; c < header.length; c++) {
        top.createCell(c).setCellValue(header[c]);
      }
      var row = sheet.createRow(1);
      row.createCell(0).setCellValue("芋头");
      row.createCell(1).setCellValue(980.5);
      row.createCell(2).setCellValue(1234.5);
      row.getCell(2).setCellStyle(grouped);
      row.createCell(3).setCellValue(1300);
      row.getCell(3).setCellStyle(grouped);
      row.createCell(5).setCellValue("吨");
      row.createCell(6).setCellValue(41435.0);
      row.getCell(6).setCellStyle(dates);
      book.write(out);
    }
  }
}
