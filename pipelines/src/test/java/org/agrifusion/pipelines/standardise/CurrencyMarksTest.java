package org.agrifusion.pipelines.standardise;

import static org.agrifusion.pipelines.standardise.CurrencyConversionTest.PALAMPUR_APPLE;
import static org.agrifusion.pipelines.standardise.CurrencyConversionTest.agmarknet;
import static org.agrifusion.pipelines.standardise.CurrencyConversionTest.day;
import static org.agrifusion.pipelines.standardise.CurrencyConversionTest.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.support.TestReference;
import org.junit.jupiter.api.Test;

/**
 * Money written with its currency's mark (₹4,350, Rs. 4350, 4350 INR, US$3.20, ¥2.6, 2.6元): the mark
 * is read through currencies.csv and must name the row's own currency; any other currency quarantines
 * the row (never converted), a mark naming none is not a number, and numbers that are not money
 * take no mark at all.
 */
class CurrencyMarksTest {

  static final SourceDescriptor AGMARKNET = TestReference.descriptor("agmarknet-mandi-prices");
  static final LocalDate JULY_27 = day("2023-07-27");
  final RecordStandard price = RecordStandard.of(RecordKind.PRICE, TestReference.SHIPPED);
  final RecordStandard sale = RecordStandard.of(RecordKind.SALE, TestReference.SHIPPED);
  final RecordStandard shipment = RecordStandard.of(RecordKind.SHIPMENT, TestReference.SHIPPED);

  /** Palampur's apple quote (INR 20,000 / 21,000 / 20,500 per quintal) with the modal price written as given. */
  RecordStandard.Outcome rupees(String modal) {
    Map<String, String> row = agmarknet(PALAMPUR_APPLE);
    row.put("Modal Price", modal);
    return Rows.parse(price, AGMARKNET, row, JULY_27);
  }

  /** The Xinfadi 富士 quote (CNY per 斤), its average price (the "highPrice" column) written as given. */
  RecordStandard.Outcome yuan(String average) {
    Map<String, String> row = PriceStandardTest.fuji();
    row.put("highPrice", average);
    return Rows.parse(price, PriceStandardTest.XINFADI, row, PriceStandardTest.DAY);
  }

  @Test
  void rupeesAreReadInEveryWrittenFormOfTheRupee() {
    for (String written : List.of("20500", "₹20,500", "₹ 20500", "Rs. 20500", "Rs.20500", "Rs 20,500", "rs.20500", "20500 INR",
        "20500INR", "INR 20500", "20,500 Rs.", "20500 rupees", "20500卢比", "₹20500.00")) {
      RecordStandard.Outcome o = rupees(written);
      assertThat(o.reasons()).as(written).isEmpty();
      assertThat(o.value("currency")).as(written).isEqualTo("INR");
      assertThat(o.value("price_avg_orig")).as(written).isEqualTo(20500.0);
      assertThat(o.value("price_modal_orig")).as(written).isEqualTo(20500.0);
      assertThat(o.value("price_avg")).as(written).isEqualTo(17.8844);
    }
  }

  @Test
  void aMarkOfAnotherCurrencyIsQuarantinedNotConverted() {
    Map<String, String> marks = Map.of("¥20500", "CNY", "20500元", "CNY", "￥20500", "CNY", "US$20500", "USD", "€20500", "EUR",
        "20500 JPY", "JPY", "HK$ 20500", "HKD");
    marks.forEach((written, code) -> {
      RecordStandard.Outcome o = rupees(written);
      assertThat(o.reasons()).as(written).containsExactly(ReasonCode.CURRENCY_MISMATCH, ReasonCode.CURRENCY_MISMATCH);
      String mark = written.replaceAll("[0-9 ]", "");
      assertThat(o.details()).as(written).containsExactly(
          "price_avg '" + written + "' is marked " + code + " ('" + mark + "'), but the row's currency is INR",
          "price_modal '" + written + "' is marked " + code + " ('" + mark + "'), but the row's currency is INR");
      assertThat(o.value("price_avg_orig")).as(written).isNull();
      assertThat(o.value("price_avg")).as(written).isNull();
    });
  }

  @Test
  void aMarkThatNamesNoCurrencyIsNotANumber() {
    RecordStandard.Outcome dollar = rupees("$20500");
    assertThat(dollar.reasons()).containsOnly(ReasonCode.BAD_NUMBER);
    assertThat(dollar.details()).contains("price_avg '$20500' is not a number: '$' names no currency of currencies.csv");

    assertThat(rupees("20500 kg").details()).contains("price_avg '20500 kg' is not a number: 'kg' names no currency of currencies.csv");
    for (String written : List.of("₹20500 INR", "Rs.", "₹", "20,500.5.5", "twenty thousand", "₹20500/quintal")) {
      RecordStandard.Outcome o = rupees(written);
      assertThat(o.reasons()).as(written).containsOnly(ReasonCode.BAD_NUMBER);
      assertThat(o.value("price_avg_orig")).as(written).isNull();
    }
  }

  @Test
  void theChineseFormsStayCnyForCnyRows() {
    for (String written : List.of("2.2", "¥2.2", "￥2.2", "2.2元", "¥ 2.2", "2.2 元", "RMB 2.2", "2.2 CNY", "CN¥2.2", "2.2人民币")) {
      RecordStandard.Outcome o = yuan(written);
      assertThat(o.reasons()).as(written).isEmpty();
      assertThat(o.value("currency")).isEqualTo("CNY");
      assertThat(o.value("price_avg_orig")).as(written).isEqualTo(2.2);
      assertThat(o.value("price_avg")).as(written).isEqualTo(4.4);
    }
    assertThat(yuan("1,234.5").value("price_avg_orig")).isEqualTo(1234.5);
    assertThat(yuan("¥1,234.5").value("price_avg_orig")).isEqualTo(1234.5);

    RecordStandard.Outcome rupee = yuan("₹2.2");
    assertThat(rupee.reasons()).containsExactly(ReasonCode.CURRENCY_MISMATCH);
    assertThat(rupee.details()).containsExactly("price_avg '₹2.2' is marked INR ('₹'), but the row's currency is CNY");
  }

