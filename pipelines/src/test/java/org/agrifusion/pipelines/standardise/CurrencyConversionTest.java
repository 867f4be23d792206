package org.agrifusion.pipelines.standardise;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.source.SourceDescriptors;
import org.agrifusion.pipelines.support.TestReference;
import org.junit.jupiter.api.Test;

/**
 * Money in another currency than CNY: kept as written with its ISO 4217 code, converted to CNY at the
 * rate of the record's own date (conf/reference/exchange-rates.csv, ECB cross rates), quarantined
 * when the currency or the rate is unknown. Rows are verbatim lines of the Agmarknet week
 * (shared/real-data/agmarknet-india-mandi-week-2023): prices in INR per quintal.
 */
class CurrencyConversionTest {

  /** An Agmarknet-shaped descriptor with {@code constants: {currency: INR, unit: quintal}}. */
  static final SourceDescriptor AGMARKNET = SourceDescriptors.load(Path.of("src/test/resources/currency/agmarknet-mandi-prices.yml"));
  final RecordStandard price = RecordStandard.of(RecordKind.PRICE, TestReference.SHIPPED);
  final RecordStandard sale = RecordStandard.of(RecordKind.SALE, TestReference.SHIPPED);
  final RecordStandard shipment = RecordStandard.of(RecordKind.SHIPMENT, TestReference.SHIPPED);

