package org.agrifusion.jobs.run;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.springframework.batch.core.job.JobExecution;

/**
 * This process's ownership of a business date ({@link RunOwnership#claim}); closing it stops the
 * heartbeat and frees the date, whatever the run's outcome.
 */
public final class DateLock implements AutoCloseable {

  private final RunOwnership ownership;
  private final LocalDate date;
  private final String claimId;
  private final ScheduledFuture<?> heartbeat;
  private final List<JobExecution> healed = new ArrayList<>();

  DateLock(RunOwnership ownership, LocalDate date, String claimId, ScheduledFuture<?> heartbeat) {
    this.ownership = ownership;
    this.date = date;
    this.claimId = claimId;
    this.heartbeat = heartbeat;
  }

  void healed(JobExecution execution) {
    healed.add(execution);
  }

  /** The executions a dead process had left running, now FAILED. */
  public List<JobExecution> healed() {
    return List.copyOf(healed);
  }

  @Override
  public void close() {
    heartbeat.cancel(false);
    ownership.release(date, claimId);
  }
}
