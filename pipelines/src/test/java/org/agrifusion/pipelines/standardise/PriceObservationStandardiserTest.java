package org.agrifusion.pipelines.standardise;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.source.RawIngest;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.source.SourceDescriptors;
import org.agrifusion.pipelines.support.SparkExtension;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkExtension.class)
class PriceObservationStandardiserTest {

  static final LocalDate DAY = LocalDate.of(2021, 12, 7);
  static final SourceDescriptor XINFADI = SourceDescriptors.load(Path.of("../conf/sources/xinfadi-daily-prices.yml"));

  final SparkSession spark;
  @TempDir Path root;
  Dataset<Row> standardised;

  PriceObservationStandardiserTest(SparkSession spark) {
    this.spark = spark;
  }

  @BeforeEach
  void standardiseTheRealSample() throws IOException {
    Path dir = Files.createDirectories(root.resolve("landing/xinfadi-daily-prices/" + DAY));
    Files.copy(Path.of("../samples/landing/xinfadi-daily-prices/2021-12-07/xinfadi_prices_2021-12-07.csv"),
        dir.resolve("xinfadi.csv"));
    Lake lake = new Lake(root.toString());
    Dataset<Row> raw = RawIngest.read(spark, XINFADI, RawIngest.landedFiles(spark, lake, XINFADI, DAY), "run-1", DAY);
    standardised = PriceObservationStandardiser.standardise(raw, XINFADI, UnitCatalogTest.SHIPPED, DAY).cache();
  }

  @Test
  void everyRowIsEitherAcceptedOrQuarantined() {
    long accepted = PriceObservationStandardiser.accepted(standardised).count();
    long quarantined = Quarantine.rows(standardised, XINFADI).count();
    assertThat(accepted).isEqualTo(440);
    assertThat(quarantined).isEqualTo(3);
  }

  @Test
  void repeatedLinesOfTheRealFileAreQuarantinedAsDuplicatesOfTheFirst() {
    List<Row> dupes = Quarantine.rows(standardised, XINFADI).orderBy(col("source_row")).collectAsList();
    assertThat(dupes).allSatisfy(r -> {
      assertThat(r.<String>getList(r.fieldIndex("reasons"))).containsExactly("DUPLICATE");
      assertThat(r.<String, String>getJavaMap(r.fieldIndex("raw_values"))).containsKeys("prodName", "lowPrice", "pubDate");
      assertThat((String) r.getAs("record_kind")).isEqualTo("price_observation");
    });
    List<String> dupeIds = standardised.where("array_contains(reasons, 'DUPLICATE')")
        .select("record_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    // each duplicate's record id is held by exactly one accepted row
    long keptTwins = PriceObservationStandardiser.accepted(standardised)
        .where(col("record_id").isin(dupeIds.toArray())).count();
    assertThat(keptTwins).isEqualTo(dupeIds.stream().distinct().count());
  }

  @Test
  void acceptedRowsCarryCanonicalValuesAndLineage() {
    Row fuji = PriceObservationStandardiser.accepted(standardised)
        .where(col("product_name").equalTo("富士").and(col("price_low_orig").equalTo(1.8))).first();
    assertThat((Double) fuji.getAs("price_avg")).isEqualTo(4.4);
    assertThat((Double) fuji.getAs("price_high")).isEqualTo(5.2);
    assertThat((String) fuji.getAs("source_id")).isEqualTo("xinfadi-daily-prices");
    assertThat((Long) fuji.getAs("source_row")).isPositive();
    assertThat((Integer) fuji.getAs("schema_version")).isEqualTo(PriceObservation.SCHEMA_VERSION);
    assertThat(fuji.<String>getAs("record_id")).hasSize(64);
    assertThat(PriceObservationStandardiser.accepted(standardised).columns())
        .containsExactlyElementsOf(PriceObservation.CURATED_COLUMNS);
  }

  @Test
  void recordIdsAreStableAcrossRuns() {
    List<String> again = PriceObservationStandardiser.accepted(standardised).select("record_id").orderBy("record_id")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    Lake lake = new Lake(root.toString());
    Dataset<Row> raw = RawIngest.read(spark, XINFADI, RawIngest.landedFiles(spark, lake, XINFADI, DAY), "run-2", DAY);
    List<String> second = PriceObservationStandardiser.accepted(
            PriceObservationStandardiser.standardise(raw, XINFADI, UnitCatalogTest.SHIPPED, DAY))
        .select("record_id").orderBy("record_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(second).isEqualTo(again).doesNotHaveDuplicates();
  }
}
