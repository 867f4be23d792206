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
  static final SourceDescriptor AGMARKNET = TestReference.descriptor("agmarknet-mandi-prices");
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

  /**
   * An Agmarknet line (shipped descriptor): one mandi's Min / Max / Modal price in INR per quintal,
   * the modal standing for the average.
   */
  static String mandi(String state, String district, String market, String variety, int modalInrPerQuintal, LocalDate day) {
    return String.join(",", state, district, market, "Apple", variety, "Medium", String.format("%02d-%02d-%d", day.getDayOfMonth(),
        day.getMonthValue(), day.getYear()), String.valueOf(modalInrPerQuintal), String.valueOf(modalInrPerQuintal), String.valueOf(modalInrPerQuintal));
  }

  Dataset<Row> standardise(LocalDate day, String... lines) throws IOException {
    return standardise(XINFADI, "prodCat,prodPcat,prodName,lowPrice,avgPrice,highPrice,place,unitInfo,pubDate", day, List.of(lines));
  }

  Dataset<Row> standardise(SourceDescriptor feed, String header, LocalDate day, List<String> lines) throws IOException {
    Path dir = Files.createDirectories(root.resolve("landing/" + feed.id() + "/" + day));
    Files.writeString(dir.resolve("prices.csv"), header + "\n" + String.join("\n", lines) + "\n");
    Dataset<Row> raw = RawIngest.read(spark, feed, RawIngest.landedFiles(spark, lake, feed, day), "run-" + day, day, KEY);
    return Standardiser.standardise(raw, feed, PRICE, day);
  }

  /** A day's Xinfadi lines and Agmarknet lines, each feed standardised on its own as the standardise step does. */
  List<Dataset<Row>> standardise(LocalDate day, List<String> xinfadi, List<String> agmarknet) throws IOException {
    return List.of(standardise(XINFADI, "prodCat,prodPcat,prodName,lowPrice,avgPrice,highPrice,place,unitInfo,pubDate", day, xinfadi),
        standardise(AGMARKNET, "State,District,Market,Commodity,Variety,Grade,Arrival_Date,Min Price,Max Price,Modal Price", day, agmarknet));
  }

  /** Publishes a day's price_daily as the fuse and publish steps would. */
  void publish(LocalDate day, String... lines) throws IOException {
    publish(List.of(standardise(day, lines)), day);
  }

  void publish(List<Dataset<Row>> feeds, LocalDate day) {
    Dataset<Row> accepted = feeds.stream().map(f -> Standardiser.accepted(f, PRICE)).reduce(Dataset::unionByName).orElseThrow();
    Tables.replace(Marts.priceDaily(accepted), lake.table(LakeTable.PRICE_DAILY), day);
  }

  /** Today's lines after the rule, in line order. */
  List<Row> judge(String... lines) throws IOException {
    return judge(List.of(standardise(DAY, lines)), DAY, BOUNDS);
  }

  /** Each feed's rows after the rule, feed by feed in line order. */
  List<Row> judge(List<Dataset<Row>> feeds, LocalDate day, PriceBounds bounds) {
    Optional<Dataset<Row>> medians = PriceOutliers.medians(spark, lake, day, bounds);
    List<Row> out = new java.util.ArrayList<>();
    for (Dataset<Row> today : feeds) {
      Dataset<Row> judged = medians.map(m -> PriceOutliers.mark(today, m, bounds)).orElse(today);
      out.addAll(judged.orderBy(col(RawColumns.SOURCE_ROW)).collectAsList());
    }
    return out;
  }

  /** Each judged row's market, product and CNY/kg average, with its reasons. */
  static Map<String, List<String>> reasons(List<Row> judged) {
    Map<String, List<String>> reasons = new LinkedHashMap<>();
    judged.forEach(r -> reasons.put(r.getAs("market_name") + " " + r.getAs("product_name") + " " + r.getAs("price_avg"),
        r.getList(r.fieldIndex(Standardiser.REASONS))));
    return reasons;
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

  /** price_daily days published before market_country_code existed: a table without the column is China's markets' history. */
  @Test
  void historyInATableWithoutMarketCountriesIsChinas() throws IOException {
    LocalDate old = DAY.minusDays(2);
    Tables.replace(Marts.priceDaily(Standardiser.accepted(standardise(old, line("水果", "富士", "2.2", old)), PRICE)).drop("market_country_code"),
        lake.table(LakeTable.PRICE_DAILY), old);
    assertThat(reasons(judge(line("水果", "富士", "25", DAY)))).containsExactly(
        Map.entry("北京新发地农产品批发市场 富士 50.0", List.of("PRICE_OUTLIER")));
  }

  /** Markets without a country in price_daily (rows curated before the column, an uncoded region) are China's. */
  @Test
  void historyWithoutAMarketCountryIsChinas() throws IOException {
    LocalDate old = DAY.minusDays(2);
    Tables.replace(Marts.priceDaily(Standardiser.accepted(standardise(old, line("水果", "富士", "2.2", old)), PRICE))
        .withColumn("market_country_code", org.apache.spark.sql.functions.lit(null).cast("string")), lake.table(LakeTable.PRICE_DAILY), old);
    assertThat(reasons(judge(line("水果", "富士", "25", DAY)))).containsExactly(
        Map.entry("北京新发地农产品批发市场 富士 50.0", List.of("PRICE_OUTLIER")));
  }

  /**
   * Red Delicious (红星, 020106) at Xinfadi and in Uttar Pradesh's mandis, July 2023: 1.95 CNY/斤 is
   * 3.9 CNY/kg, 10,100 INR/quintal about 8.8 CNY/kg. Each country's normal level, judged against its
   * own markets' median, is accepted, though India's mandis outnumber Beijing's one market; a slipped
   * digit within a country is still an outlier. The rule here is a steward's tighter one for fruit
   * (factor 2): a price more than double or less than half its median.
   */
  @Test
  void eachCountryIsJudgedAgainstItsOwnMarketsMedian() throws IOException {
    PriceBounds tight = fruitFactorTwo();
    LocalDate day = LocalDate.of(2023, 7, 28);
    // five days of Xinfadi's 红星, and two of three mandis' Delicious: six Indian daily averages to five Chinese
    for (int back = 1; back <= 5; back++) {
      LocalDate d = day.minusDays(back);
      List<String> india = back > 2 ? List.of() : List.of(
          mandi("Uttar Pradesh", "Basti", "Basti", "Delicious", 10100, d),
          mandi("Uttar Pradesh", "Barabanki", "Safdarganj", "Delicious", 10600, d),
          mandi("Uttar Pradesh", "Chandauli", "Chandoli", "Delicious", 10300, d));
      publish(standardise(d, List.of(line("水果", "红星", "1.95", d)), india), d);
    }
    List<Row> judged = judge(standardise(day,
        List.of(line("水果", "红星", "1.95", day), line("水果", "红星", "19.5", day)),
        List.of(mandi("Uttar Pradesh", "Basti", "Basti", "Delicious", 10100, day),
            mandi("Uttar Pradesh", "Barabanki", "Safdarganj", "Delicious", 106000, day))), day, tight);
    assertThat(reasons(judged)).containsExactly(
        Map.entry("北京新发地农产品批发市场 红星 3.9", List.of()),                  // China's normal level
        Map.entry("北京新发地农产品批发市场 红星 39.0", List.of("PRICE_OUTLIER")),   // 10 x China's median
        Map.entry("Basti Apple 8.794", List.of()),                                 // India's normal level
        Map.entry("Safdarganj Apple 92.294", List.of("PRICE_OUTLIER")));           // 10 x India's median
    assertThat(judged).extracting(r -> r.<String>getAs("variety_code")).containsOnly("020106");
    assertThat((String) judged.get(3).getAs(Standardiser.REASON_DETAIL)).contains("'s median ").contains(" in IN");
  }

  /** A mandi's first quote of a variety that only China's markets have history of is not judged. */
  @Test
  void aCountryWithoutHistoryOfTheVarietyIsNotJudged() throws IOException {
    PriceBounds tight = fruitFactorTwo();
    LocalDate day = LocalDate.of(2023, 7, 28);
    publish(standardise(day.minusDays(1), List.of(line("水果", "红星", "1.95", day.minusDays(1))), List.of()), day.minusDays(1));
    List<Row> judged = judge(standardise(day, List.of(line("水果", "红星", "1.95", day)),
        List.of(mandi("Uttar Pradesh", "Basti", "Basti", "Delicious", 10100, day))), day, tight);
    assertThat(reasons(judged)).containsExactly(
        Map.entry("北京新发地农产品批发市场 红星 3.9", List.of()),
        Map.entry("Basti Apple 8.794", List.of()));
  }

  /** The shipped rules with a steward's tighter one for fruit: factor 2, a price more than double or less than half its median. */
  PriceBounds fruitFactorTwo() throws IOException {
    Path csv = root.resolve("price-bounds.csv");
    Files.writeString(csv, "prefix,name,min_cny_kg,max_cny_kg,outlier_factor,outlier_days,source\n"
        + "*,default,0.01,20000,10,30,test\n02,水果,0.05,4000,2,30,a steward's tighter rule for fruit\n");
    return PriceBounds.load(csv);
  }
}
