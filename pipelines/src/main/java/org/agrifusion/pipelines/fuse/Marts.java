package org.agrifusion.pipelines.fuse;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.try_divide;
import static org.apache.spark.sql.functions.when;

import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.spark.Exact;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The aggregate tables people ask for (docs/data-standard.md, "Marts"). Each is a function of fused
 * facts; all money in CNY, all weights in kg, prices in CNY/kg (only convertible observations).
 */
public final class Marts {

  private Marts() {}

  /**
   * price_daily: variety x market x day: min / avg / max / volume-weighted avg price, observations.
   * A market is its market_key (the market code, or country / subdivision / district / name for feeds
   * without codes), so two mandis named Bijapur in two states stay two rows.
   */
  public static Dataset<Row> priceDaily(Dataset<Row> prices) {
    Column weighted = try_divide(sum(Exact.decimal(col("price_avg")).multiply(Exact.decimal(col("volume_kg")))),
        sum(when(col("price_avg").isNotNull(), Exact.decimal(col("volume_kg")))));
    return prices.where(col("unit_convertible"))
        .withColumn("variety_key", coalesce(col("variety_code"), col("product_code")))
        .groupBy(col(Lake.PARTITION_COLUMN), col("variety_key").as("variety_code"),
            // rows curated before market_key existed read it as null: their market was the market code
            coalesce(col("market_key"), col("market_code")).as("market_key"))
        // min, not first: a market may write a variety two ways, and the mart must not depend on row order
        .agg(min("product_code").as("product_code"), min("product_name").as("product_name"),
            min("market_code").as("market_code"), min("market_name").as("market_name"),
            min("market_country_code").as("market_country_code"), min("market_subdivision_code").as("market_subdivision_code"),
            min("market_district_code").as("market_district_code"), min("market_district_raw").as("market_district_raw"),
            round(min(coalesce(col("price_low"), col("price_avg"))), 4).as("price_min"),
            Exact.rounded(Exact.avg("price_avg"), 4).as("price_avg"),
            round(max(coalesce(col("price_high"), col("price_avg"))), 4).as("price_max"),
            Exact.rounded(weighted, 4).as("price_vwavg"),
            count(lit(1)).as("observations"));
  }

  /** flow_daily: origin county -> destination province x variety x day: orders, kg, CNY, parcels (refunds and cancellations excluded). */
  public static Dataset<Row> flowDaily(Dataset<Row> sales) {
    return sales.where(col("status").isin("paid", "shipped"))
        .withColumn("destination_province_code", concat(substring(col("buyer_region_code"), 1, 2), lit("0000")))
        .groupBy(col(Lake.PARTITION_COLUMN), col("seller_region_code").as("origin_county_code"),
            col("destination_province_code"), coalesce(col("variety_code"), col("product_code")).as("variety_code"))
        .agg(countDistinct(col("platform"), col("order_id")).as("orders"),
            Exact.rounded(Exact.sum("quantity_kg"), 3).as("kg"),
            Exact.rounded(Exact.sum("amount_cny"), 2).as("cny"),
            countDistinct(col("courier_code"), col("tracking_no")).as("parcels"));
  }

  /**
   * delivery_daily: county x courier x day: parcels, median and p90 transit hours of signed parcels,
   * half-day rate (share of the signed parcels with a route delivered half-day) and next-day rate
   * (half-day or next-day), up-bound and down-bound counts. The county is the rural end of a
   * parcel's route, or its receiver when it has no sender.
   */
  public static Dataset<Row> deliveryDaily(Dataset<Row> parcels) {
    Column signed = col("sign_time").isNotNull();
    Column signedCount = sum(when(signed, 1).otherwise(0));
    // the rates' denominator: signed parcels with a route (a parcel without a sender has no class)
    Column classified = sum(when(col("delivery_class").isin("half_day", "next_day", "later"), 1).otherwise(0));
    return parcels
        .groupBy(col(Lake.PARTITION_COLUMN), col("county_code"), col("courier_code"))
        .agg(count(lit(1)).as("parcels"),
            signedCount.as("signed"),
            round(percentile(col("transit_hours"), lit(0.5)), 2).as("transit_hours_median"),
            round(percentile(col("transit_hours"), lit(0.9)), 2).as("transit_hours_p90"),
            round(try_divide(sum(when(col("delivery_class").equalTo("half_day"), 1).otherwise(0)), classified), 4).as("half_day_rate"),
            round(try_divide(sum(when(col("delivery_class").isin("half_day", "next_day"), 1).otherwise(0)), classified), 4).as("next_day_rate"),
            sum(when(col("direction").equalTo("up"), 1).otherwise(0)).as("upbound"),
            sum(when(col("direction").equalTo("down"), 1).otherwise(0)).as("downbound"));
  }

