package org.agrifusion.pipelines.standardise;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Decimal parsing for prices and weights as markets write them. */
public final class Numbers {

  /**
   * A number with at most one mark before or after it (₹4,350; Rs. 4350; 4350 INR; 2.6元), a sign in
   * front of either. The number starts with a digit, so the dot of "Rs.4350" stays with the mark.
   */
  private static final Pattern MARKED = Pattern.compile(
      "(?<sign>[+-]?)(?<before>[^0-9+-]*?) ?(?<number>[+-]?[0-9][0-9,]*(?:\\.[0-9]*)?(?:[eE][+-]?[0-9]+)?) ?(?<after>[^0-9]*)");

  private Numbers() {}

  /** A number as written and the mark beside it (null when bare), both trimmed. */
  public record Marked(String number, String mark) {}

  /**
   * Parses "2.60", "-3", "1,234.5" (already {@link Text#normalise normalised}); commas are thousands
   * separators. A currency mark is not a number: money is read with {@link #marked} first.
   *
   * @throws NumberFormatException with the offending text when it is not a number
   */
  public static BigDecimal parseDecimal(String text) {
    if (text == null) {
      throw new NumberFormatException("empty");
    }
    try {
      return new BigDecimal(text.replace(",", "").trim());
    } catch (NumberFormatException e) {
      throw new NumberFormatException("'" + text + "' is not a number");
    }
  }

  /**
   * Splits a number from the one mark before or after it, without judging the mark; empty when the
   * text is not one number, or has marks on both sides.
   */
  public static Optional<Marked> marked(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      parseDecimal(text);
      return Optional.of(new Marked(text.trim(), null)); // ".5" and other plain forms the pattern does not spell out
    } catch (NumberFormatException notPlain) {
      Matcher m = MARKED.matcher(text.trim());
      if (!m.matches()) {
        return Optional.empty();
      }
      String before = m.group("before").trim();
      String after = m.group("after").trim();
      if (!before.isEmpty() && !after.isEmpty()) {
        return Optional.empty();
      }
      String mark = before.isEmpty() ? after : before;
      return Optional.of(new Marked(m.group("sign") + m.group("number"), mark.isEmpty() ? null : mark));
    }
  }
}
