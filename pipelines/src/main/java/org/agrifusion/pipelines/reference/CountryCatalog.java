package org.agrifusion.pipelines.reference;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Optional;

/** Countries (GB/T 2659 = ISO 3166 alpha-2) by Chinese and English names and the misspellings feeds use. */
public final class CountryCatalog implements Serializable {

  private final NameIndex<String> byName;

  private CountryCatalog(NameIndex<String> byName) {
    this.byName = byName;
  }

  public static CountryCatalog load(Path csv) {
    NameIndex<String> byName = new NameIndex<>();
    for (ReferenceCsv.Line line : ReferenceCsv.read(csv, "code", "name_zh", "name_en", "aliases")) {
      // Codes are not names: "KG" in an origin column is a unit, not Kyrgyzstan.
      for (String name : line.names("name_zh", "name_en", "aliases")) {
        byName.put(name, line.get("code"), csv, line);
      }
    }
    return new CountryCatalog(byName);
  }

  public Optional<String> code(String name) {
    return byName.get(name);
  }
}
