package org.agrifusion.pipelines.reference;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Express companies by short code (SF, ZTO, ...), Chinese and English names and aliases. */
public final class CourierCatalog implements Serializable {

  private final NameIndex<String> byName;
  private final Map<String, String> nameByCode;

  private CourierCatalog(NameIndex<String> byName, Map<String, String> nameByCode) {
    this.byName = byName;
    this.nameByCode = nameByCode;
  }

  public static CourierCatalog load(Path csv) {
    NameIndex<String> byName = new NameIndex<>();
    Map<String, String> nameByCode = new java.util.HashMap<>();
    for (ReferenceCsv.Line line : ReferenceCsv.read(csv, "code", "name_zh", "name_en", "aliases")) {
      nameByCode.put(line.get("code"), line.get("name_zh"));
      for (String name : line.names("code", "name_zh", "name_en", "aliases")) {
        byName.put(name, line.get("code"), csv, line);
      }
    }
    return new CourierCatalog(byName, Map.copyOf(nameByCode));
  }

  /** The courier code of a name as written ("顺丰", "SF Express", "sf"), or of a name it contains ("顺丰速运有限公司"). */
  public Optional<String> code(String name) {
    String key = NameIndex.key(name);
    if (key == null) {
      return Optional.empty();
    }
    Optional<String> exact = byName.get(key);
    if (exact.isPresent()) {
      return exact;
    }
    // Only Chinese names are looked for inside a longer text: Latin codes (KY, SF) occur inside words.
    java.util.Set<String> found = new java.util.HashSet<>();
    int bestLength = 1;
    for (Map.Entry<String, String> e : byName.entries()) {
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

  /** The Chinese name of a courier code (SF → 顺丰速运). */
  public Optional<String> name(String code) {
    return Optional.ofNullable(nameByCode.get(code));
  }
}
