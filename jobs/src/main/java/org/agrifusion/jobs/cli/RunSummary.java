package org.agrifusion.jobs.cli;

import org.agrifusion.jobs.support.Causes;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

/** The few lines an operator reads after a run: status, rows per step, where the outputs are. */
@Component
public class RunSummary {

  public String format(JobExecution execution) {
    StringBuilder s = new StringBuilder();
    s.append("daily-fusion ").append(execution.getJobParameters().getString("businessDate"))
        .append(": ").append(execution.getStatus())
        .append(" (execution ").append(execution.getId()).append(")\n");
    for (StepExecution step : execution.getStepExecutions()) {
      s.append(String.format("  %-12s %-10s read %8d  written %8d  quarantined %6d%n", step.getStepName(),
          step.getStatus(), step.getReadCount(), step.getWriteCount(), step.getFilterCount()));
      Object details = step.getExecutionContext().get("figures");
      if (details instanceof Map<?, ?> map && !map.isEmpty()) {
        s.append(map.entrySet().stream()
            .filter(e -> !"files".equals(e.getKey()))
            .map(e -> "      " + e.getKey() + ": " + e.getValue())
            .collect(Collectors.joining("\n"))).append('\n');
      }
    }
    // The first line of a failure and, when it differs, its root cause: "cannot create index …" alone
    // hides the "Connection refused" that explains it.
    execution.getAllFailureExceptions().forEach(t -> {
      String root = Causes.rootMessage(t);
      s.append("  failure: ").append(firstLine(t.getMessage()))
          .append(String.valueOf(t.getMessage()).contains(root) ? "" : " (cause: " + firstLine(root) + ")").append('\n');
    });
    return s.toString().stripTrailing();
  }

  private static String firstLine(String text) {
    return text == null ? "" : text.lines().findFirst().orElse("");
  }
}
