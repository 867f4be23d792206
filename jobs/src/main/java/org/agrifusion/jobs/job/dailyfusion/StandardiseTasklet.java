package org.agrifusion.jobs.job.dailyfusion;

import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.TableId;
import org.agrifusion.pipelines.lake.Tables;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.source.RawColumns;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.standardise.PriceOutliers;
import org.agrifusion.pipelines.standardise.Quarantine;
import org.agrifusion.pipelines.standardise.RecordStandard;
import org.agrifusion.pipelines.standardise.Standardiser;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Step standardise: for every record kind, raw rows of its sources -> staging.&lt;dataset&gt;
 * (accepted, canonical) and quarantine.&lt;dataset&gt; (rejected, with reasons). Then checks, per
 * landed file, that rows read = accepted + quarantined, and fails the step if any file does not add up.
 */
class StandardiseTasklet implements Tasklet {

  private static final Logger log = LoggerFactory.getLogger(StandardiseTasklet.class);
  private static final String[] FILE_KEY = {RawColumns.SOURCE_ID, RawColumns.SOURCE_FILE};

  private final ObjectProvider<SparkSession> spark;
  private final Lake lake;
  private final List<SourceDescriptor> sources;
  private final ReferenceData reference;

  StandardiseTasklet(ObjectProvider<SparkSession> spark, Lake lake, List<SourceDescriptor> sources, ReferenceData reference) {
    this.spark = spark;
    this.lake = lake;
    this.sources = sources;
    this.reference = reference;
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext context) {
    LocalDate date = DailyFusionParameters.businessDate(context);
    SparkSession session = spark.getObject();
    Totals totals = new Totals();
    for (RecordKind kind : RecordKind.values()) {
      session.sparkContext().setJobDescription("standardise " + kind.dataset() + " " + date);
      standardise(session, kind, date, totals);
    }
    StepFigures.record(contribution, totals.read, totals.accepted, totals.quarantined);
    StepFigures.detail(context, "files", totals.files);
    StepFigures.detail(context, "topReasons", totals.topReasons);
    LakeCommits.add(context, totals.commits);
    if (!totals.unbalanced.isEmpty()) {
      throw new IllegalStateException("rows read != accepted + quarantined for " + totals.unbalanced);
    }
    log.info("standardised {}: {} read, {} accepted, {} quarantined", date, totals.read, totals.accepted, totals.quarantined);
    return RepeatStatus.FINISHED;
  }

  private void standardise(SparkSession session, RecordKind kind, LocalDate date, Totals totals) {
    RecordStandard standard = RecordStandard.of(kind, reference);
    List<Dataset<Row>> standardised = new ArrayList<>();
    List<Dataset<Row>> accepted = new ArrayList<>();
    List<Dataset<Row>> quarantined = new ArrayList<>();
    List<Dataset<Row>> raw = new ArrayList<>();
    // Prices are also judged against their variety's recent median; one small table for all price feeds.
    Optional<Dataset<Row>> medians = kind == RecordKind.PRICE
        ? PriceOutliers.medians(session, lake, date, reference.prices()).map(Dataset::cache) : Optional.empty();
    for (SourceDescriptor source : sources) {
      if (source.kind() != kind) {
        continue;
      }
      Optional<Dataset<Row>> rows = Tables.read(session, lake.raw(source.id()), date);
      if (rows.isEmpty()) {
        continue;
      }
      Dataset<Row> std = Standardiser.standardise(rows.get(), source, standard, date);
      if (medians.isPresent()) {
        std = PriceOutliers.mark(std, medians.get(), reference.prices());
      }
      std = std.persist(StorageLevel.MEMORY_AND_DISK());
      standardised.add(std);
      accepted.add(Standardiser.accepted(std, standard));
      quarantined.add(Quarantine.rows(std, source));
      raw.add(rows.get().select(col(RawColumns.SOURCE_ID), col(RawColumns.SOURCE_FILE)));
    }
    TableId staging = lake.staging(kind);
    TableId quarantine = lake.quarantine(kind);
    try {
      if (standardised.isEmpty()) {
        Tables.clear(session, staging, date.toString()).ifPresent(s -> totals.commits.put(staging.qualifiedName(), s));
        Tables.clear(session, quarantine, date.toString()).ifPresent(s -> totals.commits.put(quarantine.qualifiedName(), s));
        return;
      }
      totals.commits.put(staging.qualifiedName(), Tables.replace(union(accepted), staging, date));
      totals.commits.put(quarantine.qualifiedName(), Tables.replace(union(quarantined), quarantine, date));
    } finally {
      standardised.forEach(Dataset::unpersist);
      medians.ifPresent(Dataset::unpersist);
    }
    account(session, union(raw), staging, quarantine, date, totals);
    topReasons(session, quarantine, date, totals);
  }

