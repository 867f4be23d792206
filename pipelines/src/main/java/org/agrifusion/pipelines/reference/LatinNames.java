package org.agrifusion.pipelines.reference;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.agrifusion.pipelines.standardise.Text;

/**
 * Latin-script names -> catalogue code, compared as word sequences: case-insensitive, punctuation
 * and brackets separate words ("Bhindi(Ladies Finger)" is bhindi ladies finger), an apostrophe
 * does not ("Lady's" is ladys). A feed's name matches a catalogue name only when it holds all of
 * that name's words in order and next to each other, never a part of a word: Pineapple is no Apple.
 */
final class LatinNames implements Serializable {

  private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}]+");
  private static final Pattern APOSTROPHES = Pattern.compile("['’`]");

  private final Map<String, String> byWords = new HashMap<>();

  /** A name in Latin script: it has a Latin letter and no Han character. */
  static boolean isLatin(String name) {
    boolean latin = false;
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      if (Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN) {
        return false;
      }
      latin |= Character.UnicodeScript.of(c) == Character.UnicodeScript.LATIN;
      i += Character.charCount(c);
    }
    return latin;
  }

  /** Adds a name; returns the code the same words named before, if any. */
  String put(String name, String code) {
    return byWords.put(String.join(" ", words(name)), code);
  }

  /** The code of a name with exactly the words of a catalogue name, else null. */
  String exact(String name) {
    return byWords.get(String.join(" ", words(name)));
  }

  /**
   * The code of the longest catalogue name whose words the name holds in sequence (the whole name
   * first). Of equally long ones, a variety wins over its own product ("Paddy Basmati"); other ties
   * are ambiguous and give null, as does no match.
   */
  String longestContained(String name) {
    List<String> words = words(name);
    for (int length = words.size(); length >= 1; length--) {
      Set<String> codes = new TreeSet<>();
      for (int start = 0; start + length <= words.size(); start++) {
        String code = byWords.get(String.join(" ", words.subList(start, start + length)));
        if (code != null) {
          codes.add(code);
        }
      }
      if (!codes.isEmpty()) {
        codes.removeIf(code -> codes.stream().anyMatch(other -> other.length() > code.length() && other.startsWith(code)));
        return codes.size() == 1 ? codes.iterator().next() : null;
      }
    }
    return null;
  }

  static List<String> words(String name) {
    String n = Text.normalise(name);
    if (n == null) {
      return List.of();
    }
    String plain = APOSTROPHES.matcher(n.toLowerCase(Locale.ROOT)).replaceAll("");
    return Arrays.stream(SEPARATORS.split(plain)).filter(w -> !w.isEmpty()).toList();
  }
}