  /** A line of the file as the reader hands it over. */
  static Map<String, String> agmarknet(String line) {
    String[] v = line.split(",");
    List<String> columns = AGMARKNET.columns();
    Map<String, String> row = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      row.put(columns.get(i), v[i]);
    }
    return row;
  }

  /** Line 13 of the file: Thursday 27 July 2023, INR 20,000 / 21,000 / 20,500 per quintal. */
  static final String PALAMPUR_APPLE = "Himachal Pradesh,Kangra,Palampur,Apple,Apple,Medium,27-07-2023,20000,21000,20500";
  /** Line 5638: Saturday 29 July 2023, a day the ECB publishes no rate. */
  static final String TENALI_LEMON = "Andhra Pradesh,Guntur,Tenali,Lemon,Lemon,FAQ,29-07-2023,1400,2500,1800";

  /** The same feed with a field mapped to a column, or given as a constant (null column). */
  static SourceDescriptor with(SourceDescriptor d, String field, String column, String constant) {
    Map<String, String> fields = new LinkedHashMap<>(d.fields());
    Map<String, String> constants = new LinkedHashMap<>(d.constants() == null ? Map.of() : d.constants());
    List<String> columns = new ArrayList<>(d.columns());
    constants.remove(field);
    if (column != null) {
      fields.put(field, column);
      columns.add(column);
    } else {
      constants.put(field, constant);
    }
    return new SourceDescriptor(d.id(), d.kind(), d.description(), d.landing(), d.format(), columns, fields, constants,
        d.dateFormats(), d.timezone(), d.dateYear(), d.naturalKey(), d.dateWindow(), d.personalData(), d.missingValues(),
        d.valueMaps(), d.maxQuarantineShare());
  }

  static LocalDate day(String isoDate) {
    return LocalDate.parse(isoDate);
  }

  /**
   * Whatever the catalogue makes of the English commodity name (English names are products.csv's
   * business), the row is not refused for its money.
   */
  static void notRefusedForItsMoney(RecordStandard.Outcome o) {
    assertThat(o.reasons()).isSubsetOf(ReasonCode.UNKNOWN_PRODUCT);
  }

  @Test
  void rupeesPerQuintalBecomeYuanPerKilogramAtTheRateOfTheDay() {
    RecordStandard.Outcome o = Rows.parse(price, AGMARKNET, agmarknet(PALAMPUR_APPLE), day("2023-07-27"));
    notRefusedForItsMoney(o);
    assertThat(o.value("currency")).isEqualTo("INR");
    // ECB 2023-07-27: 7.9510 CNY and 91.1385 INR per EUR, so 0.0872408 CNY per INR
    assertThat(o.value("fx_rate")).isEqualTo(0.0872408);
    assertThat(o.value("fx_rate_date")).isEqualTo(java.sql.Date.valueOf("2023-07-27"));
    assertThat(o.value("unit_raw")).isEqualTo("quintal");
    assertThat(o.value("kg_per_unit")).isEqualTo(100.0);
    // as written: rupees per quintal
    assertThat(o.value("price_low_orig")).isEqualTo(20000.0);
    assertThat(o.value("price_high_orig")).isEqualTo(21000.0);
    assertThat(o.value("price_avg_orig")).isEqualTo(20500.0);
    // CNY/kg: 20,500 INR x 0.0872408 / 100 kg = 17.8844, not the 205 "元/公斤" of an unconverted rupee
    assertThat(o.value("price_low")).isEqualTo(17.4482);
    assertThat(o.value("price_avg")).isEqualTo(17.8844);
    assertThat(o.value("price_modal")).isEqualTo(17.8844);
    assertThat(o.value("price_high")).isEqualTo(18.3206);
    assertThat(o.value("unit_convertible")).isEqualTo(true);
  }

  @Test
  void aWeekendQuoteTakesTheLatestRateBeforeIt() {
    RecordStandard.Outcome o = Rows.parse(price, AGMARKNET, agmarknet(TENALI_LEMON), day("2023-07-29"));
    notRefusedForItsMoney(o);
    assertThat(o.value("fx_rate_date")).isEqualTo(java.sql.Date.valueOf("2023-07-28"));
    assertThat(o.value("fx_rate")).isEqualTo(0.0870698);
    assertThat(o.value("price_low")).isEqualTo(1.219);
    assertThat(o.value("price_avg")).isEqualTo(1.5673);
    assertThat(o.value("price_high")).isEqualTo(2.1767);
  }

  @Test
  void aDateWithoutARateIsQuarantinedNamingCurrencyAndDate() {
    // the same quote a year earlier: the rates table starts in 2023
    String lastYear = PALAMPUR_APPLE.replace("27-07-2023", "27-07-2022");
    RecordStandard.Outcome o = Rows.parse(price, AGMARKNET, agmarknet(lastYear), day("2022-07-27"));
    assertThat(o.reasons()).contains(ReasonCode.NO_EXCHANGE_RATE);
    assertThat(o.details()).anySatisfy(d -> assertThat(d)
        .isEqualTo("no INR rate to CNY for 2022-07-27 or the 4 days before (exchange-rates.csv has INR 2023-01-02..2025-05-09)"));
    assertThat(o.value("price_avg_orig")).isEqualTo(20500.0);
    assertThat(o.value("price_avg")).isNull();
    assertThat(o.value("fx_rate")).isNull();
  }

  @Test
  void aCurrencyColumnIsReadInItsWrittenFormsAndAnUnknownOneIsQuarantined() {
    SourceDescriptor perRow = with(AGMARKNET, "currency", "Currency", null);
    Map<String, String> expected = Map.of("Rs.", "INR", "₹", "INR", "rupees", "INR", "卢比", "INR", "inr", "INR",
        "人民币", "CNY", "RMB", "CNY", "元", "CNY", "ＵＳＤ", "USD", "美元", "USD");
    expected.forEach((written, code) -> {
      Map<String, String> row = agmarknet(PALAMPUR_APPLE);
      row.put("Currency", written);
      RecordStandard.Outcome o = Rows.parse(price, perRow, row, day("2023-07-27"));
      notRefusedForItsMoney(o);
      assertThat(o.value("currency")).as(written).isEqualTo(code);
    });

    Map<String, String> row = agmarknet(PALAMPUR_APPLE);
    row.put("Currency", "Rupiah?");
    RecordStandard.Outcome o = Rows.parse(price, perRow, row, day("2023-07-27"));
    assertThat(o.reasons()).contains(ReasonCode.UNKNOWN_CURRENCY);
    assertThat(o.details()).contains("currency 'Rupiah?' is not in currencies.csv");
    assertThat(o.value("price_avg")).isNull();
  }

  @Test
  void priceBoundsJudgeTheYuanPerKilogramNotTheRupeeFigure() {
    // a misplaced decimal point, five zeros too many: 2,050,000,000 INR per quintal
    String typo = "Himachal Pradesh,Kangra,Palampur,Apple,Apple,Medium,27-07-2023,2050000000,2050000000,2050000000";
    RecordStandard.Outcome o = Rows.parse(price, AGMARKNET, agmarknet(typo), day("2023-07-27"));
    assertThat(o.reasons()).contains(ReasonCode.PRICE_OUT_OF_BOUNDS);
    assertThat(o.details()).anySatisfy(d -> assertThat(d).contains("price_avg 1788436.4,", " CNY/kg outside "));
  }

  @Test
  void withoutACurrencyMoneyIsCnyAndUnchanged() {
    RecordStandard.Outcome o = Rows.parse(price, PriceStandardTest.XINFADI, PriceStandardTest.fuji(), PriceStandardTest.DAY);
    assertThat(o.reasons()).isEmpty();
    assertThat(o.value("currency")).isEqualTo("CNY");
    assertThat(o.value("fx_rate")).isEqualTo(1.0);
    assertThat(o.value("fx_rate_date")).isNull();
    assertThat(o.value("price_avg_orig")).isEqualTo(2.2);
    assertThat(o.value("price_avg")).isEqualTo(4.4);

    RecordStandard.Outcome order = Rows.parse(sale, LogisticsStandardsTest.ORDERS, LogisticsStandardsTest.order(), LogisticsStandardsTest.DAY);
    assertThat(order.reasons()).isEmpty();
    assertThat(order.value("currency")).isEqualTo("CNY");
    assertThat(order.value("amount_orig")).isEqualTo(156.6);
    assertThat(order.value("amount_cny")).isEqualTo(156.6);
    assertThat(order.value("unit_price_cny_kg")).isEqualTo(11.6);

    Map<String, String> waybill = LogisticsStandardsTest.waybill();
    waybill.put("freight", "12");
    RecordStandard.Outcome parcel = Rows.parse(shipment, LogisticsStandardsTest.WAYBILLS, waybill, LogisticsStandardsTest.DAY);
    assertThat(parcel.reasons()).isEmpty();
    assertThat(parcel.value("currency")).isEqualTo("CNY");
    assertThat(parcel.value("fee_orig")).isEqualTo(12.0);
    assertThat(parcel.value("fee_cny")).isEqualTo(12.0);
  }

  @Test
  void saleAmountsAndShippingFeesAreConvertedToo() {
    Map<String, String> order = LogisticsStandardsTest.order();
    order.put("下单时间", "2023-07-27 10:15:00");
    RecordStandard.Outcome o = Rows.parse(sale, with(LogisticsStandardsTest.ORDERS, "currency", null, "USD"), order, day("2023-07-27"));
    assertThat(o.reasons()).isEmpty();
    assertThat(o.value("currency")).isEqualTo("USD");
    assertThat(o.value("fx_rate")).isEqualTo(7.14697);
    assertThat(o.value("unit_price_orig")).isEqualTo(58.0);
    // 58 USD per 5 kg box: 58 x 7.14697 / 5
    assertThat(o.value("unit_price_cny_kg")).isEqualTo(82.9049);
    assertThat(o.value("amount_orig")).isEqualTo(156.6);
    assertThat(o.value("amount_cny")).isEqualTo(1119.2155);

    Map<String, String> waybill = LogisticsStandardsTest.waybill();
    waybill.put("acceptTime", "2023-07-27 16:00:00");
    waybill.put("signTime", "2023-07-28 09:30:00");
    waybill.put("freight", "12");
    waybill.put("currency", "HK$");
    RecordStandard.Outcome p = Rows.parse(shipment, with(LogisticsStandardsTest.WAYBILLS, "currency", "currency", null), waybill,
        day("2023-07-27"));
    assertThat(p.reasons()).isEmpty();
    assertThat(p.value("currency")).isEqualTo("HKD");
    assertThat(p.value("fee_orig")).isEqualTo(12.0);
    assertThat(p.value("fee_cny")).isEqualTo(10.9938);

    // no fee, nothing to convert: a waybill is not refused for lacking a rate it does not need
    waybill.remove("freight");
    waybill.put("acceptTime", "2021-12-07 16:00:00");
    waybill.put("signTime", "2021-12-08 09:30:00");
    RecordStandard.Outcome free = Rows.parse(shipment, with(LogisticsStandardsTest.WAYBILLS, "currency", "currency", null), waybill,
        LogisticsStandardsTest.DAY);
    assertThat(free.reasons()).isEmpty();
    assertThat(free.value("currency")).isEqualTo("HKD");
    assertThat(free.value("fee_cny")).isNull();
  }
}
