package org.agrifusion.pipelines.fuse;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import org.agrifusion.pipelines.support.SparkExtension;
import org.agrifusion.pipelines.support.TestReference;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A day with a known answer for every figure: seven parcels (half-day, next-day, later, in transit,
 * a late waybill of an order placed two days before, one of an order placed too long ago, two
 * down-bound), orders including a refund and an unshipped one, and market prices with volumes.
 */
@ExtendWith(SparkExtension.class)
class FuseKnownAnswersTest {

  static final String DAY = "2021-12-07";
  final SparkSession spark;
  Dataset<Row> parcels;
  Dataset<Row> sales;
  Dataset<Row> prices;

  FuseKnownAnswersTest(SparkSession spark) {
    this.spark = spark;
  }

  Dataset<Row> json(String ddl, String... rows) {
    return spark.read().schema(ddl).json(spark.createDataset(List.of(rows), Encoders.STRING()));
  }

  @BeforeEach
  void day() {
    String shipmentDdl = "record_id STRING, business_date DATE, courier_code STRING, tracking_no STRING, pickup_time TIMESTAMP, "
        + "pickup_date DATE, sign_time TIMESTAMP, sender_region_code STRING, receiver_region_code STRING";
    Dataset<Row> shipments = json(shipmentDdl,
        ship("S1", "ZTO", "ZT1", "10:00", "2021-12-07T18:00:00+08:00", "140821", "140802"),
        ship("S2", "ZTO", "ZT2", "09:00", "2021-12-08T07:00:00+08:00", "140821", "140105"),
        ship("S3", "ZTO", "ZT3", "08:00", "2021-12-09T08:00:00+08:00", "140821", "440106"),
        ship("S4", "ZTO", "ZT4", "12:00", null, "141031", "440106"),
        ship("S5", "ZTO", "ZT5", "11:00", "2021-12-09T11:00:00+08:00", "440106", "141031"),
        ship("S6", "ZTO", "ZT6", "09:00", "2021-12-07T14:00:00+08:00", "140821", "140802"),
        ship("S7", "SF", "SF7", "10:00", "2021-12-07T20:00:00+08:00", "140802", "140821"));
    String saleDdl = "business_date DATE, platform STRING, order_id STRING, order_date DATE, product_code STRING, variety_code STRING, "
        + "seller_region_code STRING, buyer_region_code STRING, quantity_kg DOUBLE, amount_cny DOUBLE, unit_price_cny_kg DOUBLE, "
        + "courier_code STRING, tracking_no STRING, status STRING";
    Dataset<Row> window = json(saleDdl,
        sale(DAY, "A1", "0201", "020101", "140821", "140802", 10, 90, "ZTO", "ZT1", "shipped"),
        sale("2021-12-05", "A2", "0202", "020202", "140821", "140105", 15, 174, "ZTO", "ZT2", "shipped"),
        sale(DAY, "A3", "0201", "020101", "140821", "440106", 5, 45, "ZTO", "ZT3", "shipped"),
        sale(DAY, "A4", "0202", "020202", "141031", "440106", 5, 58, "ZTO", "ZT4", "shipped"),
        sale("2021-12-01", "A6", "0201", "020101", "140821", "140802", 5, 45, "ZTO", "ZT6", "shipped"),
        sale(DAY, "A7", "0201", "020101", "140821", "310115", 5, 45, null, null, "paid"),
        sale(DAY, "A8", "0201", "020101", "140821", "440106", 5, 45, "ZTO", "ZT8", "refunded"));
    sales = window.where(col("business_date").equalTo(DAY));
    parcels = Parcels.derive(shipments, window, RegionTable.of(spark, TestReference.SHIPPED.regions()), Parcels.Targets.defaults()).cache();
    prices = json("business_date DATE, market_code STRING, market_key STRING, market_name STRING, market_country_code STRING, "
            + "market_subdivision_code STRING, market_district_code STRING, market_district_raw STRING, product_name STRING, "
            + "product_code STRING, variety_code STRING, price_low DOUBLE, price_avg DOUBLE, price_high DOUBLE, volume_kg DOUBLE, "
            + "unit_convertible BOOLEAN",
        price("M1", "020101", 4.0, 5.0, 6.0, 100.0, true),
        price("M1", "020101", 5.0, 6.0, 7.0, 300.0, true),
        price("M2", "020101", null, 8.0, null, null, true),
        price("M1", "020202", 9.0, 10.0, 11.0, null, false),
        price("M1", "020202", 11.0, 12.0, 13.0, null, true),
        // an Indian mandi without a market code: its own market in price_daily, and not China's wholesale price
        mandi("IN/IN-HP/Kangra/Palampur", "Palampur", "IN-HP", "Kangra", "020101", 200.0),
        mandi("IN/IN-HP/Shimla/Palampur", "Palampur", "IN-HP", "Shimla", "020101", 210.0));
  }