  private static Dataset<Row> union(List<Dataset<Row>> parts) {
    return parts.stream().reduce(Dataset::unionByName).orElseThrow();
  }

  /** Per-file counts of the three sides, read back from what was written. */
  private static void account(SparkSession session, Dataset<Row> raw, TableId staging, TableId quarantine, LocalDate date,
      Totals totals) {
    Dataset<Row> read = perFile(raw, "read");
    Dataset<Row> ok = Tables.read(session, staging, date).map(d -> perFile(d, "accepted"))
        .orElse(read.limit(0).withColumnRenamed("read", "accepted"));
    Dataset<Row> bad = Tables.read(session, quarantine, date).map(d -> perFile(d, "quarantined"))
        .orElse(read.limit(0).withColumnRenamed("read", "quarantined"));
    List<Row> rows = read.join(ok, FILE_KEY, "full_outer").join(bad, FILE_KEY, "full_outer")
        .select(col(RawColumns.SOURCE_ID), col(RawColumns.SOURCE_FILE),
            coalesce(col("read"), lit(0L)).as("read"),
            coalesce(col("accepted"), lit(0L)).as("accepted"),
            coalesce(col("quarantined"), lit(0L)).as("quarantined"))
        .orderBy(RawColumns.SOURCE_ID, RawColumns.SOURCE_FILE)
        .collectAsList();
    for (Row r : rows) {
      LinkedHashMap<String, Object> file = new LinkedHashMap<>();
      file.put("source", r.getString(0));
      file.put("file", r.getString(1));
      file.put("read", r.getLong(2));
      file.put("accepted", r.getLong(3));
      file.put("quarantined", r.getLong(4));
      totals.files.add(file);
      totals.read += r.getLong(2);
      totals.accepted += r.getLong(3);
      totals.quarantined += r.getLong(4);
      if (r.getLong(2) != r.getLong(3) + r.getLong(4)) {
        totals.unbalanced.add(r.getString(1) + " (read " + r.getLong(2) + ", accepted " + r.getLong(3)
            + ", quarantined " + r.getLong(4) + ")");
      }
    }
  }

  private static Dataset<Row> perFile(Dataset<Row> rows, String name) {
    return rows.groupBy(RawColumns.SOURCE_ID, RawColumns.SOURCE_FILE).agg(count(lit(1)).as(name));
  }

  private static void topReasons(SparkSession session, TableId quarantine, LocalDate date, Totals totals) {
    Tables.read(session, quarantine, date).ifPresent(q -> q
        .select(col(RawColumns.SOURCE_ID), explode(array_distinct(col(Standardiser.REASONS))).as("reason"))
        .groupBy(RawColumns.SOURCE_ID, "reason").count()
        .orderBy(col("count").desc(), col(RawColumns.SOURCE_ID), col("reason"))
        .limit(20)
        .collectAsList()
        .forEach(r -> totals.topReasons.put(r.getString(0) + ":" + r.getString(1), r.getLong(2))));
  }

  private static final class Totals {
    long read;
    long accepted;
    long quarantined;
    final ArrayList<LinkedHashMap<String, Object>> files = new ArrayList<>();
    final LinkedHashMap<String, Long> topReasons = new LinkedHashMap<>();
    final List<String> unbalanced = new ArrayList<>();
    final java.util.TreeMap<String, Long> commits = new java.util.TreeMap<>();
  }
}
