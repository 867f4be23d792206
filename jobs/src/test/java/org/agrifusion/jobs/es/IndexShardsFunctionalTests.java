package org.agrifusion.jobs.es;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.indices.IndexSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.agrifusion.jobs.config.AgriProperties;
import org.agrifusion.jobs.support.TestLake;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * agri.elasticsearch.shards / replicas on the real node: they replace the definition's settings in
 * every new generation and after a bulk load, and a generation of several shards behaves like one
 * behind the alias (counts, partition counts, stale deletes). The node is single: replicas stay
 * unassigned (yellow), which is why nothing here waits for green.
 */
@SpringBootTest(properties = {"agri.elasticsearch.shards=3", "agri.elasticsearch.replicas=1"})
class IndexShardsFunctionalTests {

  static final TestLake LAKE = TestLake.create("index-shards-it");
  static final String FAMILY = "price-daily";

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    LAKE.register(registry, "index-shards-it");
  }

  @Autowired IndexManager indices;
  @Autowired ElasticsearchClient client;
  @Autowired AgriProperties properties;

  @AfterAll
  static void drop(@Autowired IndexManager indices) {
    LAKE.drop(indices, List.of(FAMILY));
  }

  IndexSettings settings(String index) throws IOException {
    return client.indices().getSettings(g -> g.index(index)).get(index).settings().index();
  }

  @Test
  void newGenerationsTakeTheConfiguredShardsAndReplicasAlsoAfterABulkLoad() throws IOException {
    String plain = indices.createGeneration(FAMILY, false);
    assertThat(settings(plain).numberOfShards()).isEqualTo("3");
    assertThat(settings(plain).numberOfReplicas()).isEqualTo("1");
    assertThat(settings(plain).refreshInterval().time()).isEqualTo("1s");

    String bulk = indices.createGeneration(FAMILY, true);
    assertThat(settings(bulk).numberOfShards()).isEqualTo("3");
    assertThat(settings(bulk).numberOfReplicas()).isEqualTo("0");
    assertThat(settings(bulk).refreshInterval().time()).isEqualTo("-1");

    indices.restoreSettings(FAMILY, bulk);
    assertThat(settings(bulk).numberOfReplicas()).isEqualTo("1");
    assertThat(settings(bulk).refreshInterval().time()).isEqualTo("1s");
  }

  @Test
  void aGenerationOfSeveralShardsCountsAndPrunesLikeOneBehindTheAlias() throws IOException {
    IndexFamily family = IndexFamily.load(properties.esDir()).get(FAMILY);
    String index = indices.createGeneration(FAMILY, true);
    // 300 documents over two dates; the second date's first 40 are from an older load
    List<BulkOperation> docs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String date = i < 120 ? "2026-03-01" : "2026-03-02";
      String load = i >= 120 && i < 160 ? "old" : "new";
      Map<String, Object> doc = Map.of("doc_id", "d" + i, "business_date", date, "load_id", load, "price_avg", i);
      String id = "d" + i;
      docs.add(BulkOperation.of(o -> o.index(x -> x.index(index).id(id).document(doc))));
    }
    assertThat(client.bulk(b -> b.operations(docs)).errors()).isFalse();
    indices.restoreSettings(FAMILY, index);
    indices.swapAlias(FAMILY, index);
    indices.refresh(indices.alias(FAMILY));

    assertThat(indices.behindAlias(FAMILY)).contains(index);
    assertThat(client.search(s -> s.index(index).size(0), Void.class).shards().successful().intValue()).isEqualTo(3);
    assertThat(indices.count(indices.alias(FAMILY))).isEqualTo(300);
    assertThat(indices.countsByPartition(indices.alias(FAMILY), "business_date"))
        .containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of("2026-03-01", 120L, "2026-03-02", 180L)));

    assertThat(indices.deleteStale(family, index, "2026-03-02", "new")).isEqualTo(40);
    indices.refresh(index);
    assertThat(indices.countForPartition(index, "business_date", "2026-03-02")).isEqualTo(140);
    assertThat(indices.count(indices.alias(FAMILY))).isEqualTo(260);
  }

  @Test
  void aShardThatDoesNotAnswerMakesCountsAndStaleDeletesFailInsteadOfComingOutSmall() throws IOException {
    IndexFamily family = IndexFamily.load(properties.esDir()).get("spread-daily");
    String index = indices.createGeneration("spread-daily", false);
    indices.swapAlias("spread-daily", index);
    client.index(i -> i.index(index).id("s1").document(Map.of("doc_id", "s1", "business_date", "2026-03-01", "load_id", "old")));
    indices.refresh(index);
    // (3 shards, agri.elasticsearch.shards) and a second index behind the alias whose only copy is on no node, as when the node that held it
    // is down: Elasticsearch answers 200 with the shards it reached
    String lost = indices.alias("spread-daily") + "-lost";
    client.indices().create(c -> c.index(lost).waitForActiveShards(w -> w.count(0)).settings(b -> b.numberOfReplicas("0")
        .otherSettings(Map.of("index.routing.allocation.require._name", co.elastic.clients.json.JsonData.of("no-such-node")))));
    try {
      client.indices().updateAliases(u -> u.actions(a -> a.add(x -> x.index(lost).alias(indices.alias("spread-daily")))));
      String alias = indices.alias("spread-daily");

      assertThatThrownBy(() -> indices.count(alias)).hasMessageStartingWith("1 of 4 shards of " + alias + " did not answer");
      assertThatThrownBy(() -> indices.countForPartition(alias, "business_date", "2026-03-01")).hasMessageContaining("did not answer");
      assertThatThrownBy(() -> indices.countsByPartition(alias, "business_date")).hasMessageContaining("did not answer");
      assertThatThrownBy(() -> indices.deleteStale(family, alias, "2026-03-01", "new")).hasMessageContaining("did not answer");
      assertThat(indices.count(index)).isEqualTo(1);
    } finally {
      client.indices().delete(d -> d.index(lost));
    }
  }
}