  static String ship(String id, String courier, String tracking, String pickup, String sign, String from, String to) {
    return String.format("{\"record_id\":\"%s\",\"business_date\":\"%s\",\"courier_code\":\"%s\",\"tracking_no\":\"%s\","
        + "\"pickup_time\":\"%sT%s:00+08:00\",\"pickup_date\":\"%s\",%s\"sender_region_code\":\"%s\",\"receiver_region_code\":\"%s\"}",
        id, DAY, courier, tracking, DAY, pickup, DAY, sign == null ? "" : "\"sign_time\":\"" + sign + "\",", from, to);
  }

  static String sale(String day, String order, String product, String variety, String seller, String buyer, double kg,
      double amount, String courier, String tracking, String status) {
    return String.format("{\"business_date\":\"%s\",\"platform\":\"拼多多\",\"order_id\":\"%s\",\"order_date\":\"%s\","
        + "\"product_code\":\"%s\",\"variety_code\":\"%s\",\"seller_region_code\":\"%s\",\"buyer_region_code\":\"%s\","
        + "\"quantity_kg\":%s,\"amount_cny\":%s,\"unit_price_cny_kg\":%s,%s\"status\":\"%s\"}",
        day, order, day, product, variety, seller, buyer, kg, amount, amount / kg,
        courier == null ? "" : "\"courier_code\":\"" + courier + "\",\"tracking_no\":\"" + tracking + "\",", status);
  }

  static String price(String market, String variety, Double low, Double avg, Double high, Double volume, boolean convertible) {
    return String.format("{\"business_date\":\"%s\",\"market_code\":\"%s\",\"market_name\":\"%s\",\"product_name\":\"x\","
        + "\"product_code\":\"%s\",\"variety_code\":\"%s\",\"price_low\":%s,\"price_avg\":%s,\"price_high\":%s,"
        + "\"volume_kg\":%s,\"unit_convertible\":%s}", DAY, market, market, variety.substring(0, 4), variety, low, avg, high,
        volume, convertible);
  }

  static String mandi(String key, String name, String subdivision, String district, String variety, double avg) {
    return String.format("{\"business_date\":\"%s\",\"market_key\":\"%s\",\"market_name\":\"%s\",\"market_country_code\":\"IN\","
        + "\"market_subdivision_code\":\"%s\",\"market_district_raw\":\"%s\",\"product_name\":\"Apple\",\"product_code\":\"%s\","
        + "\"variety_code\":\"%s\",\"price_avg\":%s,\"unit_convertible\":true}", DAY, key, name, subdivision, district,
        variety.substring(0, 4), variety, avg);
  }

  @Test
  void everyParcelGetsItsClassDirectionCountyAndOrder() {
    assertThat(parcels.orderBy("record_id").collectAsList())
        .extracting(r -> r.getAs("record_id"), r -> r.getAs("transit_hours"), r -> r.getAs("delivery_class"),
            r -> r.getAs("direction"), r -> r.getAs("county_code"), r -> r.getAs("match_status"), r -> r.getAs("order_id"),
            r -> r.getAs("agricultural"))
        .containsExactly(
            tuple("S1", 8.0, "half_day", "up", "140821", "matched", "A1", true),
            tuple("S2", 22.0, "next_day", "up", "140821", "matched", "A2", true),   // late waybill of an order of 12-05
            tuple("S3", 48.0, "later", "up", "140821", "matched", "A3", true),
            tuple("S4", null, "in_transit", "up", "141031", "matched", "A4", true),
            tuple("S5", 48.0, "later", "down", "141031", "no_order", null, false),
            tuple("S6", 5.0, "half_day", "up", "140821", "no_order", null, false),   // its order (12-01) is beyond 3 days
            tuple("S7", 10.0, "half_day", "down", "140821", "no_order", null, false));
  }

