package org.agrifusion.jobs.es;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.agrifusion.jobs.config.AgriProperties;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.Snapshots;
import org.agrifusion.pipelines.lake.Tables;
import org.agrifusion.jobs.lake.Publications;
import org.agrifusion.pipelines.sink.elasticsearch.EsBulkIndexer;
import org.agrifusion.pipelines.sink.elasticsearch.EsConnection;
import org.agrifusion.pipelines.sink.elasticsearch.EsDocuments;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Loads published tables into their index families, in two modes. Daily: one partition into the
 * family's current index, overwriting by document id, then deleting the partition's documents the
 * load did not write. Rebuild: the whole table into a new generation with refresh off, settings
 * restored, counts verified per partition against the lake, then the alias swapped atomically and
 * old generations pruned. Rejected documents go to {@code dead_letter/<family>/} with their error.
 */
@Service
public class FamilyLoader {

  private static final Logger log = LoggerFactory.getLogger(FamilyLoader.class);

  private final ObjectProvider<SparkSession> spark;
  private final Lake lake;
  private final IndexManager indices;
  private final EsConnection connection;
  private final AgriProperties properties;
  private final Map<String, IndexFamily> families;
  private final Publications publications;

  public FamilyLoader(ObjectProvider<SparkSession> spark, Lake lake, IndexManager indices, EsConnection connection,
      AgriProperties properties, Publications publications) {
    this.spark = spark;
    this.publications = publications;
    this.lake = lake;
    this.indices = indices;
    this.connection = connection;
    this.properties = properties;
    this.families = IndexFamily.load(properties.esDir());
  }

  public Map<String, IndexFamily> families() {
    return families;
  }

  /** What a load did; {@code reconciled} when the index holds exactly the lake's rows. */
  public record Outcome(String family, String index, long expected, long indexed, long failed, long staleDeleted,
      long inIndex, List<String> sampleFailures) {
    public boolean reconciled() {
      return failed == 0 && inIndex == expected;
    }
  }

  /**
   * Daily mode: the family's partition {@code value}, as of the published snapshots {@code pins}, into its current index.
   * A current index whose mapping the family's definition no longer fits (one an earlier version created) is first
   * replaced by a rebuild from the lake, because Elasticsearch cannot change the fields of an index in place.
   */
  public Outcome loadPartition(String familyName, String value, Snapshots pins, String loadId) {
    IndexFamily family = family(familyName);
    String index = currentOrRebuilt(family, loadId);
    SparkSession session = spark.getObject();
    session.sparkContext().setJobDescription("index " + family.name() + " " + value);
    Optional<Dataset<Row>> rows = Tables.read(session, lake.table(family.lakeTable()), value, pins);
    long expected = rows.map(Dataset::count).orElse(0L);
    EsBulkIndexer.Result result = rows
        .map(r -> load(r, family, index, loadId, deadLetter(family, family.partition() + "=" + value)))
        .orElse(new EsBulkIndexer.Result(0, 0, List.of()));
    indices.refresh(index);
    long stale = indices.deleteStale(family, index, value, loadId);
    indices.refresh(index);
    long inIndex = indices.countForPartition(index, family.partition(), value);
    return new Outcome(family.name(), index, expected, result.indexed(), result.failed(), stale, inIndex, result.sampleFailures());
  }

  /**
   * Rebuild mode: the whole table, as of the latest publication, into a new generation. The alias only moves when every
   * partition's count matches the lake; otherwise the new generation is deleted and the error
   * says which partitions differ.
   */
  public Outcome rebuild(String familyName, String loadId) {
    IndexFamily family = family(familyName);
    SparkSession session = spark.getObject();
    session.sparkContext().setJobDescription("index rebuild " + family.name());
    String index = indices.createGeneration(family.name(), true);
    Dataset<Row> rows = publications.latest()
        .flatMap(p -> Tables.readAll(session, lake.table(family.lakeTable()), p.snapshots())).orElse(null);
    long expected = rows == null ? 0 : rows.count();
    EsBulkIndexer.Result result = rows == null ? new EsBulkIndexer.Result(0, 0, List.of())
        : load(rows, family, index, loadId, deadLetter(family, "rebuild-" + loadId));
    indices.restoreSettings(family.name(), index);
    indices.refresh(index);
    Map<String, Long> lakeCounts = new TreeMap<>();
    if (rows != null) {
      rows.groupBy(col(family.partition()).cast("string")).count().collectAsList()
          .forEach(r -> lakeCounts.put(r.getString(0), r.getLong(1)));
    }
    Map<String, Long> indexCounts = expected == 0 ? Map.of() : indices.countsByPartition(index, family.partition());
    if (result.failed() > 0 || !lakeCounts.equals(indexCounts)) {
      indices.prune(family.name(), 0, indices.behindAlias(family.name()).orElse(null));
      throw new IllegalStateException("rebuild of " + family.name() + " into " + index + " does not reconcile: lake "
          + lakeCounts + ", index " + indexCounts + ", " + result.failed() + " rejected " + result.sampleFailures()
          + "; the alias still points at the previous generation");
    }
    indices.swapAlias(family.name(), index);
    List<String> pruned = indices.prune(family.name(), properties.elasticsearch().keepGenerations(), index);
    log.info("rebuilt {} into {} ({} documents); alias swapped, pruned {}", family.name(), index, expected, pruned);
    return new Outcome(family.name(), index, expected, result.indexed(), result.failed(), 0, indices.count(index), List.of());
  }

  private String currentOrRebuilt(IndexFamily family, String loadId) {
    try {
      return indices.currentIndex(family.name());
    } catch (IndexManager.MappingConflictException e) {
      log.warn("{}; rebuilding {} from the lake into a new generation first", e.getMessage(), family.name());
      return rebuild(family.name(), loadId).index();
    }
  }

  private EsBulkIndexer.Result load(Dataset<Row> rows, IndexFamily family, String index, String loadId, String deadLetter) {
    AgriProperties.Elasticsearch es = properties.elasticsearch();
    Dataset<Row> docs = EsDocuments.of(rows, family.id(), family.regions(), loadId);
    return EsBulkIndexer.index(docs, family.idField(), index, connection,
        new EsBulkIndexer.BulkSettings(es.bulkMaxOperations(), es.bulkMaxBytes(), es.bulkMaxConcurrentRequests(), es.bulkMaxRetries()),
        deadLetter);
  }

  private String deadLetter(IndexFamily family, String part) {
    return lake.deadLetter(family.name(), part);
  }

  private IndexFamily family(String name) {
    IndexFamily family = families.get(name);
    if (family == null) {
      throw new IllegalArgumentException("no index family '" + name + "'; known: " + families.keySet());
    }
    return family;
  }
}
