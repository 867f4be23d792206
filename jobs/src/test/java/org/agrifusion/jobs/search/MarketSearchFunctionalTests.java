package org.agrifusion.jobs.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.agrifusion.jobs.es.FamilyLoader;
import org.agrifusion.jobs.es.IndexManager;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The market filter and facet for markets with and without a market code, on curated price
 * observations and a price_daily day published to the lake and loaded into the real local node by
 * the index sink: Indian mandis (AGMARKNET, no codes; two named Bijapur in two states) by their
 * market_key, Xinfadi by its code, and a Chinese observation curated before market_key existed.
 */
@SpringBootTest
@AutoConfigureMockMvc
class MarketSearchFunctionalTests {

  static final TestLake LAKE = TestLake.create("market-search-it");
  static final String DAY = "2023-07-28";
  static final String DDL = "record_id STRING, business_date DATE, market_code STRING, market_key STRING, market_name STRING, "
      + "market_region_code STRING, market_country_code STRING, market_subdivision_raw STRING, market_subdivision_code STRING, "
      + "market_district_raw STRING, channel STRING, product_name STRING, variety STRING, product_code STRING, variety_code STRING, "
      + "grade STRING, unit_raw STRING, price_avg_orig DOUBLE, price_avg DOUBLE, currency STRING";

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    LAKE.register(registry, "market-search-it");
  }

  @Autowired SearchService service;
  @Autowired MockMvc mvc;

  static String mandi(String id, String state, String stateCode, String district, String market, double inrPerQuintal) {
    return String.format("{\"record_id\":\"%s\",\"business_date\":\"%s\",\"market_key\":\"IN/%s/%s/%s\",\"market_name\":\"%s\","
        + "\"market_country_code\":\"IN\",\"market_subdivision_raw\":\"%s\",\"market_subdivision_code\":\"%s\","
        + "\"market_district_raw\":\"%s\",\"channel\":\"wholesale\",\"product_name\":\"Apple\",\"variety\":\"Delicious\","
        + "\"product_code\":\"0201\",\"variety_code\":\"020106\",\"grade\":\"Medium\",\"unit_raw\":\"quintal\","
        + "\"price_avg_orig\":%s,\"price_avg\":%s,\"currency\":\"INR\"}",
        id, DAY, stateCode, district, market, market, state, stateCode, district, inrPerQuintal, Math.round(inrPerQuintal * 0.0870698) / 100.0);
  }

  static String chinese(String id, String marketCode, String marketKey, String name, String region, double cnyPerKg) {
    return String.format("{\"record_id\":\"%s\",\"business_date\":\"%s\",\"market_code\":\"%s\",%s\"market_name\":\"%s\","
        + "\"market_region_code\":\"%s\",\"market_country_code\":\"CN\",\"channel\":\"wholesale\",\"product_name\":\"红星\","
        + "\"product_code\":\"0201\",\"variety_code\":\"020106\",\"unit_raw\":\"斤\",\"price_avg_orig\":%s,\"price_avg\":%s,\"currency\":\"CNY\"}",
        id, DAY, marketCode, marketKey == null ? "" : "\"market_key\":\"" + marketKey + "\",", name, region, cnyPerKg / 2, cnyPerKg);
  }

  @BeforeAll
  static void publishAndIndex(@Autowired SparkSession spark, @Autowired Lake lake, @Autowired Publications publications,
      @Autowired FamilyLoader loader) {
    Dataset<Row> observations = spark.read().schema(DDL).json(spark.createDataset(List.of(
        mandi("agm-basti", "Uttar Pradesh", "IN-UP", "Basti", "Basti", 10100),
        mandi("agm-bijapur-ka", "Karnataka", "IN-KA", "Bijapur", "Bijapur", 9000),
        mandi("agm-bijapur-cg", "Chattisgarh", "IN-CG", "Bijapur", "Bijapur", 8500),
        chinese("xfd-hongxing", "BJ-XFD", "BJ-XFD", "北京新发地农产品批发市场", "110106", 3.9),
        // curated before market_key existed: the code is its only identity
        chinese("old-yuncheng", "SX-YC", null, "运城果品市场", "140802", 4.2)), Encoders.STRING()));
    long curated = Tables.replace(observations, lake.table(LakeTable.PRICE_OBSERVATION), LocalDate.parse(DAY));
    long daily = Tables.replace(org.agrifusion.pipelines.fuse.Marts.priceDaily(observations
            .withColumn("unit_convertible", org.apache.spark.sql.functions.lit(true))
            .withColumn("price_low", org.apache.spark.sql.functions.lit(null).cast("double"))
            .withColumn("price_high", org.apache.spark.sql.functions.lit(null).cast("double"))
            .withColumn("volume_kg", org.apache.spark.sql.functions.lit(null).cast("double"))
            .withColumn("market_district_code", org.apache.spark.sql.functions.lit(null).cast("string"))),
        lake.table(LakeTable.PRICE_DAILY), LocalDate.parse(DAY));
    Snapshots pins = Snapshots.of(Map.of(LakeTable.PRICE_OBSERVATION.qualifiedName(), curated, LakeTable.PRICE_DAILY.qualifiedName(), daily));
    publications.record(1L, LocalDate.parse(DAY), pins, new TreeSet<>(List.of(LocalDate.parse(DAY))));
    for (String family : List.of("price-observations", "price-daily")) {
      assertThat(loader.loadPartition(family, DAY, pins, "load-1").reconciled()).as(family).isTrue();
    }
  }

  @AfterAll
  static void drop(@Autowired FamilyLoader loader, @Autowired IndexManager indices) {
    LAKE.drop(indices, loader.families().keySet());
  }

  SearchResult search(Map<String, String> parameters) {
    return service.search(service.parse(parameters));
  }

  static List<String> values(SearchResult result, String field) {
    return result.hits().stream().map(h -> String.valueOf(h.get(field))).sorted().toList();
  }

  @Test
  void aMandiWithoutACodeIsFoundByItsMarketKeyAndAChineseMarketByItsCode() {
    assertThat(values(search(Map.of("market", "IN/IN-KA/Bijapur/Bijapur")), "record_id")).containsExactly("agm-bijapur-ka");
    assertThat(values(search(Map.of("market", "IN/IN-UP/Basti/Basti")), "record_id")).containsExactly("agm-basti");
    assertThat(values(search(Map.of("market", "BJ-XFD")), "record_id")).containsExactly("xfd-hongxing");
    assertThat(values(search(Map.of("market", "SX-YC")), "record_id")).containsExactly("old-yuncheng");
    // the mart: one row per market, the mandi's by its key
    assertThat(values(search(Map.of("family", "price-daily", "market", "IN/IN-CG/Bijapur/Bijapur")), "market_subdivision_code"))
        .containsExactly("IN-CG");
    assertThat(values(search(Map.of("family", "price-daily", "market", "BJ-XFD")), "market_name")).containsExactly("北京新发地农产品批发市场");
  }

  @Test
  void everyMarketFacetValueIsAMarketTheFilterSelects() {
    for (String family : List.of("price-observations", "price-daily")) {
      SearchResult all = search(Map.of("family", family));
      List<SearchResult.Facet> markets = all.facets().get("market_key");
      assertThat(markets).as(family).extracting(SearchResult.Facet::value).containsExactlyInAnyOrder(
          "IN/IN-UP/Basti/Basti", "IN/IN-KA/Bijapur/Bijapur", "IN/IN-CG/Bijapur/Bijapur", "BJ-XFD", "SX-YC");
      for (SearchResult.Facet market : markets) {
        assertThat(search(Map.of("family", family, "market", market.value())).total()).as(family + " " + market.value())
            .isEqualTo(market.count());
      }
    }
  }

  @Test
  void thePortalsMarketFacetLinksSelectTheMandi() throws Exception {
    String html = mvc.perform(get("/search").param("family", "price-observations").with(user("analyst").roles("ANALYST")))
        .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
    java.util.regex.Matcher link = java.util.regex.Pattern.compile("href=\"([^\"]*market=[^\"]*Bijapur[^\"]*IN-KA[^\"]*|[^\"]*market=[^\"]*IN-KA[^\"]*Bijapur[^\"]*)\"")
        .matcher(html);
    assertThat(link.find()).as("a facet link selecting the Karnataka mandi").isTrue();
    String url = org.springframework.web.util.HtmlUtils.htmlUnescape(link.group(1));
    String page = mvc.perform(get(java.net.URI.create(url)).with(user("analyst").roles("ANALYST")))
        .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
    assertThat(page).contains("Bijapur").doesNotContain("Basti", "北京新发地农产品批发市场");
  }
}
