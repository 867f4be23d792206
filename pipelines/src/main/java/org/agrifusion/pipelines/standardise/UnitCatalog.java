package org.agrifusion.pipelines.standardise;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Mass units and their weight in kilograms, from {@code conf/reference/units.csv}
 * ({@code code,name,kg_per_unit,aliases} with aliases separated by {@code |}). Package units (箱,
 * 袋, 个...) are deliberately absent: their weight depends on the record, not on the unit.
 */
public final class UnitCatalog implements Serializable {

  private final Map<String, BigDecimal> kgPerUnit;

  UnitCatalog(Map<String, BigDecimal> kgPerUnit) {
    this.kgPerUnit = Map.copyOf(kgPerUnit);
  }

  public static UnitCatalog load(Path csv) {
    try {
      return parse(Files.readAllLines(csv, StandardCharsets.UTF_8), csv.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read unit catalogue " + csv, e);
    }
  }

  static UnitCatalog parse(List<String> lines, String name) {
    Map<String, BigDecimal> map = new HashMap<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split(",", -1);
      if (parts.length != 4) {
        throw new IllegalArgumentException(name + " line " + (i + 1) + ": expected code,name,kg_per_unit,aliases");
      }
      BigDecimal kg = new BigDecimal(parts[2].strip());
      for (String alias : (parts[0] + "|" + parts[1] + "|" + parts[3]).split("\\|")) {
        String key = key(alias);
        if (key.isEmpty()) {
          continue;
        }
        BigDecimal previous = map.put(key, kg);
        if (previous != null && previous.compareTo(kg) != 0) {
          throw new IllegalArgumentException(name + " line " + (i + 1) + ": alias '" + alias + "' has two weights");
        }
      }
    }
    return new UnitCatalog(map);
  }

  /** Kilograms per one of the unit, or empty when the unit is not a mass unit we know. */
  public Optional<BigDecimal> kgPerUnit(String unit) {
    if (unit == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(kgPerUnit.get(key(unit)));
  }

  private static String key(String alias) {
    String n = Text.normalise(alias);
    return n == null ? "" : n.toLowerCase(Locale.ROOT);
  }
}
