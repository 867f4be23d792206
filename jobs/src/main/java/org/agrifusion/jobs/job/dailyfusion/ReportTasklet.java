package org.agrifusion.jobs.job.dailyfusion;

import java.time.LocalDate;
import java.util.Map;
import org.agrifusion.jobs.report.RunReport;
import org.agrifusion.pipelines.lake.Lake;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;

/** Step report: writes reports/D/report.json with the figures of every step of this run. */
class ReportTasklet implements Tasklet {

  private static final Logger log = LoggerFactory.getLogger(ReportTasklet.class);

  private final ObjectProvider<SparkSession> spark;
  private final Lake lake;

  ReportTasklet(ObjectProvider<SparkSession> spark, Lake lake) {
    this.spark = spark;
    this.lake = lake;
  }

  /** Where the report of a date is written. */
  static String target(Lake lake, LocalDate date) {
    return lake.reports(date) + "/report.json";
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext context) {
    LocalDate date = DailyFusionParameters.businessDate(context);
    Map<String, Object> report = RunReport.build(
        context.getStepContext().getStepExecution().getJobExecution(), date.toString(), StepFigures.DETAILS);
    String target = target(lake, date);
    RunReport.write(report, target, spark.getObject().sparkContext().hadoopConfiguration());
    StepFigures.detail(context, "file", target);
    log.info("run report written to {}", target);
    return RepeatStatus.FINISHED;
  }
}
