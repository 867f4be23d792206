package org.agrifusion.jobs.job.dailyfusion;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import org.agrifusion.jobs.config.AgriProperties;
import org.agrifusion.pipelines.fuse.FusePipeline;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;

/** Step fuse: binds the step to {@link FusePipeline} and records its figures and commits. */
class FuseTasklet implements Tasklet {

  private static final Logger log = LoggerFactory.getLogger(FuseTasklet.class);

  private final ObjectProvider<SparkSession> spark;
  private final Lake lake;
  private final ReferenceData reference;
  private final FusePipeline.Settings settings;

  FuseTasklet(ObjectProvider<SparkSession> spark, Lake lake, ReferenceData reference, AgriProperties properties) {
    this.spark = spark;
    this.lake = lake;
    this.reference = reference;
    this.settings = properties.fusion().settings();
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext context) {
    LocalDate date = DailyFusionParameters.businessDate(context);
    FusePipeline.Result result = FusePipeline.run(spark.getObject(), lake, reference.regions(), date, settings);
    LinkedHashMap<String, Object> dedup = new LinkedHashMap<>();
    result.dedup().forEach((kind, d) -> {
      LinkedHashMap<String, Long> figures = new LinkedHashMap<>();
      figures.put("accepted", d.accepted());
      figures.put("fused", d.fused());
      figures.put("merged", d.merged());
      figures.put("superseded", d.superseded());
      figures.put("conflicts", d.conflicts());
      figures.put("lateUpdates", d.lateUpdates());
      figures.put("resent", d.resent());
      dedup.put(kind.dataset(), figures);
    });
    StepFigures.record(contribution, result.accepted(), result.fused(), 0);
    StepFigures.detail(context, "deduplication", dedup);
    StepFigures.detail(context, "derivedRows", new LinkedHashMap<>(result.derivedRows()));
    StepFigures.detail(context, "touchedDates", new java.util.ArrayList<>(result.touchedDates().stream().map(LocalDate::toString).toList()));
    LakeCommits.add(context, result.snapshots());
    LakeCommits.touched(context, result.touchedDates());
    log.info("fused {}: {} accepted rows -> {} records; derived {}; earlier dates changed by late records: {}", date,
        result.accepted(), result.fused(), result.derivedRows(), result.touchedDates().isEmpty() ? "none" : List.copyOf(result.touchedDates()));
    return RepeatStatus.FINISHED;
  }
}
