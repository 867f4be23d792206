package org.agrifusion.pipelines.standardise;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.Tables;
import org.agrifusion.pipelines.source.IngestPipeline;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.source.SourceDescriptors;
import org.agrifusion.pipelines.support.SparkExtension;
import org.agrifusion.pipelines.support.TestReference;
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
}
