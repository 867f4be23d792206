package org.agrifusion.pipelines.standardise;

import java.math.BigDecimal;

/** Decimal parsing for prices and weights as markets write them. */
public final class Numbers {

  private Numbers() {}

  /**
   * Parses "2.60", "¥2.6", "2.6元", "1,234.5" (already {@link Text#normalise normalised}).
   *
   * @throws NumberFormatException with the offending text when it is not a number
   */
  public static BigDecimal parseDecimal(String text) {
    if (text == null) {
      throw new NumberFormatException("empty");
    }
    String cleaned = text.replace("¥", "").replace("￥", "").replace("元", "").replace(",", "").trim();
    try {
      return new BigDecimal(cleaned);
    } catch (NumberFormatException e) {
      throw new NumberFormatException("'" + text + "' is not a number");
    }
  }
}
