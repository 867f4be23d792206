package org.agrifusion.jobs.run;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.agrifusion.jobs.job.dailyfusion.DailyFusionJobConfiguration;
import org.agrifusion.jobs.job.dailyfusion.DailyFusionParameters;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

/**
 * The executions of a business date across all of its job instances (the plain one and each forced
 * rerun): Spring Batch answers per instance, the operators' questions are per date.
 */
@Component
public class DateExecutions {

  /** Executions whose identifying businessDate is the date, newest first (ids grow). */
  private static final String OF_DATE = """
      SELECT e.JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION e
      JOIN BATCH_JOB_INSTANCE i ON i.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID
      JOIN BATCH_JOB_EXECUTION_PARAMS p ON p.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID
      WHERE i.JOB_NAME = ? AND p.PARAMETER_NAME = ? AND p.PARAMETER_VALUE = ? AND p.IDENTIFYING = 'Y'
      """;

  private final JdbcTemplate jdbc;
  private final JobRepository repository;

  public DateExecutions(JdbcTemplate jdbc, JobRepository repository) {
    this.jdbc = jdbc;
    this.repository = repository;
  }

  /** The date's latest execution, whichever instance it belongs to; null when the date never ran. */
  public JobExecution latest(LocalDate date) {
    List<Long> ids = jdbc.queryForList(OF_DATE + " ORDER BY e.JOB_EXECUTION_ID DESC FETCH FIRST 1 ROWS ONLY", Long.class,
        DailyFusionJobConfiguration.JOB_NAME, DailyFusionParameters.BUSINESS_DATE, date.toString());
    return ids.isEmpty() ? null : repository.getJobExecution(ids.get(0));
  }

  /**
   * The executions of the dates that the job repository records as starting, started or stopping,
   * by date (dates with none left out): one query, whatever the number of dates.
   */
  public Map<LocalDate, List<JobExecution>> running(Collection<LocalDate> dates) {
    Set<String> wanted = dates.stream().map(LocalDate::toString).collect(Collectors.toSet());
    Map<LocalDate, List<JobExecution>> running = new TreeMap<>();
    jdbc.query("""
            SELECT p.PARAMETER_VALUE, e.JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION e
            JOIN BATCH_JOB_INSTANCE i ON i.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID
            JOIN BATCH_JOB_EXECUTION_PARAMS p ON p.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID
            WHERE i.JOB_NAME = ? AND p.PARAMETER_NAME = ? AND p.IDENTIFYING = 'Y'
              AND e.STATUS IN ('STARTING', 'STARTED', 'STOPPING') ORDER BY e.JOB_EXECUTION_ID""",
        (RowCallbackHandler) rs -> {
          if (wanted.contains(rs.getString(1))) {
            running.computeIfAbsent(LocalDate.parse(rs.getString(1)), d -> new ArrayList<>())
                .add(repository.getJobExecution(rs.getLong(2)));
          }
        },
        DailyFusionJobConfiguration.JOB_NAME, DailyFusionParameters.BUSINESS_DATE);
    return running;
  }

  /** The executions of the job that the job repository records as starting, started or stopping, oldest first. */
  public List<JobExecution> running(String jobName) {
    return jdbc.queryForList("""
            SELECT e.JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION e
            JOIN BATCH_JOB_INSTANCE i ON i.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID
            WHERE i.JOB_NAME = ? AND e.STATUS IN ('STARTING', 'STARTED', 'STOPPING') ORDER BY e.JOB_EXECUTION_ID""",
        Long.class, jobName).stream().map(repository::getJobExecution).toList();
  }

  /**
   * {@link #markFailed} of the execution if it is still recorded as running: empty when it is not,
   * or when another process marked it meanwhile (the repository's version check), so it is marked once.
   */
  public Optional<JobExecution> markFailedIfRunning(long id, String reason) {
    JobExecution execution = repository.getJobExecution(id);
    if (execution == null || !execution.getStatus().isRunning()) {
      return Optional.empty();
    }
    try {
      return Optional.of(markFailed(execution, reason));
    } catch (OptimisticLockingFailureException markedMeanwhile) {
      return Optional.empty();
    }
  }

  /**
   * Records a running execution whose process is gone as FAILED, with the reason as its exit
   * description, and so its running step: a restart redoes that step and goes on.
   */
  public JobExecution markFailed(JobExecution execution, String reason) {
    LocalDateTime now = LocalDateTime.now();
    for (StepExecution step : execution.getStepExecutions()) {
      if (step.getStatus().isRunning()) {
        step.setStatus(BatchStatus.FAILED);
        step.setExitStatus(ExitStatus.FAILED.addExitDescription(reason));
        step.setEndTime(now);
        repository.update(step);
      }
    }
    execution.setStatus(BatchStatus.FAILED);
    execution.setExitStatus(ExitStatus.FAILED.addExitDescription(reason));
    execution.setEndTime(now);
    repository.update(execution);
    return execution;
  }
}
