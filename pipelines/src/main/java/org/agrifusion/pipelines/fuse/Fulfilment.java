package org.agrifusion.pipelines.fuse;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Fuse stage, orders: the order side of the order x waybill join. A waybill may arrive up to N days
 * after its order, so an order's outcome is final once N days have passed: on business date D the
 * orders placed on D-N are settled against every waybill picked up from D-N to D. Every order is
 * kept with its {@code waybill_status}: {@code matched}, {@code no_waybill} (a tracking number was
 * given but no courier reported it) or {@code not_shipped} (no tracking number: paid, refunded or
 * cancelled before shipping).
 */
public final class Fulfilment {

  private static final StructType WAYBILL_COLUMNS = DataTypes.createStructType(List.of(
      DataTypes.createStructField("courier_code", DataTypes.StringType, true),
      DataTypes.createStructField("tracking_no", DataTypes.StringType, true),
      DataTypes.createStructField("pickup_time", DataTypes.TimestampType, true),
      DataTypes.createStructField("sign_time", DataTypes.TimestampType, true)));

  private Fulfilment() {}

  /** For days when no courier reported any waybill: every shipped order is then {@code no_waybill}. */
  public static Dataset<Row> noWaybills(SparkSession spark) {
    return spark.createDataFrame(List.of(), WAYBILL_COLUMNS);
  }

  /**
   * @param orders the fused sales placed on {@code orderDate}
   * @param shipments the fused shipments picked up from {@code orderDate} to the business date
   */
  public static Dataset<Row> settle(Dataset<Row> orders, Dataset<Row> shipments, LocalDate orderDate) {
    Dataset<Row> waybills = shipments
        .groupBy(col("courier_code").as("w_courier"), col("tracking_no").as("w_tracking"))
        .agg(min("pickup_time").as("pickup_time"), min("sign_time").as("sign_time"));
    return orders.where(col("order_date").equalTo(lit(java.sql.Date.valueOf(orderDate))))
        .join(waybills, col("courier_code").equalTo(col("w_courier")).and(col("tracking_no").equalTo(col("w_tracking"))), "left")
        .drop("w_courier", "w_tracking")
        .withColumn("waybill_status",
            when(col("tracking_no").isNull(), "not_shipped")
                .when(col("pickup_time").isNotNull(), "matched")
                .otherwise("no_waybill"));
  }
}
