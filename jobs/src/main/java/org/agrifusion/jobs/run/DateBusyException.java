package org.agrifusion.jobs.run;

import java.time.LocalDate;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;

/** The date is owned by a live process: nothing of it may run here now (exit code 3). */
public class DateBusyException extends JobExecutionAlreadyRunningException {

  private final transient RunOwner owner;

  public DateBusyException(LocalDate date, RunOwner owner) {
    super("daily-fusion for " + date + " is running in " + owner + "; not started again");
    this.owner = owner;
  }

  public RunOwner owner() {
    return owner;
  }
}
