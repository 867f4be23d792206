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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.agrifusion.pipelines.source.SourceDescriptor;

/**
 * Dates and times as one feed writes them: the descriptor's patterns in order, plus the special
 * pattern {@value #EXCEL_SERIAL} for spreadsheet serial numbers (days since 1899-12-30, with the
 * time of day as the fraction), and the feed's time zone for local times.
 *
 * <p>Resolution is strict: a day or time that does not exist (2021-02-29, 2021-02-30, 25:00,
 * 24:00, 12:60) matches no pattern, where the default resolver would quietly read 2021-02-28.
 *
 * <p>A pattern without a year ({@code MM-dd HH:mm:ss}) takes it from the reference date each call
 * names (the business date), by the rule of {@link SourceDescriptor.DateYear}: the latest year
 * that does not put the day after the last day the window allows. 02-29 in a year that is not a
 * leap year is no real day.
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

  private final List<String> patterns;
  private final List<DateTimeFormatter> formatters;
  private final boolean excelSerial;
  private final ZoneId zone;
  private final SourceDescriptor.DateYear dateYear;
  /** Per year-less pattern, its strict formatter with the year filled in, by year: a feed uses one or two years. */
  private final Map<String, Map<Integer, DateTimeFormatter>> withYear = new ConcurrentHashMap<>();

  public DateParsers(List<String> patterns, String timezone, SourceDescriptor.DateYear dateYear) {
    this.patterns = patterns.stream().filter(p -> !p.equals(EXCEL_SERIAL)).toList();
    this.formatters = this.patterns.stream().map(p -> strict(p, null)).toList();
    this.excelSerial = patterns.contains(EXCEL_SERIAL);
    this.zone = ZoneId.of(timezone);
    this.dateYear = dateYear;
  }

  public DateParsers(SourceDescriptor source) {
    this(source.dateFormats(), source.timezone(), source.dateYear());
  }

  /**
   * A strict formatter for a descriptor pattern. Descriptors write 'yyyy' (year of era); strict
   * resolution needs the era to make a year of it, so the era defaults to AD ('uuuu' works as is).
   * With {@code year}, a pattern without one reads its days in that year.
   */
  static DateTimeFormatter strict(String pattern, Integer year) {
    DateTimeFormatterBuilder builder = new DateTimeFormatterBuilder().appendPattern(pattern);
    builder = year == null ? builder.parseDefaulting(ChronoField.ERA, 1) : builder.parseDefaulting(ChronoField.YEAR, year);
    return builder.toFormatter().withResolverStyle(ResolverStyle.STRICT);
  }

  /** Whether a descriptor pattern writes a year ({@value #EXCEL_SERIAL} does: its serials are whole dates). */
  public static boolean hasYear(String pattern) {
    if (pattern.equals(EXCEL_SERIAL)) {
      return true;
    }
    DateTimeFormatter formatter = DateTimeFormatter.ofPattern(pattern);
    String sample = formatter.format(java.time.ZonedDateTime.of(2021, 12, 7, 8, 30, 0, 0, ZoneId.of("Asia/Shanghai")));
    TemporalAccessor fields = formatter.parseUnresolved(sample, new ParsePosition(0));
    return fields == null || hasYear(fields);
  }

  private static boolean hasYear(TemporalAccessor fields) {
    return fields.isSupported(ChronoField.YEAR) || fields.isSupported(ChronoField.YEAR_OF_ERA);
  }

  /**
   * The calendar day written (a time of day is accepted and dropped).
   *
   * @param reference the date a year-less value takes its year from (the business date)
   */
  public LocalDate date(String text, LocalDate reference) {
    return localDateTime(text, reference).toLocalDate();
  }

  /** The instant written: with its own offset when the text has one, else a local time in the feed's zone. */
  public Instant instant(String text, LocalDate reference) {
    TemporalAccessor parsed = parsed(text, reference);
    if (parsed != null && parsed.isSupported(ChronoField.OFFSET_SECONDS) && parsed.query(TemporalQueries.localTime()) != null) {
      return OffsetDateTime.from(parsed).toInstant();
    }
    return (parsed != null ? localDateTime(parsed) : excelSerial(text, reference)).atZone(zone).toInstant();
  }

  private LocalDateTime localDateTime(String text, LocalDate reference) {
    TemporalAccessor parsed = parsed(text, reference);
    return parsed != null ? localDateTime(parsed) : excelSerial(text, reference);
  }

  private static LocalDateTime localDateTime(TemporalAccessor parsed) {
    LocalTime time = parsed.query(TemporalQueries.localTime());
    return parsed.query(TemporalQueries.localDate()).atTime(time == null ? LocalTime.MIDNIGHT : time);
  }

  /**
   * The first pattern's reading of the text that has a calendar day, or null. Patterns that do not
   * fit are skipped without an exception: a feed's second pattern must not cost a stack trace per row.
   */
  private TemporalAccessor parsed(String text, LocalDate reference) {
    for (int i = 0; i < formatters.size(); i++) {
      DateTimeFormatter formatter = formatters.get(i);
      ParsePosition position = new ParsePosition(0);
      TemporalAccessor fields = formatter.parseUnresolved(text, position);
      if (fields == null || position.getIndex() != text.length()) {
        continue;
      }
      if (!hasYear(fields)) {
        formatter = withYear(patterns.get(i), fields, reference);
        if (formatter == null) {
          continue;
        }
      }
      try {
        TemporalAccessor parsed = formatter.parse(text);
        if (parsed.query(TemporalQueries.localDate()) != null) {
          return parsed;
        }
      } catch (DateTimeException ignored) {
        // fits the pattern but is no real day or time (2021-02-30, 24:00, 02-29 of 2023): try the next pattern
      }
    }
    return null;
  }

  /** The pattern's formatter in the year its month and day take from the reference date, or null. */
  private DateTimeFormatter withYear(String pattern, TemporalAccessor fields, LocalDate reference) {
    if (dateYear == null || reference == null || !fields.isSupported(ChronoField.MONTH_OF_YEAR)
        || !fields.isSupported(ChronoField.DAY_OF_MONTH)) {
      return null;
    }
    long month = fields.getLong(ChronoField.MONTH_OF_YEAR);
    long day = fields.getLong(ChronoField.DAY_OF_MONTH);
    if (month < 1 || month > 12 || day < 1 || day > 31) {
      return null;
    }
    int year = year(month, day, reference);
    return withYear.computeIfAbsent(pattern, p -> new ConcurrentHashMap<>()).computeIfAbsent(year, y -> strict(pattern, y));
  }

  /**
   * The year of a month and day written without one: the reference date's year, or the one before
   * when the day would lie after the last day the window allows. That day is counted in the feed's
   * zone: the feed-local day of the last instant of (reference + days_after) in Asia/Shanghai, so
   * a feed ahead of Shanghai may already write the next day.
   */
  int year(long month, long day, LocalDate reference) {
    LocalDate last = reference.plusDays(dateYear.daysAfter() + 1L).atStartOfDay(FieldReader.STANDARD_ZONE).minusNanos(1)
        .withZoneSameInstant(zone).toLocalDate();
    boolean after = month > last.getMonthValue() || (month == last.getMonthValue() && day > last.getDayOfMonth());
    return after ? last.getYear() - 1 : last.getYear();
  }

  private LocalDateTime excelSerial(String text, LocalDate reference) {
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
    throw new DateTimeParseException("'" + text + "' matches none of the date formats (or is not a real day and time"
        + yearNote(text, reference) + ")", text, 0);
  }

  /** For a year-less value, which year it was read in, so "02-29" in 2023 explains itself. */
  private String yearNote(String text, LocalDate reference) {
    if (dateYear == null || reference == null) {
      return "";
    }
    for (DateTimeFormatter formatter : formatters) {
      ParsePosition position = new ParsePosition(0);
      TemporalAccessor fields = formatter.parseUnresolved(text, position);
      if (fields != null && position.getIndex() == text.length() && !hasYear(fields)
          && fields.isSupported(ChronoField.MONTH_OF_YEAR) && fields.isSupported(ChronoField.DAY_OF_MONTH)) {
        long month = fields.getLong(ChronoField.MONTH_OF_YEAR);
        long day = fields.getLong(ChronoField.DAY_OF_MONTH);
        if (month >= 1 && month <= 12 && day >= 1 && day <= 31) {
          return " in " + year(month, day, reference) + ", the year taken from business date " + reference;
        }
      }
    }
    return "";
  }
}
