package org.agrifusion.jobs.job.dailyfusion;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.standardise.StandardisePipeline;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Step standardise: binds the step to {@link StandardisePipeline}, records its figures and commits,
 * and fails the step if any landed file does not add up (rows read != accepted + quarantined).
 */
class StandardiseTasklet implements Tasklet {

  private static final Logger log = LoggerFactory.getLogger(StandardiseTasklet.class);

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
    StandardisePipeline.Result result = StandardisePipeline.run(spark.getObject(), lake, sources, reference, date);
    ArrayList<LinkedHashMap<String, Object>> files = new ArrayList<>();
    for (StandardisePipeline.FileRows f : result.files()) {
      LinkedHashMap<String, Object> file = new LinkedHashMap<>();
      file.put("source", f.source());
      file.put("file", f.file());
      file.put("read", f.read());
      file.put("accepted", f.accepted());
      file.put("quarantined", f.quarantined());
      files.add(file);
    }
    StepFigures.record(contribution, result.read(), result.accepted(), result.quarantined());
    StepFigures.detail(context, "files", files);
    StepFigures.detail(context, "topReasons", new LinkedHashMap<>(result.topReasons()));
    LakeCommits.add(context, result.snapshots());
    if (!result.unbalanced().isEmpty()) {
      throw new IllegalStateException("rows read != accepted + quarantined for " + result.unbalanced());
    }
    log.info("standardised {}: {} read, {} accepted, {} quarantined", date, result.read(), result.accepted(), result.quarantined());
    return RepeatStatus.FINISHED;
  }
}
