package org.agrifusion.jobs.job.dailyfusion;

import java.time.LocalDate;
import java.util.List;
import org.agrifusion.pipelines.source.LandedFiles;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/**
 * The landed files of the date changed after ingest listed them, so what the run read is no longer
 * what landed. Continuing from the failed step would only fail again: the step's exit code
 * {@value #EXIT_CODE} tells {@code run}, {@code backfill}, {@code restart} and the scheduler to run
 * the date again from ingest instead.
 */
public class LandingChangedException extends IllegalStateException {

  public static final String EXIT_CODE = "LANDING_CHANGED";

  LandingChangedException(List<String> changes, LocalDate date) {
    super(LandedFiles.changedMessage(changes, date));
  }

  /** Gives a step that failed on a changed landing the exit code {@value #EXIT_CODE}. */
  static final class Listener implements StepExecutionListener {
    @Override
    public ExitStatus afterStep(StepExecution step) {
      return step.getFailureExceptions().stream().anyMatch(LandingChangedException.class::isInstance)
          ? new ExitStatus(EXIT_CODE, step.getFailureExceptions().get(0).getMessage()) : null;
    }
  }
}
