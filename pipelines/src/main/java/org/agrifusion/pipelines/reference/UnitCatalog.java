package org.agrifusion.pipelines.reference;

import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.agrifusion.pipelines.standardise.Text;

/**
 * Units of trade from {@code conf/reference/units.csv} ({@code code,name,kind,kg_per_unit,aliases}):
 * mass units with their weight in kilograms, package units (箱, 袋, 筐...) whose weight comes from
 * the record's spec ("10斤/箱"), and count units (个, 只) that have no weight at all.
 */
public final class UnitCatalog implements Serializable {

  /**
   * A single weight in the spec: "10斤", "5kg装", "净重2.5公斤", "500g*10" or "10×500g" (ten packs of 500 g);
   * ranges such as "8-10斤" are not read.
   */
  private static final Pattern SPEC_WEIGHT = Pattern.compile(
      "(?:(?<![\\d.])(\\d+)\\s*[*×xX]\\s*)?(?<![\\d.\\-~至])(\\d+(?:\\.\\d+)?)\\s*([^\\d\\s/.,;()\\-~*×xX]{1,3})(?:\\s*[*×xX]\\s*(\\d+))?");

  private enum Kind { MASS, PACKAGE, COUNT }

  private record Unit(Kind kind, BigDecimal kg) implements Serializable {}

  private final Map<String, Unit> units;

  private UnitCatalog(Map<String, Unit> units) {
    this.units = Map.copyOf(units);
  }

  public static UnitCatalog load(Path csv) {
    Map<String, Unit> units = new HashMap<>();
    for (var line : ReferenceCsv.read(csv, "code", "name", "kind", "kg_per_unit", "aliases")) {
      Kind kind = Kind.valueOf(line.get("kind").toUpperCase(Locale.ROOT));
      String kg = line.get("kg_per_unit");
      if ((kind == Kind.MASS) == kg.isEmpty()) {
        throw new IllegalArgumentException(csv + " line " + line.number() + ": a mass unit needs kg_per_unit, other units must not have one");
      }
      Unit unit = new Unit(kind, kg.isEmpty() ? null : new BigDecimal(kg));
      for (String alias : line.names("code", "name", "aliases")) {
        Unit previous = units.put(key(alias), unit);
        if (previous != null && !previous.equals(unit)) {
          throw new IllegalArgumentException(csv + " line " + line.number() + ": '" + alias + "' is defined twice");
        }
      }
    }
    return new UnitCatalog(units);
  }

  /** Kilograms per one mass unit; empty for package, count and unknown units. */
  public Optional<BigDecimal> kgPerUnit(String unit) {
    Unit u = unit == null ? null : units.get(key(unit));
    return u == null || u.kind() != Kind.MASS ? Optional.empty() : Optional.of(u.kg());
  }

  /**
   * Kilograms per one unit of a record: the mass unit's weight, or for a package unit the single
   * weight its spec states. Empty when the record does not say (the price then stays per unit).
   */
  public Optional<BigDecimal> kgPerUnit(String unit, String spec) {
    Unit u = unit == null ? null : units.get(key(unit));
    if (u == null || u.kind() == Kind.COUNT) {
      return Optional.empty();
    }
    if (u.kind() == Kind.MASS) {
      return Optional.of(u.kg());
    }
    return specWeight(spec);
  }

  /** The one weight a spec states, in kilograms. */
  Optional<BigDecimal> specWeight(String spec) {
    String s = Text.normalise(spec);
    if (s == null) {
      return Optional.empty();
    }
    Optional<BigDecimal> found = Optional.empty();
    Matcher m = SPEC_WEIGHT.matcher(s);
    while (m.find()) {
      BigDecimal count = new BigDecimal(m.group(1) != null ? m.group(1) : m.group(4) != null ? m.group(4) : "1");
      Optional<BigDecimal> kg = prefixUnit(m.group(3)).map(factor -> factor.multiply(new BigDecimal(m.group(2))).multiply(count));
      if (kg.isPresent()) {
        if (found.isPresent()) {
          return Optional.empty(); // two weights: which one is the package is not for us to guess
        }
        found = kg;
      }
    }
    return found;
  }

  /** The mass unit at the start of a short text ("斤/箱" -> 斤). */
  private Optional<BigDecimal> prefixUnit(String text) {
    for (int len = Math.min(3, text.length()); len >= 1; len--) {
      Optional<BigDecimal> kg = kgPerUnit(text.substring(0, len));
      if (kg.isPresent()) {
        return kg;
      }
    }
    return Optional.empty();
  }

  private static String key(String alias) {
    String n = Text.normalise(alias);
    return n == null ? "" : n.toLowerCase(Locale.ROOT);
  }
}
