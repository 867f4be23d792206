package org.agrifusion.jobs.job.dailyfusion;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Supplier;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.source.IngestPipeline;
import org.agrifusion.pipelines.source.LandedFiles;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;

/** Step ingest: binds the step to {@link IngestPipeline} and records its figures and commits. */
class IngestTasklet implements Tasklet {

  private static final Logger log = LoggerFactory.getLogger(IngestTasklet.class);

  private final ObjectProvider<SparkSession> spark;
  private final Lake lake;
  private final List<SourceDescriptor> sources;
  private final Supplier<byte[]> personalDataKey;

  IngestTasklet(ObjectProvider<SparkSession> spark, Lake lake, List<SourceDescriptor> sources, Supplier<byte[]> personalDataKey) {
    this.spark = spark;
    this.lake = lake;
    this.sources = sources;
    this.personalDataKey = personalDataKey;
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext context) {
    LocalDate date = DailyFusionParameters.businessDate(context);
    String runId = DailyFusionParameters.runId(context);
    IngestPipeline.Result result = IngestPipeline.run(spark.getObject(), lake, sources, date, runId, personalDataKey.get());
    StepFigures.record(contribution, result.rows(), result.rows(), 0);
    StepFigures.detail(context, "filesBySource", new LinkedHashMap<>(result.filesBySource()));
    StepFigures.detail(context, "rowsBySource", new LinkedHashMap<>(result.rowsBySource()));
    StepFigures.detail(context, "rejectedFiles", new ArrayList<>(result.rejectedFiles()));
    StepFigures.detail(context, "inventory", LandedFiles.table(lake).qualifiedName());
    LakeCommits.add(context, result.snapshots());
    log.info("ingested {}: {} rows from {} landed files ({} rejected); rows by source {}", date, result.rows(),
        result.inventory().size(), result.rejectedFiles().size(), result.rowsBySource());
    return RepeatStatus.FINISHED;
  }
}
