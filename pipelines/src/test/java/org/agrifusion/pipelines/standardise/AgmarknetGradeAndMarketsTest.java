package org.agrifusion.pipelines.standardise;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.agrifusion.pipelines.fuse.Marts;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.source.RawIngest;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.source.SourceDescriptors;
import org.agrifusion.pipelines.support.SparkExtension;
import org.agrifusion.pipelines.support.TestReference;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Indian mandi rows (AGMARKNET, src/test/resources/agmarknet/SOURCE.txt): the grade in the natural key,
 * and markets without a market code kept apart by state in the price_daily mart.
 */
@ExtendWith(SparkExtension.class)
class AgmarknetGradeAndMarketsTest {

  static final LocalDate DAY = LocalDate.of(2023, 7, 29);
  static final SourceDescriptor AGMARKNET = SourceDescriptors.load(Path.of("src/test/resources/agmarknet/agmarknet-mandi-test.yml"));
  static final byte[] KEY = "a-test-key-of-enough-length".getBytes(StandardCharsets.UTF_8);

  final SparkSession spark;
  @TempDir Path root;
  RecordStandard price;
  Dataset<Row> standardised;

  AgmarknetGradeAndMarketsTest(SparkSession spark) {
    this.spark = spark;
  }

  @BeforeEach
  void standardiseTheMandiRows() throws IOException {
    price = RecordStandard.of(RecordKind.PRICE, referenceKnowingMangoAndQuintal());
    Path dir = Files.createDirectories(root.resolve("landing/" + AGMARKNET.id() + "/" + DAY));
    Files.copy(Path.of("src/test/resources/agmarknet/agmarknet_2023-07-29.csv"), dir.resolve("agmarknet_2023-07-29.csv"));
    Dataset<Row> raw = RawIngest.read(spark, AGMARKNET, RawIngest.landedFiles(spark, new Lake(root.toString()), AGMARKNET, DAY),
        "run-1", DAY, KEY);
    standardised = Standardiser.standardise(raw, AGMARKNET, price, DAY).cache();
  }

  /**
   * The shipped reference data, plus what this test needs whether or not the catalogue has it yet:
   * "Mango" as a name of 芒果 and the quintal (100 kg).
   */
  ReferenceData referenceKnowingMangoAndQuintal() throws IOException {
    Path folder = Files.createDirectories(root.resolve("reference"));
    try (Stream<Path> files = Files.list(Path.of("../conf/reference"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".csv")).toList()) {
        Files.copy(file, folder.resolve(file.getFileName().toString()));
      }
    }
    if (TestReference.SHIPPED.products().match("Mango", null).isEmpty()) {
      Path products = folder.resolve("products.csv");
      Files.writeString(products, Files.readString(products).replace("0214,product,芒果,02,", "0214,product,芒果,02,Mango|"));
    }
    if (TestReference.SHIPPED.units().kgPerUnit("quintal").isEmpty()) {
      Files.writeString(folder.resolve("units.csv"), "QTL,quintal,mass,100,\n", java.nio.file.StandardOpenOption.APPEND);
    }
    return ReferenceData.load(folder);
  }

  @Test
  void rowsThatDifferOnlyByGradeAreAllAcceptedAndAnExactResendIsADuplicate() {
    Dataset<Row> accepted = Standardiser.accepted(standardised, price);
    List<Row> bonai = accepted.where(col("market_name").equalTo("Bonai")).orderBy("source_row").collectAsList();
    assertThat(bonai).extracting(r -> r.<String>getAs("grade")).containsExactly("Medium", "Small", "Large");
    assertThat(bonai).extracting(r -> r.<String>getAs("record_id")).doesNotHaveDuplicates();

    List<Row> quarantined = Quarantine.rows(standardised, AGMARKNET).collectAsList();
    assertThat(quarantined).hasSize(1);
    Row duplicate = quarantined.get(0);
    assertThat(duplicate.<Long>getAs("source_row")).isEqualTo(5L);
    assertThat(duplicate.<String>getList(duplicate.fieldIndex("reasons"))).containsExactly("DUPLICATE");
    assertThat(accepted.count() + quarantined.size()).isEqualTo(6);
  }

  @Test
  void theMartKeepsTwoMandisNamedBijapurInDifferentStatesApart() {
    List<Row> bijapur = Marts.priceDaily(Standardiser.accepted(standardised, price))
        .where(col("market_name").equalTo("Bijapur")).orderBy("market_key").collectAsList();
    assertThat(bijapur).extracting(r -> r.<String>getAs("market_key"))
        .containsExactly("IN/IN-CG/Bijapur/Bijapur", "IN/IN-KA/Bijapur/Bijapur");
    assertThat(bijapur).extracting(r -> r.<String>getAs("market_subdivision_code")).containsExactly("IN-CG", "IN-KA");
    assertThat(bijapur).extracting(r -> r.<Long>getAs("observations")).containsExactly(1L, 1L);
    // 3000 and 4000 INR per quintal: each market its own average, not one mean of both
    assertThat(bijapur).extracting(r -> r.<String>getAs("market_country_code")).containsOnly("IN");
    assertThat(bijapur.get(0).<Double>getAs("price_avg")).isLessThan(bijapur.get(1).<Double>getAs("price_avg"));
  }
}
