package org.agrifusion.pipelines.standardise;

import static org.agrifusion.pipelines.standardise.CurrencyConversionTest.PALAMPUR_APPLE;
import static org.agrifusion.pipelines.standardise.CurrencyConversionTest.agmarknet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.source.SourceDescriptorException;
import org.agrifusion.pipelines.source.SourceDescriptors;
import org.agrifusion.pipelines.support.TestReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A number is read in its feed's convention ({@code format.decimal_separator}), never guessed per
 * value: with the decimal point (the default) a comma is only a group separator, in groups of three
 * or the Indian lakh grouping; with the decimal comma a dot, space or apostrophe is. Anything else
 * is BAD_NUMBER, so {@code 2,6} can never become 26.
 */
class NumberConventionsTest {

  static final LocalDate JULY_27 = LocalDate.of(2023, 7, 27);
  final RecordStandard price = RecordStandard.of(RecordKind.PRICE, TestReference.SHIPPED);
  final RecordStandard shipment = RecordStandard.of(RecordKind.SHIPMENT, TestReference.SHIPPED);
  @TempDir Path dir;

  static BigDecimal point(String text) {
    return Numbers.parseDecimal(text, '.');
  }

  static BigDecimal comma(String text) {
    return Numbers.parseDecimal(text, ',');
  }

  @Test
  void withTheDecimalPointCommasGroupInThreesOrTheIndianWay() {
    assertThat(point("1,234")).isEqualByComparingTo("1234");
    assertThat(point("12,345,678.9")).isEqualByComparingTo("12345678.9");
    assertThat(point("1,234,567.5")).isEqualByComparingTo("1234567.5");
    assertThat(point("-1,205.5")).isEqualByComparingTo("-1205.5");
    assertThat(point("1,00,000")).isEqualByComparingTo("100000");
    assertThat(point("12,34,567.50")).isEqualByComparingTo("1234567.50");
    assertThat(point("1,23,45,678")).isEqualByComparingTo("12345678");
    assertThat(point("2.6")).isEqualByComparingTo("2.6");
    assertThat(point("20500")).isEqualByComparingTo("20500");
    assertThat(point(".5")).isEqualByComparingTo("0.5");
    assertThat(point("+3")).isEqualByComparingTo("3");
    assertThat(point("1e3")).isEqualByComparingTo("1000");
  }

  @Test
  void withTheDecimalPointAnyOtherCommaIsNotANumber() {
    for (String written : new String[] {"2,6", "3,25", "1,2,3", "1234,5", "0,5", "0,123", "01,234", "1,2345", "12,3456",
        "1,234,56", "1,234.5,6", "1.234,50", ",5", "1,", "1,,234", "12,34,56"}) {
      assertThatThrownBy(() -> point(written)).as(written).isInstanceOf(NumberFormatException.class)
          .hasMessage("'" + written + "' is not a number: ',' is not a thousands separator here (groups of three: 1,234,567;"
              + " or Indian: 1,00,000); a feed that writes decimal commas (2,6) needs format.decimal_separator: \",\"");
    }
    for (String written : new String[] {"abc", "2.6.1", "1 234", "1'234", "", "-", "."}) {
      assertThatThrownBy(() -> point(written)).as(written).isInstanceOf(NumberFormatException.class)
          .hasMessage("'" + written + "' is not a number");
    }
  }

  @Test
  void withTheDecimalCommaDotsSpacesAndApostrophesGroup() {
    assertThat(comma("2,6")).isEqualByComparingTo("2.6");
    assertThat(comma("1.234,5")).isEqualByComparingTo("1234.5");
    assertThat(comma("1 234,5")).isEqualByComparingTo("1234.5");
    assertThat(comma("1\u202F234,5")).isEqualByComparingTo("1234.5");
    assertThat(comma("1'234'567,25")).isEqualByComparingTo("1234567.25");
    assertThat(comma("12.345.678")).isEqualByComparingTo("12345678");
    // the feed says dots group: 1.234 is a thousand and more, as 1,234 is in a decimal-point feed
    assertThat(comma("1.234")).isEqualByComparingTo("1234");
    assertThat(comma("1.00.000,5")).isEqualByComparingTo("100000.5");
    assertThat(comma("-0,75")).isEqualByComparingTo("-0.75");
    assertThat(comma(",5")).isEqualByComparingTo("0.5");
    assertThat(comma("4350")).isEqualByComparingTo("4350");
  }

  @Test
  void withTheDecimalCommaADecimalPointIsNotANumber() {
    for (String written : new String[] {"2.6", "12.5", "1.2345", "0.123", "1,234.5", "1.234.5", "1.234 567,8"}) {
      assertThatThrownBy(() -> comma(written)).as(written).isInstanceOf(NumberFormatException.class)
          .hasMessage("'" + written + "' is not a number: this feed writes decimal commas (format.decimal_separator: \",\"),"
              + " where '.', space and apostrophe only separate groups of three (1.234.567,5)");
    }
    for (String written : new String[] {"2,6,1", "1,2,3", "abc"}) {
      assertThatThrownBy(() -> comma(written)).as(written).hasMessage("'" + written + "' is not a number");
    }
  }

  @Test
  void aMarkSplitsOffNumbersOfEitherConvention() {
    assertThat(Numbers.marked("₹4.350,00")).contains(new Numbers.Marked("4.350,00", "₹"));
    assertThat(Numbers.marked("4 350,00 €")).contains(new Numbers.Marked("4 350,00", "€"));
    assertThat(Numbers.marked("2,6元")).contains(new Numbers.Marked("2,6", "元"));
    assertThat(Numbers.marked(",5")).contains(new Numbers.Marked(",5", null));
    assertThat(Numbers.marked("Rs.4350")).contains(new Numbers.Marked("4350", "Rs."));
    assertThat(Numbers.marked("20500 INR")).contains(new Numbers.Marked("20500", "INR"));
  }

