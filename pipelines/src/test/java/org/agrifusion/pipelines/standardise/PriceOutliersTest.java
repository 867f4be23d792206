package org.agrifusion.pipelines.standardise;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.agrifusion.pipelines.fuse.Marts;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.LakeTable;
import org.agrifusion.pipelines.lake.Tables;
import org.agrifusion.pipelines.reference.PriceBounds;
import org.agrifusion.pipelines.source.RawColumns;
import org.agrifusion.pipelines.source.RawIngest;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.source.SourceDescriptor;
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
 * The outlier rule against the variety's median of the days before, with history published by the
 * pipeline's own price_daily mart, on Xinfadi-shaped lines (one price per line, in 斤).
 */
@ExtendWith(SparkExtension.class)
class PriceOutliersTest {

  static final LocalDate DAY = LocalDate.of(2021, 12, 7);
  static final SourceDescriptor XINFADI = TestReference.descriptor("xinfadi-daily-prices");
  static final RecordStandard PRICE = RecordStandard.of(RecordKind.PRICE, TestReference.SHIPPED);
  static final PriceBounds BOUNDS = TestReference.SHIPPED.prices();
  static final byte[] KEY = "a-test-key-of-enough-length".getBytes(StandardCharsets.UTF_8);

  final SparkSession spark;
  @TempDir Path root;
  Lake lake;

  PriceOutliersTest(SparkSession spark) {
    this.spark = spark;
  }

  @BeforeEach
  void lake() {
    lake = new Lake(root.toString()).register(spark);
  }

  /** A bulletin line: the same price as low, average and high, CNY per 斤. */
  static String line(String category, String product, String pricePerJin, LocalDate day) {
    return String.join(",", category, "", product, pricePerJin, pricePerJin, pricePerJin, "冀", "斤", day + " 00:00:00");
  }

  Dataset<Row> standardise(LocalDate day, String... lines) throws IOException {
    Path dir = Files.createDirectories(root.resolve("landing/xinfadi-daily-prices/" + day));
    Files.writeString(dir.resolve("prices.csv"),
        "prodCat,prodPcat,prodName,lowPrice,avgPrice,highPrice,place,unitInfo,pubDate\n" + String.join("\n", lines) + "\n");
    Dataset<Row> raw = RawIngest.read(spark, XINFADI, RawIngest.landedFiles(spark, lake, XINFADI, day), "run-" + day, day, KEY);
    return Standardiser.standardise(raw, XINFADI, PRICE, day);
  }

  /** Publishes a day's price_daily as the fuse and publish steps would. */
  void publish(LocalDate day, String... lines) throws IOException {
    Tables.replace(Marts.priceDaily(Standardiser.accepted(standardise(day, lines), PRICE)), lake.table(LakeTable.PRICE_DAILY), day);
  }

  /** Today's lines after the rule, in line order. */
  List<Row> judge(String... lines) throws IOException {
    Dataset<Row> today = standardise(DAY, lines);
    Optional<Dataset<Row>> medians = PriceOutliers.medians(spark, lake, DAY, BOUNDS);
    Dataset<Row> judged = medians.map(m -> PriceOutliers.mark(today, m, BOUNDS)).orElse(today);
    return judged.orderBy(col(RawColumns.SOURCE_ROW)).collectAsList();
  }

  @Test
  void pricesTenTimesAwayFromTheMedianOfTheLastDaysAreOutliersAndATrueMoveIsNot() throws IOException {
    // the day before: 富士 at 2.2 CNY/斤 (4.4 CNY/kg), 大白菜 at 0.5 (1.0 CNY/kg); a month and more
    // earlier 富士 was at 30 (60 CNY/kg), outside the 30-day window: counted, the median would be 60
    publish(DAY.minusDays(1), line("水果", "富士", "2.2", DAY.minusDays(1)), line("蔬菜", "大白菜", "0.5", DAY.minusDays(1)));
    publish(DAY.minusDays(31), line("水果", "富士", "30", DAY.minusDays(31)));
    publish(DAY.minusDays(40), line("水果", "富士", "30", DAY.minusDays(40)));
    List<Row> judged = judge(
        line("水果", "富士", "2.3", DAY),
        line("水果", "富士", "25", DAY),
        line("水果", "富士", "0.2", DAY),
        line("水果", "富士", "4.4", DAY),
        line("水果", "车厘子", "200", DAY),
        line("蔬菜", "大白菜", "6", DAY));
    Map<String, List<String>> reasons = new LinkedHashMap<>();
    judged.forEach(r -> reasons.put(r.getAs("product_name") + " " + r.getAs("price_avg"), r.getList(r.fieldIndex(Standardiser.REASONS))));
    assertThat(reasons).containsExactly(
        Map.entry("富士 4.6", List.of()),
        Map.entry("富士 50.0", List.of("PRICE_OUTLIER")),        // > 10 x 4.4
        Map.entry("富士 0.4", List.of("PRICE_OUTLIER")),         // < 4.4 / 10
        Map.entry("富士 8.8", List.of()),                        // doubled: a true move, within the rule
        Map.entry("车厘子 400.0", List.of()),                     // no history: not judged
        Map.entry("大白菜 12.0", List.of("PRICE_OUTLIER")));      // > 10 x 1.0
    assertThat((String) judged.get(1).getAs(Standardiser.REASON_DETAIL))
        .startsWith("price_low 50.0 CNY/kg is more than 10.0x away from ")
        .contains("'s median 4.4 CNY/kg of the 30 days before");
  }

  @Test
  void onTheFirstDayThereIsNoHistoryAndNothingIsJudged() throws IOException {
    assertThat(PriceOutliers.medians(spark, lake, DAY, BOUNDS)).isEmpty();
    // nor is the date itself history: a re-run of a date with a bad price is not judged against it
    publish(DAY, line("水果", "富士", "25", DAY));
    assertThat(PriceOutliers.medians(spark, lake, DAY, BOUNDS)).isEmpty();
  }
}
