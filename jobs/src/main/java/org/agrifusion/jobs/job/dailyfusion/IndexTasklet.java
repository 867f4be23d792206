package org.agrifusion.jobs.job.dailyfusion;

import static org.apache.spark.sql.functions.col;

import java.time.LocalDate;
import java.util.List;
import org.agrifusion.jobs.config.AgriProperties;
import org.agrifusion.jobs.es.IndexManager;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.Partitions;
import org.agrifusion.pipelines.sink.elasticsearch.EsBulkIndexer;
import org.agrifusion.pipelines.sink.elasticsearch.EsConnection;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.standardise.Standardiser;
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
 * Step index: the date's curated price observations -> Elasticsearch, then removes the date's
 * documents the load did not write, and fails unless the index holds exactly the curated rows.
 */
class IndexTasklet implements Tasklet {

  private static final Logger log = LoggerFactory.getLogger(IndexTasklet.class);
  static final String FAMILY = "price-observations";

  private final ObjectProvider<SparkSession> spark;
  private final Lake lake;
  private final IndexManager indices;
  private final EsConnection connection;
  private final AgriProperties.Elasticsearch settings;

  IndexTasklet(ObjectProvider<SparkSession> spark, Lake lake, IndexManager indices, EsConnection connection,
      AgriProperties properties) {
    this.spark = spark;
    this.lake = lake;
    this.indices = indices;
    this.connection = connection;
    this.settings = properties.elasticsearch();
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext context) {
    LocalDate date = DailyFusionParameters.businessDate(context);
    SparkSession session = spark.getObject();
    session.sparkContext().setJobDescription("index " + date);
    String index = indices.ensureIndex(FAMILY);
    Dataset<Row> curated = Partitions.read(session, lake.curated(RecordKind.PRICE.dataset()), date).orElse(null);

    long expected = 0;
    EsBulkIndexer.Result result = new EsBulkIndexer.Result(0, 0, List.of());
    List<String> runIds = List.of();
    if (curated != null) {
      expected = curated.count();
      result = EsBulkIndexer.index(curated, Standardiser.RECORD_ID, index, connection,
          new EsBulkIndexer.BulkSettings(settings.bulkMaxOperations(), settings.bulkMaxBytes(),
              settings.bulkMaxConcurrentRequests(), settings.bulkMaxRetries()));
      runIds = curated.select(col("run_id")).distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    }
    StepFigures.record(contribution, expected, result.indexed(), result.failed());
    if (result.failed() > 0) {
      throw new IllegalStateException(result.failed() + " of " + expected + " documents were rejected by "
          + index + ", e.g. " + result.sampleFailures().subList(0, Math.min(3, result.sampleFailures().size())));
    }
    indices.refresh(index);
    long stale = indices.deleteStale(index, date, runIds.isEmpty() ? List.of("-") : runIds);
    indices.refresh(index);
    long inIndex = indices.countForDate(index, date);
    StepFigures.detail(context, "index", index);
    StepFigures.detail(context, "staleDeleted", stale);
    StepFigures.detail(context, "documentsForDate", inIndex);
    if (inIndex != expected) {
      throw new IllegalStateException("index " + index + " holds " + inIndex + " documents for " + date
          + " but the curated partition has " + expected);
    }
    log.info("indexed {} documents for {} into {} ({} stale removed)", result.indexed(), date, index, stale);
    return RepeatStatus.FINISHED;
  }
}
