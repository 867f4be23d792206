package org.agrifusion.pipelines.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.source.IngestPipeline;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.standardise.StandardisePipeline;
import org.agrifusion.pipelines.support.SparkExtension;
import org.agrifusion.pipelines.support.TestReference;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A generated province-day goes through the shipped descriptors: most rows accepted, the damaged ones quarantined. */
@ExtendWith(SparkExtension.class)
class ProvinceDayStandardiseTest {

  static final LocalDate DAY = LocalDate.of(2021, 12, 7);
  static final byte[] KEY = "a-test-key-of-enough-length".getBytes(StandardCharsets.UTF_8);
  static final List<SourceDescriptor> SOURCES = List.of("courier-waybills", "shop-orders", "market-bulletins",
      "xinfadi-spec-origin-gbk", "origin-registry").stream().map(TestReference::descriptor).toList();

  final SparkSession spark;
  @TempDir Path root;

  ProvinceDayStandardiseTest(SparkSession spark) {
    this.spark = spark;
  }

  @Test
  void theShippedDescriptorsAcceptTheCleanRowsAndQuarantineAboutTheDirtyShare() {
    double dirt = 0.04;
    ProvinceDay.Written w = ProvinceDayTest.generator().write(root.resolve("landing"), DAY, ProvinceDayTest.SCALE, dirt, 2023);
    Lake lake = new Lake(root.toString()).register(spark);
    IngestPipeline.run(spark, lake, SOURCES, DAY, "run-1", KEY);
    StandardisePipeline.Result result = StandardisePipeline.run(spark, lake, SOURCES, TestReference.SHIPPED, DAY);

    System.out.println("province-day standardised: " + result.read() + " read, " + result.accepted() + " accepted, "
        + result.quarantined() + " quarantined; " + result.topReasons());
    assertThat(result.unbalanced()).isEmpty();
    // Every generated line is read (the registry's header row is not a line).
    assertThat(result.read()).isEqualTo(w.waybills() + w.orderLines() + w.quotes() + w.entities());
    Map<String, long[]> bySource = result.files().stream().collect(Collectors.groupingBy(StandardisePipeline.FileRows::source,
        Collectors.reducing(new long[2], f -> new long[] {f.read(), f.quarantined()}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]})));
    assertThat(bySource).containsOnlyKeys(SOURCES.stream().map(SourceDescriptor::id).toArray(String[]::new));
    bySource.forEach((source, counts) -> {
      // Only some kinds of dirt are quarantined (aliases and unit variants are resolved), so the
      // quarantined share lies below the dirt share; small feeds get a few rows of slack for chance.
      assertThat(counts[1]).as(source + " " + counts[1] + " of " + counts[0]).isLessThanOrEqualTo((long) (counts[0] * dirt * 1.5) + 3);
    });
    double quarantined = result.quarantined() / (double) result.read();
    assertThat(quarantined).isBetween(dirt * 0.3, dirt * 1.2);
    assertThat(result.accepted()).isGreaterThan(result.read() * 95 / 100);
  }
}
