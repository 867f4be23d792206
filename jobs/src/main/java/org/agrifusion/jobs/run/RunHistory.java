package org.agrifusion.jobs.run;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.agrifusion.jobs.job.dailyfusion.DailyFusionJobConfiguration;
import org.agrifusion.jobs.job.dailyfusion.RunAlarms;
import org.agrifusion.jobs.job.dailyfusion.DailyFusionParameters;
import org.agrifusion.jobs.job.historyimport.HistoryImportJobConfiguration;
import org.agrifusion.jobs.job.historyimport.ImportedDates;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

/**
 * The job history as {@code agri status} and the portal's runs page show it: the latest executions
 * of the nightly job and the history imports, newest first, one {@link Run} each.
 *
 * <p>Looking heals: a history import recorded as running whose process is dead is marked FAILED with
 * its cause first ({@link RunOwnership#healDeadImports}), as the next claimant of one of its dates
 * would. The job repository then says what the page says, and an import is not "running" on one
 * screen and failed on another; the marking is conditional, so it happens once.
 */
@Component
public class RunHistory {

  /**
   * @param businessDate the nightly run's date; null for a history import
   * @param read rows the standardise (or import) step read; null when it did not run
   * @param steps one line: per step its rows written (and quarantined) and duration, or for an
   *     import its source, file and dates
   */
  public record Run(String businessDate, long execution, BatchStatus status, LocalDateTime started, Duration duration,
      Long read, Long accepted, Long quarantined, String steps) {

    public boolean imported() {
      return businessDate == null;
    }
  }

  private final JobRepository repository;
  private final ImportedDates importedDates;
  private final RunOwnership ownership;

  public RunHistory(JobRepository repository, ImportedDates importedDates, RunOwnership ownership) {
    this.repository = repository;
    this.importedDates = importedDates;
    this.ownership = ownership;
  }

  /** The last {@code last} executions of either job, newest first. */
  public List<Run> latest(int last) {
    ownership.healDeadImports("a look at the run history");
    List<JobInstance> instances = new ArrayList<>(repository.getJobInstances(DailyFusionJobConfiguration.JOB_NAME, 0, last));
    instances.addAll(repository.getJobInstances(HistoryImportJobConfiguration.JOB_NAME, 0, last));
    return instances.stream()
        .map(repository::getLastJobExecution)
        .sorted(Comparator.comparing(JobExecution::getId).reversed())
        .limit(last)
        .map(this::run)
        .toList();
  }

  private Run run(JobExecution e) {
    boolean imported = e.getJobInstance().getJobName().equals(HistoryImportJobConfiguration.JOB_NAME);
    // A restart runs only the steps that did not complete: the rows were read by an earlier execution.
    StepExecution standardise = repository.getLastStepExecution(e.getJobInstance(), imported ? "import" : "standardise");
    Duration took = e.getStartTime() == null ? Duration.ZERO
        : Duration.between(e.getStartTime(), e.getEndTime() != null ? e.getEndTime() : LocalDateTime.now());
    return new Run(imported ? null : e.getJobParameters().getString(DailyFusionParameters.BUSINESS_DATE), e.getId(),
        e.getStatus(), e.getStartTime(), took,
        standardise == null ? null : standardise.getReadCount(), standardise == null ? null : standardise.getWriteCount(),
        standardise == null ? null : standardise.getFilterCount(), (imported ? imported(e) : steps(e)) + alarms(e));
  }

  /** One line of a history import: its source and file, and the dates it filed rows under. */
  private String imported(JobExecution execution) {
    List<ImportedDates.ImportedDate> dates = importedDates.ofExecution(execution.getId());
    return execution.getJobParameters().getString(HistoryImportJobConfiguration.SOURCE) + " "
        + execution.getJobParameters().getString(HistoryImportJobConfiguration.FILE)
        + (dates.isEmpty() ? "" : ": " + dates.size() + " dates " + dates.get(0).date() + ".." + dates.get(dates.size() - 1).date());
  }

  /** One line of the execution's steps: rows written (and quarantined) and duration, or the status when not completed. */
  public static String steps(JobExecution execution) {
    return execution.getStepExecutions().stream()
        .sorted(Comparator.comparing(StepExecution::getId))
        .map(s -> {
          Duration took = s.getStartTime() == null || s.getEndTime() == null ? null : Duration.between(s.getStartTime(), s.getEndTime());
          return s.getStepName() + " " + s.getWriteCount() + (s.getFilterCount() > 0 ? " (" + s.getFilterCount() + " quarantined)" : "")
              + (took == null ? "" : " " + took.toSeconds() + "s")
              + (s.getStatus() == BatchStatus.COMPLETED ? "" : " " + s.getStatus());
        })
        .collect(Collectors.joining(" | "));
  }

  /** How many {@link RunAlarms} the execution ended with, to follow its line; empty when none. */
  public String alarms(JobExecution execution) {
    int alarms = RunAlarms.of(repository, execution).size();
    return alarms == 0 ? "" : " | " + alarms + (alarms == 1 ? " ALARM" : " ALARMS");
  }
}
