package org.agrifusion.pipelines.lake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.agrifusion.pipelines.support.SparkExtension;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Publishing a partition: atomic replacement, a manifest, the file-count rule, and readable by DuckDB too. */
@ExtendWith(SparkExtension.class)
class PartitionCommitterTest {

  final SparkSession spark;
  @TempDir Path root;

  PartitionCommitterTest(SparkSession spark) {
    this.spark = spark;
  }

  Dataset<Row> rows(String date, int n, double amount) {
    List<String> json = java.util.stream.IntStream.range(0, n)
        .mapToObj(i -> "{\"business_date\":\"" + date + "\",\"id\":\"" + date + "-" + i + "\",\"amount\":" + amount + "}").toList();
    return spark.read().schema("business_date DATE, id STRING, amount DOUBLE").json(spark.createDataset(json, Encoders.STRING()));
  }

  PartitionCommitter.Manifest publish(String date, int n, double amount, long rowsPerFile, String run) {
    return PartitionCommitter.publish(rows(date, n, amount), root.resolve("sale").toString(), "business_date", date, n,
        rowsPerFile, run, 1);
  }

  @Test
  void aRerunReplacesOnlyItsDateAndLeavesNoPendingCopies() throws IOException {
    publish("2021-12-06", 3, 1.0, 1000, "run-1");
    publish("2021-12-07", 5, 2.0, 1000, "run-2");
    publish("2021-12-07", 4, 3.0, 1000, "run-3");

    Dataset<Row> table = spark.read().parquet(root.resolve("sale").toString());
    assertThat(table.count()).isEqualTo(7);
    assertThat(table.where("business_date = '2021-12-07'").groupBy().sum("amount").first().getDouble(0)).isEqualTo(12.0);
    assertThat(Files.exists(root.resolve("sale/.pending/run-3"))).isFalse();
    assertThat(Files.exists(root.resolve("sale/.trash/run-3"))).isFalse();
    JsonNode manifest = new ObjectMapper().readTree(root.resolve("sale/business_date=2021-12-07/_MANIFEST.json").toFile());
    assertThat(manifest.get("rows").asLong()).isEqualTo(4);
    assertThat(manifest.get("run_id").asText()).isEqualTo("run-3");
    assertThat(manifest.get("files")).hasSize(1);
  }

  @Test
  void filesPerPartitionFollowTheRowsPerFileRule() {
    PartitionCommitter.Manifest m = publish("2021-12-07", 25, 1.0, 10, "run-1");
    assertThat(m.files()).hasSize(3);
  }

  @Test
  void anEmptyResultPublishesAnEmptyPartitionNotTheOldRows() throws IOException {
    publish("2021-12-07", 5, 2.0, 1000, "run-1");
    PartitionCommitter.publish(spark.emptyDataFrame(), root.resolve("sale").toString(), "business_date", "2021-12-07", 0, 1000, "run-2", 1);
    assertThat(Files.exists(root.resolve("sale/business_date=2021-12-07/_MANIFEST.json"))).isTrue();
    assertThat(Partitions.read(spark, root.resolve("sale").toString(), java.time.LocalDate.of(2021, 12, 7))).isEmpty();
    try (var files = Files.list(root.resolve("sale/business_date=2021-12-07"))) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".parquet")).contains("_MANIFEST.json");
    }
  }

  @Test
  void duckDbReadsTheSameCountsAndSumsAsSpark() throws SQLException {
    publish("2021-12-06", 3, 1.5, 1000, "run-1");
    publish("2021-12-07", 5, 2.5, 2, "run-2");
    Row spark = this.spark.read().parquet(root.resolve("sale").toString()).groupBy().agg(
        org.apache.spark.sql.functions.count("id"), org.apache.spark.sql.functions.sum("amount")).first();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duck.createStatement();
        ResultSet rs = statement.executeQuery("SELECT count(id), sum(amount), count(DISTINCT business_date) FROM read_parquet('"
            + root.resolve("sale") + "/*/*.parquet', hive_partitioning = true)")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(spark.getLong(0)).isEqualTo(8);
      assertThat(rs.getDouble(2)).isEqualTo(spark.getDouble(1)).isEqualTo(17.0);
      assertThat(rs.getLong(3)).isEqualTo(2);
    }
  }
}
