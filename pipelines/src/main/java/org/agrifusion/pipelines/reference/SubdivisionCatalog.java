package org.agrifusion.pipelines.reference;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * First-level subdivisions outside China (ISO 3166-2: states, provinces, union territories) by code,
 * name and the spellings feeds use, per country. China's provinces are GB/T 2260 codes of regions.csv.
 */
public final class SubdivisionCatalog implements Serializable {

  /** ISO 3166-2: the country's alpha-2 code, a hyphen, one to three letters or digits. */
  private static final Pattern CODE = Pattern.compile("([A-Z]{2})-[A-Z0-9]{1,3}");

  private final NameIndex<String> byName;
  private final Set<String> countries;

  private SubdivisionCatalog(NameIndex<String> byName, Set<String> countries) {
    this.byName = byName;
    this.countries = countries;
  }

  public static SubdivisionCatalog load(Path csv) {
    NameIndex<String> byName = new NameIndex<>();
    Set<String> countries = new HashSet<>();
    Set<String> codes = new HashSet<>();
    for (ReferenceCsv.Line line : ReferenceCsv.read(csv, "code", "name", "aliases")) {
      String code = line.get("code");
      var format = CODE.matcher(code);
      if (!format.matches()) {
        throw new IllegalArgumentException(csv + " line " + line.number() + ": code '" + code
            + "' is not an ISO 3166-2 code (CC-XXX: country code, hyphen, 1-3 letters or digits)");
      }
      if (!codes.add(code)) {
        throw new IllegalArgumentException(csv + " line " + line.number() + ": code '" + code + "' is listed twice");
      }
      String country = format.group(1);
      countries.add(country);
      // names are unique within a country (two states may share a name across countries); the code is a name too
      for (String name : line.names("code", "name", "aliases")) {
        byName.put(key(country, name), code, csv, line);
      }
    }
    return new SubdivisionCatalog(byName, Set.copyOf(countries));
  }

  /** The ISO 3166-2 code of a subdivision of {@code country} written as its name, an alias or its code. */
  public Optional<String> code(String country, String name) {
    return country == null || name == null ? Optional.empty() : byName.get(key(country, name));
  }

  /** True when the catalogue lists the country's subdivisions. */
  public boolean lists(String country) {
    return countries.contains(country);
  }

  private static String key(String country, String name) {
    return country + "|" + name;
  }
}
