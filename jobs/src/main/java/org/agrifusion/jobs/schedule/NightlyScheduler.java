package org.agrifusion.jobs.schedule;

import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.agrifusion.jobs.cli.ExitCodes;
import org.agrifusion.jobs.cli.Operations;
import org.agrifusion.jobs.config.AgriProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.Trigger;
import org.springframework.scheduling.TriggerContext;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronTrigger;
import org.springframework.stereotype.Component;

/**
 * {@code agri schedule}: a long-running process that runs the day before each firing of the cron
 * (in the configured zone), one run at a time. A firing while a run is still going is skipped and
 * logged rather than queued, so a slow night never stacks runs. Each firing first restarts, oldest
 * first, the dates of the last {@code retry-days} whose run failed, was stopped (by a restart of
 * this service, say) or was left running by a process that died (see RunOwnership), so a bad night
 * heals itself once its cause is gone; dates that never ran are left to {@code agri backfill}.
 *
 * <p>On shutdown (SIGTERM from systemd, Ctrl-C) the running job is marked to stop and the process
 * waits for it to end, so the date is left STOPPED and restartable, not stuck as running. Spark's
 * own shutdown hook stops Spark at the same time, so the step that was running ends there and is
 * redone by {@code agri restart}. A lifecycle bean is stopped before any bean is destroyed, so the
 * job repository is still there while the job records its end.
 */
@Component
public class NightlyScheduler implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(NightlyScheduler.class);

  private final Operations operations;
  private final JobOperator operator;
  private final JobRepository repository;
  private final AgriProperties.Schedule schedule;
  private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> new Thread(r, "agri-scheduled-run"));
  private final AtomicReference<LocalDate> running = new AtomicReference<>();
  private final AtomicLong skipped = new AtomicLong();
  private volatile boolean active;
  private volatile CountDownLatch stopped = new CountDownLatch(1);

  public NightlyScheduler(Operations operations, JobOperator operator, JobRepository repository, AgriProperties properties) {
    this.operations = operations;
    this.operator = operator;
    this.repository = repository;
    this.schedule = properties.schedule();
  }

  /** Fires until {@link #stop()}; returns once the last run has ended. */
  public int runUntilStopped(PrintStream out) throws InterruptedException {
    Firings firings = new Firings(schedule);
    ThreadPoolTaskScheduler timer = new ThreadPoolTaskScheduler();
    timer.setThreadNamePrefix("agri-schedule-");
    timer.initialize();
    stopped = new CountDownLatch(1);
    active = true;
    log.info("scheduler started: cron '{}' in {}", schedule.cron(), schedule.zone());
    try {
      // One timer thread: a firing only hands the run to the runner, so the next firing comes on time
      // and finds out whether the run is still going.
      timer.schedule(() -> fire(firings.businessDate(), out), firings);
      stopped.await();
    } finally {
      active = false;
      timer.shutdown();
      runner.shutdown();
      runner.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
      log.info("scheduler stopped ({} firings skipped while a run was going)", skipped.get());
    }
    return ExitCodes.OK;
  }

  /**
   * The cron in the configured zone, remembering the instant it last scheduled: the business date
   * of a firing is the day before that instant, in that zone, whatever the machine's zone or how
   * late the timer thread wakes. Spring's {@link CronTrigger} computes the next firing from the
   * later of the last scheduled instant and the last completion, so a firing that ends a hair
   * before its scheduled instant (clock skew) does not fire that instant again.
   */
  static final class Firings implements Trigger {
    private final CronTrigger cron;
    private final ZoneId zone;
    private volatile Instant scheduled;

    Firings(AgriProperties.Schedule schedule) {
      this.cron = new CronTrigger(schedule.cron(), schedule.zone());
      this.zone = schedule.zone();
    }

    @Override
    public Instant nextExecution(TriggerContext context) {
      Instant next = cron.nextExecution(context);
      scheduled = next;
      if (next != null) {
        log.info("next run at {} for business date {}", next.atZone(zone), businessDate(next));
      }
      return next;
    }

    /** The business date of the firing going now: the day before its scheduled instant. */
    LocalDate businessDate() {
      return businessDate(scheduled);
    }

    LocalDate businessDate(Instant firing) {
      return firing.atZone(zone).toLocalDate().minusDays(1);
    }
  }

  /** The business date of the run going now, if any. */
  public java.util.Optional<LocalDate> runningDate() {
    return java.util.Optional.ofNullable(running.get());
  }

  /** Firings skipped because a run was still going. */
  public long skipped() {
    return skipped.get();
  }

  private void fire(LocalDate date, PrintStream out) {
    if (!active) {
      return; // a firing racing stop(): the runner takes no more work
    }
    LocalDate busy = running.get();
    if (busy != null) {
      skipped.incrementAndGet();
      log.warn("{}: not started, the run for {} is still going", date, busy);
      return;
    }
    running.set(date);
    runner.execute(() -> {
      try {
        operations.restartInterrupted(date.minusDays(schedule.retryDays()), date.minusDays(1), out);
        int code = operations.run(date, false, out);
        if (code == ExitCodes.OK || code == ExitCodes.ALREADY_RUNNING) {
          log.info("scheduled run for {} ended with exit code {}", date, code);
        } else {
          // failures and alarms (6) alike: whoever watches the scheduler's log must see them
          log.error("scheduled run for {} ended with exit code {} (agri status --date {})", date, code, date);
        }
      } catch (Exception e) {
        log.error("scheduled run for {} ended with an error: {}", date, e.getMessage(), e);
      } finally {
        running.set(null);
      }
    });
  }

  @Override
  public void start() {
    // started by the schedule command, not with the context
  }

  @Override
  public boolean isAutoStartup() {
    return false;
  }

  @Override
  public void stop() {
    if (!active) {
      return;
    }
    active = false;
    LocalDate date = running.get();
    JobExecution execution = date == null ? null : operations.lastExecution(date);
    boolean asked = false;
    if (execution != null && execution.getStatus().isRunning()) {
      log.warn("stopping the run for {} at its next step; continue it later with: agri restart --date {}", date, date);
      try {
        operator.stop(execution);
        asked = true;
      } catch (Exception e) {
        log.warn("could not ask the run for {} to stop: {}", date, e.getMessage());
      }
    }
    try {
      runner.shutdown();
      runner.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
      if (asked) {
        recordStopped(date);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stopped.countDown();
  }

  /**
   * Spark's own shutdown hook stops Spark while the job is asked to stop, so the step that was
   * running usually fails rather than sees the stop. It was stopped by this shutdown, and is
   * recorded so: STOPPED, restarted like a failure from that step.
   */
  private void recordStopped(LocalDate date) {
    try {
      JobExecution ended = operations.lastExecution(date);
      if (ended == null || ended.getStatus() != BatchStatus.FAILED) {
        return;
      }
      String why = "stopped by a shutdown of agri schedule";
      for (StepExecution step : ended.getStepExecutions()) {
        if (step.getStatus() == BatchStatus.FAILED) {
          step.setStatus(BatchStatus.STOPPED);
          step.setExitStatus(ExitStatus.STOPPED.addExitDescription(why));
          repository.update(step);
        }
      }
      ended.setStatus(BatchStatus.STOPPED);
      ended.setExitStatus(ExitStatus.STOPPED.addExitDescription(why));
      repository.update(ended);
    } catch (RuntimeException e) {
      log.warn("could not record the run for {} as stopped (it stays restartable): {}", date, e.getMessage());
    }
  }

  @Override
  public boolean isRunning() {
    return active;
  }
}
