package org.agrifusion.jobs.job.historyimport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.agrifusion.jobs.cli.ExitCodes;
import org.agrifusion.jobs.cli.Operations;
import org.agrifusion.jobs.es.FamilyLoader;
import org.agrifusion.jobs.es.IndexManager;
import org.agrifusion.jobs.lake.Publications;
import org.agrifusion.jobs.support.KilledRun;
import org.agrifusion.jobs.support.TestLake;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.agrifusion.jobs.run.DateLock;
import org.agrifusion.jobs.run.RunOwner;
import org.agrifusion.jobs.run.RunOwnership;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.LakeTable;
import org.agrifusion.pipelines.lake.TableId;
import org.agrifusion.pipelines.lake.Tables;
import org.agrifusion.pipelines.source.RawColumns;
import org.agrifusion.pipelines.source.RecordKind;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** agri import-history on the real job repository, Spark and Iceberg: one execution, every date recorded and published. */
@SpringBootTest
@ExtendWith(OutputCaptureExtension.class)
class HistoryImportFunctionalTests {

  static final TestLake LAKE = TestLake.create("history-it");
  static final Path SAMPLE = Path.of("../samples/landing/xinfadi-daily-prices/2021-12-07/xinfadi_prices_2021-12-07.csv");
  static final List<LocalDate> DAYS = List.of(LocalDate.of(2021, 12, 5), LocalDate.of(2021, 12, 6), LocalDate.of(2021, 12, 7));

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    LAKE.register(registry, "history-it");
    registry.add("agri.run-owner.heartbeat", () -> "1s");
  }

  @Autowired Operations operations;
  @Autowired ImportedDates importedDates;
  @Autowired Publications publications;
  @Autowired RunOwnership ownership;
  @Autowired JdbcTemplate jdbc;
  @Autowired JobRepository repository;
  @Autowired Lake lake;
  @Autowired ObjectProvider<SparkSession> spark;

  static final String SOURCE = "xinfadi-daily-prices";
  static final String ME = RunOwner.thisHost() + ":" + ProcessHandle.current().pid();

  @AfterAll
  static void drop(@Autowired FamilyLoader loader, @Autowired IndexManager indices) {
    LAKE.drop(indices, loader.families().keySet());
  }

  /** The real 443-row sample day, once per day, as one archive file. */
  static Path archive(String name, List<LocalDate> days) throws java.io.IOException {
    List<String> lines = Files.readAllLines(SAMPLE);
    String archive = Stream.concat(Stream.of(lines.get(0)), days.stream()
            .flatMap(d -> lines.subList(1, lines.size()).stream().map(l -> l.replace("2021-12-07", d.toString()))))
        .collect(Collectors.joining("\n", "", "\n"));
    return Files.writeString(LAKE.root().resolve(name), archive);
  }

  @Test
  void aThreeDayFileIsOneExecutionWithEveryDateRecordedAndPublished() throws Exception {
    // the real 443-row sample day (3 crawler repeats) as three days of one archive file
    Path file = archive("xinfadi-3-days.csv", DAYS);
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    int exit = operations.importHistory("xinfadi-daily-prices", "file:" + file, DAYS.get(2), out);

    String printed = buffer.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(printed).isEqualTo(ExitCodes.OK);
    assertThat(printed).contains("COMPLETED, rows read 1329, accepted 1320, quarantined 9")
        .contains("3 dates, 2021-12-05..2021-12-07");
    for (LocalDate day : DAYS) {
      assertThat(importedDates.of(day)).extracting(ImportedDates.ImportedDate::source, ImportedDates.ImportedDate::read,
          ImportedDates.ImportedDate::accepted, ImportedDates.ImportedDate::quarantined)
          .containsExactly(tuple("xinfadi-daily-prices", 443L, 440L, 3L));
      assertThat(publications.latestFor(day)).hasValueSatisfying(p -> assertThat(p.dates()).containsAll(DAYS));
    }

    buffer.reset();
    operations.status(DAYS.get(0), out);
    assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("2021-12-05: no nightly run")
        .containsPattern("history-import \\d+ COMPLETED of xinfadi-daily-prices \\(file:.*xinfadi-3-days.csv\\): 443 read, 440 accepted, 3 quarantined");
    buffer.reset();
    operations.status(10, out);
    assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("import ")
        .contains("xinfadi-daily-prices file:").contains(": 3 dates 2021-12-05..2021-12-07");
  }

  @Test
  void anImportOfADateThatANightlyRunOwnsIsRefusedWithTheDateAndOwnerAndWritesNothing(CapturedOutput output) throws Exception {
    List<LocalDate> days = List.of(LocalDate.of(2021, 11, 1), LocalDate.of(2021, 11, 2), LocalDate.of(2021, 11, 3));
    Path file = archive("xinfadi-busy.csv", days);
    java.util.Map<String, java.util.Optional<Long>> before = snapshots();
    long recorded = jdbc.queryForObject("SELECT COUNT(*) FROM AGRI_IMPORTED_DATE", Long.class);
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    // given a nightly run of the file's middle date going on
    try (DateLock nightly = ownership.claim(days.get(1), "run --force")) {
      // when the file is imported
      int exit = operations.importHistory(SOURCE, "file:" + file, days.get(2), out);

      // then the import is refused in one line naming the date and its owner
      assertThat(exit).as(buffer.toString(StandardCharsets.UTF_8)).isEqualTo(ExitCodes.ALREADY_RUNNING);
      assertThat(output.getErr().lines().filter(l -> l.contains(days.get(1) + " (one of the file's dates) is owned by ")))
          .singleElement().asString().startsWith("agri: import-history " + SOURCE + " stopped with nothing written: " + days.get(1)
              + " (one of the file's dates) is owned by " + ME + " (run --force since ");
      // and nothing of it reached the lake or the record of imported dates
      assertThat(snapshots()).isEqualTo(before);
      assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM AGRI_IMPORTED_DATE", Long.class)).isEqualTo(recorded);
      for (LocalDate day : days) {
        assertThat(publications.latestFor(day)).isEmpty();
        assertThat(Tables.readRange(spark.getObject(), lake.raw(SOURCE), day, day).map(d -> d.count()).orElse(0L)).isZero();
      }
      // and the dates it took before finding the busy one are free again; the nightly run keeps its own
      assertThat(ownership.owner(days.get(0))).isEmpty();
      assertThat(ownership.owner(days.get(2))).isEmpty();
      assertThat(ownership.owner(days.get(1))).get().extracting(RunOwner::action).isEqualTo("run --force");
    }
  }

  @Test
  void aNightlyRunOfADateThatAnImportOwnsWaitsForTheImportToEndAndThenRunsTheDate(CapturedOutput output) throws Exception {
    List<LocalDate> days = List.of(LocalDate.of(2021, 10, 1), LocalDate.of(2021, 10, 2));
    Path file = archive("xinfadi-owner.csv", days);
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    java.util.concurrent.ExecutorService one = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      // given an import of the two dates going on
      java.util.concurrent.Future<Integer> importing = one.submit(() -> operations.importHistory(SOURCE, "file:" + file, days.get(1), out));
      java.util.Optional<RunOwner> owner = java.util.Optional.empty();
      for (long end = System.nanoTime() + 120_000_000_000L; owner.isEmpty() && !importing.isDone() && System.nanoTime() < end; ) {
        owner = ownership.owner(days.get(0));
        Thread.sleep(10);
      }
      assertThat(owner).as("the import owns its dates while it writes them").get()
          .extracting(RunOwner::action).isEqualTo("import-history " + SOURCE);

      // when the nightly run of one of them is asked for, then it waits for the import (exit 3 would
      // leave the night unrun: systemd and the scheduler take it for "another run has it")
      assertThat(operations.run(days.get(0), false, out)).isEqualTo(ExitCodes.OK);
      assertThat(importing).isDone();
      assertThat(importing.get()).isEqualTo(ExitCodes.OK);
      assertThat(output.getOut()).contains(days.get(0) + ": waiting for " + ME + " (import-history " + SOURCE + " since ");
      // and runs the date after it, keeping the imported rows (no files landed for it)
      assertThat(operations.lastExecution(days.get(0)).getStatus()).isEqualTo(org.springframework.batch.core.BatchStatus.COMPLETED);
      assertThat(operations.lastExecution(days.get(0)).getStartTime())
          .isAfter(jdbc.queryForObject("SELECT MAX(END_TIME) FROM BATCH_JOB_EXECUTION E JOIN BATCH_JOB_INSTANCE I"
              + " ON E.JOB_INSTANCE_ID = I.JOB_INSTANCE_ID WHERE I.JOB_NAME = 'history-import'", java.time.LocalDateTime.class));
    } finally {
      one.shutdownNow();
    }
    days.forEach(d -> assertThat(ownership.owner(d)).isEmpty());
  }

  @Test
  void anImportThatQuarantinesMostOfItsRowsOrHoldsNoneEndsWithAlarms(CapturedOutput output) throws Exception {
    LocalDate asOf = LocalDate.of(2021, 9, 1);
    // the sender renamed a column: every row HEADER_MISMATCH, filed under the as-of date
    Path renamed = Files.writeString(LAKE.root().resolve("xinfadi-renamed.csv"),
        Files.readString(archive("xinfadi-renamed-source.csv", List.of(asOf))).replace("prodName", "品名"));
    Path empty = Files.writeString(LAKE.root().resolve("xinfadi-empty.csv"), "");
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    assertThat(operations.importHistory(SOURCE, "file:" + renamed, asOf, out)).isEqualTo(ExitCodes.ALARMS);
    assertThat(output.getErr()).contains("agri: alarm: xinfadi-daily-prices: 443 of 443 rows quarantined (100.0 %), above the"
        + " feed's limit of 50.0 %: ").containsPattern("agri: alarm: .*HEADER_MISMATCH 443");
    assertThat(operations.importHistory(SOURCE, "file:" + empty, asOf, out)).isEqualTo(ExitCodes.ALARMS);
    assertThat(output.getErr()).contains("agri: alarm: xinfadi-daily-prices: file file:" + empty + " holds no rows");

    buffer.reset();
    operations.status(10, out);
    assertThat(buffer.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("xinfadi-renamed.csv")))
        .singleElement().satisfies(l -> assertThat(l).endsWith(" | 1 ALARM"));
  }

  @Test
  void aFailedImportFreesItsDates() throws Exception {
    List<LocalDate> days = List.of(LocalDate.of(2021, 9, 1), LocalDate.of(2021, 9, 2));
    Path file = archive("xinfadi-fails.csv", days);
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    // the publication cannot be recorded: the import fails after every write, while it owns its dates
    jdbc.execute("ALTER TABLE AGRI_PUBLICATION_DATE RENAME TO AGRI_PUBLICATION_DATE_AWAY");
    try {
      assertThat(operations.importHistory(SOURCE, "file:" + file, days.get(1), out)).isEqualTo(ExitCodes.FAILED);
    } finally {
      jdbc.execute("ALTER TABLE AGRI_PUBLICATION_DATE_AWAY RENAME TO AGRI_PUBLICATION_DATE");
    }
    days.forEach(d -> assertThat(ownership.owner(d)).isEmpty());
  }

  @Test
  void aClaimThatTakesOverADeadImportsDatesMarksTheImportFailedWithItsCauseOnce() throws Exception {
    // given an import killed while it owned its two dates: its execution and step STARTED, its process gone
    List<LocalDate> days = List.of(LocalDate.of(2021, 8, 1), LocalDate.of(2021, 8, 2));
    long pid = KilledRun.deadPid();
    JobExecution killed = KilledRun.importOnThisHost(repository, jdbc, SOURCE, "file:/archive/xinfadi-2021-08.csv", days, pid);
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    // when one of its dates is claimed (agri recover; a run, backfill or import claims alike)
    assertThat(operations.recover(days.get(0), out)).isEqualTo(ExitCodes.OK);

    // then the import's execution and its step are FAILED with the cause, and the user is told what to do
    JobExecution after = repository.getJobExecution(killed.getId());
    assertThat(after.getStatus()).isEqualTo(BatchStatus.FAILED);
    assertThat(after.getEndTime()).isNotNull();
    String cause = after.getExitStatus().getExitDescription();
    assertThat(cause).startsWith("owner " + RunOwner.thisHost() + ":" + pid + " (import-history " + SOURCE + " since ")
        .contains(") died: process " + pid + " is gone; found by recover on " + ME + " at ");
    assertThat(after.getStepExecutions()).singleElement().satisfies(s -> assertThat(s.getStatus()).isEqualTo(BatchStatus.FAILED));
    assertThat(buffer.toString(StandardCharsets.UTF_8)).contains(days.get(0) + ": execution " + killed.getId() + " marked FAILED ("
        + cause + "); import its file again: agri import-history --source " + SOURCE + " --file file:/archive/xinfadi-2021-08.csv");

    // and a claim of its other date takes that date over without marking the import again
    try (DateLock nightly = ownership.claim(days.get(1), "run")) {
      assertThat(nightly.healed()).isEmpty();
    }
    JobExecution again = repository.getJobExecution(killed.getId());
    assertThat(again.getExitStatus().getExitDescription()).isEqualTo(cause);
    assertThat(again.getVersion()).isEqualTo(after.getVersion());
    days.forEach(d -> assertThat(ownership.owner(d)).isEmpty());
  }

  @Test
  void theRunHistoryShowsAnImportWhoseProcessDiedAsFailedWithItsCauseAndALiveOneAsRunning() throws Exception {
    // given an import killed while it owned its dates, one killed while it still read its file (no
    // date claimed yet), and two of a process that is alive, one with its date claimed and one without
    long claimedPid = KilledRun.deadPid();
    long readingPid = KilledRun.deadPid();
    JobExecution killedClaimed = KilledRun.importOnThisHost(repository, jdbc, SOURCE, "file:/archive/killed-claimed.csv",
        List.of(LocalDate.of(2021, 7, 1), LocalDate.of(2021, 7, 2)), claimedPid);
    JobExecution killedReading = KilledRun.importOnThisHost(repository, jdbc, SOURCE, "file:/archive/killed-reading.csv",
        List.of(), readingPid);
    Process alive = new ProcessBuilder("sleep", "300").start();
    Thread.sleep(1500); // its claims are younger than it: its pid is not taken for another, later process's
    try {
      JobExecution liveClaimed = KilledRun.importOnThisHost(repository, jdbc, SOURCE, "file:/archive/live-claimed.csv",
          List.of(LocalDate.of(2021, 7, 10)), alive.pid());
      JobExecution liveReading = KilledRun.importOnThisHost(repository, jdbc, SOURCE, "file:/archive/live-reading.csv",
          List.of(), alive.pid());
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

      // when the history is listed (agri status; the portal's runs page lists the same RunHistory)
      operations.status(20, out);

      // then the dead imports are FAILED there and in the job repository, with their cause; the live ones run on
      String printed = buffer.toString(StandardCharsets.UTF_8);
      assertThat(printed).containsPattern("import\\s+" + killedClaimed.getId() + "\\s+FAILED")
          .containsPattern("import\\s+" + killedReading.getId() + "\\s+FAILED")
          .containsPattern("import\\s+" + liveClaimed.getId() + "\\s+STARTED")
          .containsPattern("import\\s+" + liveReading.getId() + "\\s+STARTED");
      for (var killed : java.util.Map.of(killedClaimed, claimedPid, killedReading, readingPid).entrySet()) {
        JobExecution after = repository.getJobExecution(killed.getKey().getId());
        assertThat(after.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(after.getStepExecutions()).singleElement().satisfies(s -> assertThat(s.getStatus()).isEqualTo(BatchStatus.FAILED));
        assertThat(after.getExitStatus().getExitDescription())
            .startsWith("owner " + RunOwner.thisHost() + ":" + killed.getValue() + " (import-history " + SOURCE + " since ")
            .contains(") died: process " + killed.getValue() + " is gone; found by a look at the run history on " + ME + " at ");
      }
      assertThat(List.of(liveClaimed, liveReading)).allSatisfy(
          live -> assertThat(repository.getJobExecution(live.getId()).getStatus()).isEqualTo(BatchStatus.STARTED));

      // and looking again marks nothing again
      long version = repository.getJobExecution(killedClaimed.getId()).getVersion();
      operations.status(20, out);
      assertThat(repository.getJobExecution(killedClaimed.getId()).getVersion()).isEqualTo(version);
    } finally {
      alive.destroyForcibly().waitFor();
    }
  }

  @Test
  void aFileImportedAgainAfterItsImportWasKilledHoldsEachDateOnceAndTheKilledImportIsFailed() throws Exception {
    // given an import of the file killed after it wrote the lake and before it recorded its dates
    List<LocalDate> days = List.of(LocalDate.of(2021, 6, 1), LocalDate.of(2021, 6, 2));
    Path file = archive("xinfadi-killed.csv", days);
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertThat(operations.importHistory(SOURCE, "file:" + file, days.get(1), out)).isEqualTo(ExitCodes.OK);
    long killed = importedDates.of(days.get(0)).get(0).jobExecutionId();
    long pid = KilledRun.deadPid();
    jdbc.update("UPDATE BATCH_JOB_EXECUTION SET STATUS = 'STARTED', EXIT_CODE = 'UNKNOWN', END_TIME = NULL WHERE JOB_EXECUTION_ID = ?", killed);
    jdbc.update("UPDATE BATCH_STEP_EXECUTION SET STATUS = 'STARTED', EXIT_CODE = 'EXECUTING', END_TIME = NULL WHERE JOB_EXECUTION_ID = ?", killed);
    jdbc.update("DELETE FROM AGRI_IMPORTED_DATE WHERE JOB_EXECUTION_ID = ?", killed);
    for (LocalDate day : days) {
      jdbc.update("INSERT INTO AGRI_RUN_OWNER (BUSINESS_DATE, CLAIM_ID, HOST, PID, ACTION, SINCE, HEARTBEAT, JOB_EXECUTION_ID)"
              + " VALUES (?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP, ?)", day.toString(), "killed-import", RunOwner.thisHost(), pid,
          RunOwnership.importAction(SOURCE), java.time.OffsetDateTime.now().minusMinutes(5), killed);
    }

    // when the file is imported again
    assertThat(operations.importHistory(SOURCE, "file:" + file, days.get(1), out)).isEqualTo(ExitCodes.OK);

    // then the killed import is FAILED, found by the new one, and each date holds the file's rows once
    JobExecution after = repository.getJobExecution(killed);
    assertThat(after.getStatus()).isEqualTo(BatchStatus.FAILED);
    assertThat(after.getExitStatus().getExitDescription())
        .contains(") died: process " + pid + " is gone; found by import-history " + SOURCE + " on " + ME + " at ");
    for (LocalDate day : days) {
      assertThat(importedDates.of(day)).singleElement().satisfies(d -> {
        assertThat(d.jobExecutionId()).isNotEqualTo(killed);
        assertThat(d.read()).isEqualTo(443L);
        assertThat(d.accepted()).isEqualTo(440L);
      });
      assertThat(Tables.readRange(spark.getObject(), lake.raw(SOURCE), day, day).orElseThrow().count()).isEqualTo(443L);
      assertThat(Tables.readRange(spark.getObject(), lake.staging(RecordKind.PRICE), day, day).orElseThrow()
          .where(org.apache.spark.sql.functions.col(RawColumns.SOURCE_ID).equalTo(SOURCE)).count()).isEqualTo(440L);
      assertThat(ownership.owner(day)).isEmpty();
    }
  }

  /** The current snapshot of every table a price import writes (empty for a table not created yet). */
  private java.util.Map<String, java.util.Optional<Long>> snapshots() {
    java.util.Map<String, java.util.Optional<Long>> snapshots = new java.util.TreeMap<>();
    for (TableId table : List.of(lake.raw(SOURCE), lake.staging(RecordKind.PRICE), lake.quarantine(RecordKind.PRICE),
        lake.superseded(RecordKind.PRICE), lake.table(LakeTable.PRICE_OBSERVATION), lake.table(LakeTable.PRICE_DAILY),
        lake.table(LakeTable.SPREAD_DAILY))) {
      snapshots.put(table.qualifiedName(), Tables.snapshot(spark.getObject(), table));
    }
    return snapshots;
  }
}
