package org.agrifusion.jobs.support;

import java.io.IOException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import org.agrifusion.jobs.job.dailyfusion.DailyFusionJobConfiguration;
import org.agrifusion.jobs.job.dailyfusion.DailyFusionParameters;
import org.agrifusion.jobs.run.RunOwner;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
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
    JobInstance instance = repository.createJobInstance(DailyFusionJobConfiguration.JOB_NAME, parameters);
    JobExecution execution = repository.createJobExecution(instance, parameters, new ExecutionContext());
    execution.setStatus(BatchStatus.STARTED);
    execution.setStartTime(LocalDateTime.now().minusMinutes(10));
    repository.update(execution);
    StepExecution ingest = repository.createStepExecution("ingest", execution);
    ingest.setStatus(BatchStatus.STARTED);
    ingest.setStartTime(LocalDateTime.now().minusMinutes(10));
    repository.update(ingest);
    jdbc.update("INSERT INTO AGRI_RUN_OWNER (BUSINESS_DATE, CLAIM_ID, HOST, PID, ACTION, SINCE, HEARTBEAT) VALUES (?, ?, ?, ?, ?, ?, ?)",
        date.toString(), "claim-of-" + pid, host, pid, "run --force", OffsetDateTime.now().minusMinutes(10), heartbeat);
    return execution;
  }
}
