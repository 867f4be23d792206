package org.agrifusion.pipelines.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import org.agrifusion.pipelines.support.SparkExtension;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkExtension.class)
class DeduplicationTest {

  final SparkSession spark;

  DeduplicationTest(SparkSession spark) {
    this.spark = spark;
  }

  @Test
  void oneRecordPerIdBySourcePriorityThenLatestFileWithLosersKept() {
    Dataset<Row> accepted = spark.read()
        .schema("record_id STRING, content_hash STRING, source_id STRING, source_file STRING, source_row LONG, amount_cny DOUBLE,"
            + " business_date DATE")
        .json(spark.createDataset(List.of(
            // the same order in the shop export and the platform's own feed: merged
            "{\"record_id\":\"R1\",\"content_hash\":\"A\",\"source_id\":\"shop-orders\",\"source_file\":\"orders_0800.csv\",\"source_row\":2,\"amount_cny\":90,\"business_date\":\"2021-12-07\"}",
            "{\"record_id\":\"R1\",\"content_hash\":\"A\",\"source_id\":\"platform-b\",\"source_file\":\"b_0600.jsonl\",\"source_row\":5,\"amount_cny\":90,\"business_date\":\"2021-12-07\"}",
            // re-exported later with a corrected amount: the latest file wins
            "{\"record_id\":\"R2\",\"content_hash\":\"B\",\"source_id\":\"shop-orders\",\"source_file\":\"orders_0800.csv\",\"source_row\":3,\"amount_cny\":45,\"business_date\":\"2021-12-07\"}",
            "{\"record_id\":\"R2\",\"content_hash\":\"C\",\"source_id\":\"shop-orders\",\"source_file\":\"orders_2000.csv\",\"source_row\":3,\"amount_cny\":46,\"business_date\":\"2021-12-07\"}",
            // two feeds disagree: the one with priority wins, though its file is older
            "{\"record_id\":\"R3\",\"content_hash\":\"D\",\"source_id\":\"shop-orders\",\"source_file\":\"orders_2000.csv\",\"source_row\":4,\"amount_cny\":50,\"business_date\":\"2021-12-07\"}",
            "{\"record_id\":\"R3\",\"content_hash\":\"E\",\"source_id\":\"platform-b\",\"source_file\":\"b_0600.jsonl\",\"source_row\":6,\"amount_cny\":55,\"business_date\":\"2021-12-07\"}"),
            Encoders.STRING()));

    Dataset<Row> ranked = Deduplication.ranked(accepted, Map.of("platform-b", 10)).cache();

    assertThat(Deduplication.fused(ranked).orderBy("record_id").collectAsList())
        .extracting(r -> r.getAs("record_id"), r -> r.getAs("amount_cny"), r -> r.getList(r.fieldIndex(Deduplication.REPORTED_BY)),
            r -> r.getAs(Deduplication.CONFLICT))
        .containsExactly(
            tuple("R1", 90.0, List.of("platform-b", "shop-orders"), false),
            tuple("R2", 46.0, List.of("shop-orders"), true),
            tuple("R3", 55.0, List.of("platform-b", "shop-orders"), true));
    assertThat(Deduplication.superseded(ranked).orderBy("record_id").collectAsList())
        .extracting(r -> r.getAs("record_id"), r -> r.getAs("content_hash"))
        .containsExactly(tuple("R2", "B"), tuple("R3", "D"));
  }
}
