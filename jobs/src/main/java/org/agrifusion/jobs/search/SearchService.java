package org.agrifusion.jobs.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.StatsAggregate;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchRequest.Builder;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.agrifusion.jobs.config.AgriProperties;
import org.agrifusion.jobs.es.FamilyLoader;
import org.agrifusion.jobs.es.IndexManager;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.sink.elasticsearch.EsDocuments;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Search over one index family, for {@code agri search} and the portal: a {@link SearchRequest}
 * becomes a query built only from the client's typed builders, the free text is understood
 * through the catalogues ({@link TextQuery}), and pages follow each other with {@code search_after}.
 */
@Service
public class SearchService {

  private static final int FACET_SIZE = 10;

  private final ObjectProvider<ElasticsearchClient> client;
  private final IndexManager indices;
  private final Map<String, FamilyFields> families = new LinkedHashMap<>();
  private final ReferenceData reference;
  private final TextQuery text;

  public SearchService(ObjectProvider<ElasticsearchClient> client, IndexManager indices, FamilyLoader loader,
      AgriProperties properties, ReferenceData reference) {
    this.client = client;
    this.indices = indices;
    this.reference = reference;
    this.text = new TextQuery(reference.products(), reference.regions());
    loader.families().forEach((name, family) -> families.put(name, FamilyFields.load(family, properties.esDir())));
  }

  /** The request the parameters describe; an {@link IllegalArgumentException} for any bad value. */
  public SearchRequest parse(Map<String, String> parameters) {
    return SearchRequest.parse(parameters, families);
  }

  public Map<String, FamilyFields> families() {
    return families;
  }

  /**
   * One page: hits, total, facets (or the stats of {@code stats-by}), the cursors of the next and
   * previous pages and how the text was understood. A page before a cursor is read in the reversed
   * order and turned round; when fewer hits than a page lie before it, it is the first page.
   */
  public SearchResult search(SearchRequest request) {
    TextQuery.Understood understood = understand(request);
    List<SearchRequest.SortKey> spec = request.sortSpec();
    boolean before = request.after() != null && request.after().before();
    SearchResponse<Map> response = execute(s -> {
      page(s, request, understood.query(), spec);
      s.trackTotalHits(t -> t.enabled(true));
      if (request.statsBy() != null) {
        s.size(0).aggregations("stats", a -> a.terms(t -> t.field(request.statsBy()).size(request.size()))
            .aggregations("measure", sub -> sub.stats(st -> st.field(request.fields().family().measure()))));
      } else {
        request.fields().family().facets().forEach(f -> s.aggregations(f, a -> a.terms(t -> t.field(f).size(FACET_SIZE))));
      }
    });
    List<Hit<Map>> hits = new ArrayList<>(response.hits().hits());
    if (before && hits.size() < request.size()) {
      return search(request.withAfter(null));
    }
    // read backwards, one hit more than a page tells whether pages lie before this one
    boolean first = before && hits.size() == request.size();
    if (before) {
      hits = new ArrayList<>(hits.subList(0, Math.min(hits.size(), request.size())));
      java.util.Collections.reverse(hits);
    }
    List<Map<String, Object>> docs = new ArrayList<>();
    hits.forEach(h -> docs.add(source(h)));
    long total = response.hits().total() == null ? docs.size() : response.hits().total().value();
    boolean paged = request.statsBy() == null && !hits.isEmpty();
    // a page read forwards that is not full is the last; one read backwards always has pages after it
    String next = paged && (before || hits.size() == request.size()) ? Cursor.encode(hits.get(hits.size() - 1).sort(), spec, false) : null;
    String previous = paged && request.after() != null && !first ? Cursor.encode(hits.get(0).sort(), spec, true) : null;
    return new SearchResult(docs, total, next, previous, understood.explanation(), facets(request, response), stats(response));
  }

  /**
   * Every hit of the request in order, page by page with {@code search_after}, up to {@code limit}
   * hits or until the consumer returns false (its reader went away: no further page is read); returns
   * how many were handed out. Memory stays at one page, whatever the limit.
   */
  public long forEachHit(SearchRequest request, long limit, Predicate<Map<String, Object>> consumer) {
    TextQuery.Understood understood = understand(request);
    List<SearchRequest.SortKey> spec = request.sortSpec();
    SearchRequest page = request.withSize(SearchRequest.MAX_SIZE);
    long handed = 0;
    while (handed < limit) {
      SearchRequest current = page;
      SearchResponse<Map> response = execute(s -> page(s, current, understood.query(), spec));
      List<Hit<Map>> hits = response.hits().hits();
      for (Hit<Map> hit : hits) {
        if (handed++ >= limit) {
          return limit;
        }
        if (!consumer.test(source(hit))) {
          return handed;
        }
      }
      if (hits.size() < SearchRequest.MAX_SIZE) {
        break;
      }
      List<Object> last = new ArrayList<>();
      hits.get(hits.size() - 1).sort().forEach(v -> last.add(v.isNull() ? null : v._get()));
      page = page.withAfter(new Cursor.Position(last, false));
    }
    return handed;
  }