  @Test
  void saleAmountsAndFeesAgreeWithTheirRowsCurrency() {
    Map<String, String> order = LogisticsStandardsTest.order();
    order.put("下单时间", "2023-07-27 10:15:00");
    order.put("单价", "US$58");
    order.put("实付金额", "156.6 USD");
    SourceDescriptor dollars = with(LogisticsStandardsTest.ORDERS, "currency", null, "USD");
    RecordStandard.Outcome o = Rows.parse(sale, dollars, order, JULY_27);
    assertThat(o.reasons()).isEmpty();
    assertThat(o.value("unit_price_orig")).isEqualTo(58.0);
    assertThat(o.value("amount_cny")).isEqualTo(1119.2155);

    order.put("实付金额", "¥156.6");
    RecordStandard.Outcome yuanInADollarRow = Rows.parse(sale, dollars, order, JULY_27);
    assertThat(yuanInADollarRow.reasons()).containsExactly(ReasonCode.CURRENCY_MISMATCH);
    assertThat(yuanInADollarRow.details()).containsExactly("amount '¥156.6' is marked CNY ('¥'), but the row's currency is USD");
    assertThat(yuanInADollarRow.value("amount_cny")).isNull();

    Map<String, String> waybill = LogisticsStandardsTest.waybill();
    waybill.put("acceptTime", "2023-07-27 16:00:00");
    waybill.put("signTime", "2023-07-28 09:30:00");
    waybill.put("currency", "HK$");
    SourceDescriptor perRow = with(LogisticsStandardsTest.WAYBILLS, "currency", "currency", null);
    waybill.put("freight", "HK$12");
    RecordStandard.Outcome parcel = Rows.parse(shipment, perRow, waybill, JULY_27);
    assertThat(parcel.reasons()).isEmpty();
    assertThat(parcel.value("fee_cny")).isEqualTo(10.9938);

    waybill.put("freight", "12元");
    RecordStandard.Outcome yuanFee = Rows.parse(shipment, perRow, waybill, JULY_27);
    assertThat(yuanFee.reasons()).containsExactly(ReasonCode.CURRENCY_MISMATCH);
    assertThat(yuanFee.details()).containsExactly("fee '12元' is marked CNY ('元'), but the row's currency is HKD");

    // a row whose own currency is unknown is refused for that, not for a mark it cannot be compared with
    waybill.put("currency", "Rupiah?");
    waybill.put("freight", "₹12");
    assertThat(Rows.parse(shipment, perRow, waybill, JULY_27).reasons()).containsExactly(ReasonCode.UNKNOWN_CURRENCY);
  }

  @Test
  void numbersThatAreNotMoneyTakeNoCurrencyMark() {
    Map<String, String> waybill = LogisticsStandardsTest.waybill();
    waybill.put("weight", "¥5.5");
    RecordStandard.Outcome parcel = Rows.parse(shipment, LogisticsStandardsTest.WAYBILLS, waybill, LogisticsStandardsTest.DAY);
    assertThat(parcel.reasons()).containsExactly(ReasonCode.BAD_NUMBER);
    assertThat(parcel.details()).containsExactly("weight '¥5.5' is not a number ('¥' beside it: only money takes a currency mark)");

    Map<String, String> order = LogisticsStandardsTest.order();
    order.put("购买数量", "3元");
    RecordStandard.Outcome line = Rows.parse(sale, LogisticsStandardsTest.ORDERS, order, LogisticsStandardsTest.DAY);
    assertThat(line.reasons()).containsExactly(ReasonCode.BAD_NUMBER);
    assertThat(line.value("quantity")).isNull();

    waybill.put("weight", "1,205.5");
    assertThat(Rows.parse(shipment, LogisticsStandardsTest.WAYBILLS, waybill, LogisticsStandardsTest.DAY).value("weight_kg"))
        .isEqualTo(1205.5);
  }

  @Test
  void numbersSplitFromTheirMark() {
    assertThat(Numbers.marked("₹4,350")).contains(new Numbers.Marked("4,350", "₹"));
    assertThat(Numbers.marked("Rs. 4350")).contains(new Numbers.Marked("4350", "Rs."));
    assertThat(Numbers.marked("Rs.4350")).contains(new Numbers.Marked("4350", "Rs."));
    assertThat(Numbers.marked("4350 INR")).contains(new Numbers.Marked("4350", "INR"));
    assertThat(Numbers.marked("US$3.20")).contains(new Numbers.Marked("3.20", "US$"));
    assertThat(Numbers.marked("2.6元")).contains(new Numbers.Marked("2.6", "元"));
    assertThat(Numbers.marked("-₹50")).contains(new Numbers.Marked("-50", "₹"));
    assertThat(Numbers.marked("₹-50")).contains(new Numbers.Marked("-50", "₹"));
    assertThat(Numbers.marked("1e3")).contains(new Numbers.Marked("1e3", null));
    assertThat(Numbers.marked(".5")).contains(new Numbers.Marked(".5", null));
    assertThat(Numbers.marked("₹4350 INR")).isEmpty();
    assertThat(Numbers.marked("4350/quintal")).contains(new Numbers.Marked("4350", "/quintal"));
    assertThat(Numbers.marked("abc")).isEmpty();
  }
}
