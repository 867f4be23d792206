package org.agrifusion.pipelines.standardise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.TableId;
import org.agrifusion.pipelines.lake.Tables;
import org.agrifusion.pipelines.source.IngestPipeline;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.support.SparkExtension;
import org.agrifusion.pipelines.support.TestReference;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The standardise stage on the ingested real price sample plus a file of broken lines. */
@ExtendWith(SparkExtension.class)
class StandardisePipelineTest {

  static final LocalDate DAY = LocalDate.of(2021, 12, 7);
  static final byte[] KEY = "a-test-key-of-enough-length".getBytes(StandardCharsets.UTF_8);
  static final List<SourceDescriptor> SOURCES = List.of(TestReference.descriptor("xinfadi-daily-prices"));

  final SparkSession spark;
  @TempDir Path root;
  Lake lake;

  StandardisePipelineTest(SparkSession spark) {
    this.spark = spark;
  }

  @BeforeEach
  void ingest() throws IOException {
    lake = new Lake(root.toString()).register(spark);
    Path dir = Files.createDirectories(root.resolve("landing/xinfadi-daily-prices/" + DAY));
    Files.copy(Path.of("../samples/landing/xinfadi-daily-prices/2021-12-07/xinfadi_prices_2021-12-07.csv"), dir.resolve("prices.csv"));
    Files.writeString(dir.resolve("broken.csv"), "prodCat,prodPcat,prodName,lowPrice,avgPrice,highPrice,place,unitInfo,pubDate\n"
        + "蔬菜,,菜花,3.0,3.2\n"
        + "蔬菜,,长茄,abc,2.5,3.0,冀,斤,2021-12-07 00:00:00\n", StandardCharsets.UTF_8);
    IngestPipeline.run(spark, lake, SOURCES, DAY, "run-1", KEY);
  }

  @Test
  void everyFileAddsUpAndTheReasonsAreCounted() {
    StandardisePipeline.Result result = StandardisePipeline.run(spark, lake, SOURCES, TestReference.SHIPPED, DAY);

    assertThat(result.files())
        .extracting(StandardisePipeline.FileRows::source, StandardisePipeline.FileRows::read,
            StandardisePipeline.FileRows::accepted, StandardisePipeline.FileRows::quarantined)
        .containsExactly(
            tuple("xinfadi-daily-prices", 2L, 0L, 2L),
            tuple("xinfadi-daily-prices", 443L, 440L, 3L));
    assertThat(result.files()).extracting(StandardisePipeline.FileRows::file)
        .allSatisfy(f -> assertThat(f).contains("xinfadi-daily-prices/" + DAY + "/"))
        .satisfies(f -> assertThat(f.get(0)).endsWith("broken.csv"), f -> assertThat(f.get(1)).endsWith("prices.csv"));
    assertThat(result.files()).allMatch(StandardisePipeline.FileRows::balanced);
    assertThat(result.unbalanced()).isEmpty();
    assertThat(result.read()).isEqualTo(445L).isEqualTo(result.accepted() + result.quarantined());
    assertThat(result.accepted()).isEqualTo(440L);

    assertThat(result.topReasons()).containsEntry("xinfadi-daily-prices:DUPLICATE", 3L)
        .containsEntry("xinfadi-daily-prices:UNPARSEABLE_LINE", 1L)
        .containsEntry("xinfadi-daily-prices:BAD_NUMBER", 1L);
    assertThat(result.topReasons().keySet()).first().isEqualTo("xinfadi-daily-prices:DUPLICATE");

    TableId staging = lake.staging(RecordKind.PRICE);
    TableId quarantine = lake.quarantine(RecordKind.PRICE);
    assertThat(result.snapshots()).containsOnlyKeys(staging.qualifiedName(), quarantine.qualifiedName());
    assertThat(result.snapshots().get(staging.qualifiedName())).isEqualTo(Tables.snapshot(spark, staging).orElseThrow());
    assertThat(result.snapshots().get(quarantine.qualifiedName())).isEqualTo(Tables.snapshot(spark, quarantine).orElseThrow());
  }
}
