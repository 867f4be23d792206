package org.agrifusion.jobs.cli;

/** Process exit codes of the agri command, stable for cron and systemd. */
public final class ExitCodes {

  public static final int OK = 0;
  /** The job ran and failed; restart the date once the cause is fixed. */
  public static final int FAILED = 1;
  /** Invalid command or arguments. */
  public static final int USAGE = 2;
  /**
   * A live process owns the business date and is running it, or a history import with the date in
   * its file (a dead owner is taken over instead).
   */
  public static final int ALREADY_RUNNING = 3;
  /** The configuration (application.yml, a source descriptor, reference data) cannot be used. */
  public static final int CONFIGURATION = 4;
  /**
   * A dependency (Elasticsearch, the data root, disk space, the job repository) is unavailable; no
   * step ran. Restart the date once it is back.
   */
  public static final int DEPENDENCY_UNAVAILABLE = 5;
  /**
   * The run completed and published what it accepted, but a feed needs a steward: it quarantined
   * more than its limit, or a landed file was not read (the alarms are printed and in the report).
   */
  public static final int ALARMS = 6;

  private ExitCodes() {}
}
