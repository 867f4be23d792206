package org.agrifusion.pipelines.sink.elasticsearch;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkIngester;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkListener;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.util.BinaryData;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Index sink: bulk-loads rows into Elasticsearch from the executors, each partition through its own
 * {@link BulkIngester}, with the record id as document id so a re-load overwrites instead of
 * duplicating. Every item of every bulk response is checked; each failure is written to a dead-letter
 * set with the error and the document, never ignored. Requests rejected with 429 (queue full) or
 * failing in transport are retried with exponential backoff before they count as failed.
 */
public final class EsBulkIndexer {

  private static final StructType OUTCOME = DataTypes.createStructType(List.of(
      DataTypes.createStructField("id", DataTypes.StringType, true),
      DataTypes.createStructField("error", DataTypes.StringType, true),
      DataTypes.createStructField("doc", DataTypes.StringType, true),
      DataTypes.createStructField("indexed", DataTypes.LongType, false)));

  private EsBulkIndexer() {}

  /** Limits of one bulk request and of retries on 429 / transport errors. */
  public record BulkSettings(int maxOperations, long maxBytes, int maxConcurrentRequests, int maxRetries)
      implements Serializable {
    public static BulkSettings defaults() {
      return new BulkSettings(1000, 5L << 20, 1, 6);
    }
  }

  /** Outcome of a load: documents acknowledged, documents failed and a few failures to report. */
  public record Result(long indexed, long failed, List<String> sampleFailures) {}

  /**
   * Indexes the rows (every column becomes a field of the document) and writes each rejected
   * document, with Elasticsearch's error and its source, to {@code deadLetter} (Parquet, replaced).
   */
  public static Result index(Dataset<Row> rows, String idColumn, String index, EsConnection connection, BulkSettings settings,
      String deadLetter) {
    Column[] source = java.util.Arrays.stream(rows.columns()).map(c -> col(c)).toArray(Column[]::new);
    Dataset<Row> outcomes = rows
        .select(col(idColumn).cast("string").as("id"), to_json(struct(source)).as("doc"))
        .mapPartitions(new IndexPartition(index, connection, settings), Encoders.row(OUTCOME))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Row totals = outcomes.agg(sum(col("indexed")), sum(col("error").isNotNull().cast("long"))).first();
      long indexed = totals.isNullAt(0) ? 0 : totals.getLong(0);
      long failed = totals.isNullAt(1) ? 0 : totals.getLong(1);
      outcomes.where(col("error").isNotNull()).select("id", "error", "doc")
          .coalesce(1).write().mode(org.apache.spark.sql.SaveMode.Overwrite).parquet(deadLetter);
      List<String> sample = failed == 0 ? List.of() : outcomes.where(col("error").isNotNull()).limit(3).collectAsList().stream()
          .map(r -> r.getString(0) + ": " + r.getString(1)).toList();
      return new Result(indexed, failed, sample);
    } finally {
      outcomes.unpersist();
    }
  }

  /** Indexes one partition; emits one row per failed document and a final row with the count indexed. */
  static final class IndexPartition implements MapPartitionsFunction<Row, Row> {
    private final String index;
    private final EsConnection connection;
    private final BulkSettings settings;

    IndexPartition(String index, EsConnection connection, BulkSettings settings) {
      this.index = index;
      this.connection = connection;
      this.settings = settings;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> docs) throws Exception {
      Outcomes outcomes = new Outcomes();
      try (ElasticsearchClient client = EsClients.create(connection)) {
        send(client, docs, outcomes);
        // Requests that failed in transport (node restarting, connection reset) and items the node
        // rejected with 429 (write queue full) are sent again here, with exponential backoff. Not
        // with the ingester's own backoff policy: its retries could leave close() waiting forever.
        for (int attempt = 1; attempt <= settings.maxRetries() && !outcomes.toRetry.isEmpty(); attempt++) {
          Thread.sleep(Math.min(10_000L, 100L << attempt));
          List<String> again = new ArrayList<>(outcomes.toRetry);
          outcomes.toRetry.clear();
          send(client, again.stream().map(c -> c.split("\u0000", 2))
              .map(p -> RowFactory.create(p[0], p[1])).iterator(), outcomes);
        }
      }
      List<Row> out = new ArrayList<>(outcomes.failures);
      for (String context : outcomes.toRetry) {
        String[] parts = context.split("\u0000", 2);
        out.add(RowFactory.create(parts[0], "request failed after " + settings.maxRetries() + " retries: "
            + outcomes.lastRetryReason, parts[1], 0L));
      }
      out.add(RowFactory.create(null, null, null, outcomes.indexed.get()));
      return out.iterator();
    }

    private void send(ElasticsearchClient client, Iterator<Row> docs, Outcomes outcomes) {
      BulkIngester<String> ingester = BulkIngester.of(b -> b
          .client(client)
          .maxOperations(settings.maxOperations())
          .maxSize(settings.maxBytes())
          .maxConcurrentRequests(settings.maxConcurrentRequests())
          .flushInterval(5, TimeUnit.SECONDS)
          .listener(outcomes));
      try {
        while (docs.hasNext()) {
          Row doc = docs.next();
          String id = doc.getString(0);
          BinaryData json = BinaryData.of(doc.getString(1).getBytes(StandardCharsets.UTF_8), "application/json");
          ingester.add(op -> op.index(i -> i.index(index).id(id).document(json)), id + "\u0000" + doc.getString(1));
        }
      } finally {
        ingester.close();
      }
    }
  }

  /** Collects per-item results; called from the ingester's threads. */
  static final class Outcomes implements BulkListener<String> {
    final AtomicLong indexed = new AtomicLong();
    final ConcurrentLinkedQueue<Row> failures = new ConcurrentLinkedQueue<>();
    /** Contexts of documents to send again: their request failed, or the node was too busy (429). */
    final ConcurrentLinkedQueue<String> toRetry = new ConcurrentLinkedQueue<>();
    volatile String lastRetryReason;

    @Override
    public void beforeBulk(long executionId, BulkRequest request, List<String> ids) {}

    @Override
    public void afterBulk(long executionId, BulkRequest request, List<String> contexts, BulkResponse response) {
      List<BulkResponseItem> items = response.items();
      for (int i = 0; i < items.size(); i++) {
        BulkResponseItem item = items.get(i);
        if (item.error() == null) {
          indexed.incrementAndGet();
        } else if (item.status() == 429) {
          lastRetryReason = item.error().type() + ": " + item.error().reason();
          toRetry.add(contexts.get(i));
        } else {
          String[] context = contexts.get(i).split("\u0000", 2);
          failures.add(RowFactory.create(context[0], item.error().type() + ": " + item.error().reason(), context[1], 0L));
        }
      }
    }

    @Override
    public void afterBulk(long executionId, BulkRequest request, List<String> contexts, Throwable failure) {
      lastRetryReason = String.valueOf(failure);
      toRetry.addAll(contexts);
    }
  }
}
