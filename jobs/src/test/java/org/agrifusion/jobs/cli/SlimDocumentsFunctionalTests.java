package org.agrifusion.jobs.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sha2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.agrifusion.jobs.es.FamilyLoader;
import org.agrifusion.jobs.es.IndexFamily;
import org.agrifusion.jobs.es.IndexManager;
import org.agrifusion.jobs.job.dailyfusion.DailyFusionParameters;
import org.agrifusion.jobs.lake.Publications;
import org.agrifusion.jobs.support.TestLake;
import org.agrifusion.pipelines.generate.SyntheticFeeds;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.Snapshots;
import org.agrifusion.pipelines.lake.Tables;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.sink.elasticsearch.EsBulkIndexer;
import org.agrifusion.pipelines.sink.elasticsearch.EsConnection;
import org.agrifusion.pipelines.sink.elasticsearch.EsDocuments;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The documents of the index families after the nightly job on a generated day (prices, shop orders,
 * waybills, origin registry): ids, what is left out, what is stored but not indexed, paging on the
 * id, agri search over them, and an index an earlier version created, on the real local node.
 */
@SpringBootTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlimDocumentsFunctionalTests {

  static final TestLake LAKE = TestLake.create("slim-it");
  static final LocalDate DAY = LocalDate.of(2021, 12, 7);
  static final Path SAMPLE = Path.of("../samples/landing/xinfadi-daily-prices/2021-12-07/xinfadi_prices_2021-12-07.csv");
  static final List<String> LINEAGE = List.of("source_id", "source_file", "source_row", "run_id", "reported_by", "reported_date");
  static final ObjectMapper JSON = new ObjectMapper();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    LAKE.register(registry, "slim-documents-it");
  }

  @Autowired SparkSession spark;
  @Autowired Lake lake;
  @Autowired FamilyLoader loader;
  @Autowired IndexManager indices;
  @Autowired ElasticsearchClient client;
  @Autowired EsConnection connection;
  @Autowired Publications publications;
  @Autowired SearchCommand search;

  @BeforeAll
  static void runTheDay(@Autowired JobOperator jobOperator, @Autowired Job dailyFusionJob, @Autowired ReferenceData reference)
      throws Exception {
    Path prices = Files.createDirectories(LAKE.root().resolve("landing/xinfadi-daily-prices/" + DAY));
    Files.copy(SAMPLE, prices.resolve(SAMPLE.getFileName()));
    new SyntheticFeeds(reference.regions()).write(LAKE.root().resolve("landing"), DAY, 300, 7);
    assertThat(jobOperator.start(dailyFusionJob, DailyFusionParameters.of(DAY)).getStatus()).isEqualTo(BatchStatus.COMPLETED);
  }

  @AfterAll
  static void drop(@Autowired FamilyLoader loader, @Autowired IndexManager indices) {
    LAKE.drop(indices, loader.families().keySet());
  }

  IndexFamily family(String name) {
    return loader.families().get(name);
  }

  Snapshots published() {
    return publications.latestFor(DAY).orElseThrow().snapshots();
  }

  Dataset<Row> lakeRows(String family) {
    return Tables.read(spark, lake.table(family(family).lakeTable()), DAY.toString(), published()).orElseThrow();
  }

  List<Hit<Map>> all(String index) throws IOException {
    return client.search(s -> s.index(index).size(10_000), Map.class).hits().hits();
  }

  Map<String, Property> mapping(String index) throws IOException {
    return client.indices().getMapping(m -> m.index(index)).mappings().values().iterator().next().mappings().properties();
  }

  @Test
  void aRecordDocumentIsIdentifiedByItsRecordIdAloneAndCarriesNoContentHash() throws IOException {
    List<Hit<Map>> sales = all(indices.alias("sales"));
    assertThat(sales).hasSize((int) lakeRows("sales").count()).allSatisfy(h -> {
      assertThat(h.id()).isEqualTo(h.source().get("record_id")).matches("[0-9a-f]{64}");
      assertThat(h.source()).doesNotContainKeys(EsDocuments.HASHED_ID, "content_hash").containsKeys(LINEAGE.toArray(String[]::new));
      assertThat(h.source().get("source_file").toString()).startsWith("file:").contains("/landing/shop-orders/");
    });
    assertThat(mapping(indices.alias("sales"))).doesNotContainKeys(EsDocuments.HASHED_ID, "content_hash");
    assertThat(family("sales").idField()).isEqualTo("record_id");

    // a mart's id is its grain, hashed into doc_id
    assertThat(family("delivery-daily").idField()).isEqualTo(EsDocuments.HASHED_ID);
    assertThat(all(indices.alias("delivery-daily"))).isNotEmpty()
        .allSatisfy(h -> assertThat(h.id()).isEqualTo(h.source().get(EsDocuments.HASHED_ID)).matches("[0-9a-f]{64}"));
  }

  @Test
  void lineageIsInTheSourceButNotIndexedWhileTheLoadIdThatStaleDeletionFiltersOnIs() throws IOException {
    for (String family : List.of("sales", "price-observations", "origin-entities")) {
      String index = indices.alias(family);
      Map<String, Object> doc = all(index).get(0).source();
      var caps = client.fieldCaps(f -> f.index(index).fields(new ArrayList<>(LINEAGE)).fields("load_id", "record_id")).fields();
      for (String field : LINEAGE) {
        if (caps.containsKey(field)) {
          assertThat(caps.get(field).values()).as(family + "." + field)
              .allSatisfy(c -> assertThat(c.searchable() || c.aggregatable()).isFalse());
        }
      }
      assertThat(caps.get("load_id").values()).allSatisfy(c -> assertThat(c.searchable()).isTrue());
      assertThat(caps.get("record_id").values()).allSatisfy(c -> assertThat(c.searchable() && c.aggregatable()).isTrue());

      // the exact source_file of a document finds nothing: Elasticsearch refuses to search a field it did not index
      String file = doc.get("source_file").toString();
      assertThatThrownBy(() -> client.search(s -> s.index(index).query(q -> q.term(t -> t.field("source_file").value(file))), Map.class))
          .isInstanceOfSatisfying(ElasticsearchException.class, e -> assertThat(e.error().rootCause().get(0).reason())
              .contains("Cannot search on field [source_file] since it is not indexed"));
    }
  }

  @Test
  void pagingOnTheIdFieldHandsOutEveryDocumentOnceForARecordFamilyAndAMart() throws IOException {
    for (String name : List.of("sales", "delivery-daily")) {
      IndexFamily family = family(name);
      String index = indices.alias(name);
      List<String> ids = new ArrayList<>();
      List<Integer> pages = new ArrayList<>();
      indices.forEachPage(family, index, Query.of(q -> q.matchAll(m -> m)), 7, page -> {
        ids.addAll(page);
        pages.add(page.size());
      });
      long expected = lakeRows(name).count();
      assertThat(expected).as(name).isGreaterThan(14);
      assertThat(pages).as(name).hasSize((int) ((expected + 6) / 7));
      assertThat(ids).as(name).hasSize((int) expected).doesNotHaveDuplicates();
      if (name.equals("sales")) {
        assertThat(new HashSet<>(ids)).isEqualTo(new HashSet<>(lakeRows(name).select("record_id").as(Encoders.STRING()).collectAsList()));
      }
    }
  }

  @Test
  void agriSearchFindsSalesByTheirFreeTextFieldsAndSummarisesThem() throws IOException {
    // a shop name of the generated day, searched as a phrase
    String shop = lakeRows("sales").select("shop_name").as(Encoders.STRING()).first();
    List<String> fields = family("sales").search();
    JsonNode hits = JSON.readTree(searchOutput(shop, Map.of("family", "sales", "format", "json", "size", "500")));
    assertThat(hits.size()).isPositive();
    hits.forEach(h -> assertThat(fields.stream().map(f -> h.path(f).asText())).anyMatch(v -> v.contains(shop)));
    assertThat((long) hits.size()).isEqualTo(lakeRows("sales")
        .where(fields.stream().map(f -> col(f).contains(shop)).reduce(org.apache.spark.sql.Column::or).orElseThrow()).count());

    String stats = searchOutput(null, Map.of("family", "sales", "stats-by", "variety_code", "format", "csv", "size", "1000"));
    assertThat(stats.lines().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[1])).sum())
        .isEqualTo(lakeRows("sales").where(col("variety_code").isNotNull()).count());
  }

  String searchOutput(String text, Map<String, String> options) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    assertThat(search.run(text, options, new PrintStream(buffer, true, StandardCharsets.UTF_8))).isEqualTo(ExitCodes.OK);
    return buffer.toString(StandardCharsets.UTF_8);
  }

  @Test
  @Order(Integer.MAX_VALUE) // last: it replaces the sales generation the other tests read
  void anIndexTheVersionBeforeCreatedIsReplacedByARebuiltGenerationOnTheNextDailyLoad() throws IOException {
    // given the sales family behind an index the earlier version created: its mapping indexes the lineage and has
    // doc_id and content_hash, and its documents carry them
    String older = indices.alias("sales") + "-20200101000000000";
    try (InputStream definition = getClass().getResourceAsStream("/es-before-slim/sales.json")) {
      client.indices().create(c -> c.index(older).withJson(definition));
    }
    Dataset<Row> rows = lakeRows("sales");
    // as that version wrote them: without the money columns added since (currency, issue 14)
    Dataset<Row> olderDocs = EsDocuments.of(rows, List.of("record_id"), family("sales").regions(), "older-load")
        .drop("currency", "fx_rate", "fx_rate_date", "amount_orig")
        .withColumn("doc_id", col("record_id")).withColumn("content_hash", sha2(col("record_id"), 256));
    assertThat(EsBulkIndexer.index(olderDocs, "doc_id", older, connection, EsBulkIndexer.BulkSettings.defaults(),
        LAKE.root().resolve("dead-older").toString()).failed()).isZero();
    indices.swapAlias("sales", older);
    indices.prune("sales", 0, older);
    String deliveryBefore = indices.behindAlias("delivery-daily").orElseThrow();

    // Elasticsearch cannot make its indexed lineage fields stored-only
    assertThatThrownBy(() -> indices.currentIndex("sales")).isInstanceOf(IndexManager.MappingConflictException.class)
        .hasMessageContaining("does not fit " + older);

    // when the next daily load comes
    FamilyLoader.Outcome sales = loader.loadPartition("sales", DAY.toString(), published(), "after-upgrade");
    FamilyLoader.Outcome delivery = loader.loadPartition("delivery-daily", DAY.toString(), published(), "after-upgrade");

    // then sales is in a new generation of today's mapping, rebuilt from the lake, behind the alias
    assertThat(sales.reconciled()).isTrue();
    assertThat(sales.index()).isNotEqualTo(older);
    assertThat(indices.behindAlias("sales")).contains(sales.index());
    assertThat(indices.generations("sales")).containsExactly(older, sales.index());
    assertThat(indices.count(indices.alias("sales"))).isEqualTo(rows.count());
    Map<String, Property> fields = mapping(sales.index());
    assertThat(fields).doesNotContainKeys("doc_id", "content_hash");
    assertThat(fields.get("source_file").keyword().index()).isFalse();
    assertThat(fields.get("source_id").keyword().index()).isFalse();
    assertThat(all(indices.alias("sales"))).allSatisfy(h -> {
      assertThat(h.source()).doesNotContainKeys("doc_id", "content_hash");
      assertThat(h.source().get("load_id")).isEqualTo("after-upgrade");
    });
    // and a mart, whose mapping did not change, stays in its index
    assertThat(delivery.reconciled()).isTrue();
    assertThat(delivery.index()).isEqualTo(deliveryBefore);
  }

  /** The portal's charts on this day's marts, without running the day again. */
  @Nested
  class Charts extends org.agrifusion.jobs.web.ChartsFunctionalChecks {}
}
