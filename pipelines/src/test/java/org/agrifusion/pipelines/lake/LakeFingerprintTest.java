package org.agrifusion.pipelines.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.apache.spark.sql.functions.col;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.agrifusion.pipelines.lake.LakeFingerprint.TableDigest;
import org.agrifusion.pipelines.support.SparkExtension;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkExtension.class)
class LakeFingerprintTest {

  static final LocalDate DAY = LocalDate.of(2024, 5, 1);

  /** Waybills as two runs of one input would store them: other run id, other storage root, other file times. */
  static Dataset<Row> waybills(SparkSession spark, String root, String runId, long modified, String... statuses) {
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < statuses.length; i++) {
      rows.append(i == 0 ? "" : ", ").append("('YT").append(1000 + i).append("', '").append(statuses[i]).append("', ")
          .append(12.5 + i).append(", '").append(root).append("/landing/2024-05-01/圆通/运单.csv', ").append(i + 2)
          .append(", '").append(runId).append("', ").append(modified).append("L, DATE'").append(DAY).append("')");
    }
    return spark.sql("SELECT * FROM VALUES " + rows
        + " AS t(waybill, status, weight_kg, source_file, source_row, run_id, modified_ms, business_date)");
  }

  @Test
  void twoRunsOfOneInputOnOtherStorageGiveTheSameDigestWhateverTheRowOrder(SparkSession spark) {
    TableDigest embedded = LakeFingerprint.digest("t", waybills(spark, "file:/data", "run-1", 1L, "签收", "揽收", "派送"));
    TableDigest cluster = LakeFingerprint.digest("t",
        waybills(spark, "hdfs://127.0.0.1:19820/agri", "run-2", 2L, "签收", "揽收", "派送").repartition(3).orderBy("status"));

    assertThat(cluster).isEqualTo(embedded);
    assertThat(embedded.rows()).isEqualTo(3);
  }

  @Test
  void aChangedValueAMissingRowOrAValueInAnotherColumnChangesTheDigest(SparkSession spark) {
    TableDigest digest = LakeFingerprint.digest("t", waybills(spark, "file:/data", "run-1", 1L, "签收", "揽收", "派送"));

    assertThat(LakeFingerprint.digest("t", waybills(spark, "file:/data", "run-1", 1L, "签收", "揽收", "拒收")).digest())
        .isNotEqualTo(digest.digest());
    assertThat(LakeFingerprint.digest("t", waybills(spark, "file:/data", "run-1", 1L, "签收", "揽收"))).isNotEqualTo(digest);
    Dataset<Row> swapped = waybills(spark, "file:/data", "run-1", 1L, "签收", "揽收", "派送")
        .selectExpr("status AS waybill", "waybill AS status", "weight_kg", "source_file", "source_row", "run_id", "modified_ms",
            "business_date");
    assertThat(LakeFingerprint.digest("t", swapped).digest()).isNotEqualTo(digest.digest());
  }

  @Test
  void twoLakesWrittenFromOneInputListEveryTableWithTheSameDigests(SparkSession spark, @TempDir Path dir) {
    Lake embedded = lake(spark, dir, "fingerprint_embedded");
    Lake cluster = lake(spark, dir, "fingerprint_cluster");
    Tables.replace(waybills(spark, "file:/data", "run-1", 1L, "签收", "揽收", "派送"), embedded.raw("courier-waybills"), DAY);
    Tables.replace(waybills(spark, "s3a://agri/lake", "run-2", 7L, "签收", "揽收", "派送").repartition(2).orderBy(col("waybill").desc()),
        cluster.raw("courier-waybills"), DAY);
    for (Lake lake : List.of(embedded, cluster)) {
      Tables.replace(spark.range(4).selectExpr("cast(id as string) AS county", "'2024-05' AS business_month"),
          lake.table(LakeTable.UPBOUND_MONTHLY), "2024-05");
    }

    List<TableDigest> digests = LakeFingerprint.of(spark, embedded);

    assertThat(digests).extracting(TableDigest::table, TableDigest::rows)
        .containsExactly(tuple("raw.courier_waybills", 3L), tuple("marts.upbound_monthly", 4L));
    assertThat(LakeFingerprint.of(spark, cluster)).isEqualTo(digests);
  }

  static Lake lake(SparkSession spark, Path dir, String name) {
    LakeCatalog catalog = new LakeCatalog(name, LakeCatalog.JDBC, "jdbc:h2:file:" + dir.resolve(name) + ";AUTO_SERVER=TRUE", "sa", "",
        dir.resolve(name + "-warehouse").toString());
    return new Lake(dir.resolve(name).toString(), catalog).register(spark);
  }
}
