package org.agrifusion.jobs.job.dailyfusion;

import java.time.LocalDate;
import java.util.List;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.Partitions;
import org.agrifusion.pipelines.sink.extract.CsvExtractWriter;
import org.agrifusion.pipelines.source.RecordKind;
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

/** Step extract: the date's curated price observations as one CSV for departments. */
class ExtractTasklet implements Tasklet {

  private static final Logger log = LoggerFactory.getLogger(ExtractTasklet.class);
  static final String EXTRACT_ID = "price-observations";
  static final List<String> COLUMNS = List.of(
      "business_date", "market_code", "market_name", "category", "sub_category", "product_name", "spec",
      "origin_raw", "unit_raw", "price_low", "price_avg", "price_high", "unit_convertible",
      "price_low_orig", "price_avg_orig", "price_high_orig", "record_id");

  private final ObjectProvider<SparkSession> spark;
  private final Lake lake;

  ExtractTasklet(ObjectProvider<SparkSession> spark, Lake lake) {
    this.spark = spark;
    this.lake = lake;
  }

  /** Where the extract of a date is written. */
  static String target(Lake lake, LocalDate date) {
    return lake.extracts(EXTRACT_ID, date) + "/price_observations_" + date + ".csv";
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext context) {
    LocalDate date = DailyFusionParameters.businessDate(context);
    SparkSession session = spark.getObject();
    session.sparkContext().setJobDescription("extract " + date);
    Dataset<Row> curated = Partitions.read(session, lake.curated(RecordKind.PRICE.dataset()), date).orElse(null);
    if (curated == null) {
      log.warn("no curated price observations for {}; no extract written", date);
      StepFigures.record(contribution, 0, 0, 0);
      return RepeatStatus.FINISHED;
    }
    long rows = curated.count();
    String target = target(lake, date);
    CsvExtractWriter.write(curated.orderBy("category", "product_name", "record_id"), COLUMNS, target);
    StepFigures.record(contribution, rows, rows, 0);
    StepFigures.detail(context, "file", target);
    return RepeatStatus.FINISHED;
  }
}
