package org.agrifusion.jobs.es;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.agrifusion.jobs.support.TestLake;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Alias resolution and swaps on the real local Elasticsearch node when Elasticsearch says no. */
@SpringBootTest
class IndexManagerFunctionalTests {

  static final TestLake LAKE = TestLake.create("index-manager-it");
  static final List<String> FAMILIES = List.of("price-daily", "flow-daily", "spread-daily", "delivery-daily");

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    LAKE.register(registry, "index-manager-it");
  }

  @Autowired IndexManager indices;
  @Autowired ElasticsearchClient client;

  @AfterAll
  static void drop(@Autowired IndexManager indices, @Autowired ElasticsearchClient client) throws IOException {
    for (String family : FAMILIES) {
      for (String index : indices.generations(family)) {
        block(client, index, "metadata", false);
      }
    }
    LAKE.drop(indices, FAMILIES);
  }

  static void block(ElasticsearchClient client, String index, String block, boolean on) throws IOException {
    client.indices().putSettings(s -> s.index(index).settings(b -> b.otherSettings(Map.of("index.blocks." + block,
        co.elastic.clients.json.JsonData.of(on)))));
  }

  @Test
  void aMissingAliasGetsTheFirstGenerationAndAnyOtherErrorIsThrownWithoutCreatingOne() throws IOException {
    // a family with no alias yet: its first generation is created behind the alias
    String first = indices.currentIndex("price-daily");
    assertThat(indices.generations("price-daily")).containsExactly(first);
    assertThat(indices.currentIndex("price-daily")).isEqualTo(first);

    // when Elasticsearch refuses to show the alias (here a metadata block, 403), the error is the
    // caller's, and no empty generation replaces the one readers see
    block(client, first, "metadata", true);
    try {
      assertThatThrownBy(() -> indices.currentIndex("price-daily"))
          .isInstanceOf(ElasticsearchException.class)
          .hasMessageContaining("cluster_block_exception");
    } finally {
      block(client, first, "metadata", false);
    }
    assertThat(indices.generations("price-daily")).containsExactly(first);
    assertThat(indices.currentIndex("price-daily")).isEqualTo(first);
  }

  @Test
  void anIndexAnEarlierVersionCreatedGetsTheFieldsAddedSinceOrAOneLineReasonToRebuild() throws IOException {
    // the current generation of delivery-daily was created by an earlier version, without most of today's fields
    String older = indices.alias("delivery-daily") + "-20200101000000000";
    client.indices().create(c -> c.index(older).mappings(m -> m.dynamic(co.elastic.clients.elasticsearch._types.mapping.DynamicMapping.Strict)
        .properties("county_code", p -> p.keyword(k -> k))));
    indices.swapAlias("delivery-daily", older);

    assertThat(indices.currentIndex("delivery-daily")).isEqualTo(older);
    assertThat(client.indices().getMapping(g -> g.index(older)).get(older).mappings().properties())
        .containsKeys("county_code", "business_date", "half_day_rate");

    // a field whose type changed cannot be added: the load stops before writing, saying how to go on
    String conflicting = indices.alias("delivery-daily") + "-20200102000000000";
    client.indices().create(c -> c.index(conflicting).mappings(m -> m.properties("half_day_rate", p -> p.keyword(k -> k))));
    indices.swapAlias("delivery-daily", conflicting);
    assertThatThrownBy(() -> indices.currentIndex("delivery-daily"))
        .hasMessageStartingWith("the mapping of delivery-daily in conf/es/delivery-daily.json does not fit " + conflicting)
        .hasMessageContaining("agri index --rebuild --family delivery-daily");
  }

  @Test
  void aSwapMovesBothAliasesEvenWhenAnOldGenerationHadLostOne() throws IOException {
    String first = indices.currentIndex("flow-daily");
    // someone took the read alias off the old generation by hand
    client.indices().updateAliases(u -> u.actions(a -> a.remove(r -> r.index(first).alias(indices.readAlias()))));
    String second = indices.createGeneration("flow-daily", false);

    indices.swapAlias("flow-daily", second);

    assertThat(client.indices().getAlias(a -> a.name(indices.alias("flow-daily"))).aliases()).containsOnlyKeys(second);
    assertThat(client.indices().getAlias(a -> a.index(first)).aliases().get(first).aliases()).isEmpty();
    assertThat(client.indices().getAlias(a -> a.index(second)).aliases().get(second).aliases())
        .containsOnlyKeys(indices.alias("flow-daily"), indices.readAlias());
  }

  @Test
  void aSwapThatElasticsearchRefusesFailsAndReadersKeepTheOldGeneration() throws IOException {
    String first = indices.currentIndex("spread-daily");
    String second = indices.createGeneration("spread-daily", false);
    // the alias cannot be taken off the old generation: it is read-only
    block(client, first, "read_only", true);
    try {
      assertThatThrownBy(() -> indices.swapAlias("spread-daily", second))
          .isInstanceOf(ElasticsearchException.class)
          .hasMessageContaining("cluster_block_exception");
    } finally {
      block(client, first, "read_only", false);
    }
    assertThat(client.indices().getAlias(a -> a.name(indices.alias("spread-daily"))).aliases()).containsOnlyKeys(first);
  }
}