  /** upbound_daily: county x courier x day: up-bound agricultural parcels, what upbound_monthly adds up. */
  public static Dataset<Row> upboundDaily(Dataset<Row> parcels) {
    return parcels.where(col("direction").equalTo("up").and(col("agricultural")))
        .groupBy(col(Lake.PARTITION_COLUMN), col("county_code"), col("courier_code"))
        .agg(count(lit(1)).as("parcels"));
  }

  /**
   * upbound_monthly: county x month: up-bound agricultural parcels with a courier breakdown (the
   * subsidy basis), summed from the month's upbound_daily rows (a few hundred a day, whatever the
   * parcel volume), so the last day of a month costs what the first does.
   */
  public static Dataset<Row> upboundMonthly(Dataset<Row> upboundDaily) {
    return upboundDaily
        .withColumn(Lake.MONTH_COLUMN, date_format(col(Lake.PARTITION_COLUMN), "yyyy-MM"))
        .groupBy(col(Lake.MONTH_COLUMN), col("county_code"), col("courier_code"))
        .agg(sum("parcels").as("n"))
        .groupBy(col(Lake.MONTH_COLUMN), col("county_code"))
        // entries sorted by courier: the stored map (and the documents and extracts made of it) must not
        // depend on the order rows reach the aggregation
        .agg(sum("n").as("parcels"), map_from_entries(array_sort(collect_list(struct(col("courier_code"), col("n"))))).as("by_courier"));
  }

  /**
   * spread_daily: variety x day: the origin-side price (average CNY/kg of the day's platform sales
   * shipped from the origin) against the wholesale price (average of the day's observations in China's markets),
   * spread = origin - wholesale and spread % = spread / wholesale x 100.
   */
  public static Dataset<Row> spreadDaily(Dataset<Row> sales, Dataset<Row> prices) {
    Dataset<Row> origin = sales.where(col("status").isin("paid", "shipped").and(col("unit_price_cny_kg").isNotNull()))
        .groupBy(col(Lake.PARTITION_COLUMN), coalesce(col("variety_code"), col("product_code")).as("variety_code"))
        .agg(Exact.rounded(Exact.avg("unit_price_cny_kg"), 4).as("origin_price"), count(lit(1)).as("origin_sales"));
    // the origin side is Chinese platform sales, so the wholesale side is China's markets only (rows
    // curated before market_country_code existed are Chinese)
    Dataset<Row> wholesale = prices.where(col("unit_convertible").and(coalesce(col("market_country_code"), lit("CN")).equalTo("CN")))
        .groupBy(col(Lake.PARTITION_COLUMN), coalesce(col("variety_code"), col("product_code")).as("variety_code"))
        .agg(Exact.rounded(Exact.avg("price_avg"), 4).as("wholesale_price"), count(lit(1)).as("wholesale_observations"));
    return origin.join(wholesale, new String[] {Lake.PARTITION_COLUMN, "variety_code"}, "inner")
        .withColumn("spread", Exact.rounded(Exact.decimal(col("origin_price")).minus(Exact.decimal(col("wholesale_price"))), 4))
        .withColumn("spread_pct", round(try_divide(col("spread"), col("wholesale_price")).multiply(100), 2));
  }
}
