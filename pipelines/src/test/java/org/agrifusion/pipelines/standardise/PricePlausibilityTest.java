package org.agrifusion.pipelines.standardise;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Map;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.support.TestReference;
import org.junit.jupiter.api.Test;

/**
 * The price bounds of conf/reference/price-bounds.csv on rows shaped like the real Xinfadi bulletin
 * and shop orders: impossible prices are quarantined, real dear and cheap ones are not.
 */
class PricePlausibilityTest {

  static final LocalDate DAY = LocalDate.of(2021, 12, 7);
  final RecordStandard price = RecordStandard.of(RecordKind.PRICE, TestReference.SHIPPED);
  final RecordStandard sale = RecordStandard.of(RecordKind.SALE, TestReference.SHIPPED);

  /** 富士 quoted in 斤 with low / high / average (the feed's avgPrice column holds the high price). */
  RecordStandard.Outcome fuji(String low, String high, String avg) {
    Map<String, String> row = PriceStandardTest.fuji();
    row.put("lowPrice", low);
    row.put("avgPrice", high);
    row.put("highPrice", avg);
    return Rows.parse(price, PriceStandardTest.XINFADI, row, DAY);
  }

  @Test
  void aPriceOfOneTrillionIsOutOfBounds() {
    RecordStandard.Outcome o = fuji("1e12", "1e12", "1e12");
    assertThat(o.reasons()).containsExactly(ReasonCode.PRICE_OUT_OF_BOUNDS);
    // 1e12 CNY/斤 = 2e12 CNY/kg, against the fruit range 0.05..4000
    assertThat(o.details().get(0)).contains("price_avg 2000000000000").contains("0.05..4000 CNY/kg for 02 水果");
  }

  @Test
  void oneWrongPriceOfAQuoteIsEnough() {
    RecordStandard.Outcome o = fuji("1.8", "2600", "2.2");
    assertThat(o.reasons()).containsExactly(ReasonCode.PRICE_OUT_OF_BOUNDS);
    assertThat(o.details().get(0)).startsWith("price_high 5200 CNY/kg");
  }

  @Test
  void aFractionOfAFenIsBelowTheBounds() {
    assertThat(fuji("0.001", "0.002", "0.0015").reasons()).containsExactly(ReasonCode.PRICE_OUT_OF_BOUNDS);
  }

  @Test
  void dearAndCheapRealQuotesAreAccepted() {
    // 车厘子 at 200 CNY/斤 (400 CNY/kg) and a glut cabbage at 0.1 CNY/斤 are real Xinfadi quotes
    assertThat(fuji("150", "200", "180").reasons()).isEmpty();
    Map<String, String> cabbage = PriceStandardTest.fuji();
    cabbage.put("prodCat", "蔬菜");
    cabbage.put("prodPcat", "");
    cabbage.put("prodName", "大白菜");
    cabbage.put("lowPrice", "0.1");
    cabbage.put("avgPrice", "0.2");
    cabbage.put("highPrice", "0.15");
    RecordStandard.Outcome o = Rows.parse(price, PriceStandardTest.XINFADI, cabbage, DAY);
    assertThat(o.reasons()).isEmpty();
    assertThat(o.value("price_low")).isEqualTo(0.2);
  }

  @Test
  void theMostSpecificPrefixDecides() {
    // dried sea cucumber at 8000 CNY/kg is within 0483 海参 (..20000) though above 04 水产 (..10000)
    Map<String, String> row = PriceStandardTest.fuji();
    row.put("prodCat", "水产");
    row.put("prodPcat", "");
    row.put("prodName", "海参");
    row.put("lowPrice", "4000");
    row.put("avgPrice", "4000");
    row.put("highPrice", "4000");
    assertThat(Rows.parse(price, PriceStandardTest.XINFADI, row, DAY).reasons()).isEmpty();
    row.put("prodName", "带鱼");
    row.put("lowPrice", "5100");
    row.put("avgPrice", "5100");
    row.put("highPrice", "5100");
    assertThat(Rows.parse(price, PriceStandardTest.XINFADI, row, DAY).reasons()).containsExactly(ReasonCode.PRICE_OUT_OF_BOUNDS);
  }

  @Test
  void numbersNoDoubleCanHoldAreBadNumbersAndNotComputedWith() {
    RecordStandard.Outcome o = fuji("1.8", "1e400", "2.2");
    assertThat(o.reasons()).containsExactly(ReasonCode.BAD_NUMBER);
    assertThat(o.details().get(0)).contains("out of range");
    assertThat(fuji("1e-400", "2.6", "2.2").reasons()).containsExactly(ReasonCode.BAD_NUMBER);
    assertThat(fuji("NaN", "2.6", "2.2").reasons()).containsExactly(ReasonCode.BAD_NUMBER);
    assertThat(fuji("1.8", "Infinity", "2.2").reasons()).containsExactly(ReasonCode.BAD_NUMBER);
  }

  @Test
  void negativeAndZeroPricesStayNonPositiveNotAlsoOutOfBounds() {
    assertThat(fuji("-1", "2.6", "2.2").reasons()).containsExactly(ReasonCode.NON_POSITIVE);
    assertThat(fuji("0", "2.6", "2.2").reasons()).containsExactly(ReasonCode.NON_POSITIVE);
  }

  @Test
  void aQuoteInAUnitWithoutWeightIsNotComparedPerKilogram() {
    Map<String, String> row = PriceStandardTest.fuji();
    row.put("unitInfo", "个");
    row.put("lowPrice", "5000");
    row.put("avgPrice", "5000");
    row.put("highPrice", "5000");
    RecordStandard.Outcome o = Rows.parse(price, PriceStandardTest.XINFADI, row, DAY);
    assertThat(o.reasons()).isEmpty();
    assertThat(o.value("price_avg")).isNull();
  }

  @Test
  void aSaleUnitPriceIsCheckedPerKilogram() {
    // 3 boxes of 5 kg at 58 CNY: 11.6 CNY/kg, accepted; at 5.8e7 CNY a box: 1.16e7 CNY/kg
    assertThat(Rows.parse(sale, LogisticsStandardsTest.ORDERS, LogisticsStandardsTest.order(), DAY).reasons()).isEmpty();
    Map<String, String> order = LogisticsStandardsTest.order();
    order.put("单价", "5.8e7");
    RecordStandard.Outcome o = Rows.parse(sale, LogisticsStandardsTest.ORDERS, order, DAY);
    assertThat(o.reasons()).containsExactly(ReasonCode.PRICE_OUT_OF_BOUNDS);
    assertThat(o.details().get(0)).startsWith("unit_price_cny_kg 11600000 CNY/kg outside 0.05..4000");
    // a free gift line (amount 0, no unit price) is not a price
    Map<String, String> gift = LogisticsStandardsTest.order();
    gift.remove("单价");
    gift.put("实付金额", "0");
    assertThat(Rows.parse(sale, LogisticsStandardsTest.ORDERS, gift, DAY).reasons()).isEmpty();
  }
}
