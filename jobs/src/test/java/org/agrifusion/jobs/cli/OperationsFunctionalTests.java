package org.agrifusion.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.agrifusion.jobs.es.FamilyLoader;
import org.agrifusion.jobs.es.IndexManager;
import org.agrifusion.jobs.job.dailyfusion.DailyFusionJobConfiguration;
import org.agrifusion.jobs.job.dailyfusion.DailyFusionParameters;
import org.agrifusion.jobs.job.dailyfusion.DepartmentExtracts;
import org.agrifusion.jobs.support.TestLake;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/** Backfill and restart on the real job, Spark, Parquet and Elasticsearch. */
@SpringBootTest
class OperationsFunctionalTests {

  static final TestLake LAKE = TestLake.create("ops-it");
  static final Path SAMPLE = Path.of("../samples/landing/xinfadi-daily-prices/2021-12-07/xinfadi_prices_2021-12-07.csv");
  static final LocalDate DAY = LocalDate.of(2021, 12, 7);

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    LAKE.register(registry, "operations-it");
  }

  @Autowired Operations operations;
  @Autowired JobRepository repository;
  @Autowired DepartmentExtracts extracts;

  @AfterAll
  static void drop(@Autowired FamilyLoader loader, @Autowired IndexManager indices) {
    LAKE.drop(indices, loader.families().keySet());
  }

  static void land(LocalDate date) throws IOException {
    Path dir = Files.createDirectories(LAKE.root().resolve("landing/xinfadi-daily-prices/" + date));
    // the real sample, with its dates moved to the landing date
    Files.writeString(dir.resolve("prices.csv"), Files.readString(SAMPLE).replace("2021-12-07", date.toString()));
  }

  @Test
  void aRunAKilledProcessLeftRunningIsRefusedUntilRecovered() throws Exception {
    // given an execution that a killed process left as STARTED
    LocalDate date = DAY.minusDays(30);
    JobInstance instance = repository.createJobInstance(DailyFusionJobConfiguration.JOB_NAME, DailyFusionParameters.of(date));
    JobExecution orphan = repository.createJobExecution(instance, DailyFusionParameters.of(date), new ExecutionContext());
    orphan.setStatus(BatchStatus.STARTED);
    orphan.setStartTime(java.time.LocalDateTime.now().minusHours(3));
    repository.update(orphan);
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    // then the date cannot be run, backfilled or restarted meanwhile
    assertThat(operations.run(date, false, out)).isEqualTo(ExitCodes.ALREADY_RUNNING);
    assertThat(operations.backfill(date, date, out)).isEqualTo(ExitCodes.ALREADY_RUNNING);
    assertThatThrownBy(() -> operations.restart(date, out)).isInstanceOf(JobExecutionAlreadyRunningException.class);

    // when recovered, it is failed and restartable
    assertThat(operations.recover(date, out)).isEqualTo(ExitCodes.OK);
    assertThat(operations.lastExecution(date).getStatus()).isEqualTo(BatchStatus.FAILED);
    assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("agri restart --date " + date);
    assertThatThrownBy(() -> operations.recover(date, out)).hasMessageContaining("has no running execution to recover");
  }

  @Test
  void aBackfillSkipsCompletedDatesAndARestartResumesFromTheFailedStep() throws Exception {
    LocalDate first = DAY.minusDays(1);
    land(first);
    land(DAY);
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    // the first date completes; the second fails in publish (a file stands where publishing writes aside)
    assertThat(operations.backfill(first, first, out)).isEqualTo(ExitCodes.OK);
    Path blocker = LAKE.root().resolve("curated/price_observation/.pending");
    FileSystemUtils.deleteRecursively(blocker);
    Files.writeString(blocker, "not a folder");
    assertThat(operations.backfill(first, DAY, out)).isEqualTo(ExitCodes.FAILED);
    assertThat(buffer.toString(StandardCharsets.UTF_8)).contains(first + ": already completed, skipped");
    JobExecution failed = operations.lastExecution(DAY);
    assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
    assertThat(failed.getStepExecutions()).extracting(StepExecution::getStepName, StepExecution::getStatus)
        .contains(org.assertj.core.groups.Tuple.tuple("publish", BatchStatus.FAILED));

    // when the cause is removed and the date restarted
    Files.delete(blocker);
    assertThat(operations.restart(DAY, out)).isEqualTo(ExitCodes.OK);

    // then only the failed step and those after it ran again
    JobExecution restarted = operations.lastExecution(DAY);
    assertThat(restarted.getId()).isNotEqualTo(failed.getId());
    assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(restarted.getStepExecutions()).extracting(StepExecution::getStepName)
        .containsExactly("publish", "index", "extract", "report");
    List<JobExecution> all = repository.getJobExecutions(restarted.getJobInstance());
    long ingests = all.stream().flatMap(e -> e.getStepExecutions().stream()).filter(s -> s.getStepName().equals("ingest")).count();
    assertThat(ingests).isEqualTo(1);

    // and a department's extract of the date can be issued again from the lake, replacing the period
    Path bulletin = Path.of(java.net.URI.create(extracts.folder("provincial-daily-price-bulletin"))).resolve(DAY.toString());
    String delivered = Files.readString(bulletin.resolve("provincial-daily-price-bulletin_" + DAY + ".csv"));
    assertThat(extracts.write(DAY, java.util.Optional.of("provincial-daily-price-bulletin"), "reissue-1"))
        .singleElement().satisfies(m -> assertThat(m.runId()).isEqualTo("reissue-1"));
    assertThat(Files.readString(bulletin.resolve("provincial-daily-price-bulletin_" + DAY + ".csv"))).isEqualTo(delivered);
    assertThat(Files.readString(bulletin.resolve("manifest.json"))).contains("\"run_id\" : \"reissue-1\"");
    assertThatThrownBy(() -> extracts.write(DAY, java.util.Optional.of("no-such-extract"), "x"))
        .hasMessageContaining("no extract 'no-such-extract' in conf/extracts");

    buffer.reset();
    assertThat(operations.status(5, out)).isEqualTo(ExitCodes.OK);
    assertThat(buffer.toString(StandardCharsets.UTF_8)).contains(DAY + " ").contains("COMPLETED").contains("443");
    // the completed first date ran once: the second backfill skipped it
    assertThat(repository.getJobExecutions(operations.lastExecution(first).getJobInstance())).hasSize(1);
  }
}
