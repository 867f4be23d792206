package org.agrifusion.jobs.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.function.BooleanSupplier;
import org.agrifusion.jobs.cli.ExitCodes;
import org.agrifusion.jobs.cli.Operations;
import org.agrifusion.jobs.es.FamilyLoader;
import org.agrifusion.jobs.es.IndexManager;
import org.agrifusion.jobs.job.dailyfusion.DailyFusionJobConfiguration;
import org.agrifusion.jobs.job.dailyfusion.DailyFusionParameters;
import org.agrifusion.jobs.support.KilledRun;
import org.agrifusion.jobs.support.TestLake;
import org.springframework.jdbc.core.JdbcTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The scheduler on a short cron, with the real job, Spark, Parquet and Elasticsearch. */
@SpringBootTest
class NightlySchedulerFunctionalTests {

  static final TestLake LAKE = TestLake.create("schedule-it");
  static final Path SAMPLE = Path.of("../samples/landing/xinfadi-daily-prices/2021-12-07/xinfadi_prices_2021-12-07.csv");
  static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    LAKE.register(registry, "schedule-it");
    registry.add("agri.schedule.cron", () -> "*/2 * * * * *");
  }

  @Autowired NightlyScheduler scheduler;
  @Autowired Operations operations;
  @Autowired JobRepository repository;
  @Autowired JdbcTemplate jdbc;

  @AfterAll
  static void drop(@Autowired FamilyLoader loader, @Autowired IndexManager indices) {
    LAKE.drop(indices, loader.families().keySet());
  }

  @Test
  void theSchedulerRestartsAFailedAndAKilledNightRunsYesterdayOnceAndAManualRunMeanwhileIsRefused() throws Exception {
    // given yesterday's price bulletin in the landing zone (the real sample, dates moved), the night
    // before, whose run failed, and the night before that, whose forced run was killed (left STARTED)
    LocalDate yesterday = LocalDate.now(ZONE).minusDays(1);
    LocalDate failedNight = yesterday.minusDays(1);
    LocalDate killedNight = yesterday.minusDays(2);
    land(yesterday);
    land(failedNight);
    land(killedNight);
    JobExecution killed = KilledRun.onThisHost(repository, jdbc, killedNight);
    JobInstance instance = repository.createJobInstance(DailyFusionJobConfiguration.JOB_NAME, DailyFusionParameters.of(failedNight));
    JobExecution failed = repository.createJobExecution(instance, DailyFusionParameters.of(failedNight), new ExecutionContext());
    failed.setStatus(BatchStatus.FAILED);
    failed.setStartTime(LocalDateTime.now().minusDays(1));
    failed.setEndTime(LocalDateTime.now().minusDays(1).plusMinutes(1));
    repository.update(failed);
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    // when the scheduler fires every two seconds
    Thread process = new Thread(() -> {
      try {
        scheduler.runUntilStopped(out);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "schedule-command");
    process.start();
    try {
      // then its first firing starts yesterday's run, and a manual run of that date is refused meanwhile
      await(() -> running(yesterday), Duration.ofMinutes(4));
      assertThat(status(failedNight)).isEqualTo(BatchStatus.COMPLETED);
      assertThat(buffer.toString(StandardCharsets.UTF_8)).contains(failedNight + ": FAILED earlier; restarting it");
      assertThat(status(killedNight)).isEqualTo(BatchStatus.COMPLETED);
      assertThat(buffer.toString(StandardCharsets.UTF_8)).contains(killedNight + ": STARTED earlier; restarting it");
      assertThat(repository.getJobExecution(killed.getId()).getExitStatus().getExitDescription())
          .contains(" died: process ").contains(" is gone; found by restart on ");
      assertThat(operations.lastExecution(killedNight).getJobInstance().getId()).isEqualTo(killed.getJobInstance().getId());
      assertThat(operations.run(yesterday, false, out)).isEqualTo(ExitCodes.ALREADY_RUNNING);

      // the run completes; firings while it went were skipped, not queued
      await(() -> status(yesterday) == BatchStatus.COMPLETED, Duration.ofMinutes(5));
      assertThat(scheduler.skipped()).isPositive();
      // a firing after the run finds the date completed and starts nothing, quickly: no firing is skipped any more
      await(() -> buffer.toString(StandardCharsets.UTF_8).contains(yesterday + " already completed; nothing to do")
          && scheduler.runningDate().isEmpty(), Duration.ofSeconds(30));
      long skippedBefore = scheduler.skipped();
      Thread.sleep(4_500);
      assertThat(scheduler.skipped()).isEqualTo(skippedBefore);
    } finally {
      scheduler.stop();
      process.join(120_000);
    }
    assertThat(process.isAlive()).isFalse();
    assertThat(repository.getJobExecutions(operations.lastExecution(yesterday).getJobInstance())).hasSize(1);
    assertThat(repository.getJobExecutions(instance)).hasSize(2);
  }

  static void land(LocalDate date) throws IOException {
    Path dir = Files.createDirectories(LAKE.root().resolve("landing/xinfadi-daily-prices/" + date));
    Files.writeString(dir.resolve("prices.csv"), Files.readString(SAMPLE).replace("2021-12-07", date.toString()));
  }

  boolean running(LocalDate date) {
    JobExecution last = operations.lastExecution(date);
    return last != null && last.getStatus().isRunning();
  }

  BatchStatus status(LocalDate date) {
    JobExecution last = operations.lastExecution(date);
    return last == null ? null : last.getStatus();
  }

  static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited %s", timeout).isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
