package org.agrifusion.pipelines.standardise;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.List;

/**
 * Dates and times as one feed writes them: the descriptor's patterns in order, plus the special
 * pattern {@value #EXCEL_SERIAL} for spreadsheet serial numbers (days since 1899-12-30, with the
 * time of day as the fraction), and the feed's time zone for local times.
 */
public final class DateParsers {

  public static final String EXCEL_SERIAL = "excel-serial";
  private static final LocalDate EXCEL_EPOCH = LocalDate.of(1899, 12, 30);

  private final List<DateTimeFormatter> formatters;
  private final boolean excelSerial;
  private final ZoneId zone;

  public DateParsers(List<String> patterns, String timezone) {
    this.formatters = patterns.stream().filter(p -> !p.equals(EXCEL_SERIAL)).map(DateTimeFormatter::ofPattern).toList();
    this.excelSerial = patterns.contains(EXCEL_SERIAL);
    this.zone = ZoneId.of(timezone);
  }

  /** The calendar day written (a time of day is accepted and dropped). */
  public LocalDate date(String text) {
    return localDateTime(text).toLocalDate();
  }

  /** The instant written: with its own offset when the text has one, else a local time in the feed's zone. */
  public Instant instant(String text) {
    for (DateTimeFormatter formatter : formatters) {
      try {
        TemporalAccessor parsed = formatter.parse(text);
        if (parsed.isSupported(java.time.temporal.ChronoField.OFFSET_SECONDS)) {
          return java.time.OffsetDateTime.from(parsed).toInstant();
        }
      } catch (java.time.DateTimeException ignored) {
        // not this pattern, or no time of day: read below as local
      }
    }
    return localDateTime(text).atZone(zone).toInstant();
  }

  private LocalDateTime localDateTime(String text) {
    for (DateTimeFormatter formatter : formatters) {
      try {
        TemporalAccessor parsed = formatter.parse(text);
        LocalDate day = LocalDate.from(parsed);
        LocalTime time = parsed.query(java.time.temporal.TemporalQueries.localTime());
        return day.atTime(time == null ? LocalTime.MIDNIGHT : time);
      } catch (java.time.DateTimeException ignored) {
        // try the next pattern
      }
    }
    if (excelSerial && text.matches("\\d{1,6}(\\.\\d+)?")) {
      double serial = Double.parseDouble(text);
      long days = (long) Math.floor(serial);
      long seconds = Math.round((serial - days) * 86_400);
      return EXCEL_EPOCH.plusDays(days).atStartOfDay().plusSeconds(seconds);
    }
    throw new DateTimeParseException("'" + text + "' matches none of the date formats", text, 0);
  }
}
