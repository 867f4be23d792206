package org.agrifusion.pipelines.source;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.standardise.Quarantine;
import org.agrifusion.pipelines.standardise.RecordStandard;
import org.agrifusion.pipelines.standardise.Standardiser;
import org.agrifusion.pipelines.support.SparkExtension;
import org.agrifusion.pipelines.support.TestReference;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Agmarknet descriptor on 50 real lines of the Indian mandi week (fixtures/README.md):
 * English commodity names coded word by word, the Variety column, grades that keep quotes apart, and
 * records a spreadsheet re-save wrapped whole in quotes.
 */
@ExtendWith(SparkExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgmarknetPricesTest {

  static final byte[] KEY = "a-test-key-of-enough-length".getBytes(StandardCharsets.UTF_8);
  static final Path FIXTURE = Path.of("src/test/resources/fixtures/agmarknet-mandi-week-2023-excerpt.csv");
  static final LocalDate DAY = LocalDate.of(2023, 7, 29);
  /** The excerpt spans 27 July to 1 August: the whole week is one delivery here. */
  static final SourceDescriptor SOURCE = TestReference.descriptor("agmarknet-mandi-prices")
      .withDateWindow(new SourceDescriptor.DateWindow(7, 7));

  final SparkSession spark;
  Dataset<Row> raw;
  Dataset<Row> std;
  /** Standardised rows by source_row (the line of the original file less one: the excerpt keeps line order). */
  final Map<String, Row> byLine = new HashMap<>();

  AgmarknetPricesTest(SparkSession spark) {
    this.spark = spark;
  }

  @BeforeAll
  void standardise(@TempDir Path root) throws IOException {
    Path dir = Files.createDirectories(root.resolve("landing/" + SOURCE.id() + "/" + DAY));
    Files.copy(FIXTURE, dir.resolve("agmarknet.csv"));
    Lake lake = new Lake(root.toString());
    raw = RawIngest.read(spark, SOURCE, RawIngest.landedFiles(spark, lake, SOURCE, DAY), "run-1", DAY, KEY).cache();
    std = Standardiser.standardise(raw, SOURCE, RecordStandard.of(RecordKind.PRICE, TestReference.SHIPPED), DAY).cache();
    for (Row row : std.collectAsList()) {
      byLine.put(row.<String>getAs("product_name") + "|" + row.<String>getAs("variety") + "|" + row.<String>getAs("grade")
          + "|" + row.getAs("market_name"), row);
    }
  }

  Row quote(String commodity, String variety, String grade, String market) {
    Row row = byLine.get(commodity + "|" + variety + "|" + grade + "|" + market);
    assertThat(row).as(commodity + " / " + variety + " / " + grade + " at " + market).isNotNull();
    return row;
  }

  String code(Row row) {
    return row.getAs("variety_code") != null ? row.getAs("variety_code") : row.getAs("product_code");
  }

  @Test
  void everyLineIsReadTheWrappedOnesUnwrapped() {
    assertThat(raw.count()).isEqualTo(50);
    assertThat(raw.where(col(RawColumns.PARSE_ERROR).isNotNull()).count()).isZero();
    Row sesame = quote("Sesamum(Sesame,Gingelly,Til)", "Black", "FAQ", "Amreli");
    assertThat(code(sesame)).isEqualTo("0522");
    assertThat((String) sesame.getAs("market_subdivision_raw")).isEqualTo("Gujarat");
    assertThat((String) sesame.getAs("market_subdivision_code")).isEqualTo("IN-GJ");
    assertThat((Double) sesame.getAs("price_low_orig")).isEqualTo(13310.0);
    assertThat((Double) sesame.getAs("price_avg_orig")).isEqualTo(16250.0);
    assertThat((Double) sesame.getAs("price_modal_orig")).isEqualTo(16250.0);
    assertThat((Double) sesame.getAs("price_high_orig")).isEqualTo(17325.0);
  }

  @Test
  void englishCommodityNamesAreCodedWordByWord() {
    assertThat(code(quote("Pineapple", "Other", "Medium", "Palampur"))).isEqualTo("0227");
    assertThat(code(quote("Sweet Potato", "Other", "FAQ", "Surat"))).isEqualTo("0163");
    assertThat(code(quote("Potato", "Other", "FAQ", "Palampur"))).isEqualTo("0162");
    assertThat(code(quote("Onion Green", "Other", "FAQ", "Deesa(Deesa Veg Yard)"))).isEqualTo("0125");
    assertThat(code(quote("Onion", "Other", "FAQ", "Palampur"))).isEqualTo("0126");
    assertThat(code(quote("Green Chilli", "Green Chilly", "FAQ", "Damnagar"))).isEqualTo("0149");
    assertThat(code(quote("Bhindi(Ladies Finger)", "Bhindi", "FAQ", "Damnagar"))).isEqualTo("0176");
    assertThat(code(quote("Bottle gourd", "Bottle Gourd", "FAQ", "Palampur"))).isEqualTo("0146");
    assertThat(code(quote("Bitter gourd", "Other", "FAQ", "Palampur"))).isEqualTo("0144");
    assertThat(code(quote("Ridgeguard(Tori)", "Other", "FAQ", "Hindol"))).isEqualTo("014301");
    assertThat(code(quote("Drumstick", "Other", "FAQ", "Harippad"))).isEqualTo("0194");
    assertThat(code(quote("Colacasia", "Colacasia", "FAQ", "Palampur"))).isEqualTo("0165");
    assertThat(code(quote("Custard Apple (Sharifa)", "Other", "Medium", "Jodhpur(F&V)(Bhadwasia)"))).isEqualTo("0238");
    assertThat(code(quote("Mustard Oil", "Mustard Oil", "FAQ", "Aligarh"))).isEqualTo("052403");
    assertThat(code(quote("Black Gram Dal (Urd Dal)", "Black Gram Dal", "FAQ", "Shimoga"))).isEqualTo("0540");
    assertThat(code(quote("Cotton", "Other", "FAQ", "Amreli"))).isEqualTo("1201");
  }

  @Test
  void theVarietyColumnCodesACatalogueVarietyOfTheProductOnly() {
    assertThat(code(quote("Apple", "Delicious", "Medium", "Bandrol"))).isEqualTo("020106");
    Row other = quote("Apple", "Other", "Large", "Gurgaon");
    assertThat((String) other.getAs("product_code")).isEqualTo("0201");
    assertThat((String) other.getAs("variety_code")).isNull();
    assertThat((String) quote("Apple", "Hajratbali", "Large", "Ganderbal").getAs("variety_code")).isNull();
    // the variety is in the commodity's own name here
    assertThat(code(quote("Paddy(Dhan)(Basmati)", "1121", "FAQ", "Chandur"))).isEqualTo("052501");
  }

  @Test
  void quotesThatDifferOnlyByGradeAreNotDuplicatesAndNothingIsLost() {
    Dataset<Row> rejected = Quarantine.rows(std, SOURCE);
    long accepted = Standardiser.accepted(std, RecordStandard.of(RecordKind.PRICE, TestReference.SHIPPED)).count();
    assertThat(accepted + rejected.count()).isEqualTo(50);
    assertThat(rejected.where("array_contains(reasons, 'DUPLICATE')").count()).isZero();
    assertThat(quote("Apple", "Hajratbali", "Large", "Ganderbal").<List<?>>getList(std.schema().fieldIndex("reasons"))).isEmpty();
    assertThat(quote("Apple", "Hajratbali", "Medium", "Ganderbal").<List<?>>getList(std.schema().fieldIndex("reasons"))).isEmpty();
    // livestock is priced per head and deliberately not catalogued; a zero price is not a price
    assertThat(rejected.where("array_contains(reasons, 'UNKNOWN_PRODUCT')").select("raw_values.Commodity")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList()).containsExactly("Goat");
    assertThat(rejected.where("array_contains(reasons, 'NON_POSITIVE')").count()).isEqualTo(2);
    assertThat(accepted).isEqualTo(47);
  }
}
