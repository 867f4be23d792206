package org.agrifusion.jobs.cli;

import java.io.PrintStream;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.agrifusion.jobs.job.dailyfusion.DailyFusionParameters;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.JobRestartException;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.stereotype.Component;

/**
 * {@code agri run --date yyyy-MM-dd [--force]}: runs the nightly job for one business date and
 * prints what it did. Exit codes are for cron and systemd: see {@link ExitCodes}.
 */
@Component
public class AgriCommandLine implements CommandLineRunner, ExitCodeGenerator {

  public static final String USAGE = """
      usage: agri run --date yyyy-MM-dd [--force]
        run     run the daily-fusion job for one business date
                --force  run again a date that already completed (replaces its outputs)""";

  private final JobOperator operator;
  private final Job dailyFusionJob;
  private final RunSummary summary;
  private final PrintStream out = System.out;
  private int exitCode = ExitCodes.OK;

  public AgriCommandLine(JobOperator operator, Job dailyFusionJob, RunSummary summary) {
    this.operator = operator;
    this.dailyFusionJob = dailyFusionJob;
    this.summary = summary;
  }

  @Override
  public void run(String... args) {
    if (args.length == 0) {
      return; // started by a test or embedding code, not from the command line
    }
    Deque<String> words = new ArrayDeque<>(java.util.List.of(args));
    String command = words.pop();
    try {
      exitCode = switch (command) {
        case "run" -> run(Options.parse(words));
        default -> usage("unknown command '" + command + "'");
      };
    } catch (IllegalArgumentException e) {
      exitCode = usage(e.getMessage());
    }
  }

  private int run(Map<String, String> options) {
    LocalDate date = date(options.get("date"));
    JobParameters parameters = options.containsKey("force")
        ? DailyFusionParameters.rerunOf(date, OffsetDateTime.now().toString())
        : DailyFusionParameters.of(date);
    try {
      JobExecution execution = operator.start(dailyFusionJob, parameters);
      out.println(summary.format(execution));
      return execution.getStatus() == BatchStatus.COMPLETED ? ExitCodes.OK : ExitCodes.FAILED;
    } catch (JobInstanceAlreadyCompleteException e) {
      out.println("daily-fusion for " + date + " already completed; nothing to do (use --force to run it again)");
      return ExitCodes.OK;
    } catch (JobExecutionAlreadyRunningException e) {
      System.err.println("daily-fusion for " + date + " is already running");
      return ExitCodes.ALREADY_RUNNING;
    } catch (InvalidJobParametersException e) {
      return usage(e.getMessage());
    } catch (JobRestartException e) {
      System.err.println("daily-fusion for " + date + " cannot be restarted: " + e.getMessage());
      return ExitCodes.FAILED;
    }
  }

  private static LocalDate date(String value) {
    if (value == null) {
      throw new IllegalArgumentException("--date yyyy-MM-dd is required");
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--date '" + value + "' is not a yyyy-MM-dd date");
    }
  }

  private static int usage(String problem) {
    System.err.println("agri: " + problem);
    System.err.println(USAGE);
    return ExitCodes.USAGE;
  }

  @Override
  public int getExitCode() {
    return exitCode;
  }
}
