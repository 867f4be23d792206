package org.agrifusion.pipelines.standardise;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.List;

/** Dates as feeds write them, read with the descriptor's patterns in order. */
public final class Dates {

  private Dates() {}

  public static List<DateTimeFormatter> formatters(List<String> patterns) {
    return patterns.stream().map(DateTimeFormatter::ofPattern).toList();
  }

  /**
   * The calendar date of the text under the first pattern that reads all of it; a time of day in
   * the text is accepted and dropped (bulletins write "2021-12-07 00:00:00").
   *
   * @throws DateTimeParseException when no pattern matches
   */
  public static LocalDate parseDate(String text, List<DateTimeFormatter> formatters) {
    if (text == null) {
      throw new DateTimeParseException("empty date", "", 0);
    }
    for (DateTimeFormatter formatter : formatters) {
      try {
        TemporalAccessor parsed = formatter.parse(text);
        return LocalDate.from(parsed);
      } catch (DateTimeParseException ignored) {
        // try the next pattern
      }
    }
    throw new DateTimeParseException("'" + text + "' matches none of the date formats", text, 0);
  }
}
