package org.agrifusion.jobs.job.dailyfusion;

import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.LakeTable;
import org.agrifusion.pipelines.lake.Snapshots;
import org.agrifusion.pipelines.lake.TableId;
import org.agrifusion.pipelines.lake.Tables;
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
 * far), read from the lake at given Iceberg snapshots and delivered to each department's folder,
 * with the snapshots named in each manifest. Run by the job's extract step every night (at the run's
 * publication), and by {@code agri extract} to re-cut a period exactly as it was issued (at the
 * snapshots its manifest names), or to cut it from the date's latest publication.
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

  /** The extracts to write: all, or the one named (which must exist). */
  public List<ExtractSpec> select(Optional<String> only) {
    only.filter(id -> !ids().contains(id)).ifPresent(id -> {
      throw new IllegalArgumentException("no extract '" + id + "' in conf/extracts; known: " + ids());
    });
    return extracts.stream().filter(spec -> only.map(spec.id()::equals).orElse(true)).toList();
  }

  /**
   * Writes the date's period of the extract from the lake at {@code pins}.
   *
   * @param runId recorded in the manifest: the job execution, or who re-issued it
   */
  public ExtractWriter.Manifest write(ExtractSpec spec, LocalDate date, Snapshots pins, String runId) {
    SparkSession session = spark.getObject();
    session.sparkContext().setJobDescription("extract " + spec.id() + " " + date);
    TableId table = lake.table(LakeTable.named(spec.dataset()));
    Iterator<Row> rows = source(session, spec, table, date, pins)
        .map(source -> ExtractQuery.rows(spec, source, reference).toLocalIterator())
        .orElse(null);
    Snapshots read = Snapshots.of(pins.of(table).map(id -> java.util.Map.of(table.qualifiedName(), id)).orElse(java.util.Map.of()));
    ExtractWriter.Manifest manifest = ExtractWriter.write(spec, rows, date, read, folder(spec.id()), runId,
        session.sparkContext().hadoopConfiguration());
    log.info("extract {} {}: {} rows in {} (snapshots {})", spec.id(), manifest.period(), manifest.rows(),
        manifest.files().stream().map(ExtractWriter.FileEntry::name).toList(), read.sorted());
    return manifest;
  }

  /** The manifest of the date's period as it was issued, if it was. */
  public Optional<ExtractWriter.Manifest> issued(ExtractSpec spec, LocalDate date) {
    return ExtractWriter.readManifest(folder(spec.id()), spec.cadence().period(date), spark.getObject().sparkContext().hadoopConfiguration());
  }

  /** The snapshots every issued period of every extract was cut from: kept by lake maintenance. */
  public java.util.Set<Long> issuedSnapshots() {
    var hadoop = spark.getObject().sparkContext().hadoopConfiguration();
    java.util.Set<Long> ids = new java.util.HashSet<>();
    for (ExtractSpec spec : extracts) {
      org.apache.hadoop.fs.Path folder = new org.apache.hadoop.fs.Path(folder(spec.id()));
      try {
        org.apache.hadoop.fs.FileSystem fs = folder.getFileSystem(hadoop);
        if (!fs.exists(folder)) {
          continue;
        }
        for (org.apache.hadoop.fs.FileStatus period : fs.listStatus(folder)) {
          String name = period.getPath().getName();
          if (period.isDirectory() && !name.startsWith(".")) {
            ExtractWriter.readManifest(folder.toString(), name, hadoop).ifPresent(m -> ids.addAll(m.snapshots().values()));
          }
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot list the issued periods of " + folder, e);
      }
    }
    return ids;
  }

  /** Where the extract's periods are delivered. */
  public String folder(String extractId) {
    ExtractSpec spec = extracts.stream().filter(s -> s.id().equals(extractId)).findFirst().orElseThrow();
    return lake.extract(spec.destination(), spec.id());
  }

  /** The rows of the extract's period at the pinned snapshot; empty when there were none. */
  private static Optional<Dataset<Row>> source(SparkSession session, ExtractSpec spec, TableId table, LocalDate date, Snapshots pins) {
    LakeTable lakeTable = LakeTable.named(table.qualifiedName());
    if (lakeTable.monthly() || spec.cadence() == ExtractSpec.Cadence.DAILY) {
      return Tables.read(session, table, lakeTable.partitionValue(date), pins);
    }
    // a monthly extract of a daily table: the month's days up to the business date, in one pruned scan
    return Tables.readRange(session, table, date.withDayOfMonth(1), date, pins);
  }
}
