package org.agrifusion.pipelines.reference;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.agrifusion.pipelines.standardise.Text;

/**
 * Names as feeds write them -> one value, compared after {@link Text#normalise} and in lower case.
 * A name given to two different values is an error in the reference file, reported with its line.
 */
final class NameIndex<V extends Serializable> implements Serializable {

  private final Map<String, V> byName = new HashMap<>();

  /** Adds a name (blank names are skipped). */
  void put(String name, V value, Path file, ReferenceCsv.Line line) {
    String key = key(name);
    if (key == null) {
      return;
    }
    V previous = byName.put(key, value);
    if (previous != null && !previous.equals(value)) {
      throw new IllegalArgumentException(file + " line " + line.number() + ": '" + name + "' names both " + previous + " and " + value);
    }
  }

  Optional<V> get(String name) {
    String key = key(name);
    return key == null ? Optional.empty() : Optional.ofNullable(byName.get(key));
  }

  Set<Map.Entry<String, V>> entries() {
    return byName.entrySet();
  }

  static String key(String name) {
    String n = Text.normalise(name);
    return n == null ? null : n.toLowerCase(Locale.ROOT);
  }
}
