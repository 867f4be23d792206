package org.agrifusion.pipelines.standardise;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.support.TestReference;
import org.junit.jupiter.api.Test;

/** The rules of the price standard, on rows shaped like the real Xinfadi bulletin. */
class PriceStandardTest {

  static final SourceDescriptor XINFADI = TestReference.descriptor("xinfadi-daily-prices");
  static final LocalDate DAY = LocalDate.of(2021, 12, 7);
  final RecordStandard standard = RecordStandard.of(RecordKind.PRICE, TestReference.SHIPPED);

  /** A verbatim line of the real file: 水果,苹果类,富士,1.8,2.6,2.2,,斤,2021-12-07 00:00:00 */
  static Map<String, String> fuji() {
    Map<String, String> row = new HashMap<>();
    row.put("prodCat", "水果");
    row.put("prodPcat", "苹果类");
    row.put("prodName", "富士");
    row.put("lowPrice", "1.8");
    row.put("avgPrice", "2.6");
    row.put("highPrice", "2.2");
    row.put("unitInfo", "斤");
    row.put("pubDate", "2021-12-07 00:00:00");
    return row;
  }

  RecordStandard.Outcome parse(Map<String, String> row) {
    return Rows.parse(standard, XINFADI, row, DAY);
  }

  @Test
  void jinPricesBecomeYuanPerKilogramAndTheSwappedColumnsAreMappedBack() {
    RecordStandard.Outcome o = parse(fuji());
    assertThat(o.reasons()).isEmpty();
    // the header's "avgPrice" column holds the high price, "highPrice" the average
    assertThat(o.value("price_low_orig")).isEqualTo(1.8);
    assertThat(o.value("price_avg_orig")).isEqualTo(2.2);
    assertThat(o.value("price_high_orig")).isEqualTo(2.6);
    assertThat(o.value("price_low")).isEqualTo(3.6);
    assertThat(o.value("price_avg")).isEqualTo(4.4);
    assertThat(o.value("price_high")).isEqualTo(5.2);
    assertThat(o.value("kg_per_unit")).isEqualTo(0.5);
    assertThat(o.value("unit_convertible")).isEqualTo(true);
    assertThat(o.value("observed_date")).isEqualTo(java.sql.Date.valueOf(DAY));
    assertThat(o.value("market_name")).isEqualTo("北京新发地农产品批发市场");
    assertThat(o.value("market_region_code")).isEqualTo("110106");
  }

  @Test
  void theProductIsCodedFromTheCatalogue() {
    RecordStandard.Outcome o = parse(fuji());
    assertThat((String) o.value("category_code")).isEqualTo("02");
    assertThat((String) o.value("product_code")).startsWith("02").hasSize(4);
    assertThat((String) o.value("variety_code")).startsWith((String) o.value("product_code")).hasSize(6);
  }

  @Test
  void multiProvinceOriginsAreSplitIntoProvinceCodes() {
    Map<String, String> row = fuji();
    row.put("place", "冀甘陕");
    RecordStandard.Outcome o = parse(row);
    assertThat((String[]) o.value("origin_codes")).containsExactly("130000", "620000", "610000");
    assertThat(o.value("origin_status")).isEqualTo("RESOLVED");
  }

  @Test
  void anUnknownOriginIsKeptRawAndFlaggedNotGuessed() {
    Map<String, String> row = fuji();
    row.put("place", "晚");
    RecordStandard.Outcome o = parse(row);
    assertThat(o.reasons()).isEmpty();
    assertThat((String[]) o.value("origin_codes")).isEmpty();
    assertThat(o.value("origin_status")).isEqualTo("UNRESOLVED");
    assertThat(o.value("origin_raw")).isEqualTo("晚");
  }

  @Test
  void aPackageUnitWithoutASpecWeightKeepsItsUnitAndIsFlagged() {
    Map<String, String> row = fuji();
    row.put("unitInfo", "箱");
    RecordStandard.Outcome o = parse(row);
    assertThat(o.reasons()).isEmpty();
    assertThat(o.value("unit_convertible")).isEqualTo(false);
    assertThat(o.value("unit_raw")).isEqualTo("箱");
    assertThat(o.value("price_avg")).isNull();
    assertThat(o.value("price_avg_orig")).isEqualTo(2.2);
  }

  @Test
  void aPackageUnitIsConvertedThroughTheWeightItsSpecStates() {
    SourceDescriptor withSpec = TestReference.descriptor("xinfadi-api-dump");
    Map<String, String> row = new HashMap<>();
    row.put("prodName", "富士");
    row.put("lowPrice", "50");
    row.put("highPrice", "60");
    row.put("avgPrice", "55");
    row.put("specInfo", "10斤/箱");
    row.put("unitInfo", "箱");
    row.put("pubDate", "2022-06-18 00:00:00");
    RecordStandard.Outcome o = Rows.parse(standard, withSpec, row, LocalDate.of(2022, 6, 18));
    assertThat(o.reasons()).isEmpty();
    assertThat(o.value("kg_per_unit")).isEqualTo(5.0);
    assertThat(o.value("price_avg")).isEqualTo(11.0);
  }

