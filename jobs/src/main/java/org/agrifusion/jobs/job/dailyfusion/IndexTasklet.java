package org.agrifusion.jobs.job.dailyfusion;

import org.agrifusion.jobs.support.Causes;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.agrifusion.jobs.es.FamilyLoader;
import org.agrifusion.jobs.es.IndexFamily;
import org.agrifusion.pipelines.lake.Snapshots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step index: the date's partition of every published table with an index family
 * (conf/es/families.yml), as of the run's publication, into its current index (and the partitions
 * of earlier dates that late records changed), then reconciles: the step fails unless each index
 * holds exactly the lake's rows for the date. Rejected documents are in dead_letter/.
 */
class IndexTasklet implements Tasklet {

  private static final Logger log = LoggerFactory.getLogger(IndexTasklet.class);

  private final FamilyLoader loader;
  private final String elasticsearch;

  IndexTasklet(FamilyLoader loader, String elasticsearch) {
    this.loader = loader;
    this.elasticsearch = elasticsearch;
  }

  /** A node that goes away mid-load is told as the dependency it is (exit 5), not as the call that met it. */
  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext context) {
    try {
      return load(contribution, context);
    } catch (RuntimeException e) {
      if (DependencyUnavailableException.lostConnection(e)) {
        throw new DependencyUnavailableException(elasticsearch, Causes.rootMessage(e)
            + " (while indexing; restart the date once it is back)", e);
      }
      throw e;
    }
  }

  private RepeatStatus load(StepContribution contribution, ChunkContext context) {
    LocalDate date = DailyFusionParameters.businessDate(context);
    String loadId = DailyFusionParameters.runId(context);
    long expected = 0;
    long indexed = 0;
    long failed = 0;
    LinkedHashMap<String, String> byFamily = new LinkedHashMap<>();
    List<String> unreconciled = new ArrayList<>();
    Snapshots pins = LakeCommits.published(context);
    java.util.SortedSet<LocalDate> dates = new java.util.TreeSet<>(LakeCommits.touched(context));
    dates.add(date);
    for (IndexFamily family : loader.families().values()) {
      // the date, and the earlier dates (months) whose rows late records changed
      for (String value : dates.stream().map(d -> family.lakeTable().partitionValue(d)).distinct().toList()) {
        FamilyLoader.Outcome o = loader.loadPartition(family.name(), value, pins, loadId);
        expected += o.expected();
        indexed += o.indexed();
        failed += o.failed();
        byFamily.put(family.name() + (value.equals(family.lakeTable().partitionValue(date)) ? "" : " " + value),
            o.index() + ": " + o.inIndex() + " of " + o.expected() + " (stale removed " + o.staleDeleted()
            + (o.failed() > 0 ? ", rejected " + o.failed() : "") + ")");
        if (!o.reconciled()) {
          unreconciled.add(family.name() + " holds " + o.inIndex() + " documents for " + value + " but the lake has "
              + o.expected() + (o.failed() > 0 ? "; " + o.failed() + " rejected, e.g. " + o.sampleFailures() : ""));
        }
      }
    }
    StepFigures.record(contribution, expected, indexed, failed);
    StepFigures.detail(context, "families", byFamily);
    if (!unreconciled.isEmpty()) {
      throw new IllegalStateException("index does not match the lake: " + unreconciled);
    }
    log.info("indexed {} documents of {} families for {}", indexed, byFamily.size(), date);
    return RepeatStatus.FINISHED;
  }
}
