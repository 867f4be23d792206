package org.agrifusion.jobs.report;

import java.util.Locale;

/** Numbers as the report shows them, the same whatever the machine's locale (the template escapes text). */
final class Html {

  private Html() {}

  /** A number with thousands separators. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String decimal(double value, int decimals) {
    return String.format(Locale.ROOT, "%,." + decimals + "f", value);
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
  }
}
