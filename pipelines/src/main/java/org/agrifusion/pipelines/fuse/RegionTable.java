package org.agrifusion.pipelines.fuse;

import java.util.List;
import org.agrifusion.pipelines.reference.Region;
import org.agrifusion.pipelines.reference.RegionCatalog;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The region reference as a small table (a few thousand rows) to join facts with: city, province, rural. */
public final class RegionTable {

  public static final String CODE = "code";
  public static final String CITY = "city_code";
  public static final String PROVINCE = "province_code";
  public static final String RURAL = "rural";

  private static final StructType SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField(CODE, DataTypes.StringType, false),
      DataTypes.createStructField(CITY, DataTypes.StringType, true),
      DataTypes.createStructField(PROVINCE, DataTypes.StringType, false),
      DataTypes.createStructField(RURAL, DataTypes.BooleanType, true)));

  private RegionTable() {}

  public static Dataset<Row> of(SparkSession spark, RegionCatalog regions) {
    List<Row> rows = regions.all().stream()
        .map((Region r) -> RowFactory.create(r.code(), r.cityCode(), r.provinceCode(), r.rural()))
        .toList();
    return spark.createDataFrame(rows, SCHEMA);
  }
}
