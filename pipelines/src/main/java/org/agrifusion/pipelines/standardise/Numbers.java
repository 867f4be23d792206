package org.agrifusion.pipelines.standardise;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decimal parsing for prices and weights as markets write them, in the convention of their feed
 * ({@code format.decimal_separator}): a comma that is no group separator is never dropped, so
 * {@code 2,6} cannot become 26.
 */
public final class Numbers {

  /**
   * A number with at most one mark before or after it (₹4,350; Rs. 4350; 4350 INR; 2.6元; 4 350,00 €),
   * a sign in front of either. The number starts with a digit, so the dot of "Rs.4350" stays with the
   * mark; a space is part of it only between digits. Which separators it may hold is for
   * {@link #parseDecimal} to judge.
   */
  private static final Pattern MARKED = Pattern.compile(
      "(?<sign>[+-]?)(?<before>[^0-9+-]*?) ?(?<number>[+-]?[0-9](?:[0-9.,']|[ \u202F](?=[0-9]))*(?:[eE][+-]?[0-9]+)?) ?(?<after>[^0-9]*)");
  /** A number without a mark in either convention, including forms MARKED does not spell out (.5, -,5). */
  private static final Pattern BARE = Pattern.compile("[+-]?[.,]?[0-9](?:[0-9.,']|[ \u202F](?=[0-9]))*(?:[eE][+-]?[0-9]+)?");
  private static final Pattern EXPONENT = Pattern.compile("[eE][+-]?[0-9]+$");
  /** Groups of three (1,234,567) or the Indian lakh and crore grouping (12,34,567); never a leading 0. */
  private static final Pattern GROUPED = Pattern.compile("[1-9][0-9]{0,2}(?:#[0-9]{3})+|[1-9][0-9]?(?:#[0-9]{2})*#[0-9]{3}");
  /** The group separators of a decimal-comma feed; NBSP is a space by then ({@link Text#normalise}). */
  private static final String COMMA_FEED_GROUPS = ". '\u202F";

  private Numbers() {}

  /** A number as written and the mark beside it (null when bare), both trimmed. */
  public record Marked(String number, String mark) {}

  /**
   * Parses a number (already {@link Text#normalise normalised}) written with the given decimal
   * separator. With {@code .} a comma may only group digits: in threes ({@code 12,345,678.9}) or the
   * Indian way ({@code 1,00,000}, {@code 12,34,567.50}); {@code 2,6}, {@code 1234,5} or {@code 1,2,3}
   * are not numbers. With {@code ,} a dot, space, narrow space or apostrophe groups digits by the same
   * rule ({@code 1.234,5}, {@code 1 234,5}), so {@code 1.234} is 1234 and {@code 2.6} is not a
   * number: the feed's convention decides, a value is never guessed at. A currency mark is not a
   * number: money is read with {@link #marked} first.
   *
   * @throws NumberFormatException with the offending text, and why when a separator is to blame
   */
  public static BigDecimal parseDecimal(String text, char decimalSeparator) {
    String t = text == null ? "" : text.trim();
    BigDecimal number = parse(t, decimalSeparator);
    if (number != null) {
      return number;
    }
    String why = decimalSeparator == '.'
        ? (t.indexOf(',') < 0 ? null : "',' is not a thousands separator here (groups of three: 1,234,567; or Indian: 1,00,000);"
            + " a feed that writes decimal commas (2,6) needs format.decimal_separator: \",\"")
        : (t.indexOf('.') < 0 ? null : "this feed writes decimal commas (format.decimal_separator: \",\"), where '.', space"
            + " and apostrophe only separate groups of three (1.234.567,5)");
    throw new NumberFormatException("'" + t + "' is not a number" + (why == null ? "" : ": " + why));
  }

  /** The number, or null when the text is not one in this convention. */
  private static BigDecimal parse(String text, char decimalSeparator) {
    if (plain(text, decimalSeparator)) {
      return new BigDecimal(decimalSeparator == '.' ? text : text.replace(decimalSeparator, '.'));
    }
    String sign = text.startsWith("-") || text.startsWith("+") ? text.substring(0, 1) : "";
    String rest = text.substring(sign.length());
    Matcher exponent = EXPONENT.matcher(rest);
    String exp = exponent.find() ? exponent.group() : "";
    String mantissa = rest.substring(0, rest.length() - exp.length());
    int point = mantissa.indexOf(decimalSeparator);
    String integer = point < 0 ? mantissa : mantissa.substring(0, point);
    String fraction = point < 0 ? "" : mantissa.substring(point + 1);
    if (!digits(fraction) || (integer.isEmpty() && fraction.isEmpty())) {
      return null;
    }
    if (!digits(integer)) {
      String groups = decimalSeparator == '.' ? "," : COMMA_FEED_GROUPS;
      char separator = integer.chars().filter(c -> !Character.isDigit(c)).mapToObj(c -> (char) c).findFirst().orElseThrow();
      if (groups.indexOf(separator) < 0 || !GROUPED.matcher(integer.replace(separator, '#')).matches()) {
        return null;
      }
      integer = integer.replace(String.valueOf(separator), "");
    }
    try {
      return new BigDecimal(sign + (integer.isEmpty() ? "0" : integer) + (fraction.isEmpty() ? "" : "." + fraction) + exp);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * A sign, digits and at most one decimal separator, with a digit somewhere: nearly every value of
   * every feed, told without a pattern (the patterns cost several times a plain parse, per value).
   */
  private static boolean plain(String text, char decimalSeparator) {
    boolean digit = false;
    boolean separator = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digit = true;
      } else if (c == decimalSeparator && !separator) {
        separator = true;
      } else if (!(i == 0 && (c == '-' || c == '+'))) {
        return false;
      }
    }
    return digit;
  }

  private static boolean digits(String text) {
    return text.chars().allMatch(Character::isDigit);
  }

  /**
   * Splits a number from the one mark before or after it, without judging the mark or the
   * number's separators; empty when the text is not one number, or has marks on both sides.
   */
  public static Optional<Marked> marked(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String trimmed = text.trim();
    if (plain(trimmed, '.') || plain(trimmed, ',') || BARE.matcher(trimmed).matches()) {
      return Optional.of(new Marked(trimmed, null));
    }
    Matcher m = MARKED.matcher(trimmed);
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
