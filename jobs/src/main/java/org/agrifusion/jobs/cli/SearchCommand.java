package org.agrifusion.jobs.cli;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.StatsAggregate;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch._types.query_dsl.TextQueryType;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonData;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.agrifusion.jobs.es.FamilyLoader;
import org.agrifusion.jobs.es.IndexFamily;
import org.agrifusion.jobs.es.IndexManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * {@code agri search}: free text and filters over one index family, as a table, JSON or CSV, with
 * optional statistics of the family's measure by any keyword field.
 */
@Component
public class SearchCommand {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectProvider<ElasticsearchClient> client;
  private final IndexManager indices;
  private final FamilyLoader loader;

  public SearchCommand(ObjectProvider<ElasticsearchClient> client, IndexManager indices, FamilyLoader loader) {
    this.client = client;
    this.indices = indices;
    this.loader = loader;
  }

  int run(String text, Map<String, String> options, PrintStream out) {
    String familyName = options.getOrDefault("family", "price-observations");
    IndexFamily family = loader.families().get(familyName);
    if (family == null) {
      throw new IllegalArgumentException("--family '" + familyName + "' is not one of " + loader.families().keySet());
    }
    Query query = query(family, text, options);
    int size = Integer.parseInt(options.getOrDefault("size", "20"));
    String statsBy = options.get("stats-by");
    try {
      SearchResponse<Map> response = client.getObject().search(s -> {
        s.index(indices.alias(family.name())).query(query).size(statsBy == null ? size : 0).trackTotalHits(t -> t.enabled(true));
        String sort = options.get("sort");
        if (sort != null) {
          String[] parts = sort.split(":");
          s.sort(o -> o.field(f -> f.field(parts[0]).order(parts.length > 1 && parts[1].equals("desc") ? SortOrder.Desc : SortOrder.Asc)));
        }
        if (statsBy != null) {
          s.aggregations("by", a -> a.terms(t -> t.field(statsBy).size(size))
              .aggregations("stats", sub -> sub.stats(st -> st.field(family.measure()))));
        }
        return s;
      }, Map.class);
      String format = options.getOrDefault("format", "table");
      if (statsBy != null) {
        printStats(response, statsBy, family.measure(), format, out);
      } else {
        printHits(response, family.show(), format, out);
      }
      return ExitCodes.OK;
    } catch (IOException e) {
      throw new UncheckedIOException("search failed: " + e.getMessage(), e);
    }
  }

  static Query query(IndexFamily family, String text, Map<String, String> options) {
    BoolQuery.Builder bool = new BoolQuery.Builder();
    if (text != null && !text.isBlank()) {
      // Phrases: the standard analyzer splits Chinese into characters, so 北京 must not find 南京.
      bool.must(m -> m.multiMatch(mm -> mm.query(text).type(TextQueryType.Phrase)
          .fields(family.search().isEmpty() ? List.of("*") : family.search())));
    }
    String product = options.get("product");
    if (product != null) {
      bool.filter(f -> f.bool(b -> b.minimumShouldMatch("1")
          .should(s -> s.term(t -> t.field("product_code").value(product)))
          .should(s -> s.term(t -> t.field("variety_code").value(product)))));
    }
    String region = options.get("region");
    if (region != null) {
      List<String> fields = family.regions().isEmpty() ? List.of("market_region_code") : family.regions();
      bool.filter(f -> f.bool(b -> {
        b.minimumShouldMatch("1");
        fields.forEach(field -> b.should(s -> s.prefix(p -> p.field(field).value(region))));
        return b;
      }));
    }
    term(bool, "market_code", options.get("market"));
    term(bool, "channel", options.get("channel"));
    if (options.containsKey("from") || options.containsKey("to")) {
      bool.filter(f -> f.range(r -> r.untyped(u -> {
        u.field(family.partition());
        if (options.containsKey("from")) {
          u.gte(JsonData.of(options.get("from")));
        }
        if (options.containsKey("to")) {
          u.lte(JsonData.of(options.get("to")));
        }
        return u;
      })));
    }
    if (options.containsKey("min-price") || options.containsKey("max-price")) {
      bool.filter(f -> f.range(r -> r.untyped(u -> {
        u.field(family.measure());
        if (options.containsKey("min-price")) {
          u.gte(JsonData.of(Double.parseDouble(options.get("min-price"))));
        }
        if (options.containsKey("max-price")) {
          u.lte(JsonData.of(Double.parseDouble(options.get("max-price"))));
        }
        return u;
      })));
    }
    return Query.of(q -> q.bool(bool.build()));
  }

