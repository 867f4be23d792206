package org.agrifusion.pipelines.standardise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.source.SourceDescriptors;
import org.agrifusion.pipelines.support.TestReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A feed outside China writes local times of its own zone: events become Asia/Shanghai instants and
 * days, while a market's trading day stays the day it names.
 */
class FeedTimeZoneTest {

  @TempDir Path dir;

  SourceDescriptor load(String yaml) throws IOException {
    return SourceDescriptors.load(Files.writeString(dir.resolve("feed.yml"), yaml));
  }

  SourceDescriptor waybills(String timezone) throws IOException {
    return load("""
        id: abroad-waybills
        kind: shipment
        landing: {pattern: "{date}/*.csv"}
        format: {type: csv, encoding: UTF-8, header: true}
        columns: [no, picked, signed, from, to]
        fields: {tracking_no: no, pickup_time: picked, sign_time: signed, sender_region: from, receiver_region: to}
        constants: {courier: DHL}
        date_formats: ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ssXXX"]
        timezone: %s
        natural_key: [courier, tracking_no]
        """.formatted(timezone));
  }

  RecordStandard.Outcome waybill(SourceDescriptor feed, String picked, String signed, LocalDate businessDate) {
    Map<String, String> row = Map.of("no", "1234567890", "picked", picked, "signed", signed, "from", "临猗县", "to", "上海市浦东新区");
    return Rows.parse(RecordStandard.of(RecordKind.SHIPMENT, TestReference.SHIPPED), feed, row, businessDate);
  }

  /** 23:00 in Kolkata (UTC+05:30) is 01:30 the next morning in Shanghai: the parcel belongs to Shanghai's next day. */
  @Test
  void kolkataLocalTimesAreShanghaiInstantsAndDays() throws IOException {
    SourceDescriptor kolkata = waybills("Asia/Kolkata");
    RecordStandard.Outcome o = waybill(kolkata, "2023-01-05 23:00:00", "2023-01-06 09:00:00", LocalDate.of(2023, 1, 6));
    assertThat(o.reasons()).isEmpty();
    assertThat(o.value("pickup_time")).isEqualTo(Timestamp.from(Instant.parse("2023-01-05T17:30:00Z")));
    assertThat(o.value("pickup_date")).isEqualTo(Date.valueOf("2023-01-06"));
    assertThat(o.value("sign_time")).isEqualTo(Timestamp.from(Instant.parse("2023-01-06T03:30:00Z")));

    // the file of Kolkata's 5 January does not hold it: by Shanghai's day it is the 6th
    assertThat(waybill(kolkata, "2023-01-05 23:00:00", "2023-01-06 09:00:00", LocalDate.of(2023, 1, 5)).reasons())
        .containsExactly(ReasonCode.DATE_OUTSIDE_WINDOW);
  }

  @Test
  void utcLocalTimesAreShanghaiInstantsAndDaysAndAnOffsetWinsOverTheZone() throws IOException {
    SourceDescriptor utc = waybills("UTC");
    RecordStandard.Outcome o = waybill(utc, "2021-12-07 16:30:00", "2021-12-08T10:00:00+08:00", LocalDate.of(2021, 12, 8));
    assertThat(o.reasons()).isEmpty();
    assertThat(o.value("pickup_time")).isEqualTo(Timestamp.from(Instant.parse("2021-12-07T16:30:00Z")));
    assertThat(o.value("pickup_date")).isEqualTo(Date.valueOf("2021-12-08"));
    assertThat(o.value("sign_time")).isEqualTo(Timestamp.from(Instant.parse("2021-12-08T02:00:00Z")));
  }

  /** An order's day is Shanghai's too (order_date), whatever the platform's zone. */
  @Test
  void anOrderOfAUtcPlatformGetsShanghaisDay() throws IOException {
    SourceDescriptor orders = load(Files.readString(Path.of("../conf/sources/shop-orders.yml"))
        .replaceFirst("(?m)^timezone:.*$", "timezone: UTC"));
    Map<String, String> row = new java.util.HashMap<>(LogisticsStandardsTest.order());
    row.put("下单时间", "2021-12-06 20:00:00");
    RecordStandard.Outcome o = Rows.parse(RecordStandard.of(RecordKind.SALE, TestReference.SHIPPED), orders, row, LogisticsStandardsTest.DAY);
    assertThat(o.reasons()).isEmpty();
    assertThat(o.value("order_time")).isEqualTo(Timestamp.from(Instant.parse("2021-12-06T20:00:00Z")));
    assertThat(o.value("order_date")).isEqualTo(Date.valueOf("2021-12-07"));
  }

  /**
   * A price's observed_date is the market's trading day as the market names it: a date has no
   * instant to convert, and a mandi's 5 January is not Beijing's 6th even when a time is written.
   */
  @Test
  void aPriceDayIsTheMarketsLocalDayNotConverted() throws IOException {
    SourceDescriptor mandi = load("""
        id: abroad-prices
        kind: price
        landing: {pattern: "{date}/*.csv"}
        format: {type: csv, encoding: UTF-8, header: true}
        columns: [day, name, unit, price]
        fields: {observed_date: day, product_name: name, unit: unit, price_avg: price}
        constants: {market_name: Azadpur}
        date_formats: ["dd/MM/yyyy", "yyyy-MM-dd HH:mm:ss"]
        timezone: Asia/Kolkata
        natural_key: [observed_date, product_name]
        """);
    RecordStandard price = RecordStandard.of(RecordKind.PRICE, TestReference.SHIPPED);
    LocalDate day = LocalDate.of(2023, 1, 5);
    for (String written : new String[] {"05/01/2023", "2023-01-05 23:00:00"}) {
      RecordStandard.Outcome o = Rows.parse(price, mandi, Map.of("day", written, "name", "富士", "unit", "斤", "price", "3.5"), day);
      assertThat(o.reasons()).as(written).isEmpty();
      assertThat(o.value("observed_date")).as(written).isEqualTo(Date.valueOf(day));
    }
  }
}
