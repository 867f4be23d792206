package org.agrifusion.pipelines.reference;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.agrifusion.pipelines.standardise.Text;

/**
 * GB/T 2260 regions ({@code regions.csv}) with every name and alias they are written as, and the
 * codes of an older vintage that changed ({@code region-code-changes.csv}).
 */
public final class RegionCatalog implements Serializable {

  private final Map<String, Region> byCode;
  /** Full names and aliases -> regions; more than one region means the name is ambiguous. */
  private final Map<String, Set<String>> byName;
  /** Full (official) names only -> regions: an official name outranks an alias (docs/data-standard.md 4.1). */
  private final Map<String, Set<String>> byOfficialName;
  /** One-character province abbreviations (冀, 晋, ...) -> province code. */
  private final Map<Character, String> byAbbreviation;
  private final Map<String, String> changedCodes;

  private RegionCatalog(Map<String, Region> byCode, Map<String, Set<String>> byName, Map<String, Set<String>> byOfficialName,
      Map<Character, String> byAbbreviation, Map<String, String> changedCodes) {
    this.byCode = byCode;
    this.byName = byName;
    this.byOfficialName = byOfficialName;
    this.byAbbreviation = byAbbreviation;
    this.changedCodes = changedCodes;
  }

  public static RegionCatalog load(Path regionsCsv, Path changesCsv) {
    Map<String, Region> byCode = new LinkedHashMap<>();
    Map<String, Set<String>> byName = new HashMap<>();
    Map<String, Set<String>> byOfficialName = new HashMap<>();
    Map<Character, String> byAbbreviation = new HashMap<>();
    for (ReferenceCsv.Line line : ReferenceCsv.read(regionsCsv, "code", "name", "level", "parent_code", "aliases", "rural", "abbreviations")) {
      String code = line.get("code");
      if (!code.matches("\\d{6}")) {
        throw new IllegalArgumentException(regionsCsv + " line " + line.number() + ": code '" + code + "' is not six digits");
      }
      String rural = line.get("rural");
      Region region = new Region(code, line.get("name"), Region.Level.valueOf(line.get("level").toUpperCase(Locale.ROOT)),
          line.get("parent_code").isEmpty() ? null : line.get("parent_code"), rural.isEmpty() ? null : Boolean.valueOf(rural));
      byCode.put(code, region);
      index(byName, region.name(), code);
      index(byOfficialName, region.name(), code);
      line.list("aliases").forEach(alias -> index(byName, alias, code));
      for (String abbreviation : line.list("abbreviations")) {
        byAbbreviation.put(abbreviation.charAt(0), code);
      }
    }
    Map<String, String> changed = new HashMap<>();
    for (ReferenceCsv.Line line : ReferenceCsv.read(changesCsv, "old_code", "new_code")) {
      if (!line.get("new_code").isEmpty()) {
        changed.put(line.get("old_code"), line.get("new_code"));
      }
    }
    return new RegionCatalog(byCode, byName, byOfficialName, byAbbreviation, changed);
  }

  private static void index(Map<String, Set<String>> byName, String name, String code) {
    byName.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(code);
  }

  /** The region of a current code, or of an older code that was re-coded. */
  public Optional<Region> byCode(String code) {
    if (code == null) {
      return Optional.empty();
    }
    Region region = byCode.get(code);
    if (region == null && changedCodes.containsKey(code)) {
      region = byCode.get(changedCodes.get(code));
    }
    return Optional.ofNullable(region);
  }

  /** Codes of the regions written exactly so (full name or alias); several when ambiguous. */
  public Set<String> byName(String name) {
    String n = Text.normalise(name);
    return n == null ? Set.of() : byName.getOrDefault(n, Set.of());
  }

  /** Codes of the regions whose full (official) name this is; a subset of {@link #byName}. */
  public Set<String> byOfficialName(String name) {
    String n = Text.normalise(name);
    return n == null ? Set.of() : byOfficialName.getOrDefault(n, Set.of());
  }

  /** The province a one-character abbreviation stands for. */
  public Optional<String> provinceByAbbreviation(char abbreviation) {
    return Optional.ofNullable(byAbbreviation.get(abbreviation));
  }

  /** Whether a region lies within another (same region included), by code prefix. */
  public static boolean within(String code, String ancestor) {
    String prefix = ancestor.endsWith("0000") ? ancestor.substring(0, 2) : ancestor.endsWith("00") ? ancestor.substring(0, 4) : ancestor;
    return code.startsWith(prefix);
  }

  /** All regions, in code order. */
  public java.util.Collection<Region> all() {
    return byCode.values();
  }
}
