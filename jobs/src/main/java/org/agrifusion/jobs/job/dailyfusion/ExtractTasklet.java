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
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Step extract: every extract of conf/extracts for the period the business date falls in (the day,
 * or the month so far), read from the published lake and delivered to the department's folder.
 */
class ExtractTasklet implements Tasklet {

  private static final Logger log = LoggerFactory.getLogger(ExtractTasklet.class);

  private final ObjectProvider<SparkSession> spark;
  private final Lake lake;
  private final List<ExtractSpec> extracts;
  private final ReferenceData reference;

  ExtractTasklet(ObjectProvider<SparkSession> spark, Lake lake, List<ExtractSpec> extracts, ReferenceData reference) {
    this.spark = spark;
    this.lake = lake;
    this.extracts = extracts;
    this.reference = reference;
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext context) {
    LocalDate date = DailyFusionParameters.businessDate(context);
    SparkSession session = spark.getObject();
    String runId = String.valueOf(context.getStepContext().getStepExecution().getJobExecutionId());
    long total = 0;
    for (ExtractSpec spec : extracts) {
      session.sparkContext().setJobDescription("extract " + spec.id() + " " + date);
      Iterator<Row> rows = source(session, spec, date)
          .map(source -> ExtractQuery.rows(spec, source, reference).toLocalIterator())
          .orElse(null);
      String folder = lake.extract(spec.destination(), spec.id());
      ExtractWriter.Manifest manifest = ExtractWriter.write(spec, rows, date, folder, runId,
          session.sparkContext().hadoopConfiguration());
      total += manifest.rows();
      StepFigures.detail(context, spec.id(), manifest.rows() + " rows -> " + folder + "/" + manifest.period());
      log.info("extract {} {}: {} rows in {}", spec.id(), manifest.period(), manifest.rows(),
          manifest.files().stream().map(ExtractWriter.FileEntry::name).toList());
    }
    StepFigures.record(contribution, total, total, 0);
    return RepeatStatus.FINISHED;
  }

  /** The published rows of the extract's period; empty when the lake holds none. */
  private Optional<Dataset<Row>> source(SparkSession session, ExtractSpec spec, LocalDate date) {
    FusedTables table = FusedTables.named(spec.dataset());
    String path = table.published(lake);
    if (table.monthly() || spec.cadence() == ExtractSpec.Cadence.DAILY) {
      return Partitions.read(session, path, table.partitionColumn, table.partitionValue(date));
    }
    // a monthly extract of a daily table: the month's days up to the business date
    return date.withDayOfMonth(1).datesUntil(date.plusDays(1))
        .map(day -> Partitions.read(session, path, day))
        .flatMap(Optional::stream)
        .reduce((a, b) -> a.unionByName(b, true));
  }
}
