package org.agrifusion.jobs.run;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.agrifusion.jobs.job.historyimport.HistoryImportJobConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.stereotype.Component;

/**
 * One process at a time owns a business date, across processes and machines sharing the job
 * repository, whatever it was asked (run, run --force, backfill, restart, recover, the scheduler).
 * The claim is a row of AGRI_RUN_OWNER keyed by the date: taken by an INSERT, or by a conditional
 * UPDATE from an owner found dead, each one statement of its own, so two claimants can never both
 * win. A history import claims all of its dates at once: one claim id on every row, inserted in one
 * transaction. While the dates are owned a daemon thread beats the rows' heartbeat; the rows are
 * deleted when the claim is closed, whatever the outcome.
 *
 * <p>An owner is dead when it runs on this host and its process is gone (or the process id now
 * belongs to a younger process), or, on another host, when its heartbeat is older than
 * {@code agri.run-owner.timeout}. Once the date is claimed, any execution of it still recorded as
 * running has no live process behind it: it is marked FAILED with the reason, and a restart
 * continues from its step. A history import's rows name its job execution, which is marked FAILED
 * likewise by whoever takes over one of its dates ({@link #healDeadImports} also without a claim).
 */
@Component
public class RunOwnership {

  private static final Logger log = LoggerFactory.getLogger(RunOwnership.class);

  /** Claims held by this process, of whichever application context: a row with our pid and another id is stale. */
  private static final Set<String> HELD = ConcurrentHashMap.newKeySet();

  private static final String HOST = RunOwner.thisHost();
  private static final long PID = ProcessHandle.current().pid();

