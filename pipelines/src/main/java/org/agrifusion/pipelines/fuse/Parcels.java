package org.agrifusion.pipelines.fuse;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_timestamp;
import static org.apache.spark.sql.functions.when;

import java.io.Serializable;
import java.util.List;
import org.agrifusion.pipelines.spark.Exact;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Fuse stage, parcels: each waybill of the day with what the province's plan measures: transit
 * hours, the delivery class against the city "half-day" and county "next-day" targets, the
 * direction (up-bound from a rural county, down-bound into one) and, through the order it carries,
 * whether it is an agricultural parcel. Orders are looked up over the last N days, because a
 * waybill is picked up after its order; a waybill without an order is kept ({@code no_order}).
 */
public final class Parcels {

  /**
   * @param halfDayHours target within the same city
   * @param nextDayHours target within the same province
   * @param lookbackDays how many days before the pickup an order may have been placed
   */
  public record Targets(double halfDayHours, double nextDayHours, int lookbackDays) implements Serializable {
    public static Targets defaults() {
      return new Targets(12, 24, 3);
    }
  }

  /** The sale columns a parcel takes from its order; {@link #noSales} has them and no rows. */
  private static final StructType ORDER_COLUMNS = DataTypes.createStructType(List.of(
      DataTypes.createStructField("courier_code", DataTypes.StringType, true),
      DataTypes.createStructField("tracking_no", DataTypes.StringType, true),
      DataTypes.createStructField("order_date", DataTypes.DateType, true),
      DataTypes.createStructField("order_id", DataTypes.StringType, true),
      DataTypes.createStructField("platform", DataTypes.StringType, true),
      DataTypes.createStructField("product_code", DataTypes.StringType, true),
      DataTypes.createStructField("variety_code", DataTypes.StringType, true),
      DataTypes.createStructField("seller_region_code", DataTypes.StringType, true),
      DataTypes.createStructField("quantity_kg", DataTypes.DoubleType, true),
      DataTypes.createStructField("amount_cny", DataTypes.DoubleType, true)));

  private Parcels() {}

  /** For a day whose look-back window has no sales at all: every parcel is then {@code no_order}. */
  public static Dataset<Row> noSales(SparkSession spark) {
    return spark.createDataFrame(List.of(), ORDER_COLUMNS);
  }

  /**
   * @param shipments the day's fused shipments
   * @param sales fused sales; those ordered within {@code lookbackDays} before a parcel's pickup can match it
   * @param regions {@link RegionTable}
   */
  public static Dataset<Row> derive(Dataset<Row> shipments, Dataset<Row> sales, Dataset<Row> regions, Targets targets) {
    Dataset<Row> orders = sales
        .where(col("tracking_no").isNotNull().and(col("courier_code").isNotNull()))
        .groupBy(col("courier_code").as("o_courier"), col("tracking_no").as("o_tracking"))
        .agg(min("order_date").as("order_date"), min("order_id").as("order_id"), min("platform").as("platform"),
            max("product_code").as("order_product_code"), max("variety_code").as("order_variety_code"),
            max("seller_region_code").as("seller_region_code"), Exact.sum("quantity_kg").cast("double").as("order_kg"),
            Exact.sum("amount_cny").cast("double").as("order_amount_cny"), count(lit(1)).as("order_lines"));
    Dataset<Row> sender = regions.select(col(RegionTable.CODE).as("s_code"), col(RegionTable.CITY).as("sender_city_code"),
        col(RegionTable.PROVINCE).as("sender_province_code"), col(RegionTable.RURAL).as("sender_rural"));
    Dataset<Row> receiver = regions.select(col(RegionTable.CODE).as("r_code"), col(RegionTable.CITY).as("receiver_city_code"),
        col(RegionTable.PROVINCE).as("receiver_province_code"), col(RegionTable.RURAL).as("receiver_rural"));

    Column transit = round(unix_timestamp(col("sign_time")).minus(unix_timestamp(col("pickup_time"))).divide(3600.0), 2);
    Column sameCity = col("sender_city_code").equalTo(col("receiver_city_code"));
    Column sameProvince = col("sender_province_code").equalTo(col("receiver_province_code"));
    Column senderRural = coalesce(col("sender_rural"), lit(false));
    Column receiverRural = coalesce(col("receiver_rural"), lit(false));
    // A feed without senders (last-mile deliveries) gives neither a route nor a direction: such a
    // parcel is never up- or down-bound, and has transit hours but no delivery class.
    Column routed = col("sender_region_code").isNotNull();
    Column direction = when(not(routed), lit(null).cast("string"))
        .when(senderRural.and(not(receiverRural)), "up")
        .when(not(senderRural).and(receiverRural), "down")
        .otherwise("lateral");

    return shipments
        .join(broadcast(sender), col("sender_region_code").equalTo(col("s_code")), "left")
        .join(broadcast(receiver), col("receiver_region_code").equalTo(col("r_code")), "left")
        .join(orders, col("courier_code").equalTo(col("o_courier")).and(col("tracking_no").equalTo(col("o_tracking")))
            .and(col("order_date").between(date_sub(col("pickup_date"), targets.lookbackDays()), col("pickup_date"))), "left")
        .drop("s_code", "r_code", "o_courier", "o_tracking")
        .withColumn("transit_hours", transit)
        .withColumn("delivery_class",
            when(col("sign_time").isNull(), "in_transit")
                .when(not(routed), lit(null).cast("string"))
                .when(sameCity.and(col("transit_hours").leq(targets.halfDayHours())), "half_day")
                .when(sameProvince.and(col("transit_hours").leq(targets.nextDayHours())), "next_day")
                .otherwise("later"))
        .withColumn("direction", direction)
        .withColumn("county_code", when(col("direction").equalTo("down").or(not(routed)), col("receiver_region_code"))
            .otherwise(col("sender_region_code")))
        .withColumn("match_status", when(col("order_id").isNotNull(), "matched").otherwise("no_order"))
        .withColumn("agricultural", col("order_product_code").isNotNull());
  }
}
