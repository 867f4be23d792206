package org.agrifusion.jobs.job.dailyfusion;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.agrifusion.jobs.cli.ExitCodes;
import org.agrifusion.jobs.cli.Operations;
import org.agrifusion.jobs.es.FamilyLoader;
import org.agrifusion.jobs.es.IndexManager;
import org.agrifusion.jobs.lake.Publications;
import org.agrifusion.jobs.support.TestLake;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.LakeTable;
import org.agrifusion.pipelines.lake.Snapshots;
import org.agrifusion.pipelines.lake.Tables;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.report.ReportFigures;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A date is published as a whole: a run that died after committing some of its tables, before its
 * publication was recorded, changes nothing any sink reads (index rebuild, extracts, report), and
 * an issued extract is re-cut byte for byte from the snapshots its manifest names.
 */
@SpringBootTest
class PublicationFunctionalTests {

  static final LocalDate DAY = LocalDate.of(2021, 12, 7);
  static final TestLake LAKE = TestLake.create("publication-it");
  static final Path SAMPLE = Path.of("../samples/landing/xinfadi-daily-prices/2021-12-07/xinfadi_prices_2021-12-07.csv");
  static final String BULLETIN = "provincial-daily-price-bulletin";
  static final String OBSERVATIONS = "wholesale-price-observations";

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    LAKE.register(registry, "publication-it");
  }

  @Autowired JobOperator jobOperator;
  @Autowired Job dailyFusionJob;
  @Autowired SparkSession spark;
  @Autowired Lake lake;
  @Autowired Operations operations;
  @Autowired DepartmentExtracts extracts;
  @Autowired FamilyLoader loader;
  @Autowired IndexManager indices;
  @Autowired Publications publications;
  @Autowired ReferenceData reference;

  @AfterAll
  static void drop(@Autowired FamilyLoader loader, @Autowired IndexManager indices) {
    LAKE.drop(indices, loader.families().keySet());
  }

  @Test
  void aRunThatDiesBeforePublishingLeavesThePreviousDateToEverySinkAndTheNextRunHeals() throws Exception {
    Path landing = Files.createDirectories(LAKE.root().resolve("landing/xinfadi-daily-prices/" + DAY));
    Files.copy(SAMPLE, landing.resolve("xinfadi_prices_2021-12-07.csv"));
    assertThat(jobOperator.start(dailyFusionJob, DailyFusionParameters.of(DAY)).getStatus()).isEqualTo(BatchStatus.COMPLETED);
    Publications.Publication published = publications.latestFor(DAY).orElseThrow();
    Map<String, String> issued = extractFiles();
    long observations = Tables.read(spark, lake.table(LakeTable.PRICE_OBSERVATION), DAY).orElseThrow().count();
    Object trend = figures(published.snapshots()).priceTrend(DAY);

    // given a later run of the date that committed new rows to some tables and died before publishing:
    // half of the observations, every price doubled, and a price_daily mart to match
    Dataset<Row> half = Tables.read(spark, lake.table(LakeTable.PRICE_OBSERVATION), DAY).orElseThrow()
        .where(col("record_id").lt("8")).withColumn("price_avg", col("price_avg").multiply(lit(2)));
    Tables.replace(half, lake.table(LakeTable.PRICE_OBSERVATION), DAY);
    Tables.replace(org.agrifusion.pipelines.fuse.Marts.priceDaily(half), lake.table(LakeTable.PRICE_DAILY), DAY);
    assertThat(Tables.read(spark, lake.table(LakeTable.PRICE_OBSERVATION), DAY).orElseThrow().count()).isLessThan(observations);

    // then every sink still reads the published date: an index rebuild, both ways of re-issuing an
    // extract (as issued, and from the latest publication), and the report's figures
    assertThat(loader.rebuild("price-observations", "after-the-crash").inIndex()).isEqualTo(observations);
    assertThat(loader.rebuild("price-daily", "after-the-crash").reconciled()).isTrue();
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertThat(operations.reissueExtracts(DAY, Optional.empty(), false, out)).isEqualTo(ExitCodes.OK);
    assertThat(extractFiles()).as("re-cut as issued").isEqualTo(issued);
    assertThat(operations.reissueExtracts(DAY, Optional.empty(), true, out)).isEqualTo(ExitCodes.OK);
    assertThat(extractFiles()).as("cut from the latest publication").isEqualTo(issued);
    assertThat(figures(publications.latestFor(DAY).orElseThrow().snapshots()).priceTrend(DAY)).isEqualTo(trend);
    // (read at the current snapshots instead, the report would show the half-written date)
    assertThat(figures(null).priceTrend(DAY)).isNotEqualTo(trend);

    // when the date runs again, it heals: the same rows and byte-identical extracts, newly published
    assertThat(jobOperator.start(dailyFusionJob, DailyFusionParameters.rerunOf(DAY, "heal")).getStatus())
        .isEqualTo(BatchStatus.COMPLETED);
    Publications.Publication healed = publications.latestFor(DAY).orElseThrow();
    assertThat(healed.jobExecutionId()).isNotEqualTo(published.jobExecutionId());
    assertThat(Tables.read(spark, lake.table(LakeTable.PRICE_OBSERVATION), DAY).orElseThrow().count()).isEqualTo(observations);
    assertThat(extractFiles()).isEqualTo(issued);
    assertThat(indices.count(indices.alias("price-observations"))).isEqualTo(observations);
    String manifest = Files.readString(folder(BULLETIN).resolve(DAY.toString()).resolve("manifest.json"));
    assertThat(manifest).contains("\"curated.price_observation\" : "
        + healed.snapshots().of(lake.table(LakeTable.PRICE_OBSERVATION)).orElseThrow());
  }

  ReportFigures figures(Snapshots pins) {
    return new ReportFigures(spark, lake, reference, pins);
  }

  Path folder(String extract) {
    return Path.of(java.net.URI.create(extracts.folder(extract)));
  }

  /** The SHA-256 of every data file of the two daily extracts of the date (CSV and XLSX), by name. */
  Map<String, String> extractFiles() throws Exception {
    Map<String, String> files = new TreeMap<>();
    for (String extract : new String[] {BULLETIN, OBSERVATIONS}) {
      try (var paths = Files.list(folder(extract).resolve(DAY.toString()))) {
        for (Path p : paths.filter(p -> !p.getFileName().toString().equals("manifest.json") && !p.getFileName().toString().startsWith(".")).toList()) {
          files.put(p.getFileName().toString(), java.util.HexFormat.of().formatHex(
              java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        }
      }
    }
    assertThat(files).isNotEmpty();
    return files;
  }
}
