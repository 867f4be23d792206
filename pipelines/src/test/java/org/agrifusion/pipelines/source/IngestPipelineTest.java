package org.agrifusion.pipelines.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.TableId;
import org.agrifusion.pipelines.lake.Tables;
import org.agrifusion.pipelines.support.SparkExtension;
import org.agrifusion.pipelines.support.TestReference;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The ingest stage on a landing of the real price sample, a small extra file and a stray file. */
@ExtendWith(SparkExtension.class)
class IngestPipelineTest {

  static final LocalDate DAY = LocalDate.of(2021, 12, 7);
  static final byte[] KEY = "a-test-key-of-enough-length".getBytes(StandardCharsets.UTF_8);
  static final Path SAMPLE = Path.of("../samples/landing/xinfadi-daily-prices/2021-12-07/xinfadi_prices_2021-12-07.csv");
  static final SourceDescriptor PRICES = TestReference.descriptor("xinfadi-daily-prices");
  static final SourceDescriptor REGISTRY = TestReference.descriptor("origin-registry");
  static final List<SourceDescriptor> SOURCES = List.of(PRICES, REGISTRY);

  final SparkSession spark;
  @TempDir Path root;
  Lake lake;

  IngestPipelineTest(SparkSession spark) {
    this.spark = spark;
  }

  @BeforeEach
  void lake() {
    lake = new Lake(root.toString()).register(spark);
  }

  Path land(String source, String file, byte[] content) throws IOException {
    Path path = root.resolve("landing/" + source + "/" + DAY + "/" + file);
    Files.createDirectories(path.getParent());
    return Files.write(path, content);
  }

  void landPrices() throws IOException {
    land("xinfadi-daily-prices", "prices.csv", Files.readAllBytes(SAMPLE));
    land("xinfadi-daily-prices", "extra.csv", ("prodCat,prodPcat,prodName,lowPrice,avgPrice,highPrice,place,unitInfo,pubDate\n"
        + "蔬菜,,长茄,2.0,2.5,3.0,冀,斤,2021-12-07 00:00:00\n").getBytes(StandardCharsets.UTF_8));
    land("xinfadi-daily-prices", "readme.txt", "sent by the crawler".getBytes(StandardCharsets.UTF_8));
  }

  IngestPipeline.Result ingest() {
    return IngestPipeline.run(spark, lake, SOURCES, DAY, "run-1", KEY);
  }

  @Test
  void rowsAndFilesPerSourceRejectedFilesAndOneSnapshotPerTableWritten() throws IOException {
    landPrices();
    IngestPipeline.Result result = ingest();

    assertThat(result.rowsBySource()).containsExactly(entry("xinfadi-daily-prices", 444L), entry("origin-registry", 0L));
    assertThat(result.rows()).isEqualTo(444L);
    assertThat(result.filesBySource()).containsExactly(entry("xinfadi-daily-prices", 3));
    assertThat(result.inventory()).extracting(LandedFiles.LandedFile::status)
        .containsExactlyInAnyOrder(LandedFiles.READY, LandedFiles.READY, LandedFiles.REJECTED);
    assertThat(result.rejectedFiles()).singleElement().asString()
        .startsWith("landing/xinfadi-daily-prices/" + DAY + "/readme.txt: " + LandedFiles.NOT_MATCHED + " (");

    TableId raw = lake.raw("xinfadi-daily-prices");
    TableId inventory = LandedFiles.table(lake);
    // the registry had nothing landed and no table yet: nothing to clear, no commit
    assertThat(result.snapshots()).containsOnlyKeys(inventory.qualifiedName(), raw.qualifiedName());
    assertThat(result.snapshots().get(raw.qualifiedName())).isEqualTo(Tables.snapshot(spark, raw).orElseThrow());
    assertThat(result.snapshots().get(inventory.qualifiedName())).isEqualTo(Tables.snapshot(spark, inventory).orElseThrow());
    assertThat(Tables.load(spark, raw).snapshots()).hasSize(1);
    assertThat(Tables.read(spark, raw, DAY).map(Dataset::count)).contains(444L);
  }

  @Test
  void aSourceWhoseFilesAreGoneOnAReRunHasItsPartitionCleared() throws IOException {
    landPrices();
    long first = ingest().snapshots().get(lake.raw("xinfadi-daily-prices").qualifiedName());
    try (var files = Files.list(root.resolve("landing/xinfadi-daily-prices/" + DAY))) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }

    IngestPipeline.Result rerun = ingest();

    TableId raw = lake.raw("xinfadi-daily-prices");
    assertThat(rerun.rowsBySource()).containsEntry("xinfadi-daily-prices", 0L);
    assertThat(rerun.rejectedFiles()).isEmpty();
    assertThat(rerun.snapshots().get(raw.qualifiedName())).isNotEqualTo(first)
        .isEqualTo(Tables.snapshot(spark, raw).orElseThrow());
    assertThat(Tables.read(spark, raw, DAY).map(Dataset::count).orElse(0L)).isZero();
  }
}
