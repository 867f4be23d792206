package org.agrifusion.jobs.web;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * The charts' parameters, validated: codes are digits only, dates ISO, periods bounded. A bad value is
 * an {@link IllegalArgumentException} whose message names the parameter and the rule, never the value
 * as typed (it may be markup or a script), so the 400 page and JSON show nothing the user injected.
 */
final class ChartQuery {

  /** A year of days: a daily chart stays a few hundred points per series. */
  static final int MAX_DAYS = 366;
  /** Three years of months. */
  static final int MAX_MONTHS = 36;
  /** The default period: the 30 days, or the 12 months, up to the latest published date. */
  static final int DEFAULT_DAYS = 30;
  static final int DEFAULT_MONTHS = 12;

  private static final Pattern PRODUCT = Pattern.compile("\\d{4}|\\d{6}");
  private static final Pattern REGION = Pattern.compile("\\d{2}|\\d{4}|\\d{6}");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");

  record Days(LocalDate from, LocalDate to) {}

  record Months(YearMonth from, YearMonth to) {}

  private ChartQuery() {}

  /** A catalogue product (4 digits) or variety (6 digits). */
  static String product(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("product is required: a 4-digit product or 6-digit variety code of the catalogue");
    }
    if (!PRODUCT.matcher(value).matches()) {
      throw new IllegalArgumentException("product must be a 4-digit product or 6-digit variety code (digits only)");
    }
    return value;
  }

  /**
   * A GB/T 2260 region as the code prefix its sub-regions share: 14 (province), 1409 (city) or 140921
   * (county); the six-digit codes of a province (140000) or city (140900) are taken as their prefix.
   */
  static String region(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("region is required: a GB/T 2260 code prefix such as 14 (Shanxi) or 1409");
    }
    if (!REGION.matcher(value).matches()) {
      throw new IllegalArgumentException("region must be a GB/T 2260 code or prefix of 2, 4 or 6 digits (digits only)");
    }
    return value.length() == 6 && value.endsWith("0000") ? value.substring(0, 2)
        : value.length() == 6 && value.endsWith("00") ? value.substring(0, 4) : value;
  }

  /** The six-digit code of a region prefix, as the catalogue names it. */
  static String regionCode(String prefix) {
    return (prefix + "000000").substring(0, 6);
  }

  /** The period from..to in days, by default the {@value #DEFAULT_DAYS} days up to {@code latest}. */
  static Days days(String from, String to, LocalDate latest) {
    LocalDate end = blank(to) ? (blank(from) ? latest : date("from", from).plusDays(DEFAULT_DAYS - 1)) : date("to", to);
    LocalDate start = blank(from) ? end.minusDays(DEFAULT_DAYS - 1) : date("from", from);
    if (start.isAfter(end)) {
      throw new IllegalArgumentException("from must not be after to");
    }
    if (ChronoUnit.DAYS.between(start, end) + 1 > MAX_DAYS) {
      throw new IllegalArgumentException("the period is at most " + MAX_DAYS + " days");
    }
    return new Days(start, end);
  }

  /** The months from..to ({@code month} alone: one month), by default the {@value #DEFAULT_MONTHS} up to {@code latest}. */
  static Months months(String month, String from, String to, YearMonth latest) {
    if (!blank(month)) {
      if (!blank(from) || !blank(to)) {
        throw new IllegalArgumentException("give either month or from and to");
      }
      YearMonth m = month("month", month);
      return new Months(m, m);
    }
    YearMonth end = blank(to) ? (blank(from) ? latest : month("from", from).plusMonths(DEFAULT_MONTHS - 1)) : month("to", to);
    YearMonth start = blank(from) ? end.minusMonths(DEFAULT_MONTHS - 1) : month("from", from);
    if (start.isAfter(end)) {
      throw new IllegalArgumentException("from must not be after to");
    }
    if (ChronoUnit.MONTHS.between(start, end) + 1 > MAX_MONTHS) {
      throw new IllegalArgumentException("the period is at most " + MAX_MONTHS + " months");
    }
    return new Months(start, end);
  }

  private static LocalDate date(String name, String value) {
    try {
      if (DATE.matcher(value).matches()) {
        return LocalDate.parse(value);
      }
    } catch (DateTimeParseException e) {
      // the message below
    }
    throw new IllegalArgumentException(name + " must be a date as yyyy-MM-dd");
  }

  private static YearMonth month(String name, String value) {
    try {
      if (MONTH.matcher(value).matches()) {
        return YearMonth.parse(value);
      }
    } catch (DateTimeParseException e) {
      // the message below
    }
    throw new IllegalArgumentException(name + " must be a month as yyyy-MM");
  }

  private static boolean blank(String value) {
    return value == null || value.isEmpty();
  }
}
