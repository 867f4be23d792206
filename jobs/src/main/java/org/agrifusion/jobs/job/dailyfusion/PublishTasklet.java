package org.agrifusion.jobs.job.dailyfusion;

import java.time.LocalDate;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.agrifusion.jobs.lake.Publications;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.LakeTable;
import org.agrifusion.pipelines.lake.Snapshots;
import org.agrifusion.pipelines.lake.TableId;
import org.agrifusion.pipelines.lake.Tables;
import org.agrifusion.pipelines.source.LandedFiles;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.apache.spark.sql.SparkSession;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Step publish: the date becomes visible to its readers as a whole. The earlier steps committed
 * each table (Iceberg snapshots); this step records, in one job-repository transaction, the
 * snapshot of every lake table the date's readers use ({@link Publications}): the one this run
 * committed, or the current one for a table it did not write. Index, extract and report, and later
 * {@code agri extract}, read the date at those snapshots, so a run that dies before this point
 * leaves the previous publication in force for every sink.
 *
 * <p>First checks that the landed files are still those ingest listed ({@link LandedFiles#changes});
 * if not, the date fails naming the files, and the next run, restart or scheduled retry reads the
 * date again from ingest ({@link LandingChangedException}).
 */
public class PublishTasklet implements Tasklet {

  private final ObjectProvider<SparkSession> spark;
  private final Lake lake;
  private final List<SourceDescriptor> sources;
  private final Publications publications;

  PublishTasklet(ObjectProvider<SparkSession> spark, Lake lake, List<SourceDescriptor> sources, Publications publications) {
    this.spark = spark;
    this.lake = lake;
    this.sources = sources;
    this.publications = publications;
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext context) {
    LocalDate date = DailyFusionParameters.businessDate(context);
    SparkSession session = spark.getObject();
    // Nothing is published from a landing that changed under the run: its rows would not match its files.
    List<String> changes = LandedFiles.changes(session, lake, sources, date);
    if (!changes.isEmpty()) {
      throw new LandingChangedException(changes, date);
    }
    TreeMap<String, Long> snapshots = snapshots(session, lake, sources, LakeCommits.commits(context));
    TreeSet<LocalDate> dates = new TreeSet<>(LakeCommits.touched(context));
    dates.add(date);
    Publications.Publication p = publications.record(context.getStepContext().getStepExecution().getJobExecutionId(),
        date, Snapshots.of(snapshots), dates);
    LakeCommits.published(context, p.snapshots());
    StepFigures.record(contribution, snapshots.size(), snapshots.size(), 0);
    StepFigures.detail(context, "snapshots", new TreeMap<>(p.snapshots().ids()));
    StepFigures.detail(context, "dates", new java.util.ArrayList<>(dates.stream().map(LocalDate::toString).toList()));
    return RepeatStatus.FINISHED;
  }

  /**
   * The snapshot of every table a reader of a date may read: the one a run committed ({@code commits}),
   * or the current one for a table it did not write.
   */
  public static TreeMap<String, Long> snapshots(SparkSession session, Lake lake, List<SourceDescriptor> sources,
      java.util.Map<String, Long> commits) {
    TreeMap<String, Long> snapshots = new TreeMap<>(commits);
    for (TableId table : tables(lake, sources)) {
      if (!snapshots.containsKey(table.qualifiedName())) {
        Tables.snapshot(session, table).ifPresent(s -> snapshots.put(table.qualifiedName(), s));
      }
    }
    return snapshots;
  }

  /** Every table a reader of the date may read. */
  private static List<TableId> tables(Lake lake, List<SourceDescriptor> sources) {
    List<TableId> tables = new java.util.ArrayList<>();
    tables.add(LandedFiles.table(lake));
    sources.forEach(s -> tables.add(lake.raw(s.id())));
    for (RecordKind kind : RecordKind.values()) {
      tables.add(lake.staging(kind));
      tables.add(lake.quarantine(kind));
      tables.add(lake.superseded(kind));
    }
    for (LakeTable table : LakeTable.values()) {
      tables.add(lake.table(table));
    }
    return tables;
  }
}