  @Test
  void aDateInAnotherFormatIsRejectedWithTheText() {
    Map<String, String> row = fuji();
    row.put("pubDate", "07/12/2021");
    RecordStandard.Outcome o = parse(row);
    assertThat(o.reasons()).containsExactly(ReasonCode.BAD_DATE);
    assertThat(o.details()).singleElement().asString().contains("07/12/2021");
  }

  @Test
  void aRowOfAnotherDayIsOutsideTheWindow() {
    Map<String, String> row = fuji();
    row.put("pubDate", "2021-12-06 00:00:00");
    assertThat(parse(row).reasons()).containsExactly(ReasonCode.DATE_OUTSIDE_WINDOW);
  }

  @Test
  void everyProblemOfARowIsReported() {
    Map<String, String> row = fuji();
    row.put("prodName", " ");
    row.put("lowPrice", "abc");
    row.put("highPrice", "0");
    RecordStandard.Outcome o = parse(row);
    assertThat(o.reasons()).containsExactlyInAnyOrder(ReasonCode.MISSING_FIELD, ReasonCode.BAD_NUMBER, ReasonCode.NON_POSITIVE);
    assertThat(o.details()).contains("product_name is empty", "price_low 'abc' is not a number", "price_avg is 0");
  }

  @Test
  void anUnknownProductIsQuarantined() {
    Map<String, String> row = fuji();
    row.put("prodName", "外星果");
    row.put("prodPcat", null);
    assertThat(parse(row).reasons()).containsExactly(ReasonCode.UNKNOWN_PRODUCT);
  }

  @Test
  void lowAboveHighIsRejected() {
    // real API-dump row: 泰国香蕉 low 8.6, high 6.7, avg 7.65
    Map<String, String> row = fuji();
    row.put("lowPrice", "8.6");
    row.put("avgPrice", "6.7");
    row.put("highPrice", "7.65");
    RecordStandard.Outcome o = parse(row);
    assertThat(o.reasons()).containsExactly(ReasonCode.PRICE_ORDER);
    assertThat(o.details()).containsExactly("expected low <= avg <= high, got 8.6 / 7.65 / 6.7");
  }

  @Test
  void aLineTheReaderCouldNotSplitIsRejectedWithItsError() {
    RecordStandard.Outcome o = Rows.parseWithError(standard, XINFADI, fuji(), DAY, "expected 9 fields, found 7");
    assertThat(o.reasons()).contains(ReasonCode.UNPARSEABLE_LINE);
    assertThat(o.details()).contains("expected 9 fields, found 7");
  }

  @Test
  void pricesWithTheYuansMarksAreYuan() {
    // more forms, and marks of other currencies, in CurrencyMarksTest
    for (String written : new String[] {"¥2.20", "2.2元"}) {
      Map<String, String> row = fuji();
      row.put("highPrice", written);
      assertThat(parse(row).value("price_avg_orig")).as(written).isEqualTo(2.2);
    }
  }

  /** The Xinfadi descriptor with a value map, as a steward would add one for the feed's own names. */
  static SourceDescriptor withValueMaps(java.util.Map<String, java.util.Map<String, String>> maps) {
    java.nio.file.Path yml;
    try {
      String text = java.nio.file.Files.readString(java.nio.file.Path.of("../conf/sources/xinfadi-daily-prices.yml"));
      StringBuilder extra = new StringBuilder("\nvalue_maps:\n");
      maps.forEach((field, map) -> {
        extra.append("  ").append(field).append(":\n");
        map.forEach((from, to) -> extra.append("    \"").append(from).append("\": \"").append(to).append("\"\n"));
      });
      yml = java.nio.file.Files.createTempFile("value-maps", ".yml");
      java.nio.file.Files.writeString(yml, text + extra);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return org.agrifusion.pipelines.source.SourceDescriptors.load(yml);
  }

  @Test
  void valueMapsTranslateAFeedsOwnNamesBeforeTheyAreResolved() {
    SourceDescriptor source = withValueMaps(java.util.Map.of(
        "product_name", java.util.Map.of("Fuji Special", "富士"),
        "unit", java.util.Map.of("half-kilo", "斤")));
    Map<String, String> row = fuji();
    row.put("prodName", "FUJI  special");
    row.put("unitInfo", "Half-Kilo");
    RecordStandard.Outcome o = Rows.parse(standard, source, row, DAY);
    assertThat(o.reasons()).isEmpty();
    assertThat(o.value("product_name")).isEqualTo("富士");
    assertThat(o.value("variety_code")).isEqualTo("020101");
    assertThat(o.value("unit_raw")).isEqualTo("斤");
    assertThat(o.value("kg_per_unit")).isEqualTo(0.5);
  }
}