  /** A verbatim Xinfadi quote (CNY per 斤) with its average price written as given. */
  RecordStandard.Outcome xinfadi(String average) {
    Map<String, String> row = PriceStandardTest.fuji();
    row.put("highPrice", average);
    return Rows.parse(price, PriceStandardTest.XINFADI, row, PriceStandardTest.DAY);
  }

  @Test
  void aDecimalCommaInADecimalPointFeedIsQuarantinedNotReadTenTimesTooLarge() {
    RecordStandard.Outcome o = xinfadi("2,2");
    assertThat(o.reasons()).containsExactly(ReasonCode.BAD_NUMBER);
    assertThat(o.details()).containsExactly("price_avg '2,2' is not a number: ',' is not a thousands separator here (groups of"
        + " three: 1,234,567; or Indian: 1,00,000); a feed that writes decimal commas (2,6) needs format.decimal_separator: \",\"");
    assertThat(o.value("price_avg_orig")).isNull();
    assertThat(xinfadi("¥2,2").reasons()).containsExactly(ReasonCode.BAD_NUMBER);
    assertThat(xinfadi("1,234.5").value("price_avg_orig")).isEqualTo(1234.5);

    Map<String, String> waybill = LogisticsStandardsTest.waybill();
    waybill.put("weight", "12,5");
    RecordStandard.Outcome parcel = Rows.parse(shipment, LogisticsStandardsTest.WAYBILLS, waybill, LogisticsStandardsTest.DAY);
    assertThat(parcel.reasons()).containsExactly(ReasonCode.BAD_NUMBER);
    assertThat(parcel.value("weight_kg")).isNull();
  }

  @Test
  void indianGroupingStaysAsItIsRead() {
    Map<String, String> row = agmarknet(PALAMPUR_APPLE);
    row.put("Min Price", "20,000");
    row.put("Max Price", "₹21,000");
    row.put("Modal Price", "Rs. 20,500.00");
    RecordStandard.Outcome o = Rows.parse(price, CurrencyMarksTest.AGMARKNET, row, JULY_27);
    assertThat(o.reasons()).isEmpty();
    assertThat(o.value("price_low_orig")).isEqualTo(20000.0);
    assertThat(o.value("price_avg_orig")).isEqualTo(20500.0);

    row.put("Modal Price", "₹1,00,000");
    row.put("Max Price", "1,05,000.50");
    o = Rows.parse(price, CurrencyMarksTest.AGMARKNET, row, JULY_27);
    assertThat(o.value("price_avg_orig")).isEqualTo(100000.0);
    assertThat(o.value("price_high_orig")).isEqualTo(105000.5);
  }

  /** The shipped Agmarknet descriptor, as a feed that writes decimal commas would declare it. */
  SourceDescriptor agmarknetWithDecimalCommas() throws IOException {
    String shipped = Files.readString(Path.of("../conf/sources/agmarknet-mandi-prices.yml"));
    String yaml = shipped.replace("  header: true\n", "  header: true\n  decimal_separator: \",\"\n");
    assertThat(yaml).isNotEqualTo(shipped);
    return SourceDescriptors.load(Files.writeString(dir.resolve("agmarknet-comma.yml"), yaml));
  }

  @Test
  void aDecimalCommaFeedReadsMoneyWithItsMarks() throws IOException {
    SourceDescriptor feed = agmarknetWithDecimalCommas();
    assertThat(feed.format().decimalChar()).isEqualTo(',');
    Map<String, String> row = agmarknet(PALAMPUR_APPLE);
    row.put("Min Price", "20.000");
    row.put("Max Price", "21.000,00");
    row.put("Modal Price", "₹20.500,00");
    RecordStandard.Outcome o = Rows.parse(price, feed, row, JULY_27);
    assertThat(o.reasons()).isEmpty();
    assertThat(o.value("price_low_orig")).isEqualTo(20000.0);
    assertThat(o.value("price_high_orig")).isEqualTo(21000.0);
    assertThat(o.value("price_avg_orig")).isEqualTo(20500.0);
    assertThat(o.value("price_avg")).isEqualTo(17.8844); // the same CNY/kg as the decimal-point feed's 20500

    row.put("Modal Price", "20500.5");
    o = Rows.parse(price, feed, row, JULY_27);
    assertThat(o.reasons()).containsExactly(ReasonCode.BAD_NUMBER, ReasonCode.BAD_NUMBER);
    assertThat(o.details()).contains("price_avg '20500.5' is not a number: this feed writes decimal commas"
        + " (format.decimal_separator: \",\"), where '.', space and apostrophe only separate groups of three (1.234.567,5)");
  }

  @Test
  void theConventionIsADotOrACommaCheckedOnLoading() throws IOException {
    String shipped = Files.readString(Path.of("../conf/sources/agmarknet-mandi-prices.yml"));
    for (String separator : new String[] {";", "', '", "\"\"", "point"}) {
      Path file = Files.writeString(dir.resolve("bad.yml"),
          shipped.replace("  header: true\n", "  header: true\n  decimal_separator: " + separator + "\n"));
      assertThatThrownBy(() -> SourceDescriptors.load(file)).as(separator).isInstanceOf(SourceDescriptorException.class)
          .hasMessageContaining("format.decimal_separator").hasMessageContaining("must be \".\" or \",\"");
    }
    assertThat(CurrencyMarksTest.AGMARKNET.format().decimalChar()).isEqualTo('.');
  }
}
