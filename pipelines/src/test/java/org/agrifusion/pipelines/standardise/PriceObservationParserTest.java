package org.agrifusion.pipelines.standardise;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.source.SourceDescriptors;
import org.junit.jupiter.api.Test;

/** The rules of the price standard, on rows shaped like the real Xinfadi bulletin. */
class PriceObservationParserTest {

  static final SourceDescriptor XINFADI = SourceDescriptors.load(Path.of("../conf/sources/xinfadi-daily-prices.yml"));
  static final LocalDate DAY = LocalDate.of(2021, 12, 7);
  final PriceObservationParser parser = new PriceObservationParser(XINFADI, UnitCatalogTest.SHIPPED);

  /** A verbatim line of the real file: 水果,苹果类,富士,1.8,2.6,2.2,,斤,2021-12-07 00:00:00 */
  static Map<String, String> fuji() {
    Map<String, String> row = new HashMap<>();
    row.put("prodCat", "水果");
    row.put("prodPcat", "苹果类");
    row.put("prodName", "富士");
    row.put("lowPrice", "1.8");
    row.put("avgPrice", "2.6");
    row.put("highPrice", "2.2");
    row.put("place", null);
    row.put("unitInfo", "斤");
    row.put("pubDate", "2021-12-07 00:00:00");
    return row;
  }

  PriceObservationParser.Parsed parse(Map<String, String> row) {
    return parser.parse(row::get, null, DAY);
  }

  @Test
  void jinPricesAreConvertedToYuanPerKilogramAndSwappedColumnsAreMappedBack() {
    PriceObservationParser.Parsed p = parse(fuji());
    assertThat(p.accepted()).isTrue();
    // the header's "avgPrice" column is the high price, "highPrice" the average
    assertThat(p.lowOrig()).isEqualByComparingTo("1.8");
    assertThat(p.avgOrig()).isEqualByComparingTo("2.2");
    assertThat(p.highOrig()).isEqualByComparingTo("2.6");
    assertThat(p.low()).isEqualByComparingTo("3.6");
    assertThat(p.avg()).isEqualByComparingTo("4.4");
    assertThat(p.high()).isEqualByComparingTo("5.2");
    assertThat(p.kgPerUnit()).isEqualByComparingTo("0.5");
    assertThat(p.unitConvertible()).isTrue();
    assertThat(p.observedDate()).isEqualTo(DAY);
    assertThat(p.marketName()).isEqualTo("北京新发地农产品批发市场");
    assertThat(p.channel()).isEqualTo("wholesale");
  }

  @Test
  void pricePerKilogramDividesByTheUnitWeight() {
    assertThat(PriceObservationParser.perKg(new BigDecimal("3.35"), Optional.of(new BigDecimal("0.5"))))
        .isEqualByComparingTo("6.7");
    assertThat(PriceObservationParser.perKg(new BigDecimal("10"), Optional.of(new BigDecimal("0.05"))))
        .isEqualByComparingTo("200");
    assertThat(PriceObservationParser.perKg(new BigDecimal("1"), Optional.of(new BigDecimal("3"))))
        .isEqualByComparingTo("0.3333");
    assertThat(PriceObservationParser.perKg(new BigDecimal("1"), Optional.empty())).isNull();
  }

  @Test
  void packageUnitIsKeptAndFlaggedNotConverted() {
    Map<String, String> row = fuji();
    row.put("unitInfo", "箱");
    PriceObservationParser.Parsed p = parse(row);
    assertThat(p.accepted()).isTrue();
    assertThat(p.unitConvertible()).isFalse();
    assertThat(p.unit()).isEqualTo("箱");
    assertThat(p.avg()).isNull();
    assertThat(p.avgOrig()).isEqualByComparingTo("2.2");
  }

  @Test
  void datesAreReadWithTheDescriptorsPatterns() {
    Map<String, String> row = fuji();
    row.put("pubDate", "2021-12-07");
    assertThat(parse(row).observedDate()).isEqualTo(DAY);
    row.put("pubDate", "07/12/2021");
    PriceObservationParser.Parsed p = parse(row);
    assertThat(p.reasons()).containsExactly(ReasonCode.BAD_DATE);
    assertThat(p.details()).singleElement().asString().contains("07/12/2021");
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
    PriceObservationParser.Parsed p = parse(row);
    assertThat(p.reasons()).containsExactly(ReasonCode.MISSING_FIELD, ReasonCode.BAD_NUMBER, ReasonCode.NON_POSITIVE_PRICE);
    assertThat(p.details()).contains("product_name is empty", "price_low 'abc' is not a number", "price_avg is 0");
  }

  @Test
  void lowAboveHighIsRejected() {
    // real API-dump row: 泰国香蕉 low 8.6, high 6.7, avg 7.65
    Map<String, String> row = fuji();
    row.put("lowPrice", "8.6");
    row.put("avgPrice", "6.7");
    row.put("highPrice", "7.65");
    PriceObservationParser.Parsed p = parse(row);
    assertThat(p.reasons()).containsExactly(ReasonCode.PRICE_ORDER);
    assertThat(p.details()).containsExactly("expected low <= avg <= high, got 8.6 / 7.65 / 6.7");
  }

  @Test
  void aLineTheReaderCouldNotSplitIsRejectedWithItsError() {
    PriceObservationParser.Parsed p = parser.parse(fuji()::get, "expected 9 fields, found 7", DAY);
    assertThat(p.reasons()).contains(ReasonCode.UNPARSEABLE_LINE);
    assertThat(p.details()).contains("expected 9 fields, found 7");
  }

  @Test
  void pricesWithCurrencySignsAreNumbers() {
    assertThat(Numbers.parseDecimal("¥2.60")).isEqualByComparingTo("2.6");
    assertThat(Numbers.parseDecimal("2.6元")).isEqualByComparingTo("2.6");
  }
}
