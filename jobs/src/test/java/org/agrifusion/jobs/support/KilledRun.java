package org.agrifusion.jobs.support;

import java.io.IOException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import org.agrifusion.jobs.job.dailyfusion.DailyFusionJobConfiguration;
import org.agrifusion.jobs.job.dailyfusion.DailyFusionParameters;
import org.agrifusion.jobs.job.historyimport.HistoryImportJobConfiguration;
import org.agrifusion.jobs.run.RunOwner;
import org.agrifusion.jobs.run.RunOwnership;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What {@code kill -9} of {@code agri run --force} in its ingest step leaves in the job repository: a
 * forced instance's execution and its step STARTED, and the date's owner row naming a process.
 */
public final class KilledRun {

  private KilledRun() {}

  /** The id of a process that ran and ended (reaped), so no process has it now. */
  public static long deadPid() throws IOException, InterruptedException {
    Process process = new ProcessBuilder("true").start();
    process.waitFor();
    return process.pid();
  }

  /** A forced run killed on this host: its process is gone, though its last heartbeat is recent. */
  public static JobExecution onThisHost(JobRepository repository, JdbcTemplate jdbc, LocalDate date) throws Exception {
    return plant(repository, jdbc, date, RunOwner.thisHost(), deadPid(), OffsetDateTime.now());
  }

  /** A forced run owned by a process on another host, last heard of at {@code heartbeat}. */
  public static JobExecution plant(JobRepository repository, JdbcTemplate jdbc, LocalDate date, String host, long pid,
      OffsetDateTime heartbeat) {
    var parameters = DailyFusionParameters.rerunOf(date, "killed-" + pid);
    JobExecution execution = started(repository, DailyFusionJobConfiguration.JOB_NAME, parameters, "ingest");
    jdbc.update("INSERT INTO AGRI_RUN_OWNER (BUSINESS_DATE, CLAIM_ID, HOST, PID, ACTION, SINCE, HEARTBEAT) VALUES (?, ?, ?, ?, ?, ?, ?)",
        date.toString(), "claim-of-" + pid, host, pid, "run --force", OffsetDateTime.now().minusMinutes(10), heartbeat);
    return execution;
  }

  /**
   * What {@code kill -9} of {@code agri import-history} on this host leaves: its execution and import
   * step STARTED, and, once it had claimed them, the owner rows of its dates naming its process and
   * execution ({@code dates} empty: killed while it still read the file, before its claim).
   */
  public static JobExecution importOnThisHost(JobRepository repository, JdbcTemplate jdbc, String source, String file,
      List<LocalDate> dates, long pid) {
    var parameters = new JobParametersBuilder().addString(HistoryImportJobConfiguration.SOURCE, source)
        .addString(HistoryImportJobConfiguration.FILE, file).addString(HistoryImportJobConfiguration.AS_OF, dates.isEmpty()
            ? "2021-12-07" : dates.get(dates.size() - 1).toString())
        .addString(HistoryImportJobConfiguration.REQUESTED, "killed-" + pid + "-" + System.nanoTime())
        .addString(HistoryImportJobConfiguration.PROCESS, RunOwner.thisHost() + ":" + pid, false).toJobParameters();
    JobExecution execution = started(repository, HistoryImportJobConfiguration.JOB_NAME, parameters, "import");
    OffsetDateTime since = OffsetDateTime.now();
    for (LocalDate date : dates) {
      jdbc.update("INSERT INTO AGRI_RUN_OWNER (BUSINESS_DATE, CLAIM_ID, HOST, PID, ACTION, SINCE, HEARTBEAT, JOB_EXECUTION_ID)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", date.toString(), "import-of-" + pid, RunOwner.thisHost(), pid,
          RunOwnership.importAction(source), since, OffsetDateTime.now(), execution.getId());
    }
    return execution;
  }

  /** A new execution of a new instance of the job, and its first step, both STARTED ten minutes ago. */
  private static JobExecution started(JobRepository repository, String job, JobParameters parameters, String step) {
    JobInstance instance = repository.createJobInstance(job, parameters);
    JobExecution execution = repository.createJobExecution(instance, parameters, new ExecutionContext());
    execution.setStatus(BatchStatus.STARTED);
    execution.setStartTime(LocalDateTime.now().minusMinutes(10));
    repository.update(execution);
    StepExecution first = repository.createStepExecution(step, execution);
    first.setStatus(BatchStatus.STARTED);
    first.setStartTime(LocalDateTime.now().minusMinutes(10));
    repository.update(first);
    return execution;
  }
}
