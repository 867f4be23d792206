package org.agrifusion.jobs.run;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.concurrent.ScheduledFuture;
import org.springframework.batch.core.job.JobExecution;

/**
 * This process's ownership of a business date, or of all the dates of a history import
 * ({@link RunOwnership#claim}); closing it stops the heartbeat and frees the dates, whatever the
 * outcome.
 */
public final class DateLock implements AutoCloseable {

  private final RunOwnership ownership;
  private final SortedSet<LocalDate> dates;
  private final String claimId;
  private final ScheduledFuture<?> heartbeat;
  private final List<JobExecution> healed = new ArrayList<>();

  DateLock(RunOwnership ownership, SortedSet<LocalDate> dates, String claimId, ScheduledFuture<?> heartbeat) {
    this.ownership = ownership;
    this.dates = dates;
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
    ownership.release(dates, claimId);
  }
}
