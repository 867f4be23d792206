package org.agrifusion.jobs.job.historyimport;

import java.time.LocalDate;
import java.util.List;
import org.agrifusion.pipelines.history.HistoryImport;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Per date, what each history import filed under it (V4__agri_imported_date.sql): one import is one
 * job execution for a whole file, yet operators ask about dates.
 */
@Component
public class ImportedDates {

  /** One import's rows of one date. */
  public record ImportedDate(long jobExecutionId, LocalDate date, String source, long read, long accepted, long quarantined) {}

  private final JdbcTemplate jdbc;

  public ImportedDates(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Records the import's dates (again, on a restart: it replaces the earlier record). */
  void record(long jobExecutionId, String source, List<HistoryImport.DateRows> dates) {
    jdbc.update("DELETE FROM AGRI_IMPORTED_DATE WHERE JOB_EXECUTION_ID = ?", jobExecutionId);
    jdbc.batchUpdate("INSERT INTO AGRI_IMPORTED_DATE (JOB_EXECUTION_ID, BUSINESS_DATE, SOURCE_ID, READ_COUNT, ACCEPTED_COUNT,"
        + " QUARANTINED_COUNT) VALUES (?, ?, ?, ?, ?, ?)", dates.stream()
        .map(d -> new Object[] {jobExecutionId, d.date().toString(), source, d.read(), d.accepted(), d.quarantined()}).toList());
  }

  /** The imports that filed rows under the date, newest first. */
  public List<ImportedDate> of(LocalDate date) {
    return query("WHERE BUSINESS_DATE = ? ORDER BY JOB_EXECUTION_ID DESC", date.toString());
  }

  /** The dates of one import, in date order. */
  public List<ImportedDate> ofExecution(long jobExecutionId) {
    return query("WHERE JOB_EXECUTION_ID = ? ORDER BY BUSINESS_DATE", jobExecutionId);
  }

  private List<ImportedDate> query(String where, Object argument) {
    return jdbc.query("SELECT JOB_EXECUTION_ID, BUSINESS_DATE, SOURCE_ID, READ_COUNT, ACCEPTED_COUNT, QUARANTINED_COUNT"
        + " FROM AGRI_IMPORTED_DATE " + where, (rs, i) -> new ImportedDate(rs.getLong(1), LocalDate.parse(rs.getString(2)),
            rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)), argument);
  }
}
