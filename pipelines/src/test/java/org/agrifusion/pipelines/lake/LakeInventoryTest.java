package org.agrifusion.pipelines.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.LocalDate;
import org.agrifusion.pipelines.lake.LakeInventory.TableState;
import org.agrifusion.pipelines.support.SparkExtension;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkExtension.class)
class LakeInventoryTest {

  static final LocalDate DAY = LocalDate.of(2021, 12, 7);

  @Test
  void listsEveryTableOfTheLakesNamespacesInTheJdbcCatalogWithItsCurrentSnapshot(SparkSession spark, @TempDir Path dir) {
    LakeCatalog catalog = new LakeCatalog("lake_inventory_test", LakeCatalog.JDBC,
        "jdbc:h2:file:" + dir.resolve("catalog") + ";AUTO_SERVER=TRUE", "sa", "", dir.resolve("warehouse").toString());
    Lake lake = new Lake(dir.toString(), catalog).register(spark);
    assertThat(LakeInventory.list(spark, lake)).isEmpty();

    TableId monthly = lake.table(LakeTable.UPBOUND_MONTHLY);
    TableId raw = lake.raw("courier-waybills");
    Tables.replace(spark.range(12).repartition(3).selectExpr("cast(id as string) AS county", "'2021-12' AS business_month"),
        monthly, "2021-12");
    Tables.replace(spark.range(30).selectExpr("cast(id as string) AS waybill", "DATE'" + DAY + "' AS business_date"), raw, DAY);
    Tables.replace(spark.range(25).coalesce(1).selectExpr("cast(id as string) AS waybill", "DATE'" + DAY + "' AS business_date"), raw, DAY);
    // a namespace of the shared catalog that is not the lake's
    spark.sql("CREATE TABLE " + catalog.name() + ".scratch.notes (note STRING) USING iceberg");

    assertThat(LakeInventory.list(spark, lake))
        .extracting(TableState::table, TableState::snapshotId, TableState::records, TableState::dataFiles)
        .containsExactly(
            tuple(raw, Tables.snapshot(spark, raw).orElseThrow(), 25L, 1L),
            tuple(monthly, Tables.snapshot(spark, monthly).orElseThrow(), 12L, 3L));
    assertThat(LakeInventory.tables(spark, lake)).extracting(TableId::partitionColumn)
        .containsExactly(Lake.PARTITION_COLUMN, Lake.MONTH_COLUMN);
  }
}