  private TextQuery.Understood understand(SearchRequest request) {
    return request.q() == null ? new TextQuery.Understood(null, "") : text.understand(request.q(), request.mode(), request.fields());
  }

  private void page(Builder s, SearchRequest request, Query textQuery, List<SearchRequest.SortKey> spec) {
    boolean reversed = request.after() != null && request.after().before();
    s.index(indices.alias(request.fields().family().name())).query(query(request, textQuery))
        .size(request.size() + (reversed ? 1 : 0));
    for (SearchRequest.SortKey key : spec) {
      SortOrder order = key.descending() != reversed ? SortOrder.Desc : SortOrder.Asc;
      s.sort(o -> key.field().equals("_score") ? o.score(sc -> sc.order(order)) : o.field(f -> f.field(key.field()).order(order)));
    }
    if (request.after() != null) {
      s.searchAfter(request.after().values().stream().map(Cursor::fieldValue).toList());
    }
  }

  static Query query(SearchRequest r, Query textQuery) {
    FamilyFields fields = r.fields();
    BoolQuery.Builder bool = new BoolQuery.Builder();
    if (textQuery != null) {
      bool.must(textQuery);
    }
    if (r.product() != null) {
      bool.filter(f -> f.bool(b -> {
        fields.productFields().forEach(field -> b.should(s -> s.prefix(p -> p.field(field).value(r.product()))));
        return b.minimumShouldMatch("1");
      }));
    }
    if (r.region() != null) {
      bool.filter(f -> f.bool(b -> {
        fields.regionFields().forEach(field -> b.should(s -> s.prefix(p -> p.field(field).value(r.region()))));
        return b.minimumShouldMatch("1");
      }));
    }
    if (r.market() != null) {
      // a market code, or the market_key of a market without one (an Indian mandi)
      bool.filter(f -> f.bool(b -> {
        fields.marketFields().forEach(field -> b.should(s -> s.term(t -> t.field(field).value(FieldValue.of(r.market())))));
        return b.minimumShouldMatch("1");
      }));
    }
    term(bool, "channel", r.channel());
    term(bool, "courier_code", r.courier());
    if (r.from() != null || r.to() != null) {
      String field = fields.dateField();
      // a monthly mart's partition is a yyyy-MM keyword: the months the dates fall in
      boolean month = !"date".equals(fields.types().get(field));
      bool.filter(f -> f.range(x -> x.untyped(u -> {
        u.field(field);
        if (r.from() != null) {
          u.gte(JsonData.of(month ? r.from().toString().substring(0, 7) : r.from().toString()));
        }
        if (r.to() != null) {
          u.lte(JsonData.of(month ? r.to().toString().substring(0, 7) : r.to().toString()));
        }
        return u;
      })));
    }
    if (r.minPrice() != null || r.maxPrice() != null) {
      bool.filter(f -> f.range(x -> x.untyped(u -> {
        u.field(fields.family().measure());
        if (r.minPrice() != null) {
          u.gte(JsonData.of(r.minPrice().doubleValue()));
        }
        if (r.maxPrice() != null) {
          u.lte(JsonData.of(r.maxPrice().doubleValue()));
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

  private SearchResponse<Map> execute(Consumer<Builder> request) {
    try {
      return client.getObject().search(s -> {
        request.accept(s);
        return s;
      }, Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException("search failed: " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> source(Hit<Map> hit) {
    return hit.source();
  }

  private Map<String, List<SearchResult.Facet>> facets(SearchRequest request, SearchResponse<Map> response) {
    Map<String, List<SearchResult.Facet>> out = new LinkedHashMap<>();
    for (String field : request.fields().family().facets()) {
      Aggregate agg = response.aggregations().get(field);
      if (agg != null && agg.isSterms()) {
        out.put(field, agg.sterms().buckets().array().stream()
            .map(b -> new SearchResult.Facet(b.key().stringValue(), label(request.fields(), field, b.key().stringValue()), b.docCount()))
            .toList());
      }
    }
    return out;
  }

  /** The catalogue name of a product, region or courier code, else empty. */
  private String label(FamilyFields fields, String field, String value) {
    if (FamilyFields.PRODUCT_FIELDS.contains(field)) {
      return reference.products().name(value).orElse("");
    }
    if (field.equals("courier_code")) {
      return reference.couriers().name(value).orElse("");
    }
    boolean region = fields.regionFields().stream().anyMatch(base -> field.equals(base)
        || field.equals(EsDocuments.levelField(base, "province")) || field.equals(EsDocuments.levelField(base, "city")));
    return region || field.equals("destination_province_code")
        ? reference.regions().byCode(value).map(r -> r.name()).orElse("") : "";
  }

  private static List<SearchResult.Stats> stats(SearchResponse<Map> response) {
    Aggregate agg = response.aggregations().get("stats");
    if (agg == null || !agg.isSterms()) {
      return List.of();
    }
    List<SearchResult.Stats> out = new ArrayList<>();
    for (StringTermsBucket b : agg.sterms().buckets().array()) {
      StatsAggregate s = b.aggregations().get("measure").stats();
      out.add(new SearchResult.Stats(b.key().stringValue(), b.docCount(), s.min(), s.avg(), s.max(), s.sum()));
    }
    return out;
  }
}
