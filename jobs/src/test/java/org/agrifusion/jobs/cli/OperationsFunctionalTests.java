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
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.agrifusion.jobs.es.FamilyLoader;
import org.agrifusion.jobs.es.IndexManager;
import org.agrifusion.jobs.job.dailyfusion.DepartmentExtracts;
import org.agrifusion.jobs.run.DateBusyException;
import org.agrifusion.jobs.run.DateLock;
import org.agrifusion.jobs.run.RunOwner;
import org.agrifusion.jobs.run.RunOwnership;
import org.agrifusion.jobs.support.KilledRun;
import org.agrifusion.jobs.support.TestLake;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/** Backfill and restart on the real job, Spark, Parquet and Elasticsearch. */
@SpringBootTest
@ExtendWith(OutputCaptureExtension.class)
class OperationsFunctionalTests {

  static final TestLake LAKE = TestLake.create("ops-it");
  static final Path SAMPLE = Path.of("../samples/landing/xinfadi-daily-prices/2021-12-07/xinfadi_prices_2021-12-07.csv");
  static final LocalDate DAY = LocalDate.of(2021, 12, 7);

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    LAKE.register(registry, "operations-it");
    registry.add("agri.run-owner.heartbeat", () -> "1s");
  }

  @Autowired Operations operations;
  @Autowired JobRepository repository;
  @Autowired DepartmentExtracts extracts;
  @Autowired RunOwnership ownership;
  @Autowired JdbcTemplate jdbc;

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
  void aRunThatAKilledProcessLeftRunningIsFailedWithItsCauseAndContinuedByRunBackfillAndRestart() throws Exception {
    // given four dates whose forced run was killed in ingest: the execution STARTED, the process gone
    LocalDate byRun = DAY.minusDays(30);
    LocalDate byBackfill = DAY.minusDays(29);
    LocalDate byRestart = DAY.minusDays(28);
    LocalDate byForcedRun = DAY.minusDays(27);
    Map<LocalDate, JobExecution> killed = new LinkedHashMap<>();
    for (LocalDate date : List.of(byRun, byBackfill, byRestart, byForcedRun)) {
      land(date);
      killed.put(date, KilledRun.onThisHost(repository, jdbc, date));
    }
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    // when each date is asked for in its own way, without --force
    assertThat(operations.run(byRun, false, out)).isEqualTo(ExitCodes.OK);
    assertThat(operations.backfill(byBackfill, byBackfill, out)).isEqualTo(ExitCodes.OK);
    assertThat(operations.restart(byRestart, out)).isEqualTo(ExitCodes.OK);
    // and one with --force
    assertThat(operations.run(byForcedRun, true, out)).isEqualTo(ExitCodes.OK);

    // then the killed execution is FAILED with its cause, and the forced instance it belonged to was
    // continued from the step it was in, to completion; the date is free again
    Map<LocalDate, String> finder = Map.of(byRun, "run", byBackfill, "backfill", byRestart, "restart", byForcedRun, "run --force");
    killed.forEach((date, orphan) -> {
      JobExecution after = repository.getJobExecution(orphan.getId());
      assertThat(after.getStatus()).isEqualTo(BatchStatus.FAILED);
      assertThat(after.getExitStatus().getExitDescription())
          .startsWith("owner " + RunOwner.thisHost() + ":")
          .contains("(run --force since ")
          .containsPattern("died: process \\d+ is gone; found by " + finder.get(date) + " on " + RunOwner.thisHost() + ":");
      assertThat(after.getStepExecutions()).singleElement().satisfies(s -> assertThat(s.getStatus()).isEqualTo(BatchStatus.FAILED));
      JobExecution latest = operations.lastExecution(date);
      assertThat(latest.getStatus()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(latest.getStepExecutions()).extracting(StepExecution::getStepName).first().isEqualTo("ingest");
      assertThat(ownership.owner(date)).isEmpty();
      if (date.equals(byForcedRun)) {
        // --force runs the date afresh: a new instance from the first step; the killed one stays FAILED in the history
        assertThat(latest.getJobInstance().getId()).isNotEqualTo(orphan.getJobInstance().getId());
        assertThat(latest.getStepExecutions()).hasSize(7);
      } else {
        assertThat(latest.getJobInstance().getId()).isEqualTo(orphan.getJobInstance().getId());
      }
    });
  }

  @Test
  void aDateOwnedByALiveProcessElsewhereIsRefusedWithItsOwnerAndTakenOverWhenItsHeartbeatStops(CapturedOutput output)
      throws Exception {
    // given a date that a process on another host is running, heard of just now
    LocalDate date = DAY.minusDays(40);
    JobExecution running = KilledRun.plant(repository, jdbc, date, "other-host.example", 4242, OffsetDateTime.now());
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    // then nothing of it runs here, whatever the flags, and the refusal names the owner
    String owner = "other-host.example:4242 (run --force since ";
    assertThat(operations.run(date, true, out)).isEqualTo(ExitCodes.ALREADY_RUNNING);
    assertThat(operations.run(date, false, out)).isEqualTo(ExitCodes.ALREADY_RUNNING);
    assertThat(operations.backfill(date, date, out)).isEqualTo(ExitCodes.ALREADY_RUNNING);
    assertThatThrownBy(() -> operations.restart(date, out))
        .isInstanceOf(JobExecutionAlreadyRunningException.class).hasMessageContaining(owner);
    assertThatThrownBy(() -> operations.recover(date, out)).isInstanceOf(DateBusyException.class);
    // nor are its extracts re-issued beside the job's own extract step
    assertThat(operations.reissueExtracts(date, java.util.Optional.empty(), false, out)).isEqualTo(ExitCodes.ALREADY_RUNNING);
    assertThat(output.getErr()).contains(date + " is owned by " + owner)
        .contains("; not started again; backfill stopped");
    assertThat(repository.getJobExecution(running.getId()).getStatus()).isEqualTo(BatchStatus.STARTED);
    assertThat(ownership.owner(date)).get().extracting(RunOwner::host).isEqualTo("other-host.example");

    // when its heartbeat is older than agri.run-owner.timeout (2 minutes)
    jdbc.update("UPDATE AGRI_RUN_OWNER SET HEARTBEAT = ? WHERE BUSINESS_DATE = ?", OffsetDateTime.now().minusMinutes(3), date.toString());

    // then the owner is taken for dead: its execution is failed with the cause, and the date is free
    assertThat(operations.recover(date, out)).isEqualTo(ExitCodes.OK);
    JobExecution failed = repository.getJobExecution(running.getId());
    assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
    assertThat(failed.getExitStatus().getExitDescription()).startsWith("owner " + owner)
        .containsPattern("died: no heartbeat for 1[89]\\d s \\(agri.run-owner.timeout PT2M\\); found by recover on ");
    assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("continue it with: agri restart --date " + date);
    assertThat(ownership.owner(date)).isEmpty();
    assertThatThrownBy(() -> operations.recover(date, out)).hasMessageContaining("has no running execution to recover (latest: FAILED)");
    // and an error inside a claim releases it too
    assertThatThrownBy(() -> operations.restart(DAY.minusDays(41), out)).hasMessageContaining("never ran");
    assertThat(ownership.owner(DAY.minusDays(41))).isEmpty();
  }

  @Test
  void theOwnerOfADateBeatsItsHeartbeatWhileItHoldsItAndFreesItWhenDone() throws Exception {
    LocalDate date = DAY.minusDays(50);
    try (DateLock lock = ownership.claim(date, "run")) {
      RunOwner owner = ownership.owner(date).orElseThrow();
      assertThat(owner.process()).isEqualTo(RunOwner.thisHost() + ":" + ProcessHandle.current().pid());
      assertThat(owner.action()).isEqualTo("run");
      Thread.sleep(2_500); // agri.run-owner.heartbeat is 1s here
      assertThat(ownership.owner(date).orElseThrow().heartbeat()).isAfter(owner.heartbeat());
      assertThatThrownBy(() -> ownership.claim(date, "restart")).isInstanceOf(DateBusyException.class);
    }
    assertThat(ownership.owner(date)).isEmpty();
  }

  @Test
  void aRunWaitsForAnImportThatOwnsItsDateUpToItsLimitButNotForAnotherRun(@Autowired org.agrifusion.jobs.run.DateExecutions dates)
      throws Exception {
    RunOwnership patient = new RunOwnership(jdbc, dates, new org.agrifusion.jobs.run.RunOwnerProperties(
        java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(2)));
    LocalDate date = LocalDate.of(2016, 3, 1);
    ExecutorService one = Executors.newSingleThreadExecutor();
    try {
      // an import that ends within the wait: the run's claim is taken when it does
      DateLock importing = ownership.claim(date, RunOwnership.importAction("xinfadi-history-xlsx"));
      Future<?> ends = one.submit(() -> {
        Thread.sleep(500);
        importing.close();
        return null;
      });
      long started = System.nanoTime();
      try (DateLock run = patient.claimToRun(date, "run")) {
        assertThat(ends).isDone();
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(java.time.Duration.ofMillis(500));
        assertThat(ownership.owner(date)).get().extracting(RunOwner::action).isEqualTo("run");
      }
      // an import that outlasts the wait: refused after it, naming the import
      try (DateLock stays = ownership.claim(date, RunOwnership.importAction("xinfadi-history-xlsx"))) {
        started = System.nanoTime();
        assertThatThrownBy(() -> patient.claimToRun(date, "run")).isInstanceOf(DateBusyException.class)
            .hasMessageContaining("(import-history xinfadi-history-xlsx since ");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(java.time.Duration.ofSeconds(2));
      }
      // another run of the date: refused at once, it runs the night's files itself
      try (DateLock other = ownership.claim(date, "run --force")) {
        started = System.nanoTime();
        assertThatThrownBy(() -> patient.claimToRun(date, "run")).isInstanceOf(DateBusyException.class)
            .hasMessageContaining("(run --force since ");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(1));
      }
    } finally {
      one.shutdownNow();
    }
    assertThat(ownership.owner(date)).isEmpty();
  }

  @Test
  void aClaimOfAThousandDatesIsAllOrNothingWithOneHeartbeatAndTakesOverDeadOwners() throws Exception {
    // given a thousand days, one owned by a killed run on this host, one by a live run on another host
    LocalDate first = LocalDate.of(2015, 1, 1);
    java.util.SortedSet<LocalDate> dates = first.datesUntil(first.plusDays(1000))
        .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    LocalDate killedOwned = first.plusDays(100);
    LocalDate liveOwned = first.plusDays(700);
    JobExecution killed = KilledRun.onThisHost(repository, jdbc, killedOwned);
    JobExecution elsewhere = KilledRun.plant(repository, jdbc, liveOwned, "other-host.example", 4343, OffsetDateTime.now());
    String action = "import-history a-feed-with-a-rather-long-source-id";
    String ours = "SELECT COUNT(*) FROM AGRI_RUN_OWNER WHERE HOST = ? AND PID = ?";

    // then none is claimed, and the refusal names the live owner's date
    assertThatThrownBy(() -> ownership.claim(dates, action)).isInstanceOf(DateBusyException.class)
        .hasMessage(liveOwned + " is owned by other-host.example:4343 (run --force since "
            + ownership.owner(liveOwned).orElseThrow().since().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "); not started again");
    assertThat(jdbc.queryForObject(ours, Long.class, RunOwner.thisHost(), ProcessHandle.current().pid())).isZero();
    assertThat(ownership.owner(killedOwned)).get().extracting(RunOwner::action).isEqualTo("run --force");
    assertThat(repository.getJobExecution(killed.getId()).getStatus()).isEqualTo(BatchStatus.STARTED);
    // nor when this process holds one of them under another claim
    try (DateLock run = ownership.claim(first.plusDays(999), "run")) {
      jdbc.update("UPDATE AGRI_RUN_OWNER SET HEARTBEAT = ? WHERE BUSINESS_DATE = ?", OffsetDateTime.now().minusMinutes(3),
          liveOwned.toString());
      assertThatThrownBy(() -> ownership.claim(dates, action)).isInstanceOf(DateBusyException.class)
          .hasMessageStartingWith(first.plusDays(999) + " is owned by " + RunOwner.thisHost() + ":" + ProcessHandle.current().pid()
              + " (run since ");
      assertThat(jdbc.queryForObject(ours, Long.class, RunOwner.thisHost(), ProcessHandle.current().pid())).isOne();
    }

    // when the other host is silent too: every date is taken in one claim, both dead owners' runs failed with the cause
    try (DateLock lock = ownership.claim(dates, action)) {
      assertThat(jdbc.queryForList("SELECT DISTINCT CLAIM_ID FROM AGRI_RUN_OWNER WHERE BUSINESS_DATE BETWEEN ? AND ?", String.class,
          first.toString(), dates.last().toString())).hasSize(1);
      assertThat(jdbc.queryForObject(ours, Long.class, RunOwner.thisHost(), ProcessHandle.current().pid())).isEqualTo(1000L);
      RunOwner owner = ownership.owner(dates.last()).orElseThrow();
      assertThat(owner.action()).isEqualTo(action);
      assertThat(lock.healed()).extracting(JobExecution::getId).containsExactly(killed.getId(), elsewhere.getId());
      assertThat(repository.getJobExecution(killed.getId()).getExitStatus().getExitDescription())
          .startsWith("owner " + RunOwner.thisHost() + ":").containsPattern("died: process \\d+ is gone; found by " + action + " on ");
      assertThat(repository.getJobExecution(elsewhere.getId()).getExitStatus().getExitDescription())
          .startsWith("owner other-host.example:4343 (run --force since ").contains("died: no heartbeat for ");
      assertThatThrownBy(() -> ownership.claim(liveOwned, "run")).isInstanceOf(DateBusyException.class)
          .hasMessageContaining("(" + action + " since ");
      Thread.sleep(2_500); // agri.run-owner.heartbeat is 1s here: one statement beats every date
      assertThat(ownership.owner(first).orElseThrow().heartbeat()).isAfter(owner.heartbeat());
      assertThat(ownership.owner(dates.last()).orElseThrow().heartbeat()).isAfter(owner.heartbeat());
    }
    // and closing the claim frees them all
    assertThat(jdbc.queryForObject(ours, Long.class, RunOwner.thisHost(), ProcessHandle.current().pid())).isZero();
  }

  @Test
  void twoForcedRunsOfOneDateAtOnceRunOnceAndTheOtherIsRefused(CapturedOutput output) throws Exception {
    LocalDate date = DAY.minusDays(20);
    land(date);
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    CyclicBarrier together = new CyclicBarrier(2);
    Callable<Integer> forced = () -> {
      together.await();
      return operations.run(date, true, out);
    };
    ExecutorService two = Executors.newFixedThreadPool(2);
    try {
      List<Integer> codes = new java.util.ArrayList<>();
      for (Future<Integer> f : two.invokeAll(List.of(forced, forced))) {
        codes.add(f.get());
      }
      assertThat(codes).containsExactlyInAnyOrder(ExitCodes.OK, ExitCodes.ALREADY_RUNNING);
    } finally {
      two.shutdownNow();
    }
    assertThat(output.getErr()).contains(date + " is owned by " + RunOwner.thisHost() + ":"
        + ProcessHandle.current().pid() + " (run --force since ");
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION_PARAMS WHERE PARAMETER_NAME = 'businessDate'"
        + " AND PARAMETER_VALUE = ?", Long.class, date.toString())).isEqualTo(1L);
    assertThat(operations.lastExecution(date).getStatus()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(ownership.owner(date)).isEmpty();
  }

  @Test
  void aBackfillSkipsCompletedDatesAndARestartResumesFromTheFailedStep() throws Exception {
    LocalDate first = DAY.minusDays(1);
    land(first);
    land(DAY);
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    // the first date completes; the second fails in extract (a file stands where an extract's folder goes)
    assertThat(operations.backfill(first, first, out)).isEqualTo(ExitCodes.OK);
    Path blocker = Path.of(java.net.URI.create(extracts.folder("provincial-daily-price-bulletin")));
    FileSystemUtils.deleteRecursively(blocker);
    Files.writeString(blocker, "not a folder");
    assertThat(operations.backfill(first, DAY, out)).isEqualTo(ExitCodes.FAILED);
    assertThat(buffer.toString(StandardCharsets.UTF_8)).contains(first + ": already completed, skipped");
    JobExecution failed = operations.lastExecution(DAY);
    assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
    assertThat(failed.getStepExecutions()).extracting(StepExecution::getStepName, StepExecution::getStatus)
        .contains(org.assertj.core.groups.Tuple.tuple("extract", BatchStatus.FAILED));
    assertThat(ownership.owner(first)).isEmpty();
    assertThat(ownership.owner(DAY)).isEmpty();

    // when the cause is removed and the date restarted
    Files.delete(blocker);
    assertThat(operations.restart(DAY, out)).isEqualTo(ExitCodes.OK);

    // then only the failed step and those after it ran again
    JobExecution restarted = operations.lastExecution(DAY);
    assertThat(restarted.getId()).isNotEqualTo(failed.getId());
    assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(ownership.owner(DAY)).isEmpty();
    assertThat(restarted.getStepExecutions()).extracting(StepExecution::getStepName)
        .containsExactly("extract", "report");
    List<JobExecution> all = repository.getJobExecutions(restarted.getJobInstance());
    long ingests = all.stream().flatMap(e -> e.getStepExecutions().stream()).filter(s -> s.getStepName().equals("ingest")).count();
    assertThat(ingests).isEqualTo(1);
    // and the date's report still has every step's figures, those of the first execution included
    com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(LAKE.root().resolve("reports/" + DAY + "/report.json").toFile());
    assertThat(report.get("steps").findValuesAsText("name"))
        .containsExactly("ingest", "standardise", "fuse", "publish", "index", "extract", "report");
    assertThat(report.get("steps").get(1).get("read").asLong()).isEqualTo(443);

    // and a department's extract of the date can be issued again from the lake, replacing the period
    Path bulletin = Path.of(java.net.URI.create(extracts.folder("provincial-daily-price-bulletin"))).resolve(DAY.toString());
    String delivered = Files.readString(bulletin.resolve("provincial-daily-price-bulletin_" + DAY + ".csv"));
    assertThat(operations.reissueExtracts(DAY, java.util.Optional.of("provincial-daily-price-bulletin"), false, out))
        .isEqualTo(ExitCodes.OK);
    assertThat(ownership.owner(DAY)).isEmpty();
    assertThat(Files.readString(bulletin.resolve("provincial-daily-price-bulletin_" + DAY + ".csv"))).isEqualTo(delivered);
    assertThat(Files.readString(bulletin.resolve("manifest.json"))).contains("\"run_id\" : \"agri-extract-");
    assertThatThrownBy(() -> extracts.select(java.util.Optional.of("no-such-extract")))
        .hasMessageContaining("no extract 'no-such-extract' in conf/extracts");

    buffer.reset();
    assertThat(operations.status(5, out)).isEqualTo(ExitCodes.OK);
    assertThat(buffer.toString(StandardCharsets.UTF_8)).contains(DAY + " ").contains("COMPLETED").contains("443");
    // the restarted date still shows the rows its first execution read, accepted and quarantined
    String dayLine = buffer.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith(DAY + " ")).findFirst().orElseThrow();
    String firstLine = buffer.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith(first + " ")).findFirst().orElseThrow();
    assertThat(figures(dayLine)).isEqualTo(figures(firstLine)).doesNotContain("-");
    // the completed first date ran once: the second backfill skipped it
    assertThat(repository.getJobExecutions(operations.lastExecution(first).getJobInstance())).hasSize(1);
  }

  @Test
  void aFeedThatQuarantinesMostOfItsRowsOrSendsAnEmptyFileEndsTheNightWithAlarmsAndTheNextGoodRunHeals(CapturedOutput output)
      throws Exception {
    // given a night where the market renamed a column (every row HEADER_MISMATCH) and sent an empty second file,
    // and a good night after it
    LocalDate broken = DAY.minusDays(15);
    LocalDate good = broken.plusDays(1);
    land(broken);
    Path folder = LAKE.root().resolve("landing/xinfadi-daily-prices/" + broken);
    Files.writeString(folder.resolve("prices.csv"), Files.readString(folder.resolve("prices.csv")).replace("prodName", "品名"));
    Files.writeString(folder.resolve("prices-2.csv"), "");
    land(good);
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    // when both are backfilled
    int code = operations.backfill(broken, good, out);

    // then the backfill went on past the alarms and ends with their exit code; both dates completed and published
    assertThat(code).isEqualTo(ExitCodes.ALARMS);
    assertThat(operations.lastExecution(broken).getStatus()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(operations.lastExecution(good).getStatus()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(output.getErr()).contains(
        "agri: alarm: xinfadi-daily-prices: 443 of 443 rows quarantined (100.0 %), above the feed's limit of 50.0 %: HEADER_MISMATCH 443",
        "agri: alarm: xinfadi-daily-prices: file prices-2.csv holds no data (0 bytes");
    // the report says so at its top, in both forms
    com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(LAKE.root().resolve("reports/" + broken + "/report.json").toFile());
    assertThat(report.get("alarms").findValuesAsText("type")).containsExactly("QUARANTINE_SHARE", "FILE_NOT_READ");
    assertThat(Files.readString(LAKE.root().resolve("reports/" + broken + "/report.html"))).contains("告警 Alarms: 2.");
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(LAKE.root().resolve("reports/" + good + "/report.json").toFile()).get("alarms")).isEmpty();
    // and agri status counts them on the date's line of steps
    buffer.reset();
    operations.status(10, out);
    assertThat(buffer.toString(StandardCharsets.UTF_8).lines().dropWhile(l -> !l.startsWith(broken + " ")).skip(1).findFirst())
        .hasValueSatisfying(steps -> assertThat(steps).endsWith("| 2 ALARMS"));

    // when the sender's good files land and the date is run again
    land(broken);
    Files.delete(folder.resolve("prices-2.csv"));
    assertThat(operations.run(broken, true, out)).isEqualTo(ExitCodes.OK);
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(LAKE.root().resolve("reports/" + broken + "/report.json").toFile()).get("alarms")).isEmpty();
  }

  /** Read, accepted and quarantined: columns 7 to 9 of a line of {@code agri status}. */
  private static List<String> figures(String statusLine) {
    return List.of(statusLine.trim().split("\\s+")).subList(6, 9);
  }
}
