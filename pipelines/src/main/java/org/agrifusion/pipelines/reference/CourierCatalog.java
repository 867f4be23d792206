package org.agrifusion.pipelines.reference;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.agrifusion.pipelines.standardise.Text;

/** Express companies by short code (SF, ZTO, ...), Chinese and English names and aliases. */
public final class CourierCatalog implements Serializable {

  private final Map<String, String> byName;

  private CourierCatalog(Map<String, String> byName) {
    this.byName = byName;
  }

  public static CourierCatalog load(Path csv) {
    Map<String, String> byName = new HashMap<>();
    for (ReferenceCsv.Line line : ReferenceCsv.read(csv, "code", "name_zh", "name_en", "aliases")) {
      String code = line.get("code");
      for (String name : java.util.stream.Stream.concat(
          java.util.stream.Stream.of(code, line.get("name_zh"), line.get("name_en")), line.list("aliases").stream()).toList()) {
        String key = key(name);
        if (key == null) {
          continue;
        }
        String previous = byName.put(key, code);
        if (previous != null && !previous.equals(code)) {
          throw new IllegalArgumentException(csv + " line " + line.number() + ": '" + name + "' names both " + previous + " and " + code);
        }
      }
    }
    return new CourierCatalog(byName);
  }

  /** The courier code of a name as written ("顺丰", "SF Express", "sf"), or of a name it contains ("顺丰速运有限公司"). */
  public Optional<String> code(String name) {
    String key = key(name);
    if (key == null) {
      return Optional.empty();
    }
    String exact = byName.get(key);
    if (exact != null) {
      return Optional.of(exact);
    }
    // Only Chinese names are looked for inside a longer text: Latin codes (KY, SF) occur inside words.
    java.util.Set<String> found = new java.util.HashSet<>();
    int bestLength = 1;
    for (Map.Entry<String, String> e : byName.entrySet()) {
      String known = e.getKey();
      if (known.length() < bestLength || !known.codePoints().allMatch(Character::isIdeographic) || !key.contains(known)) {
        continue;
      }
      if (known.length() > bestLength) {
        found.clear();
        bestLength = known.length();
      }
      found.add(e.getValue());
    }
    // Two couriers named in one text (顺丰中通) is not ours to decide.
    return found.size() == 1 ? Optional.of(found.iterator().next()) : Optional.empty();
  }

  private static String key(String name) {
    String n = Text.normalise(name);
    return n == null ? null : n.toLowerCase(Locale.ROOT);
  }
}
