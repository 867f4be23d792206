package org.agrifusion.pipelines.standardise;

import java.text.ParsePosition;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.List;

/**
 * Dates and times as one feed writes them: the descriptor's patterns in order, plus the special
 * pattern {@value #EXCEL_SERIAL} for spreadsheet serial numbers (days since 1899-12-30, with the
 * time of day as the fraction), and the feed's time zone for local times.
 *
 * <p>Resolution is strict: a day or time that does not exist (2021-02-29, 2021-02-30, 25:00,
 * 24:00, 12:60) matches no pattern, where the default resolver would quietly read 2021-02-28.
 */
public final class DateParsers {

  public static final String EXCEL_SERIAL = "excel-serial";
  private static final LocalDate EXCEL_EPOCH = LocalDate.of(1899, 12, 30);
  /**
   * Serials Excel counts correctly: 61 = 1900-03-01 (Excel's 1 to 60 are off by one day, 60 being
   * its non-existent 1900-02-29) up to 2958465 = 9999-12-31, Excel's last day.
   */
  private static final long EXCEL_FIRST = 61;
  private static final long EXCEL_LAST = 2_958_465;

  private final List<DateTimeFormatter> formatters;
  private final boolean excelSerial;
  private final ZoneId zone;

  public DateParsers(List<String> patterns, String timezone) {
    this.formatters = patterns.stream().filter(p -> !p.equals(EXCEL_SERIAL)).map(DateParsers::strict).toList();
    this.excelSerial = patterns.contains(EXCEL_SERIAL);
    this.zone = ZoneId.of(timezone);
  }

  /**
   * A strict formatter for a descriptor pattern. Descriptors write 'yyyy' (year of era); strict
   * resolution needs the era to make a year of it, so the era defaults to AD ('uuuu' works as is).
   */
  static DateTimeFormatter strict(String pattern) {
    return new DateTimeFormatterBuilder().appendPattern(pattern).parseDefaulting(ChronoField.ERA, 1)
        .toFormatter().withResolverStyle(ResolverStyle.STRICT);
  }

  /** The calendar day written (a time of day is accepted and dropped). */
  public LocalDate date(String text) {
    return localDateTime(text).toLocalDate();
  }

  /** The instant written: with its own offset when the text has one, else a local time in the feed's zone. */
  public Instant instant(String text) {
    TemporalAccessor parsed = parsed(text);
    if (parsed != null && parsed.isSupported(ChronoField.OFFSET_SECONDS) && parsed.query(TemporalQueries.localTime()) != null) {
      return OffsetDateTime.from(parsed).toInstant();
    }
    return (parsed != null ? localDateTime(parsed) : excelSerial(text)).atZone(zone).toInstant();
  }

  private LocalDateTime localDateTime(String text) {
    TemporalAccessor parsed = parsed(text);
    return parsed != null ? localDateTime(parsed) : excelSerial(text);
  }

  private static LocalDateTime localDateTime(TemporalAccessor parsed) {
    LocalTime time = parsed.query(TemporalQueries.localTime());
    return parsed.query(TemporalQueries.localDate()).atTime(time == null ? LocalTime.MIDNIGHT : time);
  }

  /**
   * The first pattern's reading of the text that has a calendar day, or null. Patterns that do not
   * fit are skipped without an exception: a feed's second pattern must not cost a stack trace per row.
   */
  private TemporalAccessor parsed(String text) {
    for (DateTimeFormatter formatter : formatters) {
      ParsePosition position = new ParsePosition(0);
      if (formatter.parseUnresolved(text, position) == null || position.getIndex() != text.length()) {
        continue;
      }
      try {
        TemporalAccessor parsed = formatter.parse(text);
        if (parsed.query(TemporalQueries.localDate()) != null) {
          return parsed;
        }
      } catch (DateTimeException ignored) {
        // fits the pattern but is no real day or time (2021-02-30, 24:00): try the next pattern
      }
    }
    return null;
  }

  private LocalDateTime excelSerial(String text) {
    if (excelSerial && text.matches("\\d{1,7}(\\.\\d+)?")) {
      double serial = Double.parseDouble(text);
      long days = (long) Math.floor(serial);
      if (days < EXCEL_FIRST || days > EXCEL_LAST) {
        throw new DateTimeParseException("'" + text + "' is a spreadsheet serial outside " + EXCEL_FIRST + ".." + EXCEL_LAST
            + " (1900-03-01..9999-12-31)", text, 0);
      }
      long seconds = Math.round((serial - days) * 86_400);
      return EXCEL_EPOCH.plusDays(days).atStartOfDay().plusSeconds(seconds);
    }
    throw new DateTimeParseException("'" + text + "' matches none of the date formats (or is not a real day and time)", text, 0);
  }
}
