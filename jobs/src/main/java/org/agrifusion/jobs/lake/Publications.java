package org.agrifusion.jobs.lake;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.agrifusion.pipelines.lake.Snapshots;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The publications of the lake in the job repository (V3__agri_publication.sql): per run, the
 * snapshot of every table it left and the dates it wrote. A publication is recorded in one
 * transaction after all of the run's commits, so it is the run's "publish" point: until then,
 * readers keep reading the date at the previous publication's snapshots.
 */
@Component
public class Publications {

  /** One run's publication. */
  public record Publication(long jobExecutionId, LocalDate businessDate, Instant publishedAt, Snapshots snapshots,
      SortedSet<LocalDate> dates) {}

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;

  public Publications(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
    this.transactions = new TransactionTemplate(new JdbcTransactionManager(jdbc.getDataSource()));
  }

  /** Records the run's publication (again, on a restart that published anew: it replaces the earlier record). */
  public Publication record(long jobExecutionId, LocalDate businessDate, Snapshots snapshots, SortedSet<LocalDate> dates) {
    Instant now = Instant.now();
    transactions.executeWithoutResult(status -> {
      jdbc.update("DELETE FROM AGRI_PUBLICATION_SNAPSHOT WHERE JOB_EXECUTION_ID = ?", jobExecutionId);
      jdbc.update("DELETE FROM AGRI_PUBLICATION_DATE WHERE JOB_EXECUTION_ID = ?", jobExecutionId);
      jdbc.update("DELETE FROM AGRI_PUBLICATION WHERE JOB_EXECUTION_ID = ?", jobExecutionId);
      jdbc.update("INSERT INTO AGRI_PUBLICATION (JOB_EXECUTION_ID, BUSINESS_DATE, PUBLISHED_AT) VALUES (?, ?, ?)",
          jobExecutionId, businessDate.toString(), java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC));
      jdbc.batchUpdate("INSERT INTO AGRI_PUBLICATION_SNAPSHOT (JOB_EXECUTION_ID, TABLE_NAME, SNAPSHOT_ID) VALUES (?, ?, ?)",
          snapshots.sorted().entrySet().stream().map(e -> new Object[] {jobExecutionId, e.getKey(), e.getValue()}).toList());
      jdbc.batchUpdate("INSERT INTO AGRI_PUBLICATION_DATE (JOB_EXECUTION_ID, BUSINESS_DATE) VALUES (?, ?)",
          dates.stream().map(d -> new Object[] {jobExecutionId, d.toString()}).toList());
    });
    return new Publication(jobExecutionId, businessDate, now, snapshots, dates);
  }

  /** The latest publication that wrote the date: what every reader of the date reads. */
  public Optional<Publication> latestFor(LocalDate date) {
    return latest("SELECT p.JOB_EXECUTION_ID FROM AGRI_PUBLICATION p JOIN AGRI_PUBLICATION_DATE d"
        + " ON d.JOB_EXECUTION_ID = p.JOB_EXECUTION_ID WHERE d.BUSINESS_DATE = ?"
        + " ORDER BY p.PUBLISHED_AT DESC, p.JOB_EXECUTION_ID DESC FETCH FIRST 1 ROWS ONLY", date.toString());
  }

  /** The latest publication of all: a consistent state of every table for whole-table readers (index rebuild). */
  public Optional<Publication> latest() {
    return latest("SELECT JOB_EXECUTION_ID FROM AGRI_PUBLICATION ORDER BY PUBLISHED_AT DESC, JOB_EXECUTION_ID DESC"
        + " FETCH FIRST 1 ROWS ONLY");
  }

  /** The snapshots named by the last {@code runs} publications: kept by maintenance. */
  public List<Long> snapshotsOfLast(int runs) {
    return jdbc.queryForList("SELECT s.SNAPSHOT_ID FROM AGRI_PUBLICATION_SNAPSHOT s WHERE s.JOB_EXECUTION_ID IN"
        + " (SELECT JOB_EXECUTION_ID FROM AGRI_PUBLICATION ORDER BY PUBLISHED_AT DESC, JOB_EXECUTION_ID DESC FETCH FIRST "
        + Math.max(0, runs) + " ROWS ONLY)", Long.class);
  }

  private Optional<Publication> latest(String sql, Object... args) {
    List<Long> ids = jdbc.queryForList(sql, Long.class, args);
    return ids.isEmpty() ? Optional.empty() : Optional.of(load(ids.get(0)));
  }

  private Publication load(long id) {
    Map<String, Object> row = jdbc.queryForMap("SELECT BUSINESS_DATE, PUBLISHED_AT FROM AGRI_PUBLICATION WHERE JOB_EXECUTION_ID = ?", id);
    Map<String, Long> snapshots = new LinkedHashMap<>();
    jdbc.query("SELECT TABLE_NAME, SNAPSHOT_ID FROM AGRI_PUBLICATION_SNAPSHOT WHERE JOB_EXECUTION_ID = ? ORDER BY TABLE_NAME",
        rs -> {
          snapshots.put(rs.getString(1), rs.getLong(2));
        }, id);
    SortedSet<LocalDate> dates = new TreeSet<>();
    jdbc.query("SELECT BUSINESS_DATE FROM AGRI_PUBLICATION_DATE WHERE JOB_EXECUTION_ID = ?",
        rs -> {
          dates.add(LocalDate.parse(rs.getString(1)));
        }, id);
    Object at = row.get("PUBLISHED_AT");
    Instant publishedAt = at instanceof java.time.OffsetDateTime o ? o.toInstant() : at instanceof Timestamp t ? t.toInstant()
        : Instant.parse(at.toString());
    return new Publication(id, LocalDate.parse((String) row.get("BUSINESS_DATE")), publishedAt, Snapshots.of(snapshots), dates);
  }
}
