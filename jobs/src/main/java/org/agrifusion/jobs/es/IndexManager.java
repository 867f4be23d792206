package org.agrifusion.jobs.es;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.transport.TransportException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.agrifusion.jobs.config.AgriProperties;
import org.agrifusion.pipelines.sink.elasticsearch.EsDocuments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * The structure of the index: one versioned physical index per family ({@code <alias>-<stamp>}),
 * created from conf/es/&lt;family&gt;.json, behind the family alias and the read alias across all
 * families; alias swaps in one atomic {@code _aliases} call; old generations pruned. Also keeps one
 * partition of an index in step with the lake. The one place index structure is managed; jobs and
 * tests both call it.
 */
@Service
public class IndexManager {

  private static final Logger log = LoggerFactory.getLogger(IndexManager.class);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS");
  private static final String LOAD_FIELD = EsDocuments.LOAD_ID;
  private static final int PAGE = 1000;

  private final ObjectProvider<ElasticsearchClient> client;
  private final AgriProperties properties;

  public IndexManager(ObjectProvider<ElasticsearchClient> client, AgriProperties properties) {
    this.client = client;
    this.properties = properties;
  }

  /** The stable alias of a family. */
  public String alias(String family) {
    return properties.elasticsearch().indexPrefix() + family;
  }

  /** The alias over every family. */
  public String readAlias() {
    return properties.elasticsearch().indexPrefix() + "all";
  }

  /**
   * The physical index behind the family's alias, created (with both aliases) when there is none.
   * An existing index gets the definition's mapping put on it first, so fields added to
   * conf/es/&lt;family&gt;.json since the index was created are there before documents carry them.
   *
   * @throws MappingConflictException when the definition changes a field the index already has
   */
  public String currentIndex(String family) {
    return behindAlias(family).map(index -> {
      putMapping(family, index);
      return index;
    }).orElseGet(() -> {
      // the alias does not exist yet: the family's first generation
      String index = createGeneration(family, false);
      swapAlias(family, index);
      return index;
    });
  }

