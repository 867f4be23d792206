package org.agrifusion.jobs.job.historyimport;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.agrifusion.jobs.job.dailyfusion.PublishTasklet;
import org.agrifusion.jobs.job.dailyfusion.RunAlarms;
import org.agrifusion.jobs.job.dailyfusion.StepFigures;
import org.agrifusion.jobs.lake.Publications;
import org.agrifusion.jobs.run.DateBusyException;
import org.agrifusion.jobs.run.DateLock;
import org.agrifusion.jobs.run.RunOwnership;
import org.agrifusion.jobs.config.AgriProperties;
import org.agrifusion.pipelines.history.HistoryImport;
import org.agrifusion.pipelines.report.FeedAlarms;
import org.agrifusion.pipelines.report.ReportFigures;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.Snapshots;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.source.PersonalDataKey;
import org.agrifusion.pipelines.source.RawColumns;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Step import: binds {@link HistoryImport} to the job, fails when a date's rows do not add up, then
 * records every date and publishes them all at once: readers see the import's dates only when
 * every table of every date is written. Every date it writes is claimed ({@link RunOwnership}) once
 * the file has told them and before the first write, and held until the import is recorded and
 * published, so no nightly run, backfill or other import writes one of them meanwhile; a date that a
 * live process owns fails the step with nothing written ({@link DateBusyException}, exit code 3).
 */
class ImportTasklet implements Tasklet {

  private static final Logger log = LoggerFactory.getLogger(ImportTasklet.class);

  private final ObjectProvider<SparkSession> spark;
  private final Lake lake;
  private final List<SourceDescriptor> sources;
  private final ReferenceData reference;
  private final PersonalDataKey key;
  private final AgriProperties.Fusion fusion;
  private final ImportedDates dates;
  private final Publications publications;
  private final RunOwnership ownership;

  ImportTasklet(ObjectProvider<SparkSession> spark, Lake lake, List<SourceDescriptor> sources, ReferenceData reference,
      PersonalDataKey key, AgriProperties.Fusion fusion, ImportedDates dates, Publications publications,
      RunOwnership ownership) {
    this.spark = spark;
    this.lake = lake;
    this.sources = sources;
    this.reference = reference;
    this.key = key;
    this.fusion = fusion;
    this.dates = dates;
    this.publications = publications;
    this.ownership = ownership;
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext context) {
    var parameters = context.getStepContext().getJobParameters();
    String id = (String) parameters.get(HistoryImportJobConfiguration.SOURCE);
    String file = (String) parameters.get(HistoryImportJobConfiguration.FILE);
    LocalDate asOf = LocalDate.parse((String) parameters.get(HistoryImportJobConfiguration.AS_OF));
    SourceDescriptor source = sources.stream().filter(s -> s.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("source '" + id + "' is not one of " + sources.stream().map(SourceDescriptor::id).toList()));
    long execution = context.getStepContext().getStepExecution().getJobExecutionId();
    SparkSession session = spark.getObject();
    AtomicReference<DateLock> claim = new AtomicReference<>();
    try {
      HistoryImport.Result result = HistoryImport.run(session, lake, source, file, asOf, RawColumns.IMPORT_RUN_PREFIX + execution,
          key.get(), reference, reference.regions(), fusion.settings(), written -> claim.set(claim(written, RunOwnership.importAction(id), execution)));
      record(contribution, context, execution, id, file, session, result);
      return RepeatStatus.FINISHED;
    } finally {
      Optional.ofNullable(claim.get()).ifPresent(DateLock::close);
    }
  }

  private DateLock claim(SortedSet<LocalDate> written, String action, long execution) {
    try {
      return ownership.claim(written, action, execution);
    } catch (DateBusyException busy) {
      // HistoryImport takes no checked exception; Operations finds this one among the causes
      throw new IllegalStateException(busy.getMessage(), busy);
    }
  }

  private void record(StepContribution contribution, ChunkContext context, long execution, String id, String file,
      SparkSession session, HistoryImport.Result result) {
    StepFigures.record(contribution, result.read(), result.accepted(), result.quarantined());
    if (!result.unbalanced().isEmpty()) {
      throw new IllegalStateException("rows read != accepted + quarantined for " + result.unbalanced());
    }
    List<String> alarms = new ArrayList<>(FeedAlarms.of(
        List.of(new ReportFigures.SourceRows(id, null, 1, 1, 0, result.read(), result.accepted(), result.quarantined())),
        List.of(), sources, fusion.maxQuarantineShare(), () -> Map.of(id, result.topReasons()))
        .stream().map(FeedAlarms.Alarm::message).toList());
    if (result.dates().isEmpty()) {
      alarms.add(id + ": file " + file + " holds no rows");
    }
    if (!alarms.isEmpty()) {
      alarms.forEach(a -> log.error("import: alarm: {}", a));
      StepFigures.detail(context, RunAlarms.DETAIL, new ArrayList<>(alarms));
    }
    if (result.dates().isEmpty()) {
      return;
    }
    dates.record(execution, id, result.dates());
    TreeSet<LocalDate> published = new TreeSet<>(result.derivedDates());
    result.dates().forEach(d -> published.add(d.date()));
    publications.record(execution, published.last(), Snapshots.of(PublishTasklet.snapshots(session, lake, sources, result.snapshots())),
        published);
    StepFigures.detail(context, "dates", result.dates().size());
    StepFigures.detail(context, "topReasons", new java.util.LinkedHashMap<>(result.topReasons()));
    StepFigures.detail(context, "firstDate", result.dates().get(0).date().toString());
    StepFigures.detail(context, "lastDate", result.dates().get(result.dates().size() - 1).date().toString());
    log.info("imported {} from {}: {} rows over {} dates ({}..{}), {} accepted, {} quarantined", id, file, result.read(),
        result.dates().size(), result.dates().get(0).date(), result.dates().get(result.dates().size() - 1).date(),
        result.accepted(), result.quarantined());
  }
}
