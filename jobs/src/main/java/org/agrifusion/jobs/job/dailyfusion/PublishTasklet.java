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

/** Step publish: staging -> curated/price_observation/business_date=D, replacing only that date. */
class PublishTasklet implements Tasklet {

  private static final String DATASET = RecordKind.PRICE.dataset();

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
    String curated = lake.curated(DATASET);
    Dataset<Row> staged = Partitions.read(session, lake.staging(DATASET), date).orElse(null);
    long rows = staged == null ? 0 : staged.count();
    if (staged == null) {
      Partitions.delete(session, Lake.partition(curated, date));
    } else {
      Partitions.overwrite(staged, curated, date, rows, properties.lake().rowsPerFile());
    }
    StepFigures.record(contribution, rows, rows, 0);
    StepFigures.detail(context, "curated", Lake.partition(curated, date));
    return RepeatStatus.FINISHED;
  }
}
