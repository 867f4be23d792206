package org.agrifusion.pipelines.source;

import static org.apache.spark.sql.functions.col;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.TableId;
import org.agrifusion.pipelines.lake.Tables;
import org.agrifusion.pipelines.source.LandedFiles.LandedFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest stage of one business date: takes the inventory of the date's landed files (size,
 * modification time, SHA-256, rejected files with their reason; {@link LandedFiles}), then reads each
 * source's readable files -> the date's partition of raw.&lt;source&gt;. Rejected and empty files are
 * never read; a source with nothing to read has its partition cleared.
 */
public final class IngestPipeline {

  private static final Logger log = LoggerFactory.getLogger(IngestPipeline.class);

  /**
   * @param inventory the date's landed files, as recorded in the inventory table
   * @param rowsBySource raw rows of the date per source, read back from the raw table (0 when nothing was read)
   * @param filesBySource landed files per source, whatever their status
   * @param rejectedFiles one line per rejected file: its name, reason and detail
   * @param snapshots the last snapshot this stage committed to each table (qualified name -> id)
   */
  public record Result(List<LandedFile> inventory, Map<String, Long> rowsBySource, Map<String, Integer> filesBySource,
      List<String> rejectedFiles, Map<String, Long> snapshots) {
    public long rows() {
      return rowsBySource.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private IngestPipeline() {}

  public static Result run(SparkSession spark, Lake lake, List<SourceDescriptor> sources, LocalDate date, String runId,
      byte[] personalDataKey) {
    List<LandedFile> inventory = LandedFiles.take(spark, lake, sources, date);
    Map<String, Long> commits = new TreeMap<>();
    TableId landed = LandedFiles.table(lake);
    Tables.snapshot(spark, landed).ifPresent(s -> commits.put(landed.qualifiedName(), s));
    Map<String, Long> rowsBySource = new LinkedHashMap<>();
    Map<String, Integer> filesBySource = new LinkedHashMap<>();
    List<String> rejected = new ArrayList<>();
    for (LandedFile file : inventory) {
      filesBySource.merge(file.source(), 1, Integer::sum);
      if (LandedFiles.REJECTED.equals(file.status())) {
        String line = LandedFiles.name(lake, file.file()) + ": " + file.reason() + " (" + file.detail() + ")";
        rejected.add(line);
        log.warn("rejected landed file {}", line);
      }
    }
    for (SourceDescriptor source : sources) {
      List<String> files = inventory.stream()
          .filter(f -> f.source().equals(source.id()) && f.toRead()).map(LandedFile::file).toList();
      TableId table = lake.raw(source.id());
      if (files.isEmpty()) {
        long imported = importedRows(spark, table, date);
        if (imported > 0) {
          // a history import filed this date's rows without landing files; clearing them would lose the date's history
          log.info("source {}: no landing files for {}; keeping the {} rows a history import filed under it", source.id(), date,
              imported);
        } else {
          log.warn("source {}: no landing files to read for {} under {}", source.id(), date, lake.landing(source.id()));
          Tables.clear(spark, table, date.toString()).ifPresent(s -> commits.put(table.qualifiedName(), s));
        }
        rowsBySource.put(source.id(), imported);
        continue;
      }
      spark.sparkContext().setJobDescription("ingest " + source.id() + " " + date);
      commits.put(table.qualifiedName(), Tables.replace(RawIngest.read(spark, source, files, runId, date, personalDataKey), table, date));
      long rows = Tables.read(spark, table, date).map(Dataset::count).orElse(0L);
      log.info("source {}: {} rows from {} files -> {} {}", source.id(), rows, files.size(), table, date);
      rowsBySource.put(source.id(), rows);
    }
    return new Result(List.copyOf(inventory), Collections.unmodifiableMap(rowsBySource),
        Collections.unmodifiableMap(filesBySource), List.copyOf(rejected), Collections.unmodifiableMap(commits));
  }

  /** Rows of the date's raw partition that a history import wrote ({@link RawColumns#IMPORT_RUN_PREFIX}); 0 when none. */
  private static long importedRows(SparkSession spark, TableId table, LocalDate date) {
    return Tables.read(spark, table, date)
        .map(rows -> rows.where(col(RawColumns.RUN_ID).startsWith(RawColumns.IMPORT_RUN_PREFIX)).count()).orElse(0L);
  }
}
