package org.agrifusion.pipelines.standardise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.source.SourceDescriptors;
import org.junit.jupiter.api.Test;

/**
 * Strict dates: every date format of every shipped descriptor reads real days and times and
 * refuses the ones that do not exist, which a lenient resolver turned into another day.
 */
class DateParsersTest {

  /** Good inputs -> the local date-time they mean, per pattern. */
  static final Map<String, Map<String, LocalDateTime>> GOOD = Map.of(
      "yyyy-MM-dd HH:mm:ss", Map.of(
          "2021-12-07 08:30:00", LocalDateTime.of(2021, 12, 7, 8, 30),
          "2020-02-29 23:59:59", LocalDateTime.of(2020, 2, 29, 23, 59, 59),
          "2000-02-29 00:00:00", LocalDateTime.of(2000, 2, 29, 0, 0),
          "2021-04-30 12:00:00", LocalDateTime.of(2021, 4, 30, 12, 0)),
      "yyyy/MM/dd HH:mm:ss", Map.of(
          "2021/12/07 08:30:00", LocalDateTime.of(2021, 12, 7, 8, 30),
          "2024/02/29 00:00:01", LocalDateTime.of(2024, 2, 29, 0, 0, 1)),
      "yyyy-MM-dd HH:mm", Map.of(
          "2021-12-07 08:30", LocalDateTime.of(2021, 12, 7, 8, 30),
          "2024-02-29 23:59", LocalDateTime.of(2024, 2, 29, 23, 59)),
      "MM-dd HH:mm:ss", Map.of(   // year-less (LaDe), read against REFERENCE
          "12-07 08:30:00", LocalDateTime.of(2021, 12, 7, 8, 30),
          "02-28 23:59:59", LocalDateTime.of(2021, 2, 28, 23, 59, 59),
          "01-01 00:00:00", LocalDateTime.of(2021, 1, 1, 0, 0)),
      "dd-MM-yyyy", Map.of(   // Agmarknet
          "27-07-2023", LocalDateTime.of(2023, 7, 27, 0, 0),
          "29-02-2024", LocalDateTime.of(2024, 2, 29, 0, 0)),
      "yyyy-MM-dd", Map.of(
          "2021-12-07", LocalDateTime.of(2021, 12, 7, 0, 0),
          "2020-02-29", LocalDateTime.of(2020, 2, 29, 0, 0),
          "2021-12-31", LocalDateTime.of(2021, 12, 31, 0, 0)),
      DateParsers.EXCEL_SERIAL, Map.of(
          "44537", LocalDateTime.of(2021, 12, 7, 0, 0),
          "44537.5", LocalDateTime.of(2021, 12, 7, 12, 0),
          "41435", LocalDateTime.of(2013, 6, 10, 0, 0),
          "61", LocalDateTime.of(1900, 3, 1, 0, 0),
          "2958465", LocalDateTime.of(9999, 12, 31, 0, 0)));

  /** Inputs that look like the pattern but name no real day or time. */
  static final Map<String, List<String>> BAD = Map.of(
      "yyyy-MM-dd HH:mm:ss", List.of("2021-02-29 00:00:00", "2021-02-30 00:00:00", "2021-04-31 10:00:00",
          "1900-02-29 00:00:00", "2021-13-01 00:00:00", "2021-00-10 00:00:00", "2021-12-00 00:00:00",
          "2021-12-07 25:00:00", "2021-12-07 24:00:00", "2021-12-07 12:60:00", "2021-12-07 12:00:60"),
      "yyyy/MM/dd HH:mm:ss", List.of("2021/02/29 00:00:00", "2021/02/30 08:00:00", "2021/06/31 08:00:00",
          "2021/12/07 25:00:00", "2021/12/07 24:00:00", "2021/12/07 08:61:00"),
      "yyyy-MM-dd HH:mm", List.of("2021-02-29 08:30", "2021-02-30 08:30", "2021-09-31 08:30",
          "2021-12-07 25:00", "2021-12-07 24:00", "2021-12-07 23:60"),
      "MM-dd HH:mm:ss", List.of("02-29 00:00:00", "02-30 08:00:00", "04-31 10:00:00", "13-01 00:00:00", "00-10 00:00:00",
          "12-07 24:00:00", "12-07 12:60:00"),
      "dd-MM-yyyy", List.of("29-02-2023", "31-04-2023", "00-07-2023", "27-13-2023", "2023-07-27", "27/07/2023"),
      "yyyy-MM-dd", List.of("2021-02-29", "2021-02-30", "2021-06-31", "2021-11-31", "2100-02-29",
          "2021-13-01", "2021-00-01", "2021-01-32"),
      DateParsers.EXCEL_SERIAL, List.of("60", "0", "1", "2958466", "9999999", "-1", "1e5", "44537,5"));