  @Test
  void everyOrderIsSettledWithItsWaybillStatus() {
    Dataset<Row> shipments = parcels.select("courier_code", "tracking_no", "pickup_time", "sign_time");
    assertThat(Fulfilment.settle(sales, shipments, java.time.LocalDate.parse(DAY)).orderBy("order_id").collectAsList())
        .extracting(r -> r.getAs("order_id"), r -> r.getAs("waybill_status"))
        .containsExactly(tuple("A1", "matched"), tuple("A3", "matched"), tuple("A4", "matched"),
            tuple("A7", "not_shipped"), tuple("A8", "no_waybill"));
  }

  @Test
  void deliveryDaily() {
    assertThat(Marts.deliveryDaily(parcels).orderBy("county_code", "courier_code").collectAsList())
        .extracting(r -> r.getAs("county_code"), r -> r.getAs("courier_code"), r -> r.getAs("parcels"), r -> r.getAs("signed"),
            r -> r.getAs("transit_hours_median"), r -> r.getAs("transit_hours_p90"), r -> r.getAs("half_day_rate"),
            r -> r.getAs("next_day_rate"), r -> r.getAs("upbound"), r -> r.getAs("downbound"))
        .containsExactly(
            tuple("140821", "SF", 1L, 1L, 10.0, 10.0, 1.0, 1.0, 0L, 1L),
            tuple("140821", "ZTO", 4L, 4L, 15.0, 40.2, 0.5, 0.75, 4L, 0L),
            tuple("141031", "ZTO", 2L, 1L, 48.0, 48.0, 0.0, 0.0, 1L, 1L));
  }

  @Test
  void upboundMonthlyCountsAgriculturalUpBoundParcelsByCourier() {
    assertThat(Marts.upboundMonthly(Marts.upboundDaily(parcels)).orderBy("county_code").collectAsList())
        .extracting(r -> r.getAs(org.agrifusion.pipelines.lake.Lake.MONTH_COLUMN), r -> r.getAs("county_code"), r -> r.getAs("parcels"), r -> r.getJavaMap(r.fieldIndex("by_courier")))
        .containsExactly(tuple("2021-12", "140821", 3L, Map.of("ZTO", 3L)), tuple("2021-12", "141031", 1L, Map.of("ZTO", 1L)));
  }

  @Test
  void priceDaily() {
    assertThat(Marts.priceDaily(prices).orderBy("variety_code", "market_key").collectAsList())
        .extracting(r -> r.getAs("variety_code"), r -> r.getAs("market_key"), r -> r.getAs("market_code"), r -> r.getAs("price_min"),
            r -> r.getAs("price_avg"), r -> r.getAs("price_max"), r -> r.getAs("price_vwavg"), r -> r.getAs("observations"))
        .containsExactly(
            // rows without a market_key (curated before it existed) are keyed by their market code
            tuple("020101", "IN/IN-HP/Kangra/Palampur", null, 200.0, 200.0, 200.0, null, 1L),
            tuple("020101", "IN/IN-HP/Shimla/Palampur", null, 210.0, 210.0, 210.0, null, 1L),
            tuple("020101", "M1", "M1", 4.0, 5.5, 7.0, 5.75, 2L),
            tuple("020101", "M2", "M2", 8.0, 8.0, 8.0, null, 1L),
            tuple("020202", "M1", "M1", 11.0, 12.0, 13.0, null, 1L));  // the per-box quote (not per kg) is left out
  }

