package org.agrifusion.jobs.web;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.agrifusion.jobs.lake.Publications;
import org.agrifusion.jobs.lake.Publications.Publication;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.LakeTable;
import org.agrifusion.pipelines.lake.Tables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * The portal's charts on a published day's marts: each chart's JSON against figures computed with
 * Spark from the same mart rows at the same publication, the pages, and parameter validation. Run
 * as a nested class of a test that has already run a generated day (SlimDocumentsFunctionalTests),
 * so the suite runs no extra day for it. Security is not part of these checks (helper portal's tests).
 */
public abstract class ChartsFunctionalChecks {

  /** Injection attempts: none may come back in a response as typed. */
  static final List<String> INJECTIONS = List.of("14\"x", "14\\x", "14{x}", "14*", "<script>alert(1)</script>",
      "2021-12-07\"}", "0201' OR '1'='1");
  static final ObjectMapper JSON = new ObjectMapper();

  @Autowired WebApplicationContext context;
  @Autowired SparkSession spark;
  @Autowired Lake lake;
  @Autowired Publications publications;

  MockMvc mvc;
  Publication published;
  LocalDate day;

  @BeforeEach
  void portal() {
    mvc = MockMvcBuilders.webAppContextSetup(context).build();
    published = publications.latest().orElseThrow();
    day = published.businessDate();
  }

  Dataset<Row> mart(LakeTable table, String partition) {
    return Tables.read(spark, lake.table(table), partition, published.snapshots()).orElseThrow();
  }

  MockHttpServletResponse call(String url) throws Exception {
    MockHttpServletResponse response = mvc.perform(get(url)).andReturn().getResponse();
    response.setCharacterEncoding("UTF-8");
    return response;
  }

  JsonNode json(String url) throws Exception {
    MockHttpServletResponse response = call(url);
    assertThat(response.getStatus()).as(url + ": " + response.getContentAsString()).isEqualTo(200);
    return JSON.readTree(response.getContentAsString());
  }

  @Test
  void thePriceBandAndSpreadOfAVarietyAreThoseOfItsMartRows() throws Exception {
    // a variety that has both prices and a spread on the day, so both halves of the chart are checked
    Dataset<Row> spreads = mart(LakeTable.SPREAD_DAILY, day.toString());
    assertThat(spreads.count()).as("the generated day has spreads").isPositive();
    Row spread = spreads.orderBy(col("wholesale_observations").desc(), col("variety_code")).first();
    String variety = spread.getAs("variety_code");
    Row band = mart(LakeTable.PRICE_DAILY, day.toString())
        .where(col("variety_code").equalTo(variety).and(col("market_country_code").isNull().or(col("market_country_code").equalTo("CN"))))
        .agg(min("price_min"), max("price_max"),
            sum(when(col("price_avg").isNotNull(), col("price_avg").multiply(col("observations")))),
            sum(when(col("price_avg").isNotNull(), col("observations"))), count(lit(1)), sum("observations"))
        .first();

    JsonNode prices = json("/charts/data/prices?product=" + variety + "&from=" + day.minusDays(6) + "&to=" + day);

    assertThat(prices.path("product").asText()).isEqualTo(variety);
    assertThat(prices.path("published").asText()).isEqualTo(day.toString());
    assertThat(prices.path("days")).hasSize(1);
    JsonNode d = prices.path("days").get(0);
    assertThat(d.path("date").asText()).isEqualTo(day.toString());
    assertThat(d.path("min").asDouble()).isCloseTo(band.getDouble(0), within(1e-4));
    assertThat(d.path("max").asDouble()).isCloseTo(band.getDouble(1), within(1e-4));
    assertThat(d.path("avg").asDouble()).isCloseTo(band.getDouble(2) / band.getLong(3), within(1e-4));
    assertThat(d.path("markets").asLong()).isEqualTo(band.getLong(4));
    assertThat(d.path("observations").asLong()).isEqualTo(band.getLong(5));
    assertThat(prices.path("spread")).hasSize(1);
    JsonNode s = prices.path("spread").get(0);
    assertThat(s.path("origin").asDouble()).isCloseTo(spread.<Double>getAs("origin_price"), within(1e-4));
    assertThat(s.path("wholesale").asDouble()).isCloseTo(spread.<Double>getAs("wholesale_price"), within(1e-4));
    assertThat(s.path("spread").asDouble()).isCloseTo(spread.<Double>getAs("spread"), within(2e-4));
    assertThat(s.path("originSales").asLong()).isEqualTo(spread.<Long>getAs("origin_sales"));

    // a period without published days is empty, not an error
    JsonNode before = json("/charts/data/prices?product=" + variety + "&from=2020-01-01&to=2020-01-31");
    assertThat(before.path("days")).isEmpty();
    assertThat(before.path("spread")).isEmpty();
  }

  @Test
  void deliveryRatesPerCityAndCountyAreTheMartRowsWeightedBySignedParcels() throws Exception {
    Dataset<Row> daily = mart(LakeTable.DELIVERY_DAILY, day.toString()).where(col("county_code").isNotNull());
    String province = daily.groupBy(substring(col("county_code"), 1, 2).as("p")).agg(sum("parcels").as("n"))
        .orderBy(col("n").desc(), col("p")).first().getString(0);
    Dataset<Row> rated = daily.where(col("county_code").startsWith(province))
        .withColumn("city", substring(col("county_code"), 1, 4))
        .withColumn("rated", when(col("half_day_rate").isNotNull().and(col("next_day_rate").isNotNull()), col("signed")));
    Map<String, Row> expected = new HashMap<>();
    rated.groupBy("city").agg(sum("parcels"), sum("signed"), sum("rated"),
            sum(col("half_day_rate").multiply(col("rated"))), sum(col("next_day_rate").multiply(col("rated"))))
        .collectAsList().forEach(r -> expected.put(r.getString(0) + "00", r));

    JsonNode deliveries = json("/charts/data/deliveries?region=" + province + "&from=" + day + "&to=" + day);

    assertThat(deliveries.path("halfDayHours").asDouble()).isEqualTo(12);
    assertThat(deliveries.path("nextDayHours").asDouble()).isEqualTo(24);
    assertThat(deliveries.path("cities")).hasSize(expected.size());
    for (JsonNode city : deliveries.path("cities")) {
      Row e = expected.get(city.path("code").asText());
      assertThat(e).as(city.toString()).isNotNull();
      assertThat(city.path("parcels").asLong()).isEqualTo(e.getLong(1));
      assertThat(city.path("signed").asLong()).isEqualTo(e.getLong(2));
      if (e.isNullAt(3) || e.getLong(3) == 0) {
        assertThat(city.path("halfDayRate").isNull()).isTrue();
      } else {
        assertThat(city.path("halfDayRate").asDouble()).isCloseTo(e.getDouble(4) / e.getLong(3), within(1e-4));
        assertThat(city.path("nextDayRate").asDouble()).isCloseTo(e.getDouble(5) / e.getLong(3), within(1e-4));
      }
    }
    long countyParcels = rated.agg(sum("parcels")).first().getLong(0);
    assertThat(deliveries.path("counties").findValues("parcels").stream().mapToLong(JsonNode::asLong).sum())
        .isEqualTo(countyParcels);
    assertThat(deliveries.path("cities").get(0).path("name").asText()).isNotBlank();
  }

  @Test
  void upboundParcelsPerCountyAndMonthAreTheMonthlyMart() throws Exception {
    String month = day.toString().substring(0, 7);
    Dataset<Row> monthly = mart(LakeTable.UPBOUND_MONTHLY, month).where(col("parcels").gt(0));
    String province = monthly.groupBy(substring(col("county_code"), 1, 2).as("p")).agg(sum("parcels").as("n"))
        .orderBy(col("n").desc(), col("p")).first().getString(0);
    Map<String, Long> expected = new HashMap<>();
    monthly.where(col("county_code").startsWith(province)).collectAsList()
        .forEach(r -> expected.put(r.getAs("county_code"), r.<Long>getAs("parcels")));

    JsonNode upbound = json("/charts/data/upbound?region=" + province + "&month=" + month);

    assertThat(upbound.path("months")).extracting(JsonNode::asText).containsExactly(month);
    assertThat(upbound.path("counties").asLong()).isEqualTo(expected.size());
    assertThat(upbound.path("total").asLong()).isEqualTo(expected.values().stream().mapToLong(Long::longValue).sum());
    for (JsonNode county : upbound.path("top")) {
      assertThat(county.path("parcels").get(0).asLong()).as(county.toString()).isEqualTo(expected.get(county.path("code").asText()));
    }
    // two months: the earlier one has no partition and counts 0
    JsonNode two = json("/charts/data/upbound?region=" + province + "&from=" + day.minusMonths(1).toString().substring(0, 7)
        + "&to=" + month);
    assertThat(two.path("top").get(0).path("parcels")).extracting(JsonNode::asLong)
        .containsExactly(0L, upbound.path("top").get(0).path("parcels").get(0).asLong());
  }

  @Test
  void thePagesCarryTheChartElementsAndLoadScriptsOnlyFromTheApplication() throws Exception {
    String variety = mart(LakeTable.SPREAD_DAILY, day.toString()).first().getAs("variety_code");
    Map<String, String> pages = Map.of(
        "/charts/prices?product=" + variety + "&from=" + day.minusDays(6) + "&to=" + day, "id=\"price-chart\"",
        "/charts/deliveries?region=14&from=" + day + "&to=" + day, "id=\"delivery-county-chart\"",
        "/charts/upbound?region=14&month=" + day.toString().substring(0, 7), "id=\"upbound-chart\"");
    for (Map.Entry<String, String> page : pages.entrySet()) {
      MockHttpServletResponse response = call(page.getKey());
      String html = response.getContentAsString();
      assertThat(response.getStatus()).as(page.getKey()).isEqualTo(200);
      assertThat(html).contains(page.getValue(), "data-src=\"/charts/data/", "id=\"chart-form\"",
          "<script src=\"/webjars/echarts/5.3.1/dist/echarts.min.js\"></script>", "<script src=\"/js/charts.js\"></script>");
      assertThat(html.split("<script", -1)).as("no inline script").allSatisfy(part -> assertThat(part).doesNotStartWith(">"));
      assertThat(html).doesNotContainIgnoringCase("http://").doesNotContainIgnoringCase("https://").doesNotContain("style=\"");
    }
    assertThat(call(pages.keySet().stream().filter(p -> p.startsWith("/charts/prices")).findFirst().orElseThrow()).getContentAsString())
        .contains("&amp;from=" + day.minusDays(6) + "&amp;to=" + day);
    // without a product: the first variety with prices on the latest date
    assertThat(call("/charts/prices").getStatus()).isEqualTo(200);

    assertThat(call("/webjars/echarts/5.3.1/dist/echarts.min.js").getStatus()).isEqualTo(200);
    assertThat(call("/js/charts.js").getContentAsString()).contains("echarts.init");
  }

  @Test
  void aBadParameterIsA400WithAReasonThatNeverEchoesTheValue() throws Exception {
    String day = this.day.toString();
    String month = day.substring(0, 7);
    for (String bad : INJECTIONS) {
      String v = java.net.URLEncoder.encode(bad, java.nio.charset.StandardCharsets.UTF_8);
      for (String url : List.of(
          "/charts/data/prices?product=" + v, "/charts/prices?product=" + v,
          "/charts/data/prices?product=020106&from=" + v, "/charts/prices?product=020106&to=" + v,
          "/charts/data/deliveries?region=" + v, "/charts/deliveries?region=" + v,
          "/charts/data/deliveries?region=14&from=" + v, "/charts/deliveries?region=14&to=" + v,
          "/charts/data/upbound?region=" + v, "/charts/upbound?region=" + v,
          "/charts/data/upbound?region=14&month=" + v, "/charts/upbound?region=14&from=" + v)) {
        MockHttpServletResponse response = call(url);
        assertThat(response.getStatus()).as(url).isEqualTo(400);
        assertThat(response.getContentAsString()).as(url).doesNotContain(bad).doesNotContain("<script>")
            .doesNotContain("Exception").doesNotContain("at org.");
      }
    }
    assertThat(JSON.readTree(call("/charts/data/prices?product=%3Cscript%3E").getContentAsString()).path("error").asText())
        .isEqualTo("product must be a 4-digit product or 6-digit variety code (digits only)");
    Map<String, String> reasons = Map.of(
        "/charts/data/prices", "product is required: a 4-digit product or 6-digit variety code of the catalogue",
        "/charts/data/prices?product=999999", "product 999999 is not in the product catalogue",
        "/charts/data/prices?product=020106&from=" + day + "&to=2020-01-01", "from must not be after to",
        "/charts/data/prices?product=020106&from=2019-01-01&to=" + day, "the period is at most 366 days",
        "/charts/data/prices?product=020106&from=2021-02-30", "from must be a date as yyyy-MM-dd",
        "/charts/data/deliveries?region=99", "region 99 is not a GB/T 2260 region",
        "/charts/data/upbound?region=14&month=" + month + "&from=" + month, "give either month or from and to",
        "/charts/data/upbound?region=14&from=2015-01&to=" + month, "the period is at most 36 months");
    for (Map.Entry<String, String> reason : reasons.entrySet()) {
      MockHttpServletResponse response = call(reason.getKey());
      assertThat(response.getStatus()).as(reason.getKey()).isEqualTo(400);
      assertThat(JSON.readTree(response.getContentAsString()).path("error").asText()).as(reason.getKey()).isEqualTo(reason.getValue());
    }
    MockHttpServletResponse page = call("/charts/deliveries?region=14&from=" + day + "&to=2020-01-01");
    assertThat(page.getStatus()).isEqualTo(400);
    assertThat(page.getContentAsString()).contains("<p id=\"error-message\">from must not be after to</p>");
  }
}
