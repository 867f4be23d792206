package org.agrifusion.jobs.job.dailyfusion;

import java.util.List;
import org.agrifusion.jobs.config.AgriProperties;
import org.agrifusion.pipelines.source.PersonalDataKey;
import org.agrifusion.jobs.es.FamilyLoader;
import org.agrifusion.jobs.lake.LakeCommands;
import org.agrifusion.jobs.lake.Publications;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.sink.extract.ExtractSpec;
import org.agrifusion.pipelines.sink.extract.ExtractSpecs;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.apache.spark.sql.SparkSession;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The nightly job {@value #JOB_NAME}: ingest -> standardise -> fuse -> publish -> index -> extract -> report
 * (-> maintain, with agri.lake.maintenance.nightly),
 * for the business date given as the identifying job parameter. Each step is one Spark stage of
 * the pipeline; data passes between steps through the lake, so a failed step can be restarted.
 */
@Configuration(proxyBeanMethods = false)
public class DailyFusionJobConfiguration {

  public static final String JOB_NAME = "daily-fusion";

  /**
   * The tasklets write to the lake and Elasticsearch, nothing of theirs goes to the job database, so
   * their "chunk" transaction holds no connection: a Spark stage of minutes must not keep a JDBC
   * transaction open (a job repository failover in the meantime would break it). The job
   * repository still records each step's progress in its own short transactions.
   */
  static final PlatformTransactionManager TASKLETS = new ResourcelessTransactionManager();

  // step 1 configuration
  @Bean
  Step ingestStep(JobRepository repository, ObjectProvider<SparkSession> spark,
      Lake lake, List<SourceDescriptor> sources, PersonalDataKey key) {
    return new StepBuilder("ingest", repository).tasklet(new IngestTasklet(spark, lake, sources, key), TASKLETS).build();
  }

  // step 2 configuration
  @Bean
  Step standardiseStep(JobRepository repository, ObjectProvider<SparkSession> spark,
      Lake lake, List<SourceDescriptor> sources, ReferenceData reference) {
    return new StepBuilder("standardise", repository)
        .tasklet(new StandardiseTasklet(spark, lake, sources, reference), TASKLETS).build();
  }

  // step 3 configuration
  @Bean
  Step fuseStep(JobRepository repository, ObjectProvider<SparkSession> spark,
      Lake lake, ReferenceData reference, AgriProperties properties) {
    return new StepBuilder("fuse", repository).tasklet(new FuseTasklet(spark, lake, reference, properties), TASKLETS).build();
  }

  // step 4 configuration
  @Bean
  Step publishStep(JobRepository repository, ObjectProvider<SparkSession> spark,
      Lake lake, List<SourceDescriptor> sources, Publications publications) {
    return new StepBuilder("publish", repository).tasklet(new PublishTasklet(spark, lake, sources, publications), TASKLETS)
        .listener(new LandingChangedException.Listener()).build();
  }

  // step 5 configuration
  @Bean
  Step indexStep(JobRepository repository, FamilyLoader loader, AgriProperties properties) {
    String elasticsearch = "Elasticsearch " + String.join(",", properties.elasticsearch().urls());
    return new StepBuilder("index", repository).tasklet(new IndexTasklet(loader, elasticsearch), TASKLETS).build();
  }

  // step 6 configuration
  @Bean
  Step extractStep(JobRepository repository, DepartmentExtracts extracts) {
    return new StepBuilder("extract", repository).tasklet(new ExtractTasklet(extracts), TASKLETS).build();
  }

  /** Loaded at start-up so a broken extract definition stops the process before any work starts. */
  @Bean
  List<ExtractSpec> extractSpecs(AgriProperties properties) {
    return ExtractSpecs.loadAll(properties.extractsDir());
  }

  // step 7 configuration
  @Bean
  Step reportStep(JobRepository repository, ObjectProvider<SparkSession> spark,
      Lake lake, List<SourceDescriptor> sources, ReferenceData reference, AgriProperties properties) {
    return new StepBuilder("report", repository)
        .tasklet(new ReportTasklet(repository, spark, lake, sources, reference, properties), TASKLETS)
        .listener(new LandingChangedException.Listener())
        .listener(new RunAlarms.StepListener()).build();
  }

  // step 8 configuration, only with agri.lake.maintenance.nightly
  @Bean
  Step maintainStep(JobRepository repository, LakeCommands lake) {
    return new StepBuilder("maintain", repository).tasklet((contribution, context) -> {
      var results = lake.maintain(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
      StepFigures.detail(context, "tables", results.size());
      StepFigures.detail(context, "snapshotsExpired", results.stream().mapToInt(r -> r.snapshotsExpired()).sum());
      StepFigures.detail(context, "filesCompacted", results.stream().mapToInt(r -> r.filesRewritten()).sum());
      return org.springframework.batch.infrastructure.repeat.RepeatStatus.FINISHED;
    }, TASKLETS).build();
  }

  @Bean
  Job dailyFusionJob(JobRepository repository, Step ingestStep, Step standardiseStep, Step fuseStep, Step publishStep,
      Step indexStep, Step extractStep, Step reportStep, Step maintainStep, PreflightCheck preflight, AgriProperties properties) {
    var job = new JobBuilder(JOB_NAME, repository)
        .validator(DailyFusionParameters.validator())
        .listener(preflight)
        .start(ingestStep)
        .next(standardiseStep)
        .next(fuseStep)
        .next(publishStep)
        .next(indexStep)
        .next(extractStep)
        .next(reportStep);
    return (properties.lake().maintenance().nightly() ? job.next(maintainStep) : job).build();
  }
}
