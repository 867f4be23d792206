package org.agrifusion.jobs.job.dailyfusion;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.batch.core.scope.context.ChunkContext;

/**
 * The job's parameters. {@code businessDate} (yyyy-MM-dd) is the identifying one: one job instance
 * per date, so a failed night is restarted, not started again. {@code rerun} is added only when
 * an operator forces a date to run afresh: a new instance of the same date, which
 * {@link org.agrifusion.jobs.run.DateExecutions} counts with the others.
 */
public final class DailyFusionParameters {

  public static final String BUSINESS_DATE = "businessDate";
  public static final String RERUN = "rerun";

  private DailyFusionParameters() {}

  public static JobParameters of(LocalDate businessDate) {
    return new JobParametersBuilder().addString(BUSINESS_DATE, businessDate.toString()).toJobParameters();
  }

  public static JobParameters rerunOf(LocalDate businessDate, String rerunStamp) {
    return new JobParametersBuilder(of(businessDate)).addString(RERUN, rerunStamp).toJobParameters();
  }

  public static LocalDate businessDate(ChunkContext context) {
    return LocalDate.parse((String) context.getStepContext().getJobParameters().get(BUSINESS_DATE));
  }

  /** Identifies the data written by this job execution (lineage column run_id). */
  public static String runId(ChunkContext context) {
    return "daily-fusion-" + context.getStepContext().getStepExecution().getJobExecutionId();
  }

  static JobParametersValidator validator() {
    return parameters -> {
      String value = parameters.getString(BUSINESS_DATE);
      if (value == null) {
        throw new InvalidJobParametersException("job parameter " + BUSINESS_DATE + " (yyyy-MM-dd) is required");
      }
      try {
        LocalDate.parse(value);
      } catch (DateTimeParseException e) {
        throw new InvalidJobParametersException(BUSINESS_DATE + " '" + value + "' is not a yyyy-MM-dd date");
      }
    };
  }
}
