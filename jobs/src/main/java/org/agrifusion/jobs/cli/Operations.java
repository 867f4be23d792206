package org.agrifusion.jobs.cli;

import org.agrifusion.jobs.support.Causes;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.format.DateTimeFormatter;
import org.agrifusion.jobs.job.dailyfusion.DailyFusionJobConfiguration;
import org.agrifusion.jobs.job.dailyfusion.StepFigures;
import org.agrifusion.jobs.job.historyimport.HistoryImportJobConfiguration;
import org.agrifusion.jobs.job.historyimport.ImportedDates;
import org.agrifusion.jobs.job.dailyfusion.DailyFusionParameters;
import org.agrifusion.jobs.job.dailyfusion.DepartmentExtracts;
import org.agrifusion.jobs.lake.Publications;
import org.agrifusion.pipelines.lake.Snapshots;
import org.agrifusion.pipelines.sink.extract.ExtractSpec;
import org.agrifusion.pipelines.sink.extract.ExtractWriter;
import org.agrifusion.jobs.run.DateBusyException;
import org.agrifusion.jobs.run.DateExecutions;
import org.agrifusion.jobs.run.DateLock;
import org.agrifusion.jobs.run.RunHistory;
import org.agrifusion.jobs.run.RunOwnership;
import org.agrifusion.jobs.job.dailyfusion.DependencyUnavailableException;
import org.agrifusion.jobs.job.dailyfusion.LandingChangedException;
import org.agrifusion.jobs.job.dailyfusion.RunAlarms;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import java.time.OffsetDateTime;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobRestartException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What operators do with the nightly job: run a date, backfill a range of dates, restart a failed
 * date from its failed step, and see the history. Built on the Spring Batch job repository, so the
 * answers are the same whichever process ran the job. Whatever is asked of a date, this process
 * first owns it ({@link RunOwnership}): one execution of a date at a time, across processes and
 * machines, and a run that a dead process left running is failed and continued, not waited for.
 */
@Component
public class Operations {

  private static final Logger log = LoggerFactory.getLogger(Operations.class);

  private final JobOperator operator;
  private final JobRepository repository;
  private final Job dailyFusionJob;
  private final Job historyImportJob;
  private final ImportedDates importedDates;
  private final RunSummary summary;
  private final RunOwnership ownership;
  private final DateExecutions executions;
  private final DepartmentExtracts extracts;
  private final Publications publications;
  private final RunHistory history;

  public Operations(JobOperator operator, JobRepository repository, Job dailyFusionJob, Job historyImportJob,
      ImportedDates importedDates, RunSummary summary, RunOwnership ownership, DateExecutions executions,
      DepartmentExtracts extracts, Publications publications, RunHistory history) {
    this.history = history;
    this.historyImportJob = historyImportJob;
    this.importedDates = importedDates;
    this.operator = operator;
    this.publications = publications;
    this.repository = repository;
    this.dailyFusionJob = dailyFusionJob;
    this.summary = summary;
    this.ownership = ownership;
    this.executions = executions;
    this.extracts = extracts;
  }

  /**
   * Runs the job for one date. Without {@code force} a completed date is left as it is and a failed
   * or stopped one is restarted from its failed step. With {@code force} the date runs afresh from
   * its first step in a new job instance, whatever its state (completed, failed or stopped): landed
   * files are read again and every output replaced; the earlier executions stay in the history.
   */
  public int run(LocalDate date, boolean force, PrintStream out) throws InvalidJobParametersException, InterruptedException {
    try (DateLock lock = ownership.claimToRun(date, force ? "run --force" : "run")) {
      JobExecution last = executions.latest(date);
      if (!force && last != null && last.getStatus() == BatchStatus.COMPLETED) {
        out.println("daily-fusion for " + date + " already completed; nothing to do (use --force to run it again)");
        return ExitCodes.OK;
      }
      return report(force ? startAfresh(date, last) : advance(date, last), out);
    } catch (DateBusyException e) {
      System.err.println(e.getMessage());
      return ExitCodes.ALREADY_RUNNING;
    } catch (JobExecutionAlreadyRunningException | JobInstanceAlreadyCompleteException | JobRestartException e) {
      System.err.println("daily-fusion for " + date + " cannot be started: " + e.getMessage());
      return ExitCodes.FAILED;
    }
  }

