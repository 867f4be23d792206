package org.agrifusion.jobs.job.dailyfusion;

import java.io.Serializable;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BinaryOperator;
import java.util.stream.Collectors;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;

/**
 * Records a step's figures where operators look for them: the step execution's read / write /
 * filter counts in the job repository, and named details in the step's execution context (key
 * {@value #DETAILS}) for the run report.
 */
public final class StepFigures {

  public static final String DETAILS = "figures";

  private StepFigures() {}

  /**
   * @param read rows the step consumed
   * @param written rows the step produced
   * @param quarantined rows set aside (counted as filtered)
   */
  public static void record(StepContribution contribution, long read, long written, long quarantined) {
    StepExecution step = contribution.getStepExecution();
    step.setReadCount(read);
    contribution.incrementWriteCount(written);
    contribution.incrementFilterCount(quarantined);
  }

  public static void detail(ChunkContext context, String name, Serializable value) {
    @SuppressWarnings("unchecked")
    Map<String, Serializable> details = (Map<String, Serializable>) context.getStepContext().getStepExecution()
        .getExecutionContext().get(DETAILS);
    LinkedHashMap<String, Serializable> updated = details == null ? new LinkedHashMap<>() : new LinkedHashMap<>(details);
    updated.put(name, value);
    context.getStepContext().getStepExecution().getExecutionContext().put(DETAILS, updated);
  }

  /** The named details the step recorded, if any. */
  @SuppressWarnings("unchecked")
  public static Optional<Map<String, Object>> details(StepExecution step) {
    return Optional.ofNullable(step).map(s -> (Map<String, Object>) s.getExecutionContext().get(DETAILS));
  }

  /**
   * The latest execution of each step of the execution's job instance, in the order they ran: a
   * restart runs only the steps that did not complete, so the figures of the others are in earlier
   * executions.
   */
  public static List<StepExecution> latest(JobRepository repository, JobExecution execution) {
    return repository.getJobExecutions(execution.getJobInstance()).stream()
        .flatMap(e -> e.getStepExecutions().stream())
        .collect(Collectors.toMap(StepExecution::getStepName, s -> s,
            BinaryOperator.maxBy(Comparator.comparing(StepExecution::getId))))
        .values().stream()
        .sorted(Comparator.comparing(StepExecution::getId))
        .toList();
  }
}
