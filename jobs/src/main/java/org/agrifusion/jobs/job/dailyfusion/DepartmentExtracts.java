package org.agrifusion.jobs.job.dailyfusion;

import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.Partitions;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.sink.extract.ExtractQuery;
import org.agrifusion.pipelines.sink.extract.ExtractSpec;
import org.agrifusion.pipelines.sink.extract.ExtractWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The extracts of conf/extracts for the period a business date falls in (the day, or the month so
 * far), read from the published lake and delivered to each department's folder. Run by the job's
 * extract step every night, and by {@code agri extract} to re-issue a period or to produce a new
 * extract for past dates without running the job again.
 */
@Component
public class DepartmentExtracts {

  private static final Logger log = LoggerFactory.getLogger(DepartmentExtracts.class);

  private final ObjectProvider<SparkSession> spark;
  private final Lake lake;
  private final List<ExtractSpec> extracts;
  private final ReferenceData reference;

  DepartmentExtracts(ObjectProvider<SparkSession> spark, Lake lake, List<ExtractSpec> extracts, ReferenceData reference) {
    this.spark = spark;
    this.lake = lake;
    this.extracts = extracts;
    this.reference = reference;
  }

  /** The configured extracts, by id. */
  public List<String> ids() {
    return extracts.stream().map(ExtractSpec::id).toList();
  }

  /**
   * Writes the date's period of every extract, or of the one named.
   *
   * @param runId recorded in each manifest: the job execution, or who re-issued it
   */
  public List<ExtractWriter.Manifest> write(LocalDate date, Optional<String> only, String runId) {
    only.filter(id -> !ids().contains(id)).ifPresent(id -> {
      throw new IllegalArgumentException("no extract '" + id + "' in conf/extracts; known: " + ids());
    });
    SparkSession session = spark.getObject();
    return extracts.stream()
        .filter(spec -> only.map(spec.id()::equals).orElse(true))
        .map(spec -> write(session, spec, date, runId))
        .toList();
  }

  /** Where the extract's periods are delivered. */
  public String folder(String extractId) {
    ExtractSpec spec = extracts.stream().filter(s -> s.id().equals(extractId)).findFirst().orElseThrow();
    return lake.extract(spec.destination(), spec.id());
  }

  private ExtractWriter.Manifest write(SparkSession session, ExtractSpec spec, LocalDate date, String runId) {
    session.sparkContext().setJobDescription("extract " + spec.id() + " " + date);
    Iterator<Row> rows = source(session, spec, date)
        .map(source -> ExtractQuery.rows(spec, source, reference).toLocalIterator())
        .orElse(null);
    ExtractWriter.Manifest manifest = ExtractWriter.write(spec, rows, date, folder(spec.id()), runId,
        session.sparkContext().hadoopConfiguration());
    log.info("extract {} {}: {} rows in {}", spec.id(), manifest.period(), manifest.rows(),
        manifest.files().stream().map(ExtractWriter.FileEntry::name).toList());
    return manifest;
  }

  /** The published rows of the extract's period; empty when the lake holds none. */
  private Optional<Dataset<Row>> source(SparkSession session, ExtractSpec spec, LocalDate date) {
    FusedTables table = FusedTables.named(spec.dataset());
    String path = table.published(lake);
    if (table.monthly() || spec.cadence() == ExtractSpec.Cadence.DAILY) {
      return Partitions.read(session, path, table.partitionColumn, table.partitionValue(date));
    }
    // a monthly extract of a daily table: the month's days up to the business date
    return Partitions.readDays(session, path, date.withDayOfMonth(1), date);
  }
}