  /**
   * The mean of 15.495, 16.005, 7.722 and 19.639 is 14.71525: summed as doubles in some orders it
   * comes out a hair below and rounds to 14.7152; the published figure must not depend on the order
   * quotes arrive in (partitioning, cores), nor the names shown on which quote came first.
   */
  @Test
  void priceDailyIsTheSameInEveryRowOrder() {
    double[] quotes = {15.495, 16.005, 7.722, 19.639};
    java.util.Set<List<Object>> answers = new java.util.HashSet<>();
    for (int[] order : new int[][] {{0, 1, 2, 3}, {3, 2, 1, 0}, {1, 3, 0, 2}, {2, 0, 3, 1}, {0, 2, 1, 3}, {3, 0, 2, 1}}) {
      String[] rows = new String[4];
      for (int i = 0; i < 4; i++) {
        rows[i] = price("M1", "020101", null, quotes[order[i]], null, 1.0 + order[i], true)
            .replace("\"product_name\":\"x\"", "\"product_name\":\"" + (order[i] % 2 == 0 ? "红富士" : "富士") + "\"");
      }
      Row day = Marts.priceDaily(json(prices.schema().toDDL(), rows).coalesce(1)).first();
      answers.add(List.of(day.getAs("price_avg"), day.getAs("price_vwavg"), day.getAs("product_name")));
    }
    assertThat(answers).containsExactly(List.of(14.7153, 14.9227, "富士"));
  }

  @Test
  void flowDailyLeavesRefundsOut() {
    assertThat(Marts.flowDaily(sales).orderBy("origin_county_code", "destination_province_code").collectAsList())
        .extracting(r -> r.getAs("origin_county_code"), r -> r.getAs("destination_province_code"), r -> r.getAs("variety_code"),
            r -> r.getAs("orders"), r -> r.getAs("kg"), r -> r.getAs("cny"), r -> r.getAs("parcels"))
        .containsExactly(
            tuple("140821", "140000", "020101", 1L, 10.0, 90.0, 1L),
            tuple("140821", "310000", "020101", 1L, 5.0, 45.0, 0L),
            tuple("140821", "440000", "020101", 1L, 5.0, 45.0, 1L),
            tuple("141031", "440000", "020202", 1L, 5.0, 58.0, 1L));
  }

  @Test
  void spreadDailyComparesOriginSalesWithWholesale() {
    assertThat(Marts.spreadDaily(sales, prices).orderBy("variety_code").collectAsList())
        .extracting(r -> r.getAs("variety_code"), r -> r.getAs("origin_price"), r -> r.getAs("wholesale_price"),
            r -> r.getAs("spread"), r -> r.getAs("spread_pct"))
        .containsExactly(tuple("020101", 9.0, 6.3333, 2.6667, 42.11), tuple("020202", 11.6, 12.0, -0.4, -3.33));
  }

  /**
   * The courier breakdown of a county's month must not depend on the order its daily rows arrive in
   * (found on a cluster: the same day run embedded, on HDFS and on S3 stored three orders of one map).
   */
  @Test
  void upboundMonthlyIsTheSameInEveryRowOrder() {
    String[] daily = {"('2024-05-01', 'YTO', 4)", "('2024-05-02', 'SF', 3)", "('2024-05-01', 'ZTO', 2)", "('2024-05-03', 'YTO', 1)",
        "('2024-05-02', 'EMS', 5)"};
    java.util.Set<String> answers = new java.util.HashSet<>();
    for (int[] order : new int[][] {{0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}, {2, 4, 0, 3, 1}, {1, 0, 4, 2, 3}}) {
      StringBuilder rows = new StringBuilder();
      for (int i : order) {
        rows.append(rows.isEmpty() ? "" : ", ").append(daily[i]);
      }
      Dataset<Row> upboundDaily = spark.sql("SELECT DATE(d) AS business_date, '140821' AS county_code, c AS courier_code, CAST(n AS BIGINT) AS parcels"
          + " FROM VALUES " + rows + " AS t(d, c, n)").repartition(3);
      answers.add(Marts.upboundMonthly(upboundDaily).selectExpr("to_json(struct(*))").first().getString(0));
    }
    assertThat(answers).containsExactly(
        "{\"business_month\":\"2024-05\",\"county_code\":\"140821\",\"parcels\":15,\"by_courier\":{\"EMS\":5,\"SF\":3,\"YTO\":5,\"ZTO\":2}}");
  }
}
