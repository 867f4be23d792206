package org.agrifusion.jobs.job.dailyfusion;

import java.time.LocalDate;
import org.agrifusion.jobs.config.AgriProperties;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.Partitions;
import org.agrifusion.pipelines.source.RecordKind;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;

/** Step publish: staging -> curated/&lt;dataset&gt;/business_date=D for every record kind, replacing only that date. */
class PublishTasklet implements Tasklet {

  private final ObjectProvider<SparkSession> spark;
  private final Lake lake;
  private final AgriProperties properties;

  PublishTasklet(ObjectProvider<SparkSession> spark, Lake lake, AgriProperties properties) {
    this.spark = spark;
    this.lake = lake;
    this.properties = properties;
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext context) {
    LocalDate date = DailyFusionParameters.businessDate(context);
    SparkSession session = spark.getObject();
    session.sparkContext().setJobDescription("publish " + date);
    java.util.LinkedHashMap<String, Long> rowsByDataset = new java.util.LinkedHashMap<>();
    long total = 0;
    for (RecordKind kind : RecordKind.values()) {
      String curated = lake.curated(kind.dataset());
      Dataset<Row> staged = Partitions.read(session, lake.staging(kind.dataset()), date).orElse(null);
      long rows = staged == null ? 0 : staged.count();
      if (staged == null) {
        Partitions.delete(session, Lake.partition(curated, date));
      } else {
        Partitions.overwrite(staged, curated, date, rows, properties.lake().rowsPerFile());
      }
      rowsByDataset.put(kind.dataset(), rows);
      total += rows;
    }
    StepFigures.record(contribution, total, total, 0);
    StepFigures.detail(context, "rowsByDataset", rowsByDataset);
    StepFigures.detail(context, "curated", lake.curated("<dataset>") + "/business_date=" + date);
    return RepeatStatus.FINISHED;
  }
}
