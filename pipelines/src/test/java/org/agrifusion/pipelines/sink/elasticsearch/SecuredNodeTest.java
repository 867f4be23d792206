package org.agrifusion.pipelines.sink.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.TransportException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.agrifusion.pipelines.support.SparkExtension;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the second local node scripts/test.sh starts: security on (basic auth) and a write
 * thread pool of one thread with a queue of two, so concurrent bulk requests are rejected with 429.
 */
@ExtendWith(SparkExtension.class)
class SecuredNodeTest {

  static final String URL = env("AGRI_ES_SECURE_URL");
  static final String USER = env("AGRI_ES_SECURE_USERNAME");
  static final String PASSWORD = env("AGRI_ES_SECURE_PASSWORD");

  final SparkSession spark;
  @TempDir Path deadLetter;

  SecuredNodeTest(SparkSession spark) {
    this.spark = spark;
  }

  static String env(String name) {
    String value = System.getenv(name);
    if (value == null) {
      throw new IllegalStateException(name + " is not set: run the suite with ./scripts/test.sh, which starts the secured node");
    }
    return value;
  }

  @Test
  void basicAuthIsSentAndRequiredByTheSecuredNode() throws Exception {
    try (ElasticsearchClient client = EsClients.create(new EsConnection(List.of(URL), USER, PASSWORD, null))) {
      assertThat(client.cluster().health().status().jsonValue()).isIn("green", "yellow");
    }
    try (ElasticsearchClient anonymous = EsClients.create(new EsConnection(List.of(URL), null, null, null))) {
      assertThatThrownBy(() -> anonymous.cluster().health())
          .satisfies(e -> assertThat(e.toString()).containsAnyOf("401", "security_exception"));
    }
    assertThat(new EsConnection(List.of(URL), USER, PASSWORD, null).toString()).doesNotContain(PASSWORD);
  }

  @Test
  void bulkRequestsRejectedWith429AreRetriedUntilEveryDocumentIsIn() throws Exception {
    String index = "retry-" + System.nanoTime();
    EsConnection connection = new EsConnection(List.of(URL), USER, PASSWORD, null);
    try (ElasticsearchClient client = EsClients.create(connection)) {
      client.indices().create(c -> c.index(index));
      long rejectedBefore = rejected(client);
      List<String> json = IntStream.range(0, 400)
          .mapToObj(i -> "{\"id\":\"doc-" + i + "\",\"price\":" + i + ",\"name\":\"富士 " + i + "\"}").toList();
      Dataset<Row> docs = spark.read().schema("id STRING, price INT, name STRING")
          .json(spark.createDataset(json, Encoders.STRING())).repartition(2);

      // many small requests in flight at once against a queue of two
      EsBulkIndexer.Result result = EsBulkIndexer.index(docs, "id", index, connection,
          new EsBulkIndexer.BulkSettings(20, 1 << 20, 3, 10), deadLetter.toString());

      client.indices().refresh(r -> r.index(index));
      assertThat(rejected(client)).as("the node rejected requests, so the retries were exercised").isGreaterThan(rejectedBefore);
      assertThat(result.failed()).isZero();
      assertThat(result.indexed()).isEqualTo(400);
      assertThat(client.count(c -> c.index(index)).count()).isEqualTo(400);
      client.indices().delete(d -> d.index(index));
    }
  }

  private static long rejected(ElasticsearchClient client) throws Exception {
    return client.nodes().stats(s -> s.metric("thread_pool")).nodes().values().stream()
        .mapToLong(n -> n.threadPool().get("write").rejected()).sum();
  }
}
