package org.agrifusion.jobs.run;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * One process at a time owns a business date, across processes and machines sharing the job
 * repository, whatever it was asked (run, run --force, backfill, restart, recover, the scheduler).
 * The claim is a row of AGRI_RUN_OWNER keyed by the date: taken by an INSERT, or by a conditional
 * UPDATE from an owner found dead, each one statement of its own, so two claimants can never both
 * win. While the date is owned a daemon thread beats the row's heartbeat; the row is deleted when
 * the claim is closed, whatever the outcome.
 *
 * <p>An owner is dead when it runs on this host and its process is gone (or the process id now
 * belongs to a younger process), or, on another host, when its heartbeat is older than
 * {@code agri.run-owner.timeout}. Once the date is claimed, any execution of it still recorded as
 * running has no live process behind it: it is marked FAILED with the reason, and a restart
 * continues from its step.
 */
@Component
public class RunOwnership {

  private static final Logger log = LoggerFactory.getLogger(RunOwnership.class);

  /** Claims held by this process, of whichever application context: a row with our pid and another id is stale. */
  private static final Set<String> HELD = ConcurrentHashMap.newKeySet();

  private static final String HOST = RunOwner.thisHost();
  private static final long PID = ProcessHandle.current().pid();

  private final JdbcTemplate jdbc;
  private final DateExecutions executions;
  private final RunOwnerProperties properties;
  private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "agri-run-heartbeat");
    thread.setDaemon(true);
    return thread;
  });

  public RunOwnership(JdbcTemplate jdbc, DateExecutions executions, RunOwnerProperties properties) {
    this.jdbc = jdbc;
    this.executions = executions;
    this.properties = properties;
  }

  /**
   * Makes this process the date's owner, taking over from a dead owner, and fails the executions
   * that a dead process left running.
   *
   * @param action what this process does with the date, for other processes' messages ("run --force")
   * @throws DateBusyException when a live process owns the date
   */
  public DateLock claim(LocalDate date, String action) throws DateBusyException {
    String claimId = UUID.randomUUID().toString();
    OffsetDateTime since = OffsetDateTime.now().truncatedTo(ChronoUnit.MILLIS);
    RunOwner me = new RunOwner(HOST, PID, action, since, since);
    HELD.add(claimId);
    Optional<String> deadOwner;
    try {
      deadOwner = take(date, claimId, me);
    } catch (RuntimeException | DateBusyException e) {
      HELD.remove(claimId);
      throw e;
    }
    long beat = properties.heartbeat().toMillis();
    DateLock lock = new DateLock(this, date, claimId,
        heartbeats.scheduleAtFixedRate(() -> beat(date, claimId), beat, beat, TimeUnit.MILLISECONDS));
    try {
      String found = "found by " + action + " on " + me.process() + " at " + since.truncatedTo(ChronoUnit.SECONDS);
      for (JobExecution orphan : executions.running(date)) {
        String reason = deadOwner.map(dead -> "owner " + dead)
            .orElse("left " + orphan.getStatus() + " with no owner (its process ended without recording it)") + "; " + found;
        lock.healed(executions.markFailed(orphan, reason));
        log.warn("{}: execution {} marked FAILED: {}", date, orphan.getId(), reason);
      }
      if (lock.healed().isEmpty()) {
        deadOwner.ifPresent(dead -> log.info("{}: taken over from owner {}; it left no execution running", date, dead));
      }
      return lock;
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /** The date's owner now, if any. */
  public Optional<RunOwner> owner(LocalDate date) {
    return read(date).map(Row::owner);
  }

  /** Inserts the row, or takes it over from a dead owner; the dead owner's description when taken over. */
  private Optional<String> take(LocalDate date, String claimId, RunOwner me) throws DateBusyException {
    for (int attempt = 1; attempt <= 5; attempt++) {
      try {
        jdbc.update("INSERT INTO AGRI_RUN_OWNER (BUSINESS_DATE, CLAIM_ID, HOST, PID, ACTION, SINCE, HEARTBEAT)"
            + " VALUES (?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)", date.toString(), claimId, me.host(), me.pid(), me.action(), me.since());
        return Optional.empty();
      } catch (DuplicateKeyException owned) {
        Optional<Row> row = read(date);
        if (row.isEmpty()) {
          continue; // released meanwhile
        }
        Optional<String> death = death(row.get());
        if (death.isEmpty()) {
          throw new DateBusyException(date, row.get().owner());
        }
        int taken = jdbc.update("UPDATE AGRI_RUN_OWNER SET CLAIM_ID = ?, HOST = ?, PID = ?, ACTION = ?, SINCE = ?,"
            + " HEARTBEAT = CURRENT_TIMESTAMP WHERE BUSINESS_DATE = ? AND CLAIM_ID = ?",
            claimId, me.host(), me.pid(), me.action(), me.since(), date.toString(), row.get().claimId());
        if (taken == 1) {
          return Optional.of(row.get().owner() + " died: " + death.get());
        }
        // another claimant took it over first: look again
      }
    }
    throw new IllegalStateException(date + ": the claim of the date keeps changing hands; try again");
  }

  /** Why the owner is dead, or empty when it is alive. */
  private Optional<String> death(Row row) {
    RunOwner owner = row.owner();
    if (!owner.host().equals(HOST)) {
      Duration silent = Duration.between(owner.heartbeat(), row.now());
      return silent.compareTo(properties.timeout()) > 0
          ? Optional.of("no heartbeat for " + silent.toSeconds() + " s (agri.run-owner.timeout " + properties.timeout() + ")")
          : Optional.empty();
    }
    if (owner.pid() == PID) {
      return HELD.contains(row.claimId()) ? Optional.empty() : Optional.of("this process no longer holds that claim");
    }
    Optional<ProcessHandle> process = ProcessHandle.of(owner.pid()).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return Optional.of("process " + owner.pid() + " is gone");
    }
    Optional<Instant> started = process.get().info().startInstant();
    return started.isPresent() && started.get().isAfter(owner.since().toInstant())
        ? Optional.of("process id " + owner.pid() + " now belongs to a process started at " + started.get())
        : Optional.empty();
  }

  private void beat(LocalDate date, String claimId) {
    try {
      if (jdbc.update("UPDATE AGRI_RUN_OWNER SET HEARTBEAT = CURRENT_TIMESTAMP WHERE BUSINESS_DATE = ? AND CLAIM_ID = ?",
          date.toString(), claimId) == 0) {
        log.error("{}: this process's claim of the date is gone (another process found it silent and took over); "
            + "its run here may be marked FAILED", date);
      }
    } catch (RuntimeException e) {
      log.warn("{}: heartbeat not recorded: {}", date, e.getMessage());
    }
  }

  void release(LocalDate date, String claimId) {
    HELD.remove(claimId);
    try {
      jdbc.update("DELETE FROM AGRI_RUN_OWNER WHERE BUSINESS_DATE = ? AND CLAIM_ID = ?", date.toString(), claimId);
    } catch (RuntimeException e) {
      // the next claimant finds this process gone, or the claim not held, and takes over
      log.warn("{}: the claim of the date was not released: {}", date, e.getMessage());
    }
  }

  private Optional<Row> read(LocalDate date) {
    List<Row> rows = jdbc.query("SELECT CLAIM_ID, HOST, PID, ACTION, SINCE, HEARTBEAT, CURRENT_TIMESTAMP AS NOW"
            + " FROM AGRI_RUN_OWNER WHERE BUSINESS_DATE = ?",
        (rs, i) -> new Row(rs.getString("CLAIM_ID"), new RunOwner(rs.getString("HOST"), rs.getLong("PID"), rs.getString("ACTION"),
            rs.getObject("SINCE", OffsetDateTime.class), rs.getObject("HEARTBEAT", OffsetDateTime.class)),
            rs.getObject("NOW", OffsetDateTime.class)),
        date.toString());
    return rows.stream().findFirst();
  }

  @jakarta.annotation.PreDestroy
  void stopHeartbeats() {
    heartbeats.shutdownNow();
  }

  private record Row(String claimId, RunOwner owner, OffsetDateTime now) {}
}
