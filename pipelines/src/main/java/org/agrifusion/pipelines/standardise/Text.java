package org.agrifusion.pipelines.standardise;

/** Text clean-up applied to every landed value before it is interpreted. */
public final class Text {

  private Text() {}

  /**
   * Full-width ASCII to half-width, ideographic space to space, CJK brackets to ASCII ones,
   * whitespace collapsed and trimmed. Blank becomes null, so "missing" has one spelling.
   */
  public static String normalise(String value) {
    if (value == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(value.length());
    boolean space = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= '\uFF01' && c <= '\uFF5E') {
        c = (char) (c - 0xFEE0);
      } else if (c == '\u3000' || c == '\u00A0') {
        c = ' ';
      } else if (c == '【' || c == '〔' || c == '［') {
        c = '[';
      } else if (c == '】' || c == '〕' || c == '］') {
        c = ']';
      }
      if (Character.isWhitespace(c)) {
        space = out.length() > 0;
        continue;
      }
      if (space) {
        out.append(' ');
        space = false;
      }
      out.append(c);
    }
    return out.length() == 0 ? null : out.toString();
  }
}
