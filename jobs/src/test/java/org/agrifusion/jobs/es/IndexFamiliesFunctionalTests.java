package org.agrifusion.jobs.es;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.mapping.DynamicMapping;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.agrifusion.jobs.support.TestLake;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.jobs.lake.Publications;
import org.agrifusion.pipelines.lake.LakeTable;
import org.agrifusion.pipelines.lake.Snapshots;
import org.agrifusion.pipelines.lake.Tables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Index families on the real local Elasticsearch node: mappings, daily loads, rebuilds, dead letters. */
@SpringBootTest
class IndexFamiliesFunctionalTests {

  static final TestLake LAKE = TestLake.create("es-it");
  static final String FAMILY = "price-daily";
  static final String DDL = "variety_code STRING, market_code STRING, product_code STRING, product_name STRING, market_name STRING, "
      + "price_min DOUBLE, price_avg DOUBLE, price_max DOUBLE, price_vwavg DOUBLE, observations BIGINT, business_date DATE";

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    LAKE.register(registry, "index-families-it");
  }

  @Autowired SparkSession spark;
  @Autowired Lake lake;
  @Autowired FamilyLoader loader;
  @Autowired IndexManager indices;
  @Autowired ElasticsearchClient client;
  @Autowired Publications publications;
  static final AtomicLong RUNS = new AtomicLong();

  @AfterAll
  static void drop(@Autowired IndexManager indices) {
    LAKE.drop(indices, List.of(FAMILY));
  }

  /** Publishes a day of the price_daily mart with one row per variety. */
  void publish(String date, String... varieties) {
    publish(date, DDL, java.util.Arrays.stream(varieties).map(v -> String.format(
        "{\"variety_code\":\"%s\",\"market_code\":\"BJ-XFD\",\"product_code\":\"%s\",\"product_name\":\"富士\",\"market_name\":\"北京新发地\","
            + "\"price_min\":4.0,\"price_avg\":5.0,\"price_max\":6.0,\"observations\":2,\"business_date\":\"%s\"}",
        v, v.substring(0, 4), date)).toList());
  }

  /** Commits the date's rows and records the commit as a run's publication, as the job's publish step does. */
  void publish(String date, String ddl, List<String> json) {
    Dataset<Row> rows = spark.read().schema(ddl).json(spark.createDataset(json, Encoders.STRING()));
    long snapshot = Tables.replace(rows, lake.table(LakeTable.PRICE_DAILY), date);
    publications.record(RUNS.incrementAndGet(), java.time.LocalDate.parse(date),
        Snapshots.of(Map.of(LakeTable.PRICE_DAILY.qualifiedName(), snapshot)), new java.util.TreeSet<>(List.of(java.time.LocalDate.parse(date))));
  }

  Snapshots published(String date) {
    return publications.latestFor(java.time.LocalDate.parse(date)).orElseThrow().snapshots();
  }

  void dropMart() {
    spark.sql("DROP TABLE IF EXISTS " + lake.table(LakeTable.PRICE_DAILY).identifier() + " PURGE");
  }

  @Test
  void aDailyLoadUsesTheExplicitMappingAndAReloadReplacesTheDate() throws IOException {
    publish("2021-12-01", "020101", "020102", "020103");
    FamilyLoader.Outcome first = loader.loadPartition(FAMILY, "2021-12-01", published("2021-12-01"), "load-1");
    assertThat(first.reconciled()).isTrue();
    assertThat(first.inIndex()).isEqualTo(3);

    var mapping = client.indices().getMapping(m -> m.index(indices.alias(FAMILY))).mappings().values().iterator().next().mappings();
    assertThat(mapping.dynamic()).isEqualTo(DynamicMapping.Strict);
    Map<String, Property> fields = mapping.properties();
    assertThat(fields.get("price_avg").isDouble()).isTrue();
    assertThat(fields.get("variety_code").isKeyword()).isTrue();
    assertThat(fields.get("product_name").isText()).isTrue();
    assertThat(fields.get("product_name").text().fields()).containsKey("keyword");
    assertThat(fields.get("business_date").isDate()).isTrue();
    assertThat(client.indices().existsAlias(a -> a.name(indices.readAlias())).value()).isTrue();

    publish("2021-12-01", "020101", "020103");
    FamilyLoader.Outcome reload = loader.loadPartition(FAMILY, "2021-12-01", published("2021-12-01"), "load-2");
    assertThat(reload.reconciled()).isTrue();
    assertThat(reload.inIndex()).isEqualTo(2);
    assertThat(reload.staleDeleted()).isEqualTo(1);
  }

  /** Two mandis named Bijapur in two states, from a feed without market codes (AGMARKNET): two documents, filterable by state. */
  @Test
  void marketsWithoutACodeAreTwoDocumentsFilterableByTheirState() throws IOException {
    dropMart();
    String mandi = "{\"variety_code\":\"0214\",\"market_key\":\"IN/%s/Bijapur/Bijapur\",\"market_name\":\"Bijapur\","
        + "\"market_country_code\":\"IN\",\"market_subdivision_code\":\"%s\",\"market_district_raw\":\"Bijapur\","
        + "\"price_avg\":%s,\"observations\":1,\"business_date\":\"2021-12-05\"}";
    publish("2021-12-05", DDL + ", market_key STRING, market_country_code STRING, market_subdivision_code STRING, market_district_raw STRING",
        List.of(String.format(mandi, "IN-KA", "IN-KA", 40.0), String.format(mandi, "IN-CG", "IN-CG", 30.0)));

    FamilyLoader.Outcome outcome = loader.loadPartition(FAMILY, "2021-12-05", published("2021-12-05"), "load-1");
    dropMart();

    assertThat(outcome.reconciled()).isTrue();
    assertThat(outcome.inIndex()).isEqualTo(2);
    client.indices().refresh(r -> r.index(indices.alias(FAMILY)));
    long inKarnataka = client.count(c -> c.index(indices.alias(FAMILY))
        .query(q -> q.bool(b -> b.filter(f -> f.term(t -> t.field("market_subdivision_code").value("IN-KA")))
            .filter(f -> f.term(t -> t.field("business_date").value("2021-12-05")))))).count();
    assertThat(inKarnataka).isEqualTo(1);
  }

  @Test
  void aRebuildSwapsTheAliasWithoutReadersEverSeeingItEmpty() throws Exception {
    publish("2021-12-02", "020101", "020102");
    publish("2021-12-03", "020101", "020102", "020104");
    loader.loadPartition(FAMILY, "2021-12-02", published("2021-12-02"), "load-1");
    String before = indices.currentIndex(FAMILY);

    AtomicBoolean reading = new AtomicBoolean(true);
    AtomicLong smallest = new AtomicLong(Long.MAX_VALUE);
    AtomicLong reads = new AtomicLong();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    Thread reader = new Thread(() -> {
      while (reading.get()) {
        try {
          long n = client.count(c -> c.index(indices.alias(FAMILY))).count();
          smallest.accumulateAndGet(n, Math::min);
          reads.incrementAndGet();
        } catch (Exception e) {
          errors.add(e.toString());
        }
      }
    });
    reader.start();
    FamilyLoader.Outcome rebuilt = loader.rebuild(FAMILY, "rebuild-1");
    FamilyLoader.Outcome again = loader.rebuild(FAMILY, "rebuild-2");
    reading.set(false);
    reader.join();

    assertThat(errors).isEmpty();
    assertThat(reads.get()).isPositive();
    assertThat(smallest.get()).isPositive();
    assertThat(rebuilt.index()).isNotEqualTo(before);
    assertThat(indices.currentIndex(FAMILY)).isEqualTo(again.index());
    assertThat(indices.count(indices.alias(FAMILY))).isEqualTo(again.expected());
    // two generations are kept: the current one and the one before it
    assertThat(indices.generations(FAMILY)).containsExactly(rebuilt.index(), again.index());
  }

  @Test
  void aDocumentTheMappingRejectsLandsInTheDeadLetterSetAndTheLoadDoesNotReconcile() {
    // a mart row whose observation count is text: the strict mapping says long (a table of its own: Iceberg
    // would refuse text in the other tests' long column)
    dropMart();
    publish("2021-12-04", DDL.replace("observations BIGINT", "observations STRING"), List.of(
        "{\"variety_code\":\"020101\",\"market_code\":\"BJ-XFD\",\"price_avg\":5.0,\"observations\":\"many\",\"business_date\":\"2021-12-04\"}",
        "{\"variety_code\":\"020102\",\"market_code\":\"BJ-XFD\",\"price_avg\":5.0,\"observations\":\"2\",\"business_date\":\"2021-12-04\"}"));

    FamilyLoader.Outcome outcome = loader.loadPartition(FAMILY, "2021-12-04", published("2021-12-04"), "load-1");
    dropMart();

    assertThat(outcome.reconciled()).isFalse();
    assertThat(outcome.failed()).isEqualTo(1);
    assertThat(outcome.inIndex()).isEqualTo(1);
    List<Row> dead = spark.read().parquet(lake.deadLetter(FAMILY, "business_date=2021-12-04")).collectAsList();
    assertThat(dead).singleElement().satisfies(r -> {
      assertThat(r.<String>getAs("error")).contains("observations");
      assertThat(r.<String>getAs("doc")).contains("\"observations\":\"many\"");
    });
  }
}
