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
import org.agrifusion.pipelines.support.SparkExtension;
import org.agrifusion.pipelines.support.TestReference;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standardise stage on a day of the shipped Agmarknet feed (INR per quintal) whose prices carry
 * currency marks: real lines of 27 July 2023 (shared/real-data/agmarknet-india-mandi-week-2023), the
 * money rewritten as exporters and spreadsheets write it.
 */
@ExtendWith(SparkExtension.class)
class AgmarknetCurrencyMarksTest {

  static final LocalDate DAY = LocalDate.of(2023, 7, 27);
  static final byte[] KEY = "a-test-key-of-enough-length".getBytes(StandardCharsets.UTF_8);
  static final List<SourceDescriptor> SOURCES = List.of(TestReference.descriptor("agmarknet-mandi-prices"));

  final SparkSession spark;
  @TempDir Path root;

  AgmarknetCurrencyMarksTest(SparkSession spark) {
    this.spark = spark;
  }

  @Test
  void rupeeMarksAreAcceptedAndAnyOtherCurrencysMarkIsQuarantined() throws IOException {
    Lake lake = new Lake(root.toString()).register(spark);
    Path dir = Files.createDirectories(root.resolve("landing/agmarknet-mandi-prices/" + DAY));
    Files.writeString(dir.resolve("Price_Agriculture_commodities_Week.csv"), """
        State,District,Market,Commodity,Variety,Grade,Arrival_Date,Min Price,Max Price,Modal Price
        Gujarat,Amreli,Damnagar,Tomato,Local,FAQ,27-07-2023,9800,10000,9950
        Haryana,Gurgaon,Gurgaon,Apple,Other,Large,27-07-2023,"₹10,000","₹20,000","₹15,000"
        Himachal Pradesh,Kangra,Palampur,Apple,Apple,Medium,27-07-2023,Rs. 20000,Rs.21000,20500 INR
        Himachal Pradesh,Kangra,Palampur,Banana,Banana - Ripe,Medium,27-07-2023,3500,4000,¥3750
        Himachal Pradesh,Kangra,Palampur,Onion,Other,FAQ,27-07-2023,2000,2200,$2100
        Himachal Pradesh,Kangra,Palampur,Potato,Other,FAQ,27-07-2023,1700,2100,1900元
        Kerala,Alappuzha,Harippad,Banana,Nendra Bale,Medium,27-07-2023,US$5000,5500,5000
        """, StandardCharsets.UTF_8);
    IngestPipeline.run(spark, lake, SOURCES, DAY, "run-1", KEY);

    StandardisePipeline.Result result = StandardisePipeline.run(spark, lake, SOURCES, TestReference.SHIPPED, DAY);

    assertThat(result.read()).isEqualTo(7L).isEqualTo(result.accepted() + result.quarantined());
    assertThat(result.accepted()).isEqualTo(3L);
    assertThat(result.unbalanced()).isEmpty();
    assertThat(result.topReasons()).containsEntry("agmarknet-mandi-prices:CURRENCY_MISMATCH", 3L)
        .containsEntry("agmarknet-mandi-prices:BAD_NUMBER", 1L);

    List<Row> accepted = Tables.read(spark, lake.staging(RecordKind.PRICE), DAY).orElseThrow()
        .select("market_name", "product_code", "currency", "price_low_orig", "price_high_orig", "price_avg_orig", "price_avg")
        .orderBy("market_name", "product_code").collectAsList();
    assertThat(accepted).extracting(r -> r.getString(0), r -> r.getString(2), r -> r.getDouble(3), r -> r.getDouble(4),
            r -> r.getDouble(5))
        .containsExactly(
            tuple("Damnagar", "INR", 9800.0, 10000.0, 9950.0),
            tuple("Gurgaon", "INR", 10000.0, 20000.0, 15000.0),
            tuple("Palampur", "INR", 20000.0, 21000.0, 20500.0));
    // 20,500 INR per quintal at 0.0872408 CNY per INR, not 205 "元/公斤"
    assertThat(accepted.get(2).getDouble(6)).isEqualTo(17.8844);

    List<Row> quarantined = Tables.read(spark, lake.quarantine(RecordKind.PRICE), DAY).orElseThrow()
        .select(col("raw_values").getItem("Commodity"), col("raw_values").getItem("Market"), col("reasons"), col("reason_detail"))
        .orderBy(col("raw_values").getItem("Market"), col("raw_values").getItem("Commodity")).collectAsList();
    assertThat(quarantined).extracting(r -> r.getString(0), r -> r.getString(1), r -> r.getList(2), r -> r.getString(3))
        .containsExactly(
            tuple("Banana", "Harippad", List.of("CURRENCY_MISMATCH"),
                "price_low 'US$5000' is marked USD ('US$'), but the row's currency is INR"),
            tuple("Banana", "Palampur", List.of("CURRENCY_MISMATCH", "CURRENCY_MISMATCH"),
                "price_avg '¥3750' is marked CNY ('¥'), but the row's currency is INR; "
                    + "price_modal '¥3750' is marked CNY ('¥'), but the row's currency is INR"),
            tuple("Onion", "Palampur", List.of("BAD_NUMBER", "BAD_NUMBER"),
                "price_avg '$2100' is not a number: '$' names no currency of currencies.csv; "
                    + "price_modal '$2100' is not a number: '$' names no currency of currencies.csv"),
            tuple("Potato", "Palampur", List.of("CURRENCY_MISMATCH", "CURRENCY_MISMATCH"),
                "price_avg '1900元' is marked CNY ('元'), but the row's currency is INR; "
                    + "price_modal '1900元' is marked CNY ('元'), but the row's currency is INR"));
  }
}
