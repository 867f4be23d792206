package org.agrifusion.pipelines.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.agrifusion.pipelines.support.SparkExtension;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkExtension.class)
class PartitionsTest {

  static final LocalDate DAY = LocalDate.of(2021, 12, 7);

  @Test
  void aRangeOfDaysIsTheDaysThatHaveDataAndAColumnAddedLaterIsNullInOlderDays(SparkSession spark, @TempDir Path dir) {
    String table = "file:" + dir.resolve("parcel");
    StructType v1 = DataTypes.createStructType(List.of(
        DataTypes.createStructField("tracking_no", DataTypes.StringType, false),
        DataTypes.createStructField(Lake.PARTITION_COLUMN, DataTypes.DateType, false)));
    StructType v2 = v1.add("agricultural", DataTypes.BooleanType);
    Partitions.replace(spark.createDataFrame(List.<Row>of(RowFactory.create("SF1", java.sql.Date.valueOf(DAY.minusDays(2)))), v1),
        table, DAY.minusDays(2));
    Partitions.replace(spark.createDataFrame(List.<Row>of(RowFactory.create("SF2", java.sql.Date.valueOf(DAY), true),
        RowFactory.create("SF3", java.sql.Date.valueOf(DAY), false)), v2), table, DAY);

    // the day in between has no partition; the day after the range is not read
    assertThat(Partitions.readDays(spark, table, DAY.minusDays(2), DAY).orElseThrow()
        .orderBy("tracking_no").collectAsList())
        .extracting(r -> r.getString(r.fieldIndex("tracking_no")), r -> r.get(r.fieldIndex("agricultural")))
        .containsExactly(org.assertj.core.groups.Tuple.tuple("SF1", null), org.assertj.core.groups.Tuple.tuple("SF2", true),
            org.assertj.core.groups.Tuple.tuple("SF3", false));
    assertThat(Partitions.readDays(spark, table, DAY.minusDays(1), DAY.minusDays(1))).isEmpty();
    assertThat(Partitions.readDays(spark, table, DAY, DAY.minusDays(1))).isEmpty();
  }
}
