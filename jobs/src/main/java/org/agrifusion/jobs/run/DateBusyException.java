package org.agrifusion.jobs.run;

import java.time.LocalDate;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;

/** The date is owned by a live process (a run, or a history import): nothing of it may run here now (exit code 3). */
public class DateBusyException extends JobExecutionAlreadyRunningException {

  private final LocalDate date;
  private final transient RunOwner owner;

  public DateBusyException(LocalDate date, RunOwner owner) {
    super(date + " is owned by " + owner + "; not started again");
    this.date = date;
    this.owner = owner;
  }

  public LocalDate date() {
    return date;
  }

  public RunOwner owner() {
    return owner;
  }
}
