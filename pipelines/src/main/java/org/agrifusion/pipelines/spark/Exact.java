package org.agrifusion.pipelines.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.round;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;

/**
 * Sums and averages of measures that do not depend on the order rows arrive in. Doubles added in
 * another order (another partitioning, another number of cores) can differ in the last bit, and a
 * published figure then rounds the other way at a tie: 7.605 shown as 7.61 one night and as 7.60 on
 * a re-run. Measures are added as decimals, which add exactly, and rounded figures are doubles again.
 */
public final class Exact {

  /** Up to 10^28 with 10 decimals: every measure the data standard keeps (4 decimals) adds exactly. */
  public static final DecimalType DECIMAL = DataTypes.createDecimalType(38, 10);

  private Exact() {}

  /** The column as an exact decimal (null for a value no decimal holds, which the standard never keeps). */
  public static Column decimal(Column column) {
    return column.try_cast(DECIMAL);
  }

  public static Column sum(String column) {
    return functions.sum(decimal(col(column)));
  }

  public static Column avg(String column) {
    return functions.avg(decimal(col(column)));
  }

  /** An exact figure rounded half-up to {@code scale} decimals, as a double. */
  public static Column rounded(Column exact, int scale) {
    return round(exact, scale).cast(DataTypes.DoubleType);
  }

  /** Every double column as an exact decimal: for expressions a steward writes (extract definitions). */
  public static Dataset<Row> decimals(Dataset<Row> rows) {
    Dataset<Row> out = rows;
    for (StructField field : rows.schema().fields()) {
      if (field.dataType() == DataTypes.DoubleType) {
        out = out.withColumn(field.name(), decimal(col("`" + field.name() + "`")));
      }
    }
    return out;
  }

  /** Every decimal column as a double again, so files show the numbers as they always did. */
  public static Dataset<Row> doubles(Dataset<Row> rows) {
    Dataset<Row> out = rows;
    for (StructField field : rows.schema().fields()) {
      if (field.dataType() instanceof DecimalType) {
        out = out.withColumn(field.name(), col("`" + field.name() + "`").cast(DataTypes.DoubleType));
      }
    }
    return out;
  }
}
