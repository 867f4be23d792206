package org.agrifusion.jobs.job.dailyfusion;

import java.util.Arrays;
import java.util.List;
import org.agrifusion.pipelines.report.FeedAlarms;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/**
 * A completed run with {@link FeedAlarms} (found by the nightly report, or by a history import):
 * the step that found them ends with the exit code {@value #EXIT_CODE} and one alarm per line of its
 * description, so {@code run}, {@code backfill}, {@code restart}, {@code import-history}, the
 * scheduler and {@code agri status} tell them (exit 6). They are read from the job instance's
 * latest execution of each step: a restart that did not run the report again keeps them.
 */
public final class RunAlarms {

  public static final String EXIT_CODE = "COMPLETED WITH ALARMS";
  public static final String DETAIL = "alarms";

  private RunAlarms() {}

  /** The alarms of a completed execution; empty when it had none (or did not complete). */
  public static List<String> of(JobRepository repository, JobExecution execution) {
    if (execution.getStatus() != BatchStatus.COMPLETED) {
      return List.of();
    }
    return StepFigures.latest(repository, execution).stream()
        .filter(step -> EXIT_CODE.equals(step.getExitStatus().getExitCode()))
        .flatMap(step -> Arrays.stream(step.getExitStatus().getExitDescription().split("\\n")))
        .filter(line -> !line.isBlank())
        .toList();
  }

  /** Gives a step that recorded alarms ({@link StepFigures} detail {@value #DETAIL}) the exit code. */
  public static final class StepListener implements StepExecutionListener {
    @Override
    @SuppressWarnings("unchecked")
    public ExitStatus afterStep(StepExecution step) {
      List<String> alarms = StepFigures.details(step).map(d -> (List<String>) d.get(DETAIL)).orElse(List.of());
      return step.getStatus() == BatchStatus.COMPLETED && !alarms.isEmpty()
          ? new ExitStatus(EXIT_CODE, String.join("\n", alarms)) : null;
    }
  }
}
