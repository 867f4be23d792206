package org.agrifusion.jobs.cli;

import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} and {@code --flag} options of a command. */
final class Options {

  private static final Set<String> FLAGS = Set.of("force", "rebuild");

  private Options() {}

  static Map<String, String> parse(Deque<String> words) {
    Map<String, String> options = new LinkedHashMap<>();
    while (!words.isEmpty()) {
      String word = words.pop();
      if (!word.startsWith("--") || word.length() == 2) {
        throw new IllegalArgumentException("unexpected argument '" + word + "'");
      }
      String name = word.substring(2);
      int eq = name.indexOf('=');
      if (eq > 0) {
        options.put(name.substring(0, eq), name.substring(eq + 1));
      } else if (FLAGS.contains(name)) {
        options.put(name, "true");
      } else if (words.isEmpty() || words.peek().startsWith("--")) {
        throw new IllegalArgumentException("--" + name + " needs a value");
      } else {
        options.put(name, words.pop());
      }
    }
    return options;
  }
}
