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
  /** Names in Chinese (any name that is not {@link LatinNames#isLatin}), compared whole or as substrings. */
  private final Map<String, String> byName;
  /** Names in Latin script, compared word by word. */
  private final LatinNames byTokens;
  private final Memo<Optional<Match>> memo = new Memo<>();

  private static final java.util.regex.Pattern BRACKETED = java.util.regex.Pattern.compile("\\([^)]*\\)|\\[[^]]*]");

  private record Entry(String code, String level, String name, String parentCode) implements Serializable {}

  private ProductCatalog(Map<String, Entry> byCode, Map<String, String> byName, LatinNames byTokens) {
    this.byCode = byCode;
    this.byName = byName;
    this.byTokens = byTokens;
  }

  public static ProductCatalog load(Path csv) {
    Map<String, Entry> byCode = new HashMap<>();
    Map<String, String> byName = new HashMap<>();
    LatinNames byTokens = new LatinNames();
    List<ReferenceCsv.Line> lines = ReferenceCsv.read(csv, "code", "level", "name", "name_en", "parent_code", "aliases");
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
        for (String name : line.names("name", "name_en", "aliases")) {
          String previous = LatinNames.isLatin(name) ? byTokens.put(name, e.code()) : byName.put(key(name), e.code());
          if (previous != null && !previous.equals(e.code())) {
            throw new IllegalArgumentException(csv + " line " + line.number() + ": name '" + name
                + "' is used by " + previous + " and " + e.code());
          }
        }
      }
    }
    return new ProductCatalog(byCode, byName, byTokens);
  }

  /**
   * Matches a product name as a feed writes it. A Chinese name: exactly; then without bracketed
   * parts ("扇贝(地播)"); then the longest catalogue name inside it ("散菜花"). A Latin-script name
   * word by word ({@link LatinNames}): never a part of a word, so Pineapple is not an Apple. Then,
   * when nothing matched, the feed's sub-category ("苹果类") as the product. Empty when none or
   * ambiguous.
   */
  public Optional<Match> match(String productName, String subCategory) {
    // the name's length first keeps every (name, sub-category) pair its own key
    String key = productName == null ? "-" + subCategory : productName.length() + ":" + productName + subCategory;
    return memo.get(key, k -> matchOnce(productName, subCategory));
  }

  /**
   * The variety code a feed's separate variety column names, when it is exactly the name or an alias
   * of one of the product's varieties; empty for anything else ("Other", "Local", another product's variety).
   */
  public Optional<String> variety(String productCode, String varietyName) {
    String n = Text.normalise(varietyName);
    if (productCode == null || n == null) {
      return Optional.empty();
    }
    String code = LatinNames.isLatin(n) ? byTokens.exact(n) : byName.get(key(n));
    return code != null && code.length() == 6 && code.startsWith(productCode) ? Optional.of(code) : Optional.empty();
  }

  private Optional<Match> matchOnce(String productName, String subCategory) {
    String n = Text.normalise(productName);
    if (n != null) {
      String code = LatinNames.isLatin(n) ? byTokens.longestContained(n) : matchChinese(n);
      if (code != null) {
        return Optional.of(toMatch(code));
      }
    }
    String sub = Text.normalise(subCategory);
    String code = sub == null ? null : LatinNames.isLatin(sub) ? byTokens.exact(sub) : byName.get(key(sub));
    return code == null || !byCode.get(code).level().equals("product") ? Optional.empty() : Optional.of(toMatch(code));
  }

  private String matchChinese(String n) {
    String code = byName.get(key(n));
    if (code == null) {
      String stripped = BRACKETED.matcher(n).replaceAll("").strip();
      code = stripped.isEmpty() ? null : byName.get(key(stripped));
    }
    return code != null ? code : longestContained(key(n));
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

  /**
   * The product or variety a text names exactly (a name or alias, Latin names word for word), never
   * by a part of it: 小米 is millet, not the chili 小米椒 that contains it. For search queries.
   */
  public Optional<String> codeOfName(String name) {
    String n = Text.normalise(name);
    if (n == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(LatinNames.isLatin(n) ? byTokens.exact(n) : byName.get(key(n)));
  }

  /** The codes one level below a category or product, in code order. */
  public List<String> children(String code) {
    return byCode.values().stream().filter(e -> code.equals(e.parentCode())).map(Entry::code).sorted().toList();
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

  private static String key(String name) {
    String n = Text.normalise(name);
    return n == null ? "" : n.toLowerCase(Locale.ROOT);
  }
}
