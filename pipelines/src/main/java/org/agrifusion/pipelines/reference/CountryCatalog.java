package org.agrifusion.pipelines.reference;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Countries (GB/T 2659 = ISO 3166 alpha-2) by Chinese and English names and the misspellings feeds use. */
public final class CountryCatalog implements Serializable {

  /** China is not a row of countries.csv (its places are regions); a market's country may still name it. */
  private static final Set<String> CHINA = Set.of("cn", "china", "中国", "中华人民共和国");

  private final NameIndex<String> byName;
  private final Set<String> codes;

  private CountryCatalog(NameIndex<String> byName, Set<String> codes) {
    this.byName = byName;
    this.codes = codes;
  }

  public static CountryCatalog load(Path csv) {
    NameIndex<String> byName = new NameIndex<>();
    Set<String> codes = new HashSet<>();
    for (ReferenceCsv.Line line : ReferenceCsv.read(csv, "code", "name_zh", "name_en", "aliases")) {
      // Codes are not names: "KG" in an origin column is a unit, not Kyrgyzstan.
      for (String name : line.names("name_zh", "name_en", "aliases")) {
        byName.put(name, line.get("code"), csv, line);
      }
      codes.add(line.get("code"));
    }
    return new CountryCatalog(byName, Set.copyOf(codes));
  }

  public Optional<String> code(String name) {
    return byName.get(name);
  }

  /**
   * A market's country: a listed alpha-2 code (any case), a listed name or alias, or China (CN, China,
   * 中国). Unlike an origin, a market_country field holds nothing but a country, so codes count here.
   */
  public Optional<String> marketCountry(String text) {
    String key = NameIndex.key(text);
    if (key == null) {
      return Optional.empty();
    }
    if (CHINA.contains(key)) {
      return Optional.of(OriginResolver.CHINA);
    }
    String upper = key.toUpperCase(Locale.ROOT);
    return codes.contains(upper) ? Optional.of(upper) : byName.get(text);
  }
}
