package org.agrifusion.pipelines.standardise;

import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.TableId;
import org.agrifusion.pipelines.lake.Tables;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.source.RawColumns;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.spark.Kept;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The standardise stage of one business date: for every record kind, raw rows of its sources ->
 * staging.&lt;dataset&gt; (accepted, canonical) and quarantine.&lt;dataset&gt; (rejected, with
 * reasons). Prices are also judged against their variety's recent median ({@link PriceOutliers}).
 * Then counts, per landed file, rows read, accepted and quarantined, read back from what was written;
 * a file where read != accepted + quarantined is listed in {@link Result#unbalanced()} (the caller fails on it).
 */
public final class StandardisePipeline {

  private static final String[] FILE_KEY = {RawColumns.SOURCE_ID, RawColumns.SOURCE_FILE};
  static final int TOP_REASONS = 20;

  /** Rows of one landed file on each side. */
  public record FileRows(String source, String file, long read, long accepted, long quarantined) {
    public boolean balanced() {
      return read == accepted + quarantined;
    }
  }

  /**
   * @param files per landed file, ordered by source and file
   * @param topReasons per record kind, its {@value #TOP_REASONS} most frequent quarantine reasons, "source:REASON" ->
   *     rows, most frequent first
   * @param unbalanced one line per file whose rows read != accepted + quarantined
   * @param snapshots the last snapshot this stage committed to each table (qualified name -> id)
   */
  public record Result(long read, long accepted, long quarantined, List<FileRows> files, Map<String, Long> topReasons,
      List<String> unbalanced, Map<String, Long> snapshots) {}

  private final SparkSession spark;
  private final Lake lake;
  private final List<SourceDescriptor> sources;
  private final ReferenceData reference;
  private final List<FileRows> files = new ArrayList<>();
  private final Map<String, Long> topReasons = new LinkedHashMap<>();
  private final Map<String, Long> snapshots = new TreeMap<>();

  private StandardisePipeline(SparkSession spark, Lake lake, List<SourceDescriptor> sources, ReferenceData reference) {
    this.spark = spark;
    this.lake = lake;
    this.sources = sources;
    this.reference = reference;
  }

  public static Result run(SparkSession spark, Lake lake, List<SourceDescriptor> sources, ReferenceData reference, LocalDate date) {
    return new StandardisePipeline(spark, lake, sources, reference).run(date);
  }

  private Result run(LocalDate date) {
    for (RecordKind kind : RecordKind.values()) {
      spark.sparkContext().setJobDescription("standardise " + kind.dataset() + " " + date);
      standardise(kind, date);
    }
    long read = files.stream().mapToLong(FileRows::read).sum();
    long accepted = files.stream().mapToLong(FileRows::accepted).sum();
    long quarantined = files.stream().mapToLong(FileRows::quarantined).sum();
    List<String> unbalanced = files.stream().filter(f -> !f.balanced())
        .map(f -> f.file() + " (read " + f.read() + ", accepted " + f.accepted() + ", quarantined " + f.quarantined() + ")")
        .toList();
    return new Result(read, accepted, quarantined, List.copyOf(files), Collections.unmodifiableMap(topReasons), unbalanced,
        Collections.unmodifiableMap(snapshots));
  }

  private void standardise(RecordKind kind, LocalDate date) {
    RecordStandard standard = RecordStandard.of(kind, reference);
    List<Dataset<Row>> standardised = new ArrayList<>();
    List<Dataset<Row>> accepted = new ArrayList<>();
    List<Dataset<Row>> quarantined = new ArrayList<>();
    List<Dataset<Row>> raw = new ArrayList<>();
    // one small table of medians for all price feeds
    Optional<Dataset<Row>> medians = kind == RecordKind.PRICE
        ? PriceOutliers.medians(spark, lake, date, reference.prices()).map(Dataset::cache) : Optional.empty();
    for (SourceDescriptor source : sources) {
      if (source.kind() != kind) {
        continue;
      }
      Optional<Dataset<Row>> rows = Tables.read(spark, lake.raw(source.id()), date);
      if (rows.isEmpty()) {
        continue;
      }
      Dataset<Row> std = Standardiser.standardise(rows.get(), source, standard, date);
      if (medians.isPresent()) {
        std = PriceOutliers.mark(std, medians.get(), reference.prices());
      }
      std = Kept.keep(std);
      standardised.add(std);
      accepted.add(Standardiser.accepted(std, standard));
      quarantined.add(Quarantine.rows(std, source));
      raw.add(rows.get().select(col(RawColumns.SOURCE_ID), col(RawColumns.SOURCE_FILE)));
    }
    TableId staging = lake.staging(kind);
    TableId quarantine = lake.quarantine(kind);
    try {
      if (standardised.isEmpty()) {
        Tables.clear(spark, staging, date.toString()).ifPresent(s -> snapshots.put(staging.qualifiedName(), s));
        Tables.clear(spark, quarantine, date.toString()).ifPresent(s -> snapshots.put(quarantine.qualifiedName(), s));
        return;
      }
      snapshots.put(staging.qualifiedName(), Tables.replace(union(accepted), staging, date));
      snapshots.put(quarantine.qualifiedName(), Tables.replace(union(quarantined), quarantine, date));
    } finally {
      standardised.forEach(Kept::release);
      medians.ifPresent(Dataset::unpersist);
    }
    account(union(raw), staging, quarantine, date);
    topReasons(quarantine, date);
  }

  private static Dataset<Row> union(List<Dataset<Row>> parts) {
    return parts.stream().reduce(Dataset::unionByName).orElseThrow();
  }

  /** Per-file counts of the three sides, read back from what was written (one row per file is collected). */
  private void account(Dataset<Row> raw, TableId staging, TableId quarantine, LocalDate date) {
    Dataset<Row> read = perFile(raw, "read");
    Dataset<Row> ok = Tables.read(spark, staging, date).map(d -> perFile(d, "accepted"))
        .orElse(read.limit(0).withColumnRenamed("read", "accepted"));
    Dataset<Row> bad = Tables.read(spark, quarantine, date).map(d -> perFile(d, "quarantined"))
        .orElse(read.limit(0).withColumnRenamed("read", "quarantined"));
    read.join(ok, FILE_KEY, "full_outer").join(bad, FILE_KEY, "full_outer")
        .select(col(RawColumns.SOURCE_ID), col(RawColumns.SOURCE_FILE),
            coalesce(col("read"), lit(0L)).as("read"),
            coalesce(col("accepted"), lit(0L)).as("accepted"),
            coalesce(col("quarantined"), lit(0L)).as("quarantined"))
        .orderBy(RawColumns.SOURCE_ID, RawColumns.SOURCE_FILE)
        .collectAsList()
        .forEach(r -> files.add(new FileRows(r.getString(0), r.getString(1), r.getLong(2), r.getLong(3), r.getLong(4))));
  }

  private static Dataset<Row> perFile(Dataset<Row> rows, String name) {
    return rows.groupBy(RawColumns.SOURCE_ID, RawColumns.SOURCE_FILE).agg(count(lit(1)).as(name));
  }

  private void topReasons(TableId quarantine, LocalDate date) {
    Tables.read(spark, quarantine, date).ifPresent(q -> q
        .select(col(RawColumns.SOURCE_ID), explode(array_distinct(col(Standardiser.REASONS))).as("reason"))
        .groupBy(RawColumns.SOURCE_ID, "reason").count()
        .orderBy(col("count").desc(), col(RawColumns.SOURCE_ID), col("reason"))
        .limit(TOP_REASONS)
        .collectAsList()
        .forEach(r -> topReasons.put(r.getString(0) + ":" + r.getString(1), r.getLong(2))));
  }
}
