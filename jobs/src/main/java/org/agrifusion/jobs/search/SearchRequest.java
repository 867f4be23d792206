package org.agrifusion.jobs.search;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A search as the user asked it, every value checked: the same parameters for {@code agri search}
 * (options without dashes, the positional text as {@code q}) and the portal's URL. A bad value is an
 * {@link IllegalArgumentException} naming the parameter and the value, in one line.
 *
 * @param sort the user's sort key, or null for the default (relevance with text, else newest first)
 * @param after the decoded cursor, or null for the first page
 */
public record SearchRequest(FamilyFields fields, String q, Mode mode, String product, String region, String market,
    String channel, String courier, LocalDate from, LocalDate to, BigDecimal minPrice, BigDecimal maxPrice,
    SortKey sort, int size, Cursor.Position after, String statsBy) {

  public enum Mode { CATALOGUE, PHRASE }

  public record SortKey(String field, boolean descending) {
    @Override
    public String toString() {
      return field + (descending ? ":desc" : ":asc");
    }
  }

  public static final String DEFAULT_FAMILY = "price-observations";
  public static final int DEFAULT_SIZE = 20;
  /** The most hits one page may ask for (a CSV download pages through more). */
  public static final int MAX_SIZE = 1000;
  static final int MAX_TEXT = 100;

  public static final Set<String> PARAMETERS = Set.of("q", "family", "product", "region", "market", "channel", "courier",
      "from", "to", "min-price", "max-price", "sort", "size", "after", "mode", "stats-by");

  private static final Pattern PRODUCT = Pattern.compile("\\d{2}|\\d{4}|\\d{6}");
  private static final Pattern REGION = Pattern.compile("\\d{2,6}");

  /** Parses and checks the parameters against the families of conf/es/families.yml and their mappings. */
  public static SearchRequest parse(Map<String, String> parameters, Map<String, FamilyFields> families) {
    for (String name : parameters.keySet()) {
      if (!PARAMETERS.contains(name)) {
        throw new IllegalArgumentException("unknown search parameter '" + name + "'; known: " + PARAMETERS.stream().sorted().toList());
      }
    }
    Map<String, String> p = parameters.entrySet().stream().filter(e -> e.getValue() != null && !e.getValue().isBlank())
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().strip()));
    String familyName = p.getOrDefault("family", DEFAULT_FAMILY);
    FamilyFields fields = families.get(familyName);
    if (fields == null) {
      throw bad("family", familyName, "is not one of " + families.keySet());
    }
    String q = p.get("q");
    if (q != null && q.length() > MAX_TEXT) {
      throw bad("q", q.substring(0, 20) + "…", "is longer than " + MAX_TEXT + " characters");
    }
    Mode mode = switch (p.getOrDefault("mode", "catalogue")) {
      case "catalogue" -> Mode.CATALOGUE;
      case "phrase" -> Mode.PHRASE;
      default -> throw bad("mode", p.get("mode"), "is neither catalogue nor phrase");
    };
    String product = matching(p, "product", PRODUCT, "is not a 2, 4 or 6-digit product code");
    if (product != null && fields.productFields().isEmpty()) {
      throw bad("product", product, "cannot filter " + familyName + ": it has no product codes");
    }
    String region = matching(p, "region", REGION, "is not a GB/T 2260 code prefix of 2 to 6 digits");
    if (region != null && fields.regionFields().isEmpty()) {
      throw bad("region", region, "cannot filter " + familyName + ": it has no region codes");
    }
    String market = keyword(p, "market", FamilyFields.MARKET_FIELDS, fields);
    String channel = keyword(p, "channel", List.of("channel"), fields);
    String courier = keyword(p, "courier", List.of("courier_code"), fields);
    LocalDate from = date(p, "from");
    LocalDate to = date(p, "to");
    if (from != null && to != null && from.isAfter(to)) {
      throw bad("to", p.get("to"), "is before from " + from);
    }
    BigDecimal minPrice = price(p, "min-price", fields);
    BigDecimal maxPrice = price(p, "max-price", fields);
    if (minPrice != null && maxPrice != null && minPrice.compareTo(maxPrice) > 0) {
      throw bad("max-price", p.get("max-price"), "is below min-price " + minPrice);
    }
    SortKey sort = sort(p.get("sort"), fields);
    int size = size(p.get("size"));
    String statsBy = p.get("stats-by");
    if (statsBy != null && !fields.isKeyword(statsBy)) {
      throw bad("stats-by", statsBy, "is not a keyword field of " + familyName);
    }
    SearchRequest request = new SearchRequest(fields, q, mode, product, region, market, channel, courier, from, to, minPrice,
        maxPrice, sort, size, null, statsBy);
    String after = p.get("after");
    return after == null ? request : request.withAfter(Cursor.decode(after, request.sortSpec()));
  }

  SearchRequest withAfter(Cursor.Position values) {
    return new SearchRequest(fields, q, mode, product, region, market, channel, courier, from, to, minPrice, maxPrice, sort,
        size, values, statsBy);
  }

  SearchRequest withSize(int newSize) {
    return new SearchRequest(fields, q, mode, product, region, market, channel, courier, from, to, minPrice, maxPrice, sort,
        newSize, after, statsBy);
  }

  /**
   * The sort keys of every page: the user's key (or relevance with text, the newest partition
   * without), then the document id, which is unique, so a cursor names one place in the order.
   */
  List<SortKey> sortSpec() {
    String id = fields.family().idField();
    if (sort != null) {
      return sort.field().equals(id) ? List.of(sort) : List.of(sort, new SortKey(id, false));
    }
    return q != null ? List.of(new SortKey("_score", true), new SortKey(id, false))
        : List.of(new SortKey(fields.dateField(), true), new SortKey(id, false));
  }

  private static String matching(Map<String, String> p, String name, Pattern pattern, String problem) {
    String value = p.get(name);
    if (value != null && !pattern.matcher(value).matches()) {
      throw bad(name, value, problem);
    }
    return value;
  }

  /**
   * A code compared whole with those of the keyword {@code targets} the family has: any text is
   * allowed, it is only ever a term's value.
   */
  private static String keyword(Map<String, String> p, String name, List<String> targets, FamilyFields fields) {
    String value = p.get(name);
    if (value == null) {
      return null;
    }
    if (targets.stream().noneMatch(fields::has)) {
      throw bad(name, value, "cannot filter " + fields.family().name() + ": it has no " + String.join(" or ", targets));
    }
    if (value.length() > MAX_TEXT) {
      throw bad(name, value.substring(0, 20) + "…", "is longer than " + MAX_TEXT + " characters");
    }
    return value;
  }

  private static LocalDate date(Map<String, String> p, String name) {
    String value = p.get(name);
    try {
      return value == null ? null : LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw bad(name, value, "is not a yyyy-MM-dd date");
    }
  }

  private static BigDecimal price(Map<String, String> p, String name, FamilyFields fields) {
    String value = p.get(name);
    if (value == null) {
      return null;
    }
    BigDecimal price;
    try {
      price = new BigDecimal(value);
    } catch (NumberFormatException e) {
      throw bad(name, value, "is not a decimal number");
    }
    if (price.signum() < 0) {
      throw bad(name, value, "is negative");
    }
    if (fields.family().measure() == null) {
      throw bad(name, value, "cannot filter " + fields.family().name() + ": it has no measure");
    }
    return price;
  }

  private static SortKey sort(String value, FamilyFields fields) {
    if (value == null) {
      return null;
    }
    int colon = value.indexOf(':');
    String field = colon < 0 ? value : value.substring(0, colon);
    String order = colon < 0 ? "asc" : value.substring(colon + 1);
    if (!fields.sortable(field)) {
      throw bad("sort", value, "is not a keyword, number or date field of " + fields.family().name());
    }
    if (!order.equals("asc") && !order.equals("desc")) {
      throw bad("sort", value, "has an order other than asc or desc");
    }
    return new SortKey(field, order.equals("desc"));
  }

  private static int size(String value) {
    if (value == null) {
      return DEFAULT_SIZE;
    }
    try {
      int size = Integer.parseInt(value);
      if (size >= 1 && size <= MAX_SIZE) {
        return size;
      }
    } catch (NumberFormatException e) {
      // told below
    }
    throw bad("size", value, "is not a number from 1 to " + MAX_SIZE);
  }

  static IllegalArgumentException bad(String parameter, String value, String problem) {
    // one line whatever the user typed
    return new IllegalArgumentException(parameter + " '" + value.replaceAll("\\p{Cntrl}", "?") + "' " + problem);
  }
}
