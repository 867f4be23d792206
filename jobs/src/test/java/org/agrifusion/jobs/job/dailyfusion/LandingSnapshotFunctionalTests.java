package org.agrifusion.jobs.job.dailyfusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.agrifusion.jobs.es.FamilyLoader;
import org.agrifusion.jobs.es.IndexManager;
import org.agrifusion.jobs.support.TestLake;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.jobs.lake.Publications;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.AbstractStep;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * The landing as a snapshot, on the whole nightly job: a landed file appended to while the run is
 * going fails the date naming the file, and files the job cannot read are listed, never read, and
 * never stop the night.
 */
@SpringBootTest
class LandingSnapshotFunctionalTests {

  static final LocalDate DAY = LocalDate.of(2021, 12, 7);
  static final TestLake LAKE = TestLake.create("snapshot-it");
  static final Path SAMPLE = Path.of("../samples/landing/xinfadi-daily-prices/2021-12-07/xinfadi_prices_2021-12-07.csv");
  static final String FILE = "xinfadi_prices_2021-12-07.csv";
  static final String TEN_ROWS = "蔬菜,,大白菜,1.0,1.2,1.1,冀,斤,2021-12-07 00:00:00\r\n".repeat(10);
  /** rerun stamps of the runs during which a test changes the landing, by the step after which it does. */
  static final String APPEND_AFTER_INGEST = "append-after-ingest";
  static final String APPEND_AFTER_EXTRACT = "append-after-extract";

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    LAKE.register(registry, "landing-snapshot-it");
  }

  @Autowired JobOperator jobOperator;
  @Autowired Job dailyFusionJob;
  @Autowired SparkSession spark;
  @Autowired Lake lake;
  @Autowired Publications publications;
  @Autowired org.agrifusion.jobs.cli.Operations operations;

  /** Appends ten rows to the sample file after the named step, in the runs that ask for it. */
  @BeforeAll
  static void appendDuringTheRun(@Autowired @Qualifier("ingestStep") Step ingest, @Autowired @Qualifier("extractStep") Step extract) {
    ((AbstractStep) ingest).registerStepExecutionListener(appender(APPEND_AFTER_INGEST));
    ((AbstractStep) extract).registerStepExecutionListener(appender(APPEND_AFTER_EXTRACT));
  }

  static StepExecutionListener appender(String stamp) {
    return new StepExecutionListener() {
      @Override
      public ExitStatus afterStep(StepExecution step) {
        if (stamp.equals(step.getJobExecution().getJobParameters().getString(DailyFusionParameters.RERUN))) {
          try {
            Files.writeString(landing().resolve(FILE), TEN_ROWS, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        return step.getExitStatus();
      }
    };
  }

  static Path landing() throws IOException {
    return Files.createDirectories(LAKE.root().resolve("landing/xinfadi-daily-prices/" + DAY));
  }

  @BeforeEach
  void landTheSample() throws IOException {
    FileSystemUtils.deleteRecursively(LAKE.root().resolve("landing"));
    TestLake.dropTables(spark, lake);
    FileSystemUtils.deleteRecursively(LAKE.root().resolve("reports"));
    Files.copy(SAMPLE, landing().resolve(FILE));
  }

  @AfterAll
  static void dropTestIndices(@Autowired FamilyLoader loader, @Autowired IndexManager indices) {
    LAKE.drop(indices, loader.families().keySet());
  }

  @Test
  void aFileAppendedToAfterIngestFailsTheDateNamingTheFileAndTheNextRestartReadsItAgain() throws Exception {
    long size = Files.size(SAMPLE);
    long grown = size + TEN_ROWS.getBytes(StandardCharsets.UTF_8).length;

    // when ten rows are appended to the landed file while standardise is about to read what ingest read
    JobExecution run = jobOperator.start(dailyFusionJob, DailyFusionParameters.rerunOf(DAY, APPEND_AFTER_INGEST));

    // then the date fails in publish, in one line naming the file, and nothing was published
    assertThat(run.getStatus()).isEqualTo(BatchStatus.FAILED);
    assertThat(step(run, "standardise").getReadCount()).isEqualTo(443);
    assertThat(step(run, "publish").getStatus()).isEqualTo(BatchStatus.FAILED);
    String message = "landed file landing/xinfadi-daily-prices/2021-12-07/" + FILE + " changed during the run (size "
        + size + " -> " + grown + ", modified ";
    assertThat(run.getAllFailureExceptions()).singleElement().satisfies(e -> assertThat(e.getMessage())
        .startsWith(message).endsWith("; the next run of 2021-12-07 reads it again from ingest (agri run --date 2021-12-07)").doesNotContain("\n"));
    assertThat(publications.latestFor(DAY).map(Publications.Publication::jobExecutionId)).isNotEqualTo(java.util.Optional.of(run.getId()));
    assertThat(Path.of(java.net.URI.create(ReportTasklet.target(lake, DAY)))).doesNotExist();

    assertThat(step(run, "publish").getExitStatus().getExitCode()).isEqualTo(LandingChangedException.EXIT_CODE);

    // when the operator (or the scheduler's retry) restarts the date: continuing would check the same
    // snapshot and fail again, so the date is read again from ingest and completes with the 453 rows
    assertThat(operations.restart(DAY, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))).isEqualTo(0);
    JobExecution again = operations.lastExecution(DAY);
    assertThat(again.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(again.getJobInstance().getInstanceId()).isNotEqualTo(run.getJobInstance().getInstanceId());
    assertThat(again.getStepExecutions()).extracting(StepExecution::getStepName).contains("ingest");
    assertThat(step(again, "standardise").getReadCount()).isEqualTo(453);
    JsonNode file = report().get("landedFiles").get(0);
    assertThat(file.get("file").asText()).isEqualTo(FILE);
    assertThat(file.get("status").asText()).isEqualTo("processed");
    assertThat(file.get("bytes").asLong()).isEqualTo(grown);
    assertThat(file.get("read").asLong()).isEqualTo(453);
    assertThat(file.get("read").asLong()).isEqualTo(file.get("accepted").asLong() + file.get("quarantined").asLong());
    assertThat(file.get("sha256").asText()).isEqualTo(sha256(Files.readAllBytes(landing().resolve(FILE))));
  }

  @Test
  void aFileAppendedToAfterPublishingFailsTheReportStepAndTheReportSaysSo() throws Exception {
    JobExecution run = jobOperator.start(dailyFusionJob, DailyFusionParameters.rerunOf(DAY, APPEND_AFTER_EXTRACT));

    assertThat(run.getStatus()).isEqualTo(BatchStatus.FAILED);
    assertThat(step(run, "report").getStatus()).isEqualTo(BatchStatus.FAILED);
    assertThat(run.getAllFailureExceptions()).singleElement().satisfies(e -> assertThat(e.getMessage())
        .startsWith("landed file landing/xinfadi-daily-prices/2021-12-07/" + FILE + " changed during the run (size "));
    assertThat(report().get("landingChanges")).singleElement()
        .satisfies(c -> assertThat(c.asText()).contains(FILE + " changed during the run"));
    assertThat(Files.readString(Path.of(java.net.URI.create(ReportTasklet.htmlTarget(lake, DAY)))))
        .contains("The landing changed during the run");
  }

  @Test
  void filesTheJobCannotReadAreListedAsRejectedAndTheNightGoesOn() throws Exception {
    // given besides the sample: an empty and a header-only file, an .xls, a truncated .csv.gz, a stray text
    // file, and a folder that no descriptor names
    byte[] sample = Files.readAllBytes(SAMPLE);
    Files.write(landing().resolve("empty.csv"), new byte[0]);
    Files.writeString(landing().resolve("header-only.csv"), Files.readAllLines(SAMPLE).get(0) + "\r\n");
    Files.write(landing().resolve("prices.xls"), new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1,
        (byte) 0xB1, 0x1A, (byte) 0xE1, 0, 0, 0, 0});
    byte[] gz = gzip(sample);
    Files.write(landing().resolve("truncated.csv.gz"), Arrays.copyOf(gz, gz.length / 2));
    Files.writeString(landing().resolve("readme.txt"), "crawler notes");
    Path mystery = Files.createDirectories(LAKE.root().resolve("landing/mystery-feed/" + DAY));
    Files.write(mystery.resolve("orders.csv"), sample);

    JobExecution run = jobOperator.start(dailyFusionJob, DailyFusionParameters.rerunOf(DAY, "bad-files"));

    // then the night completes on the sample's rows alone, and the report lists every file
    assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(step(run, "standardise").getReadCount()).isEqualTo(443);
    JsonNode report = report();
    assertThat(report.get("landedFiles")).extracting(f -> f.get("source").asText(), f -> f.get("file").asText(),
        f -> f.get("status").asText(), f -> f.get("reason").asText(null), f -> f.get("read").asLong()).containsExactly(
            tuple("mystery-feed", "orders.csv", "rejected", "NO_DESCRIPTOR", 0L),
            tuple("xinfadi-daily-prices", "empty.csv", "empty", null, 0L),
            tuple("xinfadi-daily-prices", "header-only.csv", "header-only", null, 0L),
            tuple("xinfadi-daily-prices", "prices.xls", "rejected", "UNSUPPORTED_TYPE", 0L),
            tuple("xinfadi-daily-prices", "readme.txt", "rejected", "NOT_MATCHED", 0L),
            tuple("xinfadi-daily-prices", "truncated.csv.gz", "rejected", "CORRUPT_ARCHIVE", 0L),
            tuple("xinfadi-daily-prices", FILE, "processed", null, 443L));
    assertThat(report.get("landedFiles")).allSatisfy(f -> assertThat(f.get("sha256").asText()).matches("[0-9a-f]{64}"));
    JsonNode files = report.get("files");
    assertThat(files.get("seen").asLong()).isEqualTo(7);
    assertThat(files.get("processed").asLong()).isEqualTo(3);
    assertThat(files.get("rejected").asLong()).isEqualTo(4);
    long seen = 0;
    for (JsonNode source : report.get("sources")) {
      assertThat(source.get("files").asLong()).isEqualTo(source.get("processed").asLong() + source.get("rejected").asLong());
      seen += source.get("files").asLong();
    }
    assertThat(seen).isEqualTo(7);
    assertThat(Files.readString(Path.of(java.net.URI.create(ReportTasklet.htmlTarget(lake, DAY)))))
        .contains("truncated.csv.gz", "CORRUPT_ARCHIVE", "header-only.csv", "7 seen: 3 processed, 4 rejected");
  }

  JsonNode report() throws IOException {
    return new ObjectMapper().readTree(Path.of(java.net.URI.create(ReportTasklet.target(lake, DAY))).toFile());
  }

  static byte[] gzip(byte[] content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(content);
    }
    return out.toByteArray();
  }

  static String sha256(byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }

  static StepExecution step(JobExecution execution, String name) {
    return execution.getStepExecutions().stream().filter(s -> s.getStepName().equals(name)).findFirst().orElseThrow();
  }
}
