package org.agrifusion.jobs.job.dailyfusion;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Supplier;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.TableId;
import org.agrifusion.pipelines.lake.Tables;
import org.agrifusion.pipelines.source.LandedFiles;
import org.agrifusion.pipelines.source.LandedFiles.LandedFile;
import org.agrifusion.pipelines.source.RawIngest;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Step ingest: takes the inventory of the date's landed files (size, modification time, SHA-256,
 * rejected files with their reason; {@link LandedFiles}), then reads each source's readable files
 * -> the date's partition of raw.&lt;source&gt;. Rejected and empty files are never read.
 */
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
    SparkSession session = spark.getObject();
    List<LandedFile> inventory = LandedFiles.take(session, lake, sources, date);
    java.util.Map<String, Long> commits = new java.util.TreeMap<>();
    Tables.snapshot(session, LandedFiles.table(lake)).ifPresent(s -> commits.put(LandedFiles.table(lake).qualifiedName(), s));
    LinkedHashMap<String, Long> rowsBySource = new LinkedHashMap<>();
    LinkedHashMap<String, Integer> filesBySource = new LinkedHashMap<>();
    ArrayList<String> rejected = new ArrayList<>();
    for (LandedFile file : inventory) {
      filesBySource.merge(file.source(), 1, Integer::sum);
      if (LandedFiles.REJECTED.equals(file.status())) {
        String line = LandedFiles.name(lake, file.file()) + ": " + file.reason() + " (" + file.detail() + ")";
        rejected.add(line);
        log.warn("rejected landed file {}", line);
      }
    }
    long total = 0;
    for (SourceDescriptor source : sources) {
      List<String> files = inventory.stream()
          .filter(f -> f.source().equals(source.id()) && f.toRead()).map(LandedFile::file).toList();
      TableId table = lake.raw(source.id());
      if (files.isEmpty()) {
        log.warn("source {}: no landing files to read for {} under {}", source.id(), date, lake.landing(source.id()));
        Tables.clear(session, table, date.toString()).ifPresent(s -> commits.put(table.qualifiedName(), s));
        rowsBySource.put(source.id(), 0L);
        continue;
      }
      session.sparkContext().setJobDescription("ingest " + source.id() + " " + date);
      commits.put(table.qualifiedName(), Tables.replace(RawIngest.read(session, source, files, runId, date, personalDataKey.get()), table, date));
      long rows = Tables.read(session, table, date).map(Dataset::count).orElse(0L);
      log.info("source {}: {} rows from {} files -> {} {}", source.id(), rows, files.size(), table, date);
      rowsBySource.put(source.id(), rows);
      total += rows;
    }
    StepFigures.record(contribution, total, total, 0);
    StepFigures.detail(context, "filesBySource", filesBySource);
    StepFigures.detail(context, "rowsBySource", rowsBySource);
    StepFigures.detail(context, "rejectedFiles", rejected);
    StepFigures.detail(context, "inventory", LandedFiles.table(lake).qualifiedName());
    LakeCommits.add(context, commits);
    return RepeatStatus.FINISHED;
  }
}
