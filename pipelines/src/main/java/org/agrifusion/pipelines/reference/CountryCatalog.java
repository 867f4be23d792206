package org.agrifusion.pipelines.reference;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.agrifusion.pipelines.standardise.Text;

/** Countries (GB/T 2659 = ISO 3166 alpha-2) by Chinese and English names and the misspellings feeds use. */
public final class CountryCatalog implements Serializable {

  private final Map<String, String> byName;

  private CountryCatalog(Map<String, String> byName) {
    this.byName = byName;
  }

  public static CountryCatalog load(Path csv) {
    Map<String, String> byName = new HashMap<>();
    for (ReferenceCsv.Line line : ReferenceCsv.read(csv, "code", "name_zh", "name_en", "aliases")) {
      String code = line.get("code");
      // Codes are not names: "KG" in an origin column is a unit, not Kyrgyzstan.
      put(byName, line.get("name_zh"), code, csv, line);
      put(byName, line.get("name_en"), code, csv, line);
      for (String alias : line.list("aliases")) {
        put(byName, alias, code, csv, line);
      }
    }
    return new CountryCatalog(byName);
  }

  private static void put(Map<String, String> byName, String name, String code, Path csv, ReferenceCsv.Line line) {
    String key = key(name);
    if (key == null) {
      return;
    }
    String previous = byName.put(key, code);
    if (previous != null && !previous.equals(code)) {
      throw new IllegalArgumentException(csv + " line " + line.number() + ": '" + name + "' names both " + previous + " and " + code);
    }
  }

  public Optional<String> code(String name) {
    String key = key(name);
    return key == null ? Optional.empty() : Optional.ofNullable(byName.get(key));
  }

  private static String key(String name) {
    String n = Text.normalise(name);
    return n == null ? null : n.toLowerCase(Locale.ROOT);
  }
}