  private static void term(BoolQuery.Builder bool, String field, String value) {
    if (value != null) {
      bool.filter(f -> f.term(t -> t.field(field).value(FieldValue.of(value))));
    }
  }

  private static void printHits(SearchResponse<Map> response, List<String> show, String format, PrintStream out) throws IOException {
    List<Map> docs = response.hits().hits().stream().map(Hit::source).toList();
    long total = response.hits().total() == null ? docs.size() : response.hits().total().value();
    switch (format) {
      case "json" -> out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(docs));
      case "csv" -> {
        out.println(String.join(",", show));
        for (Map doc : docs) {
          out.println(show.stream().map(c -> csv(doc.get(c))).reduce((a, b) -> a + "," + b).orElse(""));
        }
      }
      default -> {
        List<List<String>> rows = new ArrayList<>();
        for (Map doc : docs) {
          rows.add(show.stream().map(c -> doc.get(c) == null ? "" : String.valueOf(doc.get(c))).toList());
        }
        table(show, rows, out);
        out.printf("%d of %d matching documents%n", docs.size(), total);
      }
    }
  }

  private static void printStats(SearchResponse<Map> response, String by, String measure, String format, PrintStream out)
      throws IOException {
    List<String> header = List.of(by, "docs", measure + "_min", measure + "_avg", measure + "_max", measure + "_sum");
    List<List<String>> rows = new ArrayList<>();
    var agg = response.aggregations().get("by");
    List<StringTermsBucket> buckets = agg.isSterms() ? agg.sterms().buckets().array() : List.of();
    for (StringTermsBucket b : buckets) {
      StatsAggregate s = b.aggregations().get("stats").stats();
      rows.add(List.of(b.key().stringValue(), String.valueOf(b.docCount()), num(s.min()), num(s.avg()), num(s.max()), num(s.sum())));
    }
    switch (format) {
      case "json" -> out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
          rows.stream().map(r -> {
            Map<String, String> m = new java.util.LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
              m.put(header.get(i), r.get(i));
            }
            return m;
          }).toList()));
      case "csv" -> {
        out.println(String.join(",", header));
        rows.forEach(r -> out.println(String.join(",", r)));
      }
      default -> table(header, rows, out);
    }
  }

  private static String num(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "" : String.format("%.2f", v);
  }

  private static String csv(Object value) {
    String s = value == null ? "" : String.valueOf(value);
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  /** Columns padded by display width: a Chinese character takes two cells in a terminal. */
  private static void table(List<String> header, List<List<String>> rows, PrintStream out) {
    int[] widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = width(header.get(i));
      for (List<String> row : rows) {
        widths[i] = Math.min(40, Math.max(widths[i], width(row.get(i))));
      }
    }
    out.println(line(header, widths));
    for (List<String> row : rows) {
      out.println(line(row, widths));
    }
  }

  private static String line(List<String> cells, int[] widths) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      sb.append(cell).append(" ".repeat(Math.max(1, widths[i] - width(cell) + 2)));
    }
    return sb.toString().stripTrailing();
  }

  private static int width(String s) {
    return s.codePoints().map(c -> Character.isIdeographic(c) || (c >= 0xFF00 && c <= 0xFFEF) ? 2 : 1).sum();
  }
}
