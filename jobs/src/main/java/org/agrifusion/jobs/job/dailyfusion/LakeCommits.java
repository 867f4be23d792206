package org.agrifusion.jobs.job.dailyfusion;

import java.time.LocalDate;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.agrifusion.pipelines.lake.Snapshots;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * What the run committed to the lake, kept in the job execution context (so a restart knows it):
 * the last snapshot of each table a step committed, the earlier dates the run changed, and, once
 * the publish step has recorded them, the snapshots every later step reads.
 */
final class LakeCommits {

  private static final String COMMITS = "lake.commits";
  private static final String TOUCHED = "lake.touchedDates";
  private static final String PUBLISHED = "lake.published";

  private LakeCommits() {}

  static void add(ChunkContext context, Map<String, Long> snapshots) {
    TreeMap<String, Long> all = new TreeMap<>(commits(context));
    all.putAll(snapshots);
    job(context).put(COMMITS, all);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Long> commits(ChunkContext context) {
    Object value = job(context).get(COMMITS);
    return value == null ? Map.of() : (Map<String, Long>) value;
  }

  static void touched(ChunkContext context, SortedSet<LocalDate> dates) {
    job(context).put(TOUCHED, new TreeSet<>(dates.stream().map(LocalDate::toString).toList()));
  }

  /** The earlier dates this run changed (late records), oldest first. */
  @SuppressWarnings("unchecked")
  static SortedSet<LocalDate> touched(ChunkContext context) {
    Object value = job(context).get(TOUCHED);
    TreeSet<LocalDate> dates = new TreeSet<>();
    if (value != null) {
      ((java.util.Collection<String>) value).forEach(d -> dates.add(LocalDate.parse(d)));
    }
    return dates;
  }

  static void published(ChunkContext context, Snapshots snapshots) {
    job(context).put(PUBLISHED, new TreeMap<>(snapshots.ids()));
  }

  /** The snapshots the publish step recorded: what index, extract and report read. */
  @SuppressWarnings("unchecked")
  static Snapshots published(ChunkContext context) {
    Object value = job(context).get(PUBLISHED);
    if (value == null) {
      throw new IllegalStateException("the run has not published yet; restart it from its publish step");
    }
    return Snapshots.of((Map<String, Long>) value);
  }

  private static ExecutionContext job(ChunkContext context) {
    return context.getStepContext().getStepExecution().getJobExecution().getExecutionContext();
  }
}