  /**
   * Writes the department extracts of the date's day or month again. A period that was issued is
   * re-cut exactly as it was, from the snapshots its manifest names; with {@code latest}, or for a
   * period never issued, it is cut from the date's latest publication. The date is claimed like a
   * run, so a re-issue never writes beside the job's own extract step.
   */
  public int reissueExtracts(LocalDate date, Optional<String> id, boolean latest, PrintStream out) {
    try (DateLock lock = ownership.claim(date, "extract")) {
      String runId = "agri-extract-" + OffsetDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
      Optional<Snapshots> published = publications.latestFor(date).map(Publications.Publication::snapshots);
      for (ExtractSpec spec : extracts.select(id)) {
        // a manifest from before snapshots were recorded names none: that period can only be cut anew
        Optional<Snapshots> issued = latest ? Optional.empty()
            : extracts.issued(spec, date).map(ExtractWriter.Manifest::pinned).filter(s -> !s.ids().isEmpty());
        Snapshots pins = issued.or(() -> published).orElseThrow(() -> new IllegalArgumentException(
            date + " has no publication yet: run it first (agri run --date " + date + ")"));
        ExtractWriter.Manifest m = extracts.write(spec, date, pins, runId);
        out.printf("%-34s %-10s %8d rows -> %s/%s/ (%s)%n", m.extractId(), m.period(), m.rows(), extracts.folder(m.extractId()),
            m.period(), issued.isPresent() ? "re-cut as issued" : "from the latest publication");
      }
      return ExitCodes.OK;
    } catch (DateBusyException e) {
      System.err.println(e.getMessage());
      return ExitCodes.ALREADY_RUNNING;
    }
  }

  /**
   * Fails the date's execution that a dead process left as running, so that it can be restarted.
   * {@code run}, {@code backfill}, {@code restart} and the scheduler do this by themselves; this
   * command only does it without going on.
   */
  public int recover(LocalDate date, PrintStream out) throws DateBusyException {
    try (DateLock lock = ownership.claim(date, "recover")) {
      if (lock.healed().isEmpty()) {
        JobExecution last = executions.latest(date);
        throw new IllegalArgumentException(date + " has no running execution to recover"
            + (last == null ? "" : " (latest: " + last.getStatus() + ")"));
      }
      lock.healed().forEach(e -> out.println(date + ": execution " + e.getId() + " marked " + e.getStatus() + " ("
          + e.getExitStatus().getExitDescription() + "); "
          + (e.getJobInstance().getJobName().equals(HistoryImportJobConfiguration.JOB_NAME)
              ? "import its file again: agri import-history --source " + e.getJobParameters().getString(HistoryImportJobConfiguration.SOURCE)
                  + " --file " + e.getJobParameters().getString(HistoryImportJobConfiguration.FILE)
              : "continue it with: agri restart --date " + date)));
      return ExitCodes.OK;
    }
  }

  /** The date's latest execution, of whichever of its job instances (forced runs make more); null when the date never ran. */
  public JobExecution lastExecution(LocalDate date) {
    return executions.latest(date);
  }

