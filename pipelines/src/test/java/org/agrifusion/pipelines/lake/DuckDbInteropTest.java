package org.agrifusion.pipelines.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.agrifusion.pipelines.support.SparkExtension;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An outside reader without an Iceberg library (DuckDB's read_parquet) finds what Spark finds when
 * it reads exactly the data files Iceberg plans for the current snapshot, never a glob of the
 * table's folder, which still holds the files of replaced partitions.
 */
@ExtendWith(SparkExtension.class)
class DuckDbInteropTest {

  static final LocalDate DAY = LocalDate.of(2021, 12, 7);

  /** Shipments of a day; {@code pieces} only from the schema's second version on. */
  static Dataset<Row> shipments(SparkSession spark, LocalDate day, int run, int rows, boolean withPieces) {
    List<String> columns = new ArrayList<>(List.of(
        "concat('YT', lpad(cast(id + " + run * 10_000 + " as string), 12, '0')) AS tracking_no",
        "cast(round(0.3 + (id % 53) * 0.7 + " + run + ", 2) as double) AS weight_kg",
        "DATE'" + day + "' AS business_date"));
    if (withPieces) {
      columns.add("cast(1 + id % 4 as int) AS pieces");
    }
    return spark.range(rows).selectExpr(columns.toArray(String[]::new)).repartition(2);
  }

  @Test
  void duckDbReadingThePlannedFilesFindsWhatSparkFinds(SparkSession spark, @TempDir Path dir)
      throws IOException, SQLException {
    TableId shipment = new Lake(dir.toString()).register(spark).table(LakeTable.SHIPMENT);
    for (int d = 0; d < 3; d++) {
      Tables.replace(shipments(spark, DAY.plusDays(d), 1, 100 + 10 * d, false), shipment, DAY.plusDays(d));
    }
    // the second day is re-run: its first files stay in the folder, but not in the current snapshot
    Tables.replace(shipments(spark, DAY.plusDays(1), 2, 77, false), shipment, DAY.plusDays(1));
    // a column added later: older files lack it
    Tables.replace(shipments(spark, DAY.plusDays(3), 3, 60, true), shipment, DAY.plusDays(3));

    Dataset<Row> current = Tables.readAll(spark, shipment, null).orElseThrow();
    Row sparkTotals = current.selectExpr("count(*)", "sum(weight_kg)", "sum(pieces)", "count(pieces)").first();
    Map<String, Long> sparkPerDate = new TreeMap<>();
    current.groupBy("business_date").count().collectAsList()
        .forEach(r -> sparkPerDate.put(r.getDate(0).toString(), r.getLong(1)));

    Table table = Tables.load(spark, shipment);
    List<String> planned = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        // read_parquet cannot apply delete files; the lake's tables are copy-on-write, so there are none
        assertThat(task.deletes()).isEmpty();
        planned.add(task.file().location().replaceFirst("^file:", ""));
      }
    }
    String files = planned.stream().map(f -> "'" + f.replace("'", "''") + "'").collect(Collectors.joining(", ", "[", "]"));
    // the partition column is in the files; the folder names are not read
    String read = "read_parquet(" + files + ", union_by_name = true, hive_partitioning = false)";

    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
      try (ResultSet rs = duck.createStatement().executeQuery(
          "SELECT count(*), sum(weight_kg), sum(pieces), count(pieces) FROM " + read)) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(sparkTotals.getLong(0)).isEqualTo(100 + 77 + 120 + 60);
        assertThat(rs.getDouble(2)).isCloseTo(sparkTotals.getDouble(1), offset(1e-6));
        assertThat(rs.getLong(3)).isEqualTo(sparkTotals.getLong(2));
        assertThat(rs.getLong(4)).isEqualTo(sparkTotals.getLong(3)).isEqualTo(60);
      }
      Map<String, Long> duckPerDate = new TreeMap<>();
      try (ResultSet rs = duck.createStatement().executeQuery(
          "SELECT CAST(business_date AS VARCHAR), count(*) FROM " + read + " GROUP BY 1")) {
        while (rs.next()) {
          duckPerDate.put(rs.getString(1), rs.getLong(2));
        }
      }
      assertThat(duckPerDate).isEqualTo(sparkPerDate).containsEntry(DAY.plusDays(1).toString(), 77L);

      // a glob of the folder also finds the replaced run's files: the wrong answer
      String glob = (table.location().replaceFirst("^file:", "") + "/data/**/*.parquet").replace("'", "''");
      try (ResultSet rs = duck.createStatement().executeQuery(
          "SELECT count(*) FROM read_parquet('" + glob + "', union_by_name = true, hive_partitioning = false)")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(sparkTotals.getLong(0) + 110);
      }
    }
  }
}
