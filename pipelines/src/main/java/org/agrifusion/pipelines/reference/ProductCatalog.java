package org.agrifusion.pipelines.reference;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.agrifusion.pipelines.standardise.Text;

/**
 * The product catalogue ({@code products.csv}): categories, products and varieties with codes in
 * the style of NY/T 2137 (2 / 4 / 6 digits, each extending its parent) and the names feeds use.
 */
public final class ProductCatalog implements Serializable {

  /** A catalogue entry; {@code varietyCode} is null when the match is a product. */
  public record Match(String categoryCode, String productCode, String varietyCode, String name) implements Serializable {}

  private final Map<String, Entry> byCode;
  private final Map<String, String> byName;
  private final Memo<Optional<Match>> memo = new Memo<>();

  private static final java.util.regex.Pattern BRACKETED = java.util.regex.Pattern.compile("\\([^)]*\\)|\\[[^]]*]");

  private record Entry(String code, String level, String name, String parentCode) implements Serializable {}

  private ProductCatalog(Map<String, Entry> byCode, Map<String, String> byName) {
    this.byCode = byCode;
    this.byName = byName;
  }

  public static ProductCatalog load(Path csv) {
    Map<String, Entry> byCode = new HashMap<>();
    Map<String, String> byName = new HashMap<>();
    List<ReferenceCsv.Line> lines = ReferenceCsv.read(csv, "code", "level", "name", "parent_code", "aliases");
    for (ReferenceCsv.Line line : lines) {
      Entry e = new Entry(line.get("code"), line.get("level"), line.get("name"), line.get("parent_code"));
      int digits = switch (e.level()) {
        case "category" -> 2;
        case "product" -> 4;
        case "variety" -> 6;
        default -> throw new IllegalArgumentException(csv + " line " + line.number() + ": unknown level '" + e.level() + "'");
      };
      if (!e.code().matches("\\d{" + digits + "}") || (digits > 2 && !e.code().startsWith(e.parentCode()))) {
        throw new IllegalArgumentException(csv + " line " + line.number() + ": code '" + e.code()
            + "' must be " + digits + " digits extending its parent '" + e.parentCode() + "'");
      }
      if (byCode.put(e.code(), e) != null) {
        throw new IllegalArgumentException(csv + " line " + line.number() + ": code " + e.code() + " is listed twice");
      }
      if (!e.level().equals("category")) {
        for (String name : concat(e.name(), line.list("aliases"))) {
          String previous = byName.put(key(name), e.code());
          if (previous != null && !previous.equals(e.code())) {
            throw new IllegalArgumentException(csv + " line " + line.number() + ": name '" + name
                + "' is used by " + previous + " and " + e.code());
          }
        }
      }
    }
    return new ProductCatalog(byCode, byName);
  }

  /**
   * Matches a product name as a feed writes it: exactly; then without bracketed parts
   * ("扇贝(地播)"); then the longest catalogue name inside it ("散菜花"); then, when nothing matched,
   * the feed's sub-category ("苹果类") as the product. Empty when none or ambiguous.
   */
  public Optional<Match> match(String productName, String subCategory) {
    // the name's length first keeps every (name, sub-category) pair its own key
    String key = productName == null ? "-" + subCategory : productName.length() + ":" + productName + subCategory;
    return memo.get(key, k -> matchOnce(productName, subCategory));
  }

  private Optional<Match> matchOnce(String productName, String subCategory) {
    String n = Text.normalise(productName);
    if (n != null) {
      String code = byName.get(key(n));
      if (code == null) {
        String stripped = BRACKETED.matcher(n).replaceAll("").strip();
        code = stripped.isEmpty() ? null : byName.get(key(stripped));
      }
      if (code == null) {
        code = longestContained(key(n));
      }
      if (code != null) {
        return Optional.of(toMatch(code));
      }
    }
    String sub = Text.normalise(subCategory);
    String code = sub == null ? null : byName.get(key(sub));
    return code == null || !byCode.get(code).level().equals("product") ? Optional.empty() : Optional.of(toMatch(code));
  }

  /** The one entry whose name is the longest substring of the name; null when none or when two tie. */
  private String longestContained(String name) {
    for (int length = name.length() - 1; length >= 2; length--) {
      java.util.Set<String> codes = new java.util.HashSet<>();
      for (int start = 0; start + length <= name.length(); start++) {
        String code = byName.get(name.substring(start, start + length));
        if (code != null) {
          codes.add(code);
        }
      }
      if (!codes.isEmpty()) {
        return codes.size() == 1 ? codes.iterator().next() : null;
      }
    }
    return null;
  }

  /** The catalogue name of a category, product or variety code. */
  public Optional<String> name(String code) {
    return Optional.ofNullable(code).map(byCode::get).map(Entry::name);
  }

  private Match toMatch(String code) {
    Entry e = byCode.get(code);
    String product = e.level().equals("variety") ? e.parentCode() : e.code();
    return new Match(product.substring(0, 2), product, e.level().equals("variety") ? e.code() : null, e.name());
  }

  private static List<String> concat(String name, List<String> aliases) {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(name), aliases.stream()).toList();
  }

  private static String key(String name) {
    String n = Text.normalise(name);
    return n == null ? "" : n.toLowerCase(Locale.ROOT);
  }
}