  /**
   * Runs every date from {@code from} to {@code to} in order: completed dates are skipped, a failed
   * one is restarted from its failed step, and the first failure stops the backfill.
   */
  public int backfill(LocalDate from, LocalDate to, PrintStream out) throws Exception {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("--to " + to + " is before --from " + from);
    }
    int code = ExitCodes.OK;
    for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
      try (DateLock lock = ownership.claimToRun(date, "backfill")) {
        JobExecution last = executions.latest(date);
        if (last != null && last.getStatus() == BatchStatus.COMPLETED) {
          out.println(date + ": already completed, skipped");
          continue;
        }
        JobExecution execution = advance(date, last);
        out.println(summary.format(execution));
        if (execution.getStatus() != BatchStatus.COMPLETED) {
          System.err.println(date + ": " + execution.getStatus() + "; backfill stopped here (restart with: agri restart --date "
              + date + ", or run the backfill again)");
          return exitCode(execution);
        }
        code = Math.max(code, exitCode(execution)); // a date with alarms does not stop the backfill
      } catch (DateBusyException e) {
        System.err.println(e.getMessage() + "; backfill stopped");
        return ExitCodes.ALREADY_RUNNING;
      }
    }
    return code;
  }

  /**
   * Restarts, oldest first, every date from {@code from} to {@code to} whose latest run failed, was
   * stopped, or is still recorded as running by a process that died. A date that fails again, or
   * whose owner is alive, is reported and the next one is still tried.
   *
   * @return the dates restarted to completion
   */
  public List<LocalDate> restartInterrupted(LocalDate from, LocalDate to, PrintStream out) {
    List<LocalDate> completed = new java.util.ArrayList<>();
    for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
      JobExecution last = executions.latest(date);
      if (last == null || !(restartable(last) || last.getStatus().isRunning())) {
        continue;
      }
      out.println(date + ": " + last.getStatus() + " earlier; restarting it from the step that did not complete");
      try {
        int code = restart(date, out);
        if (code == ExitCodes.OK || code == ExitCodes.ALARMS) {
          completed.add(date);
        }
      } catch (Exception e) {
        System.err.println(date + ": restart did not run: " + e.getMessage());
      }
    }
    return completed;
  }

  /** Continues the date's failed (or stopped) execution from the step that failed (afresh when its landing changed). */
  public int restart(LocalDate date, PrintStream out) throws Exception {
    try (DateLock lock = ownership.claimToRun(date, "restart")) {
      JobExecution last = executions.latest(date);
      if (last == null) {
        throw new IllegalArgumentException(date + " never ran; use: agri run --date " + date);
      }
      if (last.getStatus() == BatchStatus.COMPLETED) {
        throw new IllegalArgumentException(date + " completed (execution " + last.getId() + "); nothing to restart");
      }
      return report(advance(date, last), out);
    }
  }

  /**
   * The date's next execution: its first, or the restart of its failed or stopped latest one. A run
   * that failed because its landed files changed is not continued (it would fail again on the same
   * snapshot): the date runs afresh from ingest.
   */
  private JobExecution advance(LocalDate date, JobExecution last) throws JobExecutionAlreadyRunningException,
      JobInstanceAlreadyCompleteException, InvalidJobParametersException, JobRestartException {
    if (last != null && restartable(last) && landingChanged(last)) {
      log.warn("{}: the landing changed during execution {}; reading the date again from ingest", date, last.getId());
      return startAfresh(date, last);
    }
    return last != null && restartable(last) ? operator.restart(last) : startAfresh(date, last);
  }

  private static boolean landingChanged(JobExecution execution) {
    return execution.getStepExecutions().stream()
        .anyMatch(s -> LandingChangedException.EXIT_CODE.equals(s.getExitStatus().getExitCode()));
  }

  /** The date from its first step: its plain job instance when it never ran, otherwise a new one. */
  private JobExecution startAfresh(LocalDate date, JobExecution last) throws JobExecutionAlreadyRunningException,
      JobInstanceAlreadyCompleteException, InvalidJobParametersException, JobRestartException {
    JobParameters parameters = last == null
        ? DailyFusionParameters.of(date)
        : DailyFusionParameters.rerunOf(date, OffsetDateTime.now().toString());
    return operator.start(dailyFusionJob, parameters);
  }

  private static boolean restartable(JobExecution execution) {
    return execution.getStatus() == BatchStatus.FAILED || execution.getStatus() == BatchStatus.STOPPED;
  }

  private int report(JobExecution execution, PrintStream out) {
    out.println(summary.format(execution));
    return exitCode(execution);
  }

  /** The exit code of an execution that ended; a dependency that was down is told in one line. */
  private int exitCode(JobExecution execution) {
    if (execution.getStatus() == BatchStatus.COMPLETED) {
      List<String> alarms = RunAlarms.of(repository, execution);
      alarms.forEach(alarm -> System.err.println("agri: alarm: " + alarm));
      return alarms.isEmpty() ? ExitCodes.OK : ExitCodes.ALARMS;
    }
    for (Throwable failure : execution.getAllFailureExceptions()) {
      Optional<DependencyUnavailableException> unavailable = Causes.find(failure, DependencyUnavailableException.class);
      if (unavailable.isPresent()) {
        System.err.println("agri: " + unavailable.get().getMessage());
        return ExitCodes.DEPENDENCY_UNAVAILABLE;
      }
    }
    return ExitCodes.FAILED;
  }

  /**
   * Imports a multi-day file of one feed ({@link HistoryImportJobConfiguration}): one job execution,
   * in one Spark pass, and per date a record of its rows. Prints the dates and their totals. The
   * import owns every date it writes while it writes them: when a live process owns one of them it
   * stops before writing anything (exit code 3), and a run of one of its dates meanwhile is refused.
   *
   * @param asOf the date the file was produced (the year of year-less dates; nothing after it is accepted)
   */
  public int importHistory(String source, String file, LocalDate asOf, PrintStream out) throws Exception {
    JobExecution execution = operator.start(historyImportJob,
        HistoryImportJobConfiguration.parameters(source, file, asOf, OffsetDateTime.now().toString()));
    Optional<DateBusyException> busy = execution.getAllFailureExceptions().stream()
        .flatMap(e -> Causes.find(e, DateBusyException.class).stream()).findFirst();
    if (busy.isPresent()) {
      System.err.println("agri: import-history " + source + " stopped with nothing written: " + busy.get().date()
          + " (one of the file's dates) is owned by " + busy.get().owner());
      return ExitCodes.ALREADY_RUNNING;
    }
    List<ImportedDates.ImportedDate> dates = importedDates.ofExecution(execution.getId());
    StepExecution step = execution.getStepExecutions().stream().findFirst().orElse(null);
    out.printf("history-import %s %s: %s", source, file, execution.getStatus());
    if (step != null) {
      out.printf(", rows read %d, accepted %d, quarantined %d", step.getReadCount(), step.getWriteCount(), step.getFilterCount());
    }
    out.println();
    if (!dates.isEmpty()) {
      out.printf("  %d dates, %s..%s, each recorded in the job repository (agri status --date D)%n", dates.size(),
          dates.get(0).date(), dates.get(dates.size() - 1).date());
      StepFigures.details(step).map(f -> f.get("topReasons")).ifPresent(r -> out.println("  quarantine reasons: " + r));
      dates.stream().filter(d -> d.quarantined() > 0)
          .sorted(Comparator.comparingLong(ImportedDates.ImportedDate::quarantined).reversed()).limit(5)
          .forEach(d -> out.printf("  %s: %d read, %d accepted, %d quarantined%n", d.date(), d.read(), d.accepted(), d.quarantined()));
    }
    if (execution.getStatus() != BatchStatus.COMPLETED) {
      execution.getAllFailureExceptions().forEach(e -> System.err.println("agri: " + e.getMessage()));
    }
    return exitCode(execution);
  }

  /** The date's nightly executions and the history imports that filed rows under it. */
  public int status(LocalDate date, PrintStream out) {
    JobExecution last = executions.latest(date);
    out.println(date + ": " + (last == null ? "no nightly run" : "nightly run " + last.getId() + " " + last.getStatus()
        + " (" + RunHistory.steps(last) + history.alarms(last) + ")"));
    List<ImportedDates.ImportedDate> imports = importedDates.of(date);
    imports.forEach(d -> {
      JobExecution e = repository.getJobExecution(d.jobExecutionId());
      out.printf("  history-import %d %s of %s (%s): %d read, %d accepted, %d quarantined%n", d.jobExecutionId(),
          e == null ? "?" : e.getStatus(), d.source(), e == null ? "?" : e.getJobParameters().getString(HistoryImportJobConfiguration.FILE),
          d.read(), d.accepted(), d.quarantined());
    });
    return ExitCodes.OK;
  }

  /** The latest executions: date, status, start, duration, rows read, accepted and quarantined, and rows per step. */
  public int status(int last, PrintStream out) {
    out.printf("%-12s %-6s %-10s %-20s %9s %9s %9s %12s%n", "date", "exec", "status", "started", "duration", "read",
        "accepted", "quarantined");
    history.latest(last).forEach(r -> {
      out.printf("%-12s %-6d %-10s %-20s %8ds %9s %9s %12s%n", r.imported() ? "import" : r.businessDate(), r.execution(),
          r.status(), String.valueOf(r.started()).replace('T', ' ').substring(0, 19), r.duration().toSeconds(),
          dash(r.read()), dash(r.accepted()), dash(r.quarantined()));
      out.println("             " + r.steps());
    });
    return ExitCodes.OK;
  }

  private static String dash(Long count) {
    return count == null ? "-" : count.toString();
  }
}
