package org.agrifusion.pipelines.standardise;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.source.RawIngest;
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

@ExtendWith(SparkExtension.class)
class StandardiserTest {

  static final LocalDate DAY = LocalDate.of(2021, 12, 7);
  static final SourceDescriptor XINFADI = TestReference.descriptor("xinfadi-daily-prices");
  static final RecordStandard PRICE = RecordStandard.of(RecordKind.PRICE, TestReference.SHIPPED);
  static final byte[] KEY = "a-test-key-of-enough-length".getBytes(StandardCharsets.UTF_8);

  final SparkSession spark;
  @TempDir Path root;
  Dataset<Row> standardised;

  StandardiserTest(SparkSession spark) {
    this.spark = spark;
  }

  Dataset<Row> standardiseSample(String runId) {
    Lake lake = new Lake(root.toString());
    Dataset<Row> raw = RawIngest.read(spark, XINFADI, RawIngest.landedFiles(spark, lake, XINFADI, DAY), runId, DAY, KEY);
    return Standardiser.standardise(raw, XINFADI, PRICE, DAY);
  }

  @BeforeEach
  void standardiseTheRealSample() throws IOException {
    Path dir = Files.createDirectories(root.resolve("landing/xinfadi-daily-prices/" + DAY));
    Files.copy(Path.of("../samples/landing/xinfadi-daily-prices/2021-12-07/xinfadi_prices_2021-12-07.csv"),
        dir.resolve("xinfadi.csv"));
    standardised = standardiseSample("run-1").cache();
  }

  @Test
  void everyRowIsEitherAcceptedOrQuarantined() {
    long accepted = Standardiser.accepted(standardised, PRICE).count();
    long quarantined = Quarantine.rows(standardised, XINFADI).count();
    assertThat(accepted + quarantined).isEqualTo(443);
    assertThat(quarantined).isEqualTo(3);
  }

  @Test
  void repeatedLinesOfTheRealFileAreQuarantinedAsDuplicatesOfTheFirst() {
    List<Row> dupes = Quarantine.rows(standardised, XINFADI).orderBy(col("source_row")).collectAsList();
    assertThat(dupes).hasSize(3).allSatisfy(r -> {
      assertThat(r.<String>getList(r.fieldIndex("reasons"))).containsExactly("DUPLICATE");
      assertThat(r.<String, String>getJavaMap(r.fieldIndex("raw_values"))).containsKeys("prodName", "lowPrice", "pubDate");
      assertThat((String) r.getAs("record_kind")).isEqualTo("price_observation");
    });
    List<String> dupeIds = standardised.where("array_contains(reasons, 'DUPLICATE')")
        .select("record_id").as(Encoders.STRING()).collectAsList();
    long keptTwins = Standardiser.accepted(standardised, PRICE).where(col("record_id").isin(dupeIds.toArray())).count();
    assertThat(keptTwins).isEqualTo(dupeIds.stream().distinct().count());
  }

  @Test
  void acceptedRowsCarryCanonicalValuesCodesAndLineage() {
    Row fuji = Standardiser.accepted(standardised, PRICE)
        .where(col("product_name").equalTo("富士").and(col("price_low_orig").equalTo(1.8))).first();
    assertThat((Double) fuji.getAs("price_avg")).isEqualTo(4.4);
    assertThat((Double) fuji.getAs("price_high")).isEqualTo(5.2);
    assertThat((String) fuji.getAs("variety_code")).hasSize(6);
    assertThat((String) fuji.getAs("source_id")).isEqualTo("xinfadi-daily-prices");
    assertThat((Long) fuji.getAs("source_row")).isPositive();
    assertThat(fuji.<String>getAs("record_id")).hasSize(64);
    Row eggplant = Standardiser.accepted(standardised, PRICE).where(col("origin_raw").equalTo("冀晋辽")).first();
    assertThat(eggplant.<String>getList(eggplant.fieldIndex("origin_codes"))).containsExactly("130000", "140000", "210000");
    assertThat(Standardiser.accepted(standardised, PRICE).columns()).containsExactlyElementsOf(Standardiser.curatedColumns(PRICE));
  }

  @Test
  void recordIdsAreStableAcrossRuns() {
    List<String> first = Standardiser.accepted(standardised, PRICE).select("record_id").orderBy("record_id")
        .as(Encoders.STRING()).collectAsList();
    List<String> second = Standardiser.accepted(standardiseSample("run-2"), PRICE).select("record_id").orderBy("record_id")
        .as(Encoders.STRING()).collectAsList();
    assertThat(second).isEqualTo(first).doesNotHaveDuplicates();
  }
}
