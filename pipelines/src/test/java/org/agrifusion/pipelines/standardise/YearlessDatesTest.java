package org.agrifusion.pipelines.standardise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.source.SourceDescriptorException;
import org.agrifusion.pipelines.source.SourceDescriptors;
import org.agrifusion.pipelines.support.TestReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timestamps written without a year (LaDe's {@code 09-25 08:08:00}) take the business date's year,
 * except a day after the last day the window allows, which is the previous year's.
 */
class YearlessDatesTest {

  @TempDir Path dir;
  final RecordStandard shipment = RecordStandard.of(RecordKind.SHIPMENT, TestReference.SHIPPED);

  /** A last-mile feed like LaDe: no sender, year-less times, in the given zone and window. */
  SourceDescriptor deliveries(String timezone, int daysBefore, int daysAfter) throws IOException {
    return descriptor("""
        id: yearless-deliveries
        kind: shipment
        landing: {pattern: "{date}/*.csv"}
        format: {type: csv, encoding: UTF-8, header: true}
        columns: [order_id, accept_time, delivery_time]
        fields: {tracking_no: order_id, pickup_time: accept_time, sign_time: delivery_time}
        constants: {courier: 菜鸟, receiver_region: "220200"}
        missing_values: ["nan"]
        date_formats: ["MM-dd HH:mm:ss"]
        date_year: business_date
        timezone: %s
        date_window: {days_before: %d, days_after: %d}
        natural_key: [courier, tracking_no]
        """.formatted(timezone, daysBefore, daysAfter));
  }

  SourceDescriptor descriptor(String yaml) throws IOException {
    return SourceDescriptors.load(Files.writeString(dir.resolve("feed.yml"), yaml));
  }

  RecordStandard.Outcome delivery(SourceDescriptor feed, String accept, String delivered, LocalDate businessDate) {
    Map<String, String> row = new HashMap<>();
    row.put("order_id", "3322376");
    row.put("accept_time", accept);
    row.put("delivery_time", delivered);
    return Rows.parse(shipment, feed, row, businessDate);
  }

  static Timestamp at(String instant) {
    return Timestamp.from(Instant.parse(instant));
  }

  @Test
  void aLateEveningOfNewYearsEveInTheFirstOfJanuaryFileIsThePreviousYears() throws IOException {
    RecordStandard.Outcome o = delivery(deliveries("Asia/Shanghai", 1, 0), "12-31 23:50:00", "01-01 08:10:00",
        LocalDate.of(2024, 1, 1));
    assertThat(o.reasons()).isEmpty();
    assertThat(o.value("pickup_time")).isEqualTo(at("2023-12-31T15:50:00Z"));
    assertThat(o.value("pickup_date")).isEqualTo(Date.valueOf("2023-12-31"));
    assertThat(o.value("sign_time")).isEqualTo(at("2024-01-01T00:10:00Z"));   // not 2024-12-31 before its pickup
  }

  /** The window's days_after moves the turn of the year: a day it allows is still the business date's year. */
  @Test
  void aDayTheWindowAllowsAfterTheBusinessDateIsInTheNextYear() throws IOException {
    LocalDate newYearsEve = LocalDate.of(2023, 12, 31);
    RecordStandard.Outcome allowed = delivery(deliveries("Asia/Shanghai", 0, 1), "01-01 00:10:00", "01-01 09:00:00", newYearsEve);
    assertThat(allowed.reasons()).isEmpty();
    assertThat(allowed.value("pickup_date")).isEqualTo(Date.valueOf("2024-01-01"));

    // without days_after the latest possible reading is a year back, outside the window: quarantined, never 2024
    RecordStandard.Outcome sameDay = delivery(deliveries("Asia/Shanghai", 0, 0), "01-01 00:10:00", "01-01 09:00:00", newYearsEve);
    assertThat(sameDay.reasons()).containsExactly(ReasonCode.DATE_OUTSIDE_WINDOW);
    assertThat(sameDay.details().get(0)).contains("2023-01-01");
  }

  @Test
  void theTwentyNinthOfFebruaryExistsOnlyInLeapYears() throws IOException {
    SourceDescriptor feed = deliveries("Asia/Shanghai", 1, 0);
    RecordStandard.Outcome leap = delivery(feed, "02-29 10:00:00", "02-29 12:00:00", LocalDate.of(2024, 3, 1));
    assertThat(leap.reasons()).isEmpty();
    assertThat(leap.value("pickup_date")).isEqualTo(Date.valueOf("2024-02-29"));

    RecordStandard.Outcome common = delivery(feed, "02-29 10:00:00", "02-29 12:00:00", LocalDate.of(2023, 3, 1));
    assertThat(common.reasons()).containsExactly(ReasonCode.BAD_DATE, ReasonCode.BAD_DATE);
    assertThat(common.details().get(0)).contains("'02-29 10:00:00'").contains("not a real day").contains("in 2023")
        .contains("business date 2023-03-01");
    assertThat(common.value("pickup_date")).isNull();   // never a silent 02-28 or 03-01

    // in a 2024-02-28 file, 02-29 would be tomorrow: beyond the window, so 2023's, which has none
    assertThat(delivery(feed, "02-29 10:00:00", null, LocalDate.of(2024, 2, 28)).details().get(0)).contains("in 2023");
  }

  /** A feed ahead of Shanghai writes the next day before Shanghai's day ends: 00:30 in Tokyo is 23:30 in Shanghai. */
  @Test
  void theTurnOfTheYearIsCountedInTheFeedsZone() throws IOException {
    RecordStandard.Outcome o = delivery(deliveries("Asia/Tokyo", 0, 0), "01-01 00:30:00", "01-01 02:00:00", LocalDate.of(2023, 12, 31));
    assertThat(o.reasons()).isEmpty();
    assertThat(o.value("pickup_time")).isEqualTo(at("2023-12-31T15:30:00Z"));
    assertThat(o.value("pickup_date")).isEqualTo(Date.valueOf("2023-12-31"));
  }

  /** Profile and import-history widen the window to take a file of many days; the year must not move with it. */
  @Test
  void aWidenedWindowKeepsTheYearOfTheDescriptorsWindow() throws IOException {
    SourceDescriptor anyDay = deliveries("Asia/Shanghai", 1, 0).withDateWindow(new SourceDescriptor.DateWindow(365_000, 365_000));
    DateParsers dates = new DateParsers(anyDay);
    LocalDate asOf = LocalDate.of(2021, 10, 11);
    assertThat(dates.date("05-17 09:00:00", asOf)).isEqualTo(LocalDate.of(2021, 5, 17));
    assertThat(dates.date("10-11 09:00:00", asOf)).isEqualTo(LocalDate.of(2021, 10, 11));
    assertThat(dates.date("10-12 09:00:00", asOf)).isEqualTo(LocalDate.of(2020, 10, 12));
  }

  /** The reference date is an argument of each call, not of the parser: import-history reads rows of many dates. */
  @Test
  void eachCallNamesItsOwnReferenceDate() throws IOException {
    DateParsers dates = new DateParsers(deliveries("Asia/Shanghai", 0, 0));
    assertThat(dates.date("12-31 23:50:00", LocalDate.of(2024, 1, 1))).isEqualTo(LocalDate.of(2023, 12, 31));
    assertThat(dates.date("12-31 23:50:00", LocalDate.of(2024, 12, 31))).isEqualTo(LocalDate.of(2024, 12, 31));
  }

  @Test
  void aMonthDayDateOfAPriceFeedTakesTheYearToo() throws IOException {
    SourceDescriptor prices = descriptor("""
        id: yearless-prices
        kind: price
        landing: {pattern: "{date}/*.csv"}
        format: {type: csv, encoding: UTF-8, header: true}
        columns: [ds, name, unit, price]
        fields: {observed_date: ds, product_name: name, unit: unit, price_avg: price}
        constants: {market_name: 示例市场}
        date_formats: ["MMdd"]
        date_year: business_date
        date_window: {days_before: 1}
        natural_key: [observed_date, product_name]
        """);
    Map<String, String> row = Map.of("ds", "1231", "name", "富士", "unit", "斤", "price", "3.5");
    RecordStandard.Outcome o = Rows.parse(RecordStandard.of(RecordKind.PRICE, TestReference.SHIPPED), prices, row, LocalDate.of(2024, 1, 1));
    assertThat(o.reasons()).isEmpty();
    assertThat(o.value("observed_date")).isEqualTo(Date.valueOf("2023-12-31"));
  }

  @Test
  void aMissingValueTokenIsMissingNotABadDate() throws IOException {
    RecordStandard.Outcome o = delivery(deliveries("Asia/Shanghai", 1, 0), "nan", "nan", LocalDate.of(2024, 1, 1));
    assertThat(o.reasons()).containsExactly(ReasonCode.MISSING_FIELD);
    assertThat(o.details()).containsExactly("pickup_time is empty");
  }

  @Test
  void aPatternWithoutAYearNeedsDateYear() {
    String yaml = """
        id: no-year
        kind: shipment
        landing: {pattern: "{date}/*.csv"}
        format: {type: csv, encoding: UTF-8, header: true}
        columns: [no, at, to]
        fields: {tracking_no: no, pickup_time: at, receiver_region: to}
        constants: {courier: 菜鸟}
        date_formats: ["yyyy-MM-dd HH:mm:ss", "MM-dd HH:mm:ss"]
        %s
        natural_key: [courier, tracking_no]
        """;
    assertThatThrownBy(() -> descriptor(yaml.formatted("")))
        .isInstanceOf(SourceDescriptorException.class)
        .hasMessageContaining("date_formats").hasMessageContaining("'MM-dd HH:mm:ss' has no year: add date_year: business_date");
    assertThatThrownBy(() -> descriptor(yaml.formatted("date_year: file_name")))
        .isInstanceOf(SourceDescriptorException.class)
        .hasMessageContaining("date_year").hasMessageContaining("must be business_date, got 'file_name'");
  }
}