  /** The business date year-less values are read against: 2021 is no leap year. */
  static final LocalDate REFERENCE = LocalDate.of(2021, 12, 31);

  static List<SourceDescriptor> shipped() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("../conf/sources"))) {
      return files.filter(f -> f.toString().endsWith(".yml")).sorted().map(SourceDescriptors::load).toList();
    }
  }

  @Test
  void theTableCoversEveryDateFormatOfTheShippedDescriptors() throws IOException {
    TreeSet<String> configured = new TreeSet<>();
    shipped().forEach(d -> configured.addAll(d.dateFormats()));
    assertThat(configured).isNotEmpty();
    assertThat(GOOD.keySet()).containsAll(configured);
    assertThat(BAD.keySet()).containsAll(configured);
  }

  @Test
  void everyDescriptorReadsRealDaysAndRefusesImpossibleOnes() throws IOException {
    int checked = 0;
    for (SourceDescriptor d : shipped()) {
      DateParsers parsers = new DateParsers(d);
      ZoneId zone = ZoneId.of(d.timezone());
      for (String pattern : d.dateFormats()) {
        for (Map.Entry<String, LocalDateTime> good : GOOD.get(pattern).entrySet()) {
          assertThat(parsers.date(good.getKey(), REFERENCE)).as(d.id() + " " + pattern + " " + good.getKey())
              .isEqualTo(good.getValue().toLocalDate());
          assertThat(parsers.instant(good.getKey(), REFERENCE)).as(d.id() + " " + pattern + " " + good.getKey())
              .isEqualTo(good.getValue().atZone(zone).toInstant());
          checked++;
        }
        for (String bad : BAD.get(pattern)) {
          assertThatThrownBy(() -> parsers.date(bad, REFERENCE)).as(d.id() + " " + pattern + " " + bad)
              .isInstanceOf(DateTimeParseException.class);
          assertThatThrownBy(() -> parsers.instant(bad, REFERENCE)).as(d.id() + " " + pattern + " " + bad)
              .isInstanceOf(DateTimeParseException.class);
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(50);
  }

  @Test
  void uuuuPatternsAreStrictToo() {
    DateParsers parsers = new DateParsers(List.of("uuuu-MM-dd"), "Asia/Shanghai", null);
    assertThat(parsers.date("2021-12-07", REFERENCE)).isEqualTo(LocalDate.of(2021, 12, 7));
    assertThatThrownBy(() -> parsers.date("2021-02-30", REFERENCE)).isInstanceOf(DateTimeParseException.class);
  }

  @Test
  void anImpossibleDateQuarantinesThePriceRowAsBadDate() {
    Map<String, String> row = new LinkedHashMap<>(PriceStandardTest.fuji());
    row.put("pubDate", "2021-02-30 00:00:00");
    RecordStandard.Outcome o = Rows.parse(RecordStandard.of(org.agrifusion.pipelines.source.RecordKind.PRICE,
        org.agrifusion.pipelines.support.TestReference.SHIPPED), PriceStandardTest.XINFADI, row, LocalDate.of(2021, 3, 1));
    assertThat(o.reasons()).containsExactly(ReasonCode.BAD_DATE);
    assertThat(o.details().get(0)).contains("2021-02-30");
  }
}