  private static final String INSERT = "INSERT INTO AGRI_RUN_OWNER (BUSINESS_DATE, CLAIM_ID, HOST, PID, ACTION, SINCE, JOB_EXECUTION_ID,"
      + " HEARTBEAT) VALUES (?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)";

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final DateExecutions executions;
  private final RunOwnerProperties properties;
  private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "agri-run-heartbeat");
    thread.setDaemon(true);
    return thread;
  });

  public RunOwnership(JdbcTemplate jdbc, DateExecutions executions, RunOwnerProperties properties) {
    this.jdbc = jdbc;
    this.transactions = new TransactionTemplate(new JdbcTransactionManager(jdbc.getDataSource()));
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
    return claim(List.of(date), action);
  }

  /** What a history import of the source is called as the owner of its dates. */
  public static String importAction(String source) {
    return IMPORT + source;
  }

  private static final String IMPORT = "import-history ";

  /**
   * Claims the date to run it; a history import that owns it is waited for, looking again every
   * heartbeat up to {@code agri.run-owner.import-wait}. Another run of the date runs the night's
   * files itself, but an import does not, and ends within minutes: refusing would leave the night
   * unrun (systemd and the scheduler take exit 3 for "someone else is running it").
   *
   * @throws DateBusyException when another run owns the date, or the import still does after the wait
   */
  public DateLock claimToRun(LocalDate date, String action) throws DateBusyException, InterruptedException {
    long deadline = System.nanoTime() + properties.importWait().toNanos();
    while (true) {
      try {
        return claim(date, action);
      } catch (DateBusyException busy) {
        if (busy.owner() == null || !busy.owner().action().startsWith(IMPORT) || System.nanoTime() > deadline) {
          throw busy;
        }
        log.info("{}: waiting for {} to end (up to agri.run-owner.import-wait {})", date, busy.owner(), properties.importWait());
        Thread.sleep(Math.min(properties.heartbeat().toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
      }
    }
  }

  /**
   * Makes this process the owner of every one of the dates, or of none: when a live process owns
   * one, whatever was taken is released and the earliest such date is named. One claim for all of
   * them (one heartbeat statement, one release), so a history import of a thousand days claims
   * them as cheaply as a run claims its day; dead owners are taken over date by date as for one date.
   *
   * @throws DateBusyException when a live process owns one of the dates
   */
  public DateLock claim(Collection<LocalDate> dates, String action) throws DateBusyException {
    return claim(dates, action, null);
  }

  /**
   * As {@link #claim(Collection, String)}, for the job execution that will write the dates (a
   * history import's): recorded on the rows, so that whoever finds this process dead marks that
   * execution FAILED too.
   */
  public DateLock claim(Collection<LocalDate> dates, String action, Long jobExecution) throws DateBusyException {
    SortedSet<LocalDate> claimed = new TreeSet<>(dates);
    if (claimed.isEmpty()) {
      throw new IllegalArgumentException("no date to claim");
    }
    String claimId = UUID.randomUUID().toString();
    OffsetDateTime since = OffsetDateTime.now().truncatedTo(ChronoUnit.MILLIS);
    RunOwner me = new RunOwner(HOST, PID, action, since, since);
    HELD.add(claimId);
    Map<LocalDate, Dead> deadOwners;
    try {
      deadOwners = takeAll(claimed, claimId, me, jobExecution);
    } catch (RuntimeException | DateBusyException e) {
      release(claimed, claimId);
      throw e;
    }
    long beat = properties.heartbeat().toMillis();
    DateLock lock = new DateLock(this, claimed, claimId,
        heartbeats.scheduleAtFixedRate(() -> beat(claimed, claimId), beat, beat, TimeUnit.MILLISECONDS));
    try {
      String found = "found by " + action + " on " + me.process() + " at " + since.truncatedTo(ChronoUnit.SECONDS);
      Map<LocalDate, List<JobExecution>> running = executions.running(claimed);
      running.forEach((date, orphans) -> orphans.forEach(orphan -> {
        String reason = Optional.ofNullable(deadOwners.get(date)).map(dead -> "owner " + dead.owner())
            .orElse("left " + orphan.getStatus() + " with no owner (its process ended without recording it)") + "; " + found;
        lock.healed(executions.markFailed(orphan, reason));
        log.warn("{}: execution {} marked FAILED: {}", date, orphan.getId(), reason);
      }));
      // a dead import's execution, once however many of its dates were taken over
      deadOwners.values().stream().filter(d -> d.jobExecution() != null)
          .collect(Collectors.toMap(Dead::jobExecution, Dead::owner, (first, same) -> first, TreeMap::new))
          .forEach((execution, owner) -> executions.markFailedIfRunning(execution, "owner " + owner + "; " + found)
              .ifPresent(healed -> {
                lock.healed(healed);
                log.warn("{} execution {} marked FAILED: owner {}", healed.getJobInstance().getJobName(), execution, owner);
              }));
      deadOwners.entrySet().stream().filter(d -> !running.containsKey(d.getKey()) && d.getValue().jobExecution() == null)
          .forEach(d -> log.info("{}: taken over from owner {}; it left no nightly execution running", d.getKey(), d.getValue().owner()));
      return lock;
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /**
   * Marks FAILED each history import that the job repository records as running though its process
   * is dead: the owner rows of its dates all name a dead owner, or, when it had not claimed a date
   * yet (it reads the whole file first), the process it was started in
   * ({@link HistoryImportJobConfiguration#PROCESS}) is gone from this host. An import of another host
   * that died before its claim has no heartbeat to judge it by: it is left for that host to judge.
   *
   * @param by who looks, for the reason ("agri status")
   * @return the executions marked FAILED
   */
  public List<JobExecution> healDeadImports(String by) {
    List<JobExecution> healed = new ArrayList<>();
    for (JobExecution running : executions.running(HistoryImportJobConfiguration.JOB_NAME)) {
      Collection<Row> claims = rows("JOB_EXECUTION_ID = ?", running.getId()).values();
      Optional<String> dead = claims.isEmpty() ? deathBeforeClaim(running) : deathOfAll(claims);
      dead.flatMap(owner -> executions.markFailedIfRunning(running.getId(), "owner " + owner + "; found by " + by + " on "
              + HOST + ":" + PID + " at " + OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS)))
          .ifPresent(failed -> {
            healed.add(failed);
            log.warn("{} execution {} marked FAILED: {}", HistoryImportJobConfiguration.JOB_NAME, failed.getId(),
                failed.getExitStatus().getExitDescription());
          });
    }
    return healed;
  }

  /** "owner died: why" of the first of the rows when every one names a dead owner; empty when one is alive. */
  private Optional<String> deathOfAll(Collection<Row> rows) {
    Optional<String> first = Optional.empty();
    for (Row row : rows) {
      Optional<String> death = death(row);
      if (death.isEmpty()) {
        return Optional.empty();
      }
      if (first.isEmpty()) {
        first = Optional.of(row.owner() + " died: " + death.get());
      }
    }
    return first;
  }

  /** Why the import that claimed no date yet is dead: its process on this host is gone; empty when alive or on another host. */
  private Optional<String> deathBeforeClaim(JobExecution execution) {
    String process = execution.getJobParameters().getString(HistoryImportJobConfiguration.PROCESS);
    if (process == null || execution.getCreateTime() == null || !process.startsWith(HOST + ":")) {
      return Optional.empty();
    }
    long pid = Long.parseLong(process.substring(HOST.length() + 1));
    OffsetDateTime since = execution.getCreateTime().atZone(ZoneId.systemDefault()).toOffsetDateTime();
    RunOwner owner = new RunOwner(HOST, pid, importAction(execution.getJobParameters().getString(HistoryImportJobConfiguration.SOURCE)),
        since, since);
    // this process runs its own imports: "no longer holds that claim" does not apply before a claim
    return pid == PID ? Optional.empty() : death(new Row("", owner, execution.getId(), since)).map(d -> owner + " died: " + d);
  }

  /** The date's owner now, if any. */
  public Optional<RunOwner> owner(LocalDate date) {
    return read(date).map(Row::owner);
  }

  /**
   * Takes every date, or throws before taking any when a live process owns one (a claimant that
   * comes in between is met date by date). The dead owners taken over, by date.
   */
  private Map<LocalDate, Dead> takeAll(SortedSet<LocalDate> dates, String claimId, RunOwner me, Long jobExecution)
      throws DateBusyException {
    Map<LocalDate, Row> owned = rows("BUSINESS_DATE BETWEEN ? AND ?", dates.first().toString(), dates.last().toString());
    owned.keySet().retainAll(dates);
    for (Map.Entry<LocalDate, Row> row : owned.entrySet()) {
      if (death(row.getValue()).isEmpty()) {
        throw new DateBusyException(row.getKey(), row.getValue().owner());
      }
    }
    Map<LocalDate, Dead> deadOwners = new TreeMap<>();
    List<LocalDate> free = dates.stream().filter(d -> !owned.containsKey(d)).toList();
    if (!insertAll(free, claimId, me, jobExecution)) {
      for (LocalDate date : free) {
        take(date, claimId, me, jobExecution).ifPresent(dead -> deadOwners.put(date, dead));
      }
    }
    for (LocalDate date : owned.keySet()) {
      take(date, claimId, me, jobExecution).ifPresent(dead -> deadOwners.put(date, dead));
    }
    return deadOwners;
  }

  /** Inserts the rows of the dates in one transaction; false, having inserted none, when one is owned meanwhile. */
  private boolean insertAll(List<LocalDate> dates, String claimId, RunOwner me, Long jobExecution) {
    try {
      transactions.executeWithoutResult(status -> jdbc.batchUpdate(INSERT, dates.stream()
          .map(d -> new Object[] {d.toString(), claimId, me.host(), me.pid(), me.action(), me.since(), jobExecution}).toList()));
      return true;
    } catch (DuplicateKeyException owned) {
      return false;
    }
  }

  /** Inserts the row, or takes it over from a dead owner; the dead owner when taken over. */
  private Optional<Dead> take(LocalDate date, String claimId, RunOwner me, Long jobExecution) throws DateBusyException {
    for (int attempt = 1; attempt <= 5; attempt++) {
      try {
        jdbc.update(INSERT, date.toString(), claimId, me.host(), me.pid(), me.action(), me.since(), jobExecution);
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
            + " JOB_EXECUTION_ID = ?, HEARTBEAT = CURRENT_TIMESTAMP WHERE BUSINESS_DATE = ? AND CLAIM_ID = ?",
            claimId, me.host(), me.pid(), me.action(), me.since(), jobExecution, date.toString(), row.get().claimId());
        if (taken == 1) {
          return Optional.of(new Dead(row.get().owner() + " died: " + death.get(), row.get().jobExecution()));
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

  private void beat(SortedSet<LocalDate> dates, String claimId) {
    try {
      int beaten = jdbc.update("UPDATE AGRI_RUN_OWNER SET HEARTBEAT = CURRENT_TIMESTAMP WHERE CLAIM_ID = ?", claimId);
      if (beaten < dates.size()) {
        log.error("{}: this process's claim of {} of its {} dates is gone (another process found it silent and took over); "
            + "its work here may be marked FAILED", span(dates), dates.size() - beaten, dates.size());
      }
    } catch (RuntimeException e) {
      log.warn("{}: heartbeat not recorded: {}", span(dates), e.getMessage());
    }
  }

  void release(SortedSet<LocalDate> dates, String claimId) {
    try {
      jdbc.update("DELETE FROM AGRI_RUN_OWNER WHERE CLAIM_ID = ?", claimId);
    } catch (RuntimeException e) {
      // the next claimant finds this process gone, or the claim not held, and takes over
      log.warn("{}: the claim of the dates was not released: {}", span(dates), e.getMessage());
    } finally {
      // after the delete: a look at the history meanwhile must not find this import's rows unheld and take it for dead
      HELD.remove(claimId);
    }
  }

  /** The date, or the first and last of the dates, for the log. */
  private static String span(SortedSet<LocalDate> dates) {
    return dates.size() == 1 ? dates.first().toString() : dates.first() + ".." + dates.last();
  }

  private Optional<Row> read(LocalDate date) {
    return rows("BUSINESS_DATE = ?", date.toString()).values().stream().findFirst();
  }

  /** The owner rows that match the condition, by date. */
  private Map<LocalDate, Row> rows(String where, Object... arguments) {
    Map<LocalDate, Row> rows = new TreeMap<>();
    jdbc.query("SELECT BUSINESS_DATE, CLAIM_ID, HOST, PID, ACTION, SINCE, HEARTBEAT, JOB_EXECUTION_ID, CURRENT_TIMESTAMP AS NOW"
            + " FROM AGRI_RUN_OWNER WHERE " + where,
        (RowCallbackHandler) rs -> rows.put(LocalDate.parse(rs.getString("BUSINESS_DATE")), new Row(rs.getString("CLAIM_ID"),
            new RunOwner(rs.getString("HOST"), rs.getLong("PID"), rs.getString("ACTION"),
                rs.getObject("SINCE", OffsetDateTime.class), rs.getObject("HEARTBEAT", OffsetDateTime.class)),
            rs.getObject("JOB_EXECUTION_ID", Long.class), rs.getObject("NOW", OffsetDateTime.class))),
        arguments);
    return rows;
  }

  @jakarta.annotation.PreDestroy
  void stopHeartbeats() {
    heartbeats.shutdownNow();
  }

  private record Row(String claimId, RunOwner owner, Long jobExecution, OffsetDateTime now) {}

  /** An owner found dead and taken over: who and why ("host:pid (action since …) died: …"), and its job execution if recorded. */
  private record Dead(String owner, Long jobExecution) {}
}
