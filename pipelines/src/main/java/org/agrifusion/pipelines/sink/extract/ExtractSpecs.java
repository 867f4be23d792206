package org.agrifusion.pipelines.sink.extract;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrifusion.pipelines.lake.LakeTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.catalyst.analysis.ExpressionWithUnresolvedIdentifier;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunction;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.PlanExpression;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Loads {@code conf/extracts/*.yml} and rejects, at start-up, any extract that could not run as
 * written: unknown keys or datasets, a daily extract of a monthly table, Spark SQL that does not
 * parse, sorting by a column that is not output, and any function outside {@link #ALLOWED_FUNCTIONS}:
 * definitions are configuration a steward edits, and Spark SQL can otherwise call Java methods
 * ({@code reflect}, {@code java_method}) or read files and tables through subqueries.
 */
public final class ExtractSpecs {

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]*");
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * The functions an extract expression may call: those the shipped extracts use, plus common ones
   * that only compute on their arguments. Anything else (reflect, java_method, try_reflect, UDFs,
   * functions reading files or the environment) is refused when the definition is loaded.
   */
  public static final Set<String> ALLOWED_FUNCTIONS = Set.of(
      // aggregates
      "sum", "avg", "mean", "min", "max", "count", "count_if", "collect_set", "collect_list",
      "approx_count_distinct", "median", "percentile_approx", "stddev", "stddev_samp", "stddev_pop", "variance",
      // numbers
      "round", "bround", "floor", "ceil", "ceiling", "abs", "greatest", "least", "format_number", "try_divide",
      // text
      "concat", "concat_ws", "substring", "substr", "left", "right", "upper", "lower", "trim", "ltrim", "rtrim", "lpad",
      "rpad", "length", "char_length", "replace", "split", "split_part", "regexp_replace", "regexp_extract", "initcap",
      // nulls and conditions
      "coalesce", "nvl", "nvl2", "ifnull", "nullif", "if", "isnull", "isnotnull",
      // dates
      "date_format", "to_date", "date_trunc", "trunc", "year", "quarter", "month", "day", "dayofmonth", "dayofweek",
      "weekofyear", "last_day", "date_add", "date_sub", "datediff", "add_months",
      // arrays
      "array_sort", "sort_array", "array_join", "array_distinct", "array_contains", "size", "element_at",
      // agri-fusion's own
      ExtractQuery.REGION_NAME, ExtractQuery.PRODUCT_NAME);

  /**
   * Aggregates whose result depends on the order Spark happens to read the rows in, so that a re-cut
   * of a period could differ from the extract issued: refused with the deterministic alternative.
   */
  private static final java.util.Map<String, String> ORDER_DEPENDENT = java.util.Map.of(
      "first", "use min or max", "last", "use min or max", "any_value", "use min or max",
      "first_value", "use min or max", "last_value", "use min or max");
  /** Aggregates that collect in reading order: allowed only as the argument of a sort. */
  private static final Set<String> COLLECTING = Set.of("collect_set", "collect_list");
  private static final Set<String> SORTING = Set.of("array_sort", "sort_array");

  private ExtractSpecs() {}

  /**
   * Every extract in the folder (none when it does not exist), sorted by id.
   *
   */
  public static List<ExtractSpec> loadAll(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    List<ExtractSpec> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted().toList()) {
        all.add(load(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list extracts in " + folder, e);
    }
    Set<String> seen = new HashSet<>();
    all.forEach(s -> require(folder.toString(), "id", seen.add(s.id()), "'" + s.id() + "' is used by more than one extract"));
    return all;
  }

  public static ExtractSpec load(Path file) {
    String name = file.toString();
    ExtractSpec spec;
    try {
      spec = YAML.readValue(file.toFile(), ExtractSpec.class);
    } catch (UnrecognizedPropertyException e) {
      throw new ExtractSpecException(name, e.getPropertyName(), "unknown key; known keys: " + e.getKnownPropertyIds());
    } catch (JsonMappingException e) {
      throw new ExtractSpecException(name, e.getPathReference(), e.getOriginalMessage());
    } catch (IOException e) {
      throw new ExtractSpecException(name, "(file)", "cannot read: " + e.getMessage());
    }
    require(name, "(file)", spec != null, "is empty");
    return validate(name, spec);
  }

  static ExtractSpec validate(String file, ExtractSpec s) {
    java.util.Map<String, Boolean> datasets = java.util.Arrays.stream(LakeTable.values())
        .collect(java.util.stream.Collectors.toMap(LakeTable::qualifiedName, LakeTable::monthly));
    require(file, "id", s.id() != null && ID.matcher(s.id()).matches(), "must be lower-case letters, digits and dashes, got '" + s.id() + "'");
    require(file, "title", s.title() != null && !s.title().isBlank(), "is required (the heading departments see)");
    require(file, "dataset", datasets.containsKey(s.dataset()), "'" + s.dataset() + "' is not one of " + datasets.keySet());
    require(file, "cadence", s.cadence() != null, "is required: daily or monthly");
    require(file, "cadence", s.cadence() == ExtractSpec.Cadence.MONTHLY || !datasets.get(s.dataset()),
        "daily is not possible for " + s.dataset() + ", which is kept per month");
    require(file, "formats", s.formats() != null && !s.formats().isEmpty(), "must list csv and/or xlsx");
    require(file, "destination", s.destination() != null && !s.destination().isBlank() && !s.destination().contains(".."),
        "is required: the receiving department's folder (relative, without '..', or a Hadoop URI)");
    for (ExtractSpec.Condition c : list(s.filter())) {
      require(file, "filter", c.column() != null, "every condition names a column");
      int given = (c.prefix() != null ? 1 : 0) + (c.equals() != null ? 1 : 0) + (c.in() != null ? 1 : 0);
      require(file, "filter." + c.column(), given == 1, "give exactly one of prefix, equals or in");
    }
    list(s.groupBy()).forEach(g -> parse(file, "group_by", g));
    require(file, "columns", s.columns() != null && !s.columns().isEmpty(), "must list the output columns");
    Set<String> names = new HashSet<>();
    for (ExtractSpec.OutputColumn c : s.columns()) {
      require(file, "columns", c.name() != null && NAME.matcher(c.name()).matches(),
          "a column name must be lower-case letters, digits and _, got '" + c.name() + "'");
      require(file, "columns." + c.name(), names.add(c.name()), "is listed twice");
      require(file, "columns." + c.name() + ".header", c.header() != null && !c.header().isBlank(), "is required");
      parse(file, "columns." + c.name() + ".expr", c.expression());
    }
    labelsMoneyByItsCurrency(file, s);
    for (String key : list(s.sort())) {
      String column = sortColumn(key);
      require(file, "sort", names.contains(column), "'" + column + "' is not an output column " + names);
    }
    return s;
  }

  /** The sort key's column and whether it sorts descending. */
  static boolean descending(String sortKey) {
    return sortKey.toLowerCase(java.util.Locale.ROOT).endsWith(" desc");
  }

  static String sortColumn(String sortKey) {
    return sortKey.replaceFirst("(?i)\\s+(asc|desc)$", "");
  }

  /** Columns holding money as written, in the record's own currency (docs/data-standard.md §3). */
  static final java.util.regex.Pattern ORIGINAL_MONEY = java.util.regex.Pattern.compile("(price_\\w+|unit_price|amount|fee)_orig");
  /** Words that say CNY in a header. */
  static final java.util.regex.Pattern SAYS_CNY = java.util.regex.Pattern.compile("元|CNY|RMB|人民币|¥|￥", java.util.regex.Pattern.CASE_INSENSITIVE);

  /**
   * A column of money as written may be in any currency: its header must not say 元 or CNY, and the
   * extract must also give the currency, so no reader takes rupees for yuan.
   */
  private static void labelsMoneyByItsCurrency(String file, ExtractSpec s) {
    boolean givesCurrency = s.columns().stream().anyMatch(c -> references(c.expression()).contains("currency"));
    for (ExtractSpec.OutputColumn c : s.columns()) {
      if (references(c.expression()).stream().anyMatch(name -> ORIGINAL_MONEY.matcher(name).matches())) {
        require(file, "columns." + c.name() + ".header", !SAYS_CNY.matcher(c.header()).find(),
            "'" + c.header() + "' says CNY, but the column is money as written, in the record's own currency");
        require(file, "columns", givesCurrency, "'" + c.name() + "' is money as written: also output the column currency");
      }
    }
  }

  /** The column names an expression reads (lower case). */
  private static Set<String> references(String expression) {
    Set<String> names = new HashSet<>();
    collect(CatalystSqlParser$.MODULE$.parseExpression(expression), names);
    return names;
  }

  private static void collect(Expression e, Set<String> names) {
    if (e instanceof org.apache.spark.sql.catalyst.analysis.UnresolvedAttribute a) {
      names.add(a.name().toLowerCase(java.util.Locale.ROOT));
    }
    CollectionConverters.asJava(e.children()).forEach(child -> collect(child, names));
  }

  private static void parse(String file, String field, String expression) {
    Expression parsed;
    try {
      parsed = CatalystSqlParser$.MODULE$.parseExpression(expression);
    } catch (Exception e) { // a ParseException, which Scala does not declare
      throw new ExtractSpecException(file, field, "'" + expression + "' is not a Spark SQL expression: "
          + e.getMessage().lines().findFirst().orElse(""));
    }
    checkFunctions(file, field, parsed, false);
  }

  /**
   * Walks the parsed tree: every function call must be allowed and give the same result however the
   * rows are ordered, and no query may hide inside.
   */
  private static void checkFunctions(String file, String field, Expression e, boolean sorted) {
    boolean sorting = false;
    // first, last and any_value have their own grammar (IGNORE NULLS): parsed, they are not function calls
    if (e instanceof org.apache.spark.sql.catalyst.expressions.aggregate.First) {
      orderDependent(file, field, "first");
    } else if (e instanceof org.apache.spark.sql.catalyst.expressions.aggregate.Last) {
      orderDependent(file, field, "last");
    } else if (e instanceof org.apache.spark.sql.catalyst.expressions.aggregate.AnyValue) {
      orderDependent(file, field, "any_value");
    }
    if (e instanceof UnresolvedFunction f) {
      List<String> parts = CollectionConverters.asJava(f.nameParts());
      String name = String.join(".", parts).toLowerCase(java.util.Locale.ROOT);
      if (ORDER_DEPENDENT.containsKey(name)) {
        orderDependent(file, field, name);
      }
      require(file, field, parts.size() == 1 && ALLOWED_FUNCTIONS.contains(name), "function " + name + " is not allowed");
      require(file, field, !COLLECTING.contains(name) || sorted, name + " lists values in the order Spark reads"
          + " them, so a re-cut of the period could differ; sort them: array_sort(" + name + "(...))");
      sorting = SORTING.contains(name);
    }
    require(file, field, !(e instanceof PlanExpression<?>), "a subquery is not allowed");
    // IDENTIFIER('name')(...) names its function only when analysed, so it cannot be checked here
    require(file, field, !(e instanceof ExpressionWithUnresolvedIdentifier), "IDENTIFIER(...) is not allowed");
    boolean sortsItsArgument = sorting;
    CollectionConverters.asJava(e.children()).forEach(child -> checkFunctions(file, field, child, sortsItsArgument));
  }

  private static void orderDependent(String file, String field, String function) {
    throw new ExtractSpecException(file, field, "function " + function + " is not allowed: it takes whichever row"
        + " Spark reads first, so a re-cut of the period could differ; " + ORDER_DEPENDENT.get(function));
  }

  static <T> List<T> list(List<T> values) {
    return values == null ? List.of() : values;
  }

  private static void require(String file, String field, boolean ok, String problem) {
    if (!ok) {
      throw new ExtractSpecException(file, field, problem);
    }
  }
}
