package org.agrifusion.jobs.job.dailyfusion;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.agrifusion.jobs.config.AgriProperties;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.Partitions;
import org.agrifusion.pipelines.lake.PartitionCommitter;
import org.agrifusion.pipelines.source.LandedFiles;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.standardise.RecordStandard;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Step publish: commits every staged fused table and mart of the date into curated/ and marts/,
 * one partition at a time, each written aside and renamed into place with a manifest
 * ({@link PartitionCommitter}); other dates are untouched. First checks that the landed files are
 * still those ingest listed ({@link LandedFiles#changes}); if not, the date fails naming the files,
 * and the next run, restart or scheduled retry reads the date again from ingest ({@link LandingChangedException}).
 */
class PublishTasklet implements Tasklet {

  private final ObjectProvider<SparkSession> spark;
  private final Lake lake;
  private final List<SourceDescriptor> sources;
  private final AgriProperties properties;

  PublishTasklet(ObjectProvider<SparkSession> spark, Lake lake, List<SourceDescriptor> sources, AgriProperties properties) {
    this.spark = spark;
    this.lake = lake;
    this.sources = sources;
    this.properties = properties;
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext context) {
    LocalDate date = DailyFusionParameters.businessDate(context);
    String runId = DailyFusionParameters.runId(context);
    SparkSession session = spark.getObject();
    // Nothing is published from a landing that changed under the run: its rows would not match its files.
    List<String> changes = LandedFiles.changes(session, lake, sources, date);
    if (!changes.isEmpty()) {
      throw new LandingChangedException(changes, date);
    }
    LinkedHashMap<String, Long> rowsByTable = new LinkedHashMap<>();
    long total = 0;
    for (FusedTables table : FusedTables.values()) {
      session.sparkContext().setJobDescription("publish " + table.table + " " + date);
      String value = table.partitionValue(date);
      Optional<Dataset<Row>> staged = Partitions.read(session, table.staged(lake), table.partitionColumn, value);
      Dataset<Row> rows = staged.orElseGet(session::emptyDataFrame);
      long count = staged.map(Dataset::count).orElse(0L);
      // Published also when empty: the date's previous rows must not outlive a re-run.
      PartitionCommitter.publish(rows, table.published(lake), table.partitionColumn, value, count,
          properties.lake().rowsPerFile(), runId, RecordStandard.SCHEMA_VERSION);
      rowsByTable.put(table.table, count);
      if (!table.mart) {
        total += count;
      }
    }
    StepFigures.record(contribution, total, total, 0);
    StepFigures.detail(context, "rowsByTable", rowsByTable);
    StepFigures.detail(context, "curated", lake.curated("<table>") + "/business_date=" + date);
    return RepeatStatus.FINISHED;
  }
}
