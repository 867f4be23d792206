package org.agrifusion.pipelines.source;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises personal data by its shape, whatever column it arrived in: a mainland mobile number,
 * an 18-digit resident identity number, a street address. The second line of defence behind the
 * descriptors' {@code personal_data} columns, for a value a feed put somewhere else (a shifted
 * column, a remark). Tuned against the feeds' real values: order ids, tracking numbers (SF…, 12-15
 * digits), prices, dates, GB/T 2260 codes and market names do not match.
 */
public final class PersonalDataDetector {

  /** What a value looked like; {@link #label} is what replaces it. */
  public enum Kind {
    MOBILE("mobile", "a mobile number"),
    ID_NUMBER("id-number", "an identity card number"),
    ADDRESS("address", "a street address");

    private final String label;
    private final String description;

    Kind(String label, String description) {
      this.label = label;
      this.description = description;
    }

    /** The replacement of a masked value: {@code [redacted:mobile]}. */
    public String mask() {
      return MASK_PREFIX + label + "]";
    }

    public String description() {
      return description;
    }
  }

  public static final String MASK_PREFIX = "[redacted:";

  // Not inside a longer run of letters or digits (tracking numbers, order ids, hashes), nor the
  // tail of a dashed or dotted number (order 211207-13912345678, amount 0.13912345678).
  private static final Pattern MOBILE = Pattern.compile(
      "(?<![0-9A-Za-z_])(?<![0-9A-Za-z][.\\-/])(?:(?:\\+|00)?86[\\s\\-]?)?1[3-9]\\d(?:[\\s\\-]?\\d{4}){2}"
          + "(?![0-9A-Za-z_])(?![.\\-/]\\d)");
  private static final Pattern ID_NUMBER = Pattern.compile(
      "(?<![0-9A-Za-z_])[1-9]\\d{5}(?:18|19|20)\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])\\d{3}[\\dXx](?![0-9A-Za-z_])");
  private static final String NUM = "[0-9０-９一二三四五六七八九十百千零〇两]+";
  // The street or estate name before, and the building / unit / room after, are part of the match,
  // so that masking text hides the whole address.
  private static final Pattern ADDRESS = Pattern.compile("\\p{IsHan}{0,20}(?:"
      // 幸福路230号, 建设街12-3号, 中山大道100号, 某某胡同5号, 某某弄3号
      + "\\p{IsHan}(?:路|街|巷|弄|胡同|大道)\\s*" + NUM + "(?:\\s*[-－—]\\s*" + NUM + ")?\\s*[号弄]"
          // 阳光小区3栋, 幸福家园5号楼, 北关村3组, 前进村15号
          + "|(?:小区|花园|公寓|家园|苑|新村|大厦|村|组)\\s*" + NUM + "\\s*(?:栋|幢|号楼|座|组|号)"
          // 3栋2单元, 5号楼301室, 2单元302
          + "|" + NUM + "\\s*(?:栋|幢|号楼|座)\\s*" + NUM + "\\s*(?:单元|室|号|层)"
          + "|" + NUM + "\\s*单元\\s*" + NUM
          + ")[0-9０-９一二三四五六七八九十百千零〇两栋幢单元号楼室层座组\\-－—\\s]*");
  private static final int[] ID_PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43,
      44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82};
  private static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

  private PersonalDataDetector() {}

  /** What the value looks like, or null when it looks like none of the kinds. */
  public static Kind detect(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    boolean digits = countDigits(value) >= 11;
    if (digits && MOBILE.matcher(value).find()) {
      return Kind.MOBILE;
    }
    if (digits && findIdNumber(value) >= 0) {
      return Kind.ID_NUMBER;
    }
    if (mayBeAddress(value) && ADDRESS.matcher(value).find()) {
      return Kind.ADDRESS;
    }
    return null;
  }

  /** The text with every personal-data look-alike replaced by its mask (for messages and lines). */
  public static String mask(String text) {
    if (text == null || detect(text) == null) {
      return text;
    }
    String masked = MOBILE.matcher(text).replaceAll(Matcher.quoteReplacement(Kind.MOBILE.mask()));
    Matcher ids = ID_NUMBER.matcher(masked);
    StringBuilder out = new StringBuilder();
    int from = 0;
    while (ids.find()) {
      if (validIdNumber(ids.group())) {
        out.append(masked, from, ids.start()).append(Kind.ID_NUMBER.mask());
        from = ids.end();
      }
    }
    masked = out.append(masked.substring(from)).toString();
    return ADDRESS.matcher(masked).replaceAll(Matcher.quoteReplacement(Kind.ADDRESS.mask()));
  }

  /** The kind a masked value was, or null when the value is not a mask. */
  public static Kind maskedKind(String value) {
    if (value == null || !value.startsWith(MASK_PREFIX)) {
      return null;
    }
    for (Kind kind : Kind.values()) {
      if (value.equals(kind.mask())) {
        return kind;
      }
    }
    return null;
  }

  private static int findIdNumber(String value) {
    Matcher m = ID_NUMBER.matcher(value);
    while (m.find()) {
      if (validIdNumber(m.group())) {
        return m.start();
      }
    }
    return -1;
  }

  /** GB 11643: a province prefix that exists and the ISO 7064 MOD 11-2 check character. */
  static boolean validIdNumber(String id) {
    if (java.util.Arrays.binarySearch(ID_PROVINCES, Integer.parseInt(id.substring(0, 2))) < 0) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (id.charAt(i) - '0') * ID_WEIGHTS[i];
    }
    return "10X98765432".charAt(sum % 11) == Character.toUpperCase(id.charAt(17));
  }

  private static int countDigits(String value) {
    int n = 0;
    for (int i = 0; i < value.length(); i++) {
      if (Character.isDigit(value.charAt(i))) {
        n++;
      }
    }
    return n;
  }

  /** A cheap test before the address pattern: every address form ends in one of these characters. */
  private static boolean mayBeAddress(String value) {
    for (int i = 0; i < value.length(); i++) {
      switch (value.charAt(i)) {
        case '号', '弄', '栋', '幢', '座', '组', '元', '室', '层' -> {
          return true;
        }
        default -> { }
      }
    }
    return false;
  }
}
