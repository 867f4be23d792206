package org.agrifusion.pipelines.lake;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Objects;
import org.agrifusion.pipelines.source.RecordKind;

/**
 * The data lake under one root Hadoop URI (file:, hdfs:, s3a:): files as parties deliver them,
 * Iceberg tables in a catalog, and what the job hands out.
 *
 * <pre>
 *   landing/&lt;source-id&gt;/&lt;yyyy-MM-dd&gt;/...     files as parties deliver them
 *   warehouse/                                  Iceberg tables (data files are zstd Parquet), by namespace:
 *     raw.&lt;source&gt;, raw._landed_files        the landed snapshot, one table per feed, and its file inventory
 *     staging.&lt;dataset&gt;                       standardised (accepted) rows of every feed of a kind
 *     quarantine.&lt;dataset&gt;                    rejected rows with reasons
 *     superseded.&lt;dataset&gt;                    versions of a record that lost to another version
 *     curated.&lt;table&gt;, marts.&lt;mart&gt;           the published tables ({@link LakeTable})
 *   extracts/&lt;destination&gt;/&lt;extract-id&gt;/&lt;period&gt;/  files for departments (conf/extracts)
 *   reports/&lt;yyyy-MM-dd&gt;/                    run reports
 *   dead_letter/&lt;family&gt;/                     documents Elasticsearch rejected
 * </pre>
 *
 * Every table is partitioned by {@value #PARTITION_COLUMN} except the monthly marts ({@value #MONTH_COLUMN}).
 */
public final class Lake implements Serializable {

  public static final String PARTITION_COLUMN = "business_date";
  public static final String MONTH_COLUMN = "business_month";
  public static final String RAW = "raw";
  public static final String STAGING = "staging";
  public static final String QUARANTINE = "quarantine";
  public static final String SUPERSEDED = "superseded";
  public static final String CURATED = "curated";
  public static final String MARTS = "marts";

  private final String root;
  private final LakeCatalog catalog;

  /**
   * @param root a Hadoop URI; a plain or relative local path ({@code ./data}, {@code file:data}) is
   *     made absolute against the working directory, because Hadoop rejects relative file URIs
   * @param catalog where the tables are; its warehouse is usually {@code <root>/warehouse}
   */
  public Lake(String root, LakeCatalog catalog) {
    Objects.requireNonNull(root, "lake root");
    String absolute = absolute(root);
    this.root = absolute.endsWith("/") ? absolute.substring(0, absolute.length() - 1) : absolute;
    this.catalog = Objects.requireNonNull(catalog, "lake catalog");
  }

  /**
   * A lake with a Hadoop catalog in {@code <root>/warehouse}, named after the root so that lakes in
   * one JVM (tests) never share a Spark catalog.
   */
  public Lake(String root) {
    this(root, LakeCatalog.hadoop("lake_" + Integer.toHexString(absolute(root).hashCode()).replace('-', '_'),
        absolute(root) + "/warehouse"));
  }

  static String absolute(String root) {
    boolean hasScheme = root.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");
    if (hasScheme && !root.startsWith("file:")) {
      return root;
    }
    String path = root.startsWith("file:") ? root.substring("file:".length()) : root;
    if (path.startsWith("/")) {
      return "file:" + path.replaceFirst("^/+", "/");
    }
    // Not toUri(): Hadoop takes paths literally, and percent-encoding would break Chinese folder names.
    return "file:" + Path.of(path).toAbsolutePath().normalize();
  }

  /** The catalog's warehouse: the configured one, or {@code <root>/warehouse} when none is configured. */
  public String warehouse(String configured) {
    return configured == null || configured.isBlank() ? root() + "/warehouse" : configured;
  }

  public String root() {
    return root;
  }

  public LakeCatalog catalog() {
    return catalog;
  }

  /** Registers the lake's catalog in the session (idempotent); done before any table is touched. */
  public Lake register(org.apache.spark.sql.SparkSession spark) {
    catalog.register(spark);
    return this;
  }

  public String landing(String sourceId) {
    return root + "/landing/" + sourceId;
  }

  public TableId table(LakeTable table) {
    return table.in(catalog.name());
  }

  /** The landed rows of one feed ({@code raw.courier_waybills} for the feed {@code courier-waybills}). */
  public TableId raw(String sourceId) {
    return internal(RAW, sourceId);
  }

  public TableId staging(RecordKind kind) {
    return internal(STAGING, kind.dataset());
  }

  public TableId quarantine(RecordKind kind) {
    return internal(QUARANTINE, kind.dataset());
  }

  public TableId superseded(RecordKind kind) {
    return internal(SUPERSEDED, kind.dataset());
  }

  private TableId internal(String namespace, String name) {
    return new TableId(catalog.name(), namespace, name.replace('-', '_'), PARTITION_COLUMN);
  }

  /** Documents Elasticsearch rejected in one load of a family. */
  public String deadLetter(String family, String load) {
    return root + "/dead_letter/" + family + "/" + load;
  }

  /**
   * The folder of one extract inside a department's destination: a destination given as a Hadoop
   * URI or absolute path is taken as it is, any other is relative to {@code <root>/extracts/}.
   */
  public String extract(String destination, String extractId) {
    boolean absolute = destination.startsWith("/") || destination.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");
    String folder = absolute ? absolute(destination) : root + "/extracts/" + destination;
    return (folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder) + "/" + extractId;
  }

  public String reports(LocalDate date) {
    return root + "/reports/" + date;
  }

  @Override
  public String toString() {
    return root;
  }
}
