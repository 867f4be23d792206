package org.agrifusion.pipelines.reference;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Currencies (ISO 4217 alphabetic codes) by the ways feeds write them: code, Chinese and English
 * name, symbols and short forms ({@code currencies.csv}: {@code code,name_zh,name_en,aliases}).
 */
public final class CurrencyCatalog implements Serializable {

  /** The currency of the data standard: money without a currency is CNY, and every CNY value is in it. */
  public static final String CNY = "CNY";

  private final NameIndex<String> byName;
  private final Set<String> codes;

  private CurrencyCatalog(NameIndex<String> byName, Set<String> codes) {
    this.byName = byName;
    this.codes = codes;
  }

  public static CurrencyCatalog load(Path csv) {
    NameIndex<String> byName = new NameIndex<>();
    Set<String> codes = new TreeSet<>();
    for (ReferenceCsv.Line line : ReferenceCsv.read(csv, "code", "name_zh", "name_en", "aliases")) {
      String code = line.get("code");
      if (!code.matches("[A-Z]{3}")) {
        throw new IllegalArgumentException(csv + " line " + line.number() + ": code '" + code + "' is not three upper-case letters (ISO 4217)");
      }
      codes.add(code);
      for (String name : line.names("code", "name_zh", "name_en", "aliases")) {
        byName.put(name, code, csv, line);
      }
    }
    if (!codes.contains(CNY)) {
      throw new IllegalArgumentException(csv + ": needs the row of " + CNY + ", the currency of the standard");
    }
    return new CurrencyCatalog(byName, Set.copyOf(codes));
  }

  /** The ISO 4217 code of a currency as written (INR, Rs, ₹, 卢比), case-insensitive. */
  public Optional<String> code(String written) {
    return byName.get(written);
  }

  boolean isCode(String code) {
    return codes.contains(code);
  }
}
