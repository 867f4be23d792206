package org.agrifusion.jobs.es;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.search.Hit;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import org.agrifusion.jobs.config.AgriProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Creates indices from the JSON definitions in conf/es/ and keeps one business date of an index in
 * step with the lake. The one place index structure is managed; jobs and tests both call it.
 */
@Service
public class IndexManager {

  private static final Logger log = LoggerFactory.getLogger(IndexManager.class);
  private static final String DATE_FIELD = "business_date";
  private static final String RUN_FIELD = "run_id";
  private static final String ID_FIELD = "record_id";
  private static final int PAGE = 1000;

  private final ObjectProvider<ElasticsearchClient> client;
  private final AgriProperties properties;

  public IndexManager(ObjectProvider<ElasticsearchClient> client, AgriProperties properties) {
    this.client = client;
    this.properties = properties;
  }

  /** The index name of a family (file name in conf/es/ without .json). */
  public String indexName(String family) {
    return properties.elasticsearch().indexPrefix() + family;
  }

  /** Creates the family's index from its definition if it does not exist; returns its name. */
  public String ensureIndex(String family) {
    String index = indexName(family);
    Path definition = properties.esDir().resolve(family + ".json");
    try {
      if (client.getObject().indices().exists(e -> e.index(index)).value()) {
        return index;
      }
      try (InputStream json = Files.newInputStream(definition)) {
        client.getObject().indices().create(c -> c.index(index).withJson(json));
      }
      log.info("created index {} from {}", index, definition);
      return index;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create index " + index + " from " + definition, e);
    }
  }

  public void refresh(String index) {
    try {
      client.getObject().indices().refresh(r -> r.index(index));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot refresh " + index, e);
    }
  }

  public long countForDate(String index, LocalDate date) {
    try {
      return client.getObject().count(c -> c.index(index).query(byDate(date))).count();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot count " + index + " for " + date, e);
    }
  }

  /**
   * Deletes the date's documents that the current load did not write (their run id is not one of
   * {@code currentRunIds}): a record that disappeared from a re-delivered file must disappear
   * from the index too. Pages with search_after and deletes with bulk requests, because the
   * minimal node has no _delete_by_query.
   */
  public long deleteStale(String index, LocalDate date, Collection<String> currentRunIds) {
    Query stale = Query.of(q -> q.bool(b -> b
        .filter(byDate(date))
        .mustNot(m -> m.terms(t -> t.field(RUN_FIELD)
            .terms(v -> v.value(currentRunIds.stream().map(FieldValue::of).toList()))))));
    long deleted = 0;
    List<FieldValue> after = null;
    try {
      while (true) {
        List<FieldValue> searchAfter = after;
        SearchResponse<Void> page = client.getObject().search(s -> {
          s.index(index).size(PAGE).query(stale).source(src -> src.fetch(false))
              .sort(o -> o.field(f -> f.field(ID_FIELD).order(SortOrder.Asc)));
          if (searchAfter != null) {
            s.searchAfter(searchAfter);
          }
          return s;
        }, Void.class);
        List<Hit<Void>> hits = page.hits().hits();
        if (hits.isEmpty()) {
          return deleted;
        }
        List<BulkOperation> deletes = hits.stream()
            .map(h -> BulkOperation.of(o -> o.delete(d -> d.index(index).id(h.id()))))
            .toList();
        BulkResponse response = client.getObject().bulk(b -> b.operations(deletes));
        if (response.errors()) {
          throw new IllegalStateException("deleting stale documents of " + date + " from " + index + " failed: "
              + response.items().stream().filter(i -> i.error() != null).findFirst().map(i -> i.error().reason()).orElse("?"));
        }
        deleted += hits.size();
        after = hits.get(hits.size() - 1).sort();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete stale documents of " + date + " from " + index, e);
    }
  }

  private static Query byDate(LocalDate date) {
    return Query.of(q -> q.term(t -> t.field(DATE_FIELD).value(date.toString())));
  }
}
