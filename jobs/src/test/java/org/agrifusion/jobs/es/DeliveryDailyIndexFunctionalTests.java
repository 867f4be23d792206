package org.agrifusion.jobs.es;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.agrifusion.jobs.lake.Publications;
import org.agrifusion.jobs.support.TestLake;
import org.agrifusion.pipelines.lake.Lake;
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

/**
 * Parcels without a sender (last-mile deliveries) in the delivery-daily family: their county is the
 * receiver's (here a city-level code), their rates are null and they are neither up- nor down-bound.
 */
@SpringBootTest
class DeliveryDailyIndexFunctionalTests {

  static final TestLake LAKE = TestLake.create("es-delivery");
  static final String FAMILY = "delivery-daily";
  static final String DAY = "2021-09-25";
  static final String DDL = "business_date DATE, county_code STRING, courier_code STRING, parcels BIGINT, signed BIGINT, "
      + "transit_hours_median DOUBLE, transit_hours_p90 DOUBLE, half_day_rate DOUBLE, next_day_rate DOUBLE, upbound BIGINT, downbound BIGINT";

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    LAKE.register(registry, "delivery-daily-it");
  }

  @Autowired SparkSession spark;
  @Autowired Lake lake;
  @Autowired FamilyLoader loader;
  @Autowired ElasticsearchClient client;
  @Autowired IndexManager indices;
  @Autowired Publications publications;

  @AfterAll
  static void drop(@Autowired IndexManager indices) {
    LAKE.drop(indices, List.of(FAMILY));
  }

  @Test
  void aLastMileGroupIsIndexedWithItsReceiversCityAndNoRates() throws IOException {
    Dataset<Row> rows = spark.read().schema(DDL).json(spark.createDataset(List.of(
        "{\"business_date\":\"" + DAY + "\",\"county_code\":\"220200\",\"courier_code\":\"CAINIAO\",\"parcels\":3,\"signed\":3,"
            + "\"transit_hours_median\":2.68,\"transit_hours_p90\":5.8,\"upbound\":0,\"downbound\":0}"), Encoders.STRING()));
    long snapshot = Tables.replace(rows, lake.table(LakeTable.DELIVERY_DAILY), DAY);
    publications.record(1, LocalDate.parse(DAY), Snapshots.of(Map.of(LakeTable.DELIVERY_DAILY.qualifiedName(), snapshot)),
        new TreeSet<>(List.of(LocalDate.parse(DAY))));

    FamilyLoader.Outcome outcome = loader.loadPartition(FAMILY, DAY,
        publications.latestFor(LocalDate.parse(DAY)).orElseThrow().snapshots(), "load-1");
    assertThat(outcome.reconciled()).isTrue();
    assertThat(outcome.inIndex()).isEqualTo(1);

    client.indices().refresh(r -> r.index(indices.alias(FAMILY)));
    SearchResponse<Map> hits = client.search(s -> s.index(indices.alias(FAMILY))
        .query(q -> q.term(t -> t.field("county_city_code").value("220200"))), Map.class);
    assertThat(hits.hits().hits()).singleElement().satisfies(hit -> {
      Map<?, ?> doc = hit.source();
      assertThat(doc.get("county_province_code")).isEqualTo("220000");
      assertThat(doc.get("courier_code")).isEqualTo("CAINIAO");
      assertThat(doc.get("half_day_rate")).isNull();
      assertThat(((Number) doc.get("upbound")).longValue()).isZero();
      assertThat(((Number) doc.get("transit_hours_median")).doubleValue()).isEqualTo(2.68);
    });
  }
}
