package org.agrifusion.jobs.schedule;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
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
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.support.CronExpression;
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
  private final AgriProperties.Schedule schedule;
  private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> new Thread(r, "agri-scheduled-run"));
  private final AtomicReference<LocalDate> running = new AtomicReference<>();
  private final AtomicLong skipped = new AtomicLong();
  private volatile boolean active;
  private volatile Thread loop;

  public NightlyScheduler(Operations operations, JobOperator operator, AgriProperties properties) {
    this.operations = operations;
    this.operator = operator;
    this.schedule = properties.schedule();
  }

  /** Fires until {@link #stop()}; returns once the last run has ended. */
  public int runUntilStopped(PrintStream out) throws InterruptedException {
    CronExpression cron = schedule.expression();
    active = true;
    loop = Thread.currentThread();
    log.info("scheduler started: cron '{}' in {}", schedule.cron(), schedule.zone());
    try {
      ZonedDateTime previous = null;
      while (active) {
        ZonedDateTime next = nextFiring(cron, ZonedDateTime.now(schedule.zone()), previous);
        log.info("next run at {} for business date {}", next, next.toLocalDate().minusDays(1));
        if (!sleepUntil(next)) {
          break;
        }
        fire(next.toLocalDate().minusDays(1), out);
        previous = next;
      }
    } finally {
      runner.shutdown();
      runner.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
      log.info("scheduler stopped ({} firings skipped while a run was going)", skipped.get());
    }
    return ExitCodes.OK;
  }

  /**
   * The firing after {@code now}, and never again the one before: the clock may read a hair before
   * the instant just fired when the loop comes round, and the cron would name that instant again.
   */
  static ZonedDateTime nextFiring(CronExpression cron, ZonedDateTime now, ZonedDateTime previous) {
    return cron.next(previous != null && previous.isAfter(now) ? previous : now);
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
        log.info("scheduled run for {} ended with exit code {}", date, code);
      } catch (Exception e) {
        log.error("scheduled run for {} ended with an error: {}", date, e.getMessage(), e);
      } finally {
        running.set(null);
      }
    });
  }

  /** Sleeps until the instant; false when the scheduler was stopped meanwhile. */
  private boolean sleepUntil(ZonedDateTime instant) {
    while (active) {
      long millis = Duration.between(ZonedDateTime.now(instant.getZone()), instant).toMillis();
      if (millis <= 0) {
        return true;
      }
      try {
        Thread.sleep(Math.min(millis, 60_000));
      } catch (InterruptedException e) {
        return false; // stop() wakes the loop this way; the flag stays clear so the last run is awaited
      }
    }
    return false;
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
    Thread sleeping = loop;
    if (sleeping != null) {
      sleeping.interrupt();
    }
    LocalDate date = running.get();
    JobExecution execution = date == null ? null : operations.lastExecution(date);
    if (execution != null && execution.getStatus().isRunning()) {
      log.warn("stopping the run for {} at its next step; continue it later with: agri restart --date {}", date, date);
      try {
        operator.stop(execution);
      } catch (Exception e) {
        log.warn("could not ask the run for {} to stop: {}", date, e.getMessage());
      }
    }
    try {
      runner.shutdown();
      runner.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return active;
  }
}