  /** The physical index behind the family's alias, as it is; empty when the alias does not exist. */
  public Optional<String> behindAlias(String family) {
    String alias = alias(family);
    try {
      var aliases = client.getObject().indices().getAlias(a -> a.name(alias).allowNoIndices(true).ignoreUnavailable(true));
      return aliases.aliases().keySet().stream().findFirst();
    } catch (ElasticsearchException e) {
      if (e.status() != 404) {
        throw e; // refused, blocked, overloaded: not a reason to put an empty generation behind the alias
      }
    } catch (TransportException e) {
      if (e.statusCode() != 404) {
        throw new UncheckedIOException("cannot resolve alias " + alias + ": " + e.getMessage(), e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve alias " + alias, e);
    }
    return Optional.empty();
  }

  /**
   * Creates a new physical index of the family from its definition, with the configured shards and
   * replicas in place of the definition's. For a bulk rebuild, refresh is switched off and replicas
   * set to 0 until {@link #restoreSettings} puts the configured ones back.
   */
  public String createGeneration(String family, boolean forBulkLoad) {
    String index = alias(family) + "-" + LocalDateTime.now().format(STAMP);
    ObjectNode body = definition(family);
    if (forBulkLoad) {
      // set at creation, so no replica is allocated only to be dropped again
      ((ObjectNode) body.path("settings")).put("refresh_interval", "-1").put("number_of_replicas", 0);
    }
    try {
      client.getObject().indices().create(c -> c.index(index).withJson(new java.io.StringReader(body.toString())));
      log.info("created index {} from conf/es/{}.json with settings {}", index, family, body.path("settings"));
      return index;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create index " + index + " from conf/es/" + family + ".json", e);
    }
  }

  /** The family's definition, with agri.elasticsearch.shards / replicas, when set, in its settings. */
  private ObjectNode definition(String family) {
    Path file = properties.esDir().resolve(family + ".json");
    try {
      var body = (ObjectNode) new ObjectMapper().readTree(file.toFile());
      var settings = body.has("settings") ? (ObjectNode) body.get("settings") : body.putObject("settings");
      if (properties.elasticsearch().shards() != null) {
        settings.put("number_of_shards", properties.elasticsearch().shards());
      }
      if (properties.elasticsearch().replicas() != null) {
        settings.put("number_of_replicas", properties.elasticsearch().replicas());
      }
      return body;
    } catch (IOException | ClassCastException e) {
      throw new IllegalStateException("cannot read the index definition " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Adds the definition's new fields to the index. Elasticsearch refuses to change a field the index
   * already has (its type, or whether it is indexed): such an index needs a new generation.
   */
  private void putMapping(String family, String index) {
    Path definition = properties.esDir().resolve(family + ".json");
    try {
      String mappings = new ObjectMapper().readTree(definition.toFile()).path("mappings").toString();
      client.getObject().indices().putMapping(p -> p.index(index).withJson(new java.io.StringReader(mappings)));
    } catch (ElasticsearchException e) {
      if (e.status() != 400) {
        throw e;
      }
      throw new MappingConflictException("the mapping of " + family + " in conf/es/" + family + ".json does not fit " + index
          + " (" + e.error().reason() + "); rebuild it into a new generation: agri index --rebuild --family " + family, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot put the mapping of " + definition + " on " + index, e);
    }
  }

  /** The family's definition changes a field its current index already has. */
  public static final class MappingConflictException extends IllegalStateException {
    MappingConflictException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Puts back the refresh interval and replicas (configured, else the definition's) after a bulk load. */
  public void restoreSettings(String family, String index) {
    var settings = definition(family).path("settings");
    String refresh = settings.path("refresh_interval").asText("1s");
    String replicas = settings.path("number_of_replicas").asText("1");
    try {
      client.getObject().indices().putSettings(s -> s.index(index)
          .settings(b -> b.refreshInterval(t -> t.time(refresh)).numberOfReplicas(replicas)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restore settings of " + index, e);
    }
  }

  /**
   * Points the family alias and the read alias at {@code index} and away from the family's other
   * generations, in one {@code _aliases} call: readers never see the alias empty or doubled. Only
   * aliases a generation holds are removed, so every error is a real one and is thrown; the result
   * is checked, because Elasticsearch acknowledges a request some of whose actions failed.
   */
  public void swapAlias(String family, String index) {
    String alias = alias(family);
    Map<String, java.util.Set<String>> before = familyAliases(family);
    try {
      client.getObject().indices().updateAliases(u -> {
        before.forEach((generation, held) -> {
          if (!generation.equals(index)) {
            held.forEach(name -> u.actions(a -> a.remove(r -> r.index(generation).alias(name))));
          }
        });
        u.actions(a -> a.add(x -> x.index(index).alias(alias)));
        u.actions(a -> a.add(x -> x.index(index).alias(readAlias())));
        return u;
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot point " + alias + " at " + index, e);
    }
    Map<String, java.util.Set<String>> after = familyAliases(family);
    boolean swapped = after.getOrDefault(index, java.util.Set.of()).size() == 2
        && after.entrySet().stream().allMatch(e -> e.getKey().equals(index) || e.getValue().isEmpty());
    if (!swapped) {
      throw new IllegalStateException("aliases " + alias + " and " + readAlias() + " not moved to " + index + " alone: " + after);
    }
  }

  /** Each generation of the family with the family alias and read alias it holds. */
  private Map<String, java.util.Set<String>> familyAliases(String family) {
    java.util.Set<String> ours = java.util.Set.of(alias(family), readAlias());
    try {
      var response = client.getObject().indices().getAlias(g -> g.index(alias(family) + "-*").allowNoIndices(true));
      Map<String, java.util.Set<String>> held = new java.util.TreeMap<>();
      response.aliases().forEach((index, aliases) -> {
        if (isGeneration(family, index)) {
          held.put(index, aliases.aliases().keySet().stream().filter(ours::contains).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
        }
      });
      return held;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the aliases of " + family, e);
    }
  }

  /** Deletes the oldest generations of a family beyond {@code keep}, never the one behind the alias. */
  public List<String> prune(String family, int keep, String current) {
    List<String> old = generations(family).stream().filter(i -> !i.equals(current))
        .sorted(Comparator.reverseOrder()).skip(Math.max(0, keep - 1)).toList();
    for (String index : old) {
      try {
        client.getObject().indices().delete(d -> d.index(index));
        log.info("deleted old generation {}", index);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + index, e);
      }
    }
    return old;
  }

  /** The family's physical indices, oldest first (the stamp sorts by time). */
  public List<String> generations(String family) {
    try {
      var response = client.getObject().indices().get(g -> g.index(alias(family) + "-*").allowNoIndices(true));
      List<String> names = new ArrayList<>(response.indices().keySet().stream().filter(i -> isGeneration(family, i)).toList());
      names.sort(Comparator.naturalOrder());
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list indices of " + family, e);
    }
  }

  /** A generation of this family, not of a family whose name starts with this one's. */
  private boolean isGeneration(String family, String index) {
    return index.startsWith(alias(family) + "-") && index.substring(alias(family).length() + 1).matches("\\d{17}");
  }

  public void refresh(String index) {
    try {
      client.getObject().indices().refresh(r -> r.index(index));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot refresh " + index, e);
    }
  }

  public long count(String index) {
    try {
      var response = client.getObject().count(c -> c.index(index));
      allShards(response.shards(), index);
      return response.count();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot count " + index, e);
    }
  }

  public long countForPartition(String index, String field, String value) {
    try {
      var response = client.getObject().count(c -> c.index(index).query(byPartition(field, value)));
      allShards(response.shards(), index);
      return response.count();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot count " + index + " for " + value, e);
    }
  }

  /** Document counts per partition value, for reconciling a rebuilt index with the lake. */
  public Map<String, Long> countsByPartition(String index, String field) {
    try {
      var response = client.getObject().search(s -> s.index(index).size(0)
          .aggregations("p", a -> a.terms(t -> t.field(field).size(10_000))), Void.class);
      allShards(response.shards(), index);
      Map<String, Long> counts = new java.util.TreeMap<>();
      var terms = response.aggregations().get("p");
      // keyword partitions (business_month) come back as string terms, dates as long terms with the date text
      if (terms.isSterms()) {
        terms.sterms().buckets().array().forEach(b -> counts.put(b.key().stringValue(), b.docCount()));
      } else {
        terms.lterms().buckets().array().forEach(b -> counts.put(b.keyAsString(), b.docCount()));
      }
      return counts;
    } catch (IOException | IllegalStateException e) {
      throw new IllegalStateException("cannot count " + index + " by " + field + ": " + e.getMessage(), e);
    }
  }

  /**
   * Deletes the partition's documents that the current load did not write: a record that
   * disappeared from a re-delivered file must disappear from the index too. Deletes with bulk
   * requests, page by page, because the minimal node has no _delete_by_query.
   */
  public long deleteStale(IndexFamily family, String index, String value, String loadId) {
    Query stale = Query.of(q -> q.bool(b -> b.filter(byPartition(family.partition(), value))
        .mustNot(m -> m.term(t -> t.field(LOAD_FIELD).value(loadId)))));
    long[] deleted = {0};
    forEachPage(family, index, stale, PAGE, ids -> {
      List<BulkOperation> deletes = ids.stream().map(id -> BulkOperation.of(o -> o.delete(d -> d.index(index).id(id)))).toList();
      try {
        BulkResponse response = client.getObject().bulk(b -> b.operations(deletes));
        if (response.errors()) {
          throw new IllegalStateException("deleting stale documents of " + value + " from " + index + " failed: "
              + response.items().stream().filter(i -> i.error() != null).findFirst().map(i -> i.error().reason()).orElse("?"));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete stale documents of " + value + " from " + index, e);
      }
      deleted[0] += ids.size();
    });
    return deleted[0];
  }

  /**
   * Hands the ids of the documents matching {@code query} to {@code page}, {@code size} at a time,
   * each once: search_after on the family's id field ({@code _id} has no doc values to sort on).
   */
  public void forEachPage(IndexFamily family, String index, Query query, int size, Consumer<List<String>> page) {
    List<FieldValue> after = null;
    try {
      while (true) {
        List<FieldValue> searchAfter = after;
        SearchResponse<Void> response = client.getObject().search(s -> {
          s.index(index).size(size).query(query).source(src -> src.fetch(false))
              .sort(o -> o.field(f -> f.field(family.idField()).order(SortOrder.Asc)));
          if (searchAfter != null) {
            s.searchAfter(searchAfter);
          }
          return s;
        }, Void.class);
        allShards(response.shards(), index);
        List<Hit<Void>> hits = response.hits().hits();
        if (hits.isEmpty()) {
          return;
        }
        page.accept(hits.stream().map(Hit::id).toList());
        after = hits.get(hits.size() - 1).sort();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot page through " + index + ": " + e.getMessage(), e);
    }
  }

  /**
   * Elasticsearch answers a count or search with the shards it could reach (200, and the others in
   * _shards.failed), e.g. while a node holding the only copy of a shard is down: such a count or
   * page is not the index's, so it is an error, not a smaller number.
   */
  private static void allShards(co.elastic.clients.elasticsearch._types.ShardStatistics shards, String index) {
    if (shards.failed().intValue() > 0) {
      String reason = shards.failures().stream().findFirst().map(f -> f.index() + "[" + f.shard() + "]: " + f.reason().type())
          .orElse("?");
      throw new IllegalStateException(shards.failed() + " of " + shards.total() + " shards of " + index
          + " did not answer (" + reason + "); is a node down? Counts and stale deletes need every shard");
    }
  }

  private static Query byPartition(String field, String value) {
    return Query.of(q -> q.term(t -> t.field(field).value(value)));
  }
}
