package org.agrifusion.pipelines.lake;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Objects;

/**
 * Where each layer of the data lake lives under one root Hadoop URI (file:, hdfs:, s3a:).
 *
 * <pre>
 *   landing/&lt;source-id&gt;/&lt;yyyy-MM-dd&gt;/...     files as parties deliver them
 *   raw/&lt;source-id&gt;/business_date=D/         typed as landed, one table per source
 *   staging/&lt;dataset&gt;/business_date=D/        standardised (accepted) rows of every feed
 *   staging/fused/&lt;table&gt;/...                  de-duplicated and derived facts and marts, waiting to be published
 *   curated/&lt;dataset&gt;/business_date=D/        published fused facts (committed atomically, with a manifest)
 *   marts/&lt;mart&gt;/business_date=D/             published aggregates (upbound_monthly by business_month)
 *   quarantine/&lt;dataset&gt;/business_date=D/     rejected rows with reasons
 *   superseded/&lt;dataset&gt;/business_date=D/     versions of a record that lost to another version
 *   extracts/&lt;destination&gt;/&lt;extract-id&gt;/&lt;period&gt;/  files for departments (conf/extracts)
 *   reports/&lt;yyyy-MM-dd&gt;/                    run reports
 * </pre>
 */
public final class Lake implements Serializable {

  public static final String PARTITION_COLUMN = "business_date";

  private final String root;

  /**
   * @param root a Hadoop URI; a plain or relative local path ({@code ./data}, {@code file:data}) is
   *     made absolute against the working directory, because Hadoop rejects relative file URIs
   */
  public Lake(String root) {
    Objects.requireNonNull(root, "lake root");
    String absolute = absolute(root);
    this.root = absolute.endsWith("/") ? absolute.substring(0, absolute.length() - 1) : absolute;
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

  public String root() {
    return root;
  }

  public String landing(String sourceId) {
    return root + "/landing/" + sourceId;
  }

  public String raw(String sourceId) {
    return root + "/raw/" + sourceId;
  }

  public String staging(String dataset) {
    return root + "/staging/" + dataset;
  }

  public String curated(String dataset) {
    return root + "/curated/" + dataset;
  }

  /** Fused facts and marts of a run, before publishing. */
  public String fusedStaging(String table) {
    return root + "/staging/fused/" + table;
  }

  public String mart(String mart) {
    return root + "/marts/" + mart;
  }

  public String superseded(String dataset) {
    return root + "/superseded/" + dataset;
  }

  public String quarantine(String dataset) {
    return root + "/quarantine/" + dataset;
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

  /** The folder of one business date inside a table partitioned by {@link #PARTITION_COLUMN}. */
  public static String partition(String table, LocalDate date) {
    return table + "/" + PARTITION_COLUMN + "=" + date;
  }

  @Override
  public String toString() {
    return root;
  }
}
