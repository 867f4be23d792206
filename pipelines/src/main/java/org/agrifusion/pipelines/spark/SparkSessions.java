package org.agrifusion.pipelines.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/** Builds the one SparkSession a process uses, with the settings every agri-fusion run relies on. */
public final class SparkSessions {

  private SparkSessions() {}

  /**
   * Creates (or returns the active) session.
   *
   * @param master {@code local[*]}, {@code spark://...}, {@code yarn}; null leaves it to spark-submit
   * @param overrides any further {@code spark.*} settings from configuration; they win over defaults
   */
  public static SparkSession create(String appName, String master, Map<String, String> overrides) {
    Map<String, String> conf = new LinkedHashMap<>(defaults(master));
    conf.putAll(overrides);
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    if (master != null && !master.isBlank()) {
      builder.master(master);
    }
    conf.forEach(builder::config);
    return builder.getOrCreate();
  }

  /**
   * The Hadoop configuration a session made from {@code overrides} would have: their
   * {@code spark.hadoop.*} settings without the prefix (as Spark copies them), for file system
   * calls made before or without a session, so an s3a endpoint or key set once reaches them too.
   */
  public static Configuration hadoopConfiguration(Map<String, String> overrides) {
    Configuration conf = new Configuration();
    overrides.forEach((key, value) -> {
      if (key.startsWith("spark.hadoop.")) {
        conf.set(key.substring("spark.hadoop.".length()), value);
      }
    });
    return conf;
  }

  static Map<String, String> defaults(String master) {
    Map<String, String> conf = new LinkedHashMap<>();
    // Re-running a date replaces that date's partitions only.
    conf.put("spark.sql.sources.partitionOverwriteMode", "dynamic");
    // Business dates and timestamps are Asia/Shanghai, whatever the machine's zone is.
    conf.put("spark.sql.session.timeZone", "Asia/Shanghai");
    conf.put("spark.sql.parquet.compression.codec", "zstd");
    // Long steps report rows, rate and ETA in the log (ProgressListener.INTERVAL).
    conf.put("spark.extraListeners", ProgressListener.class.getName());
    if (master != null && master.startsWith("local")) {
      // Embedded runs: loopback only, no UI port, and few shuffle partitions for 2-core machines.
      conf.put("spark.driver.bindAddress", "127.0.0.1");
      conf.put("spark.driver.host", "127.0.0.1");
      conf.put("spark.ui.enabled", "false");
      conf.put("spark.sql.shuffle.partitions", "8");
      // One machine: shuffle files stay on local disk and cached tables in its memory, so compressing
      // them only costs CPU (profiled: about a sixth of a province-day's CPU time went to it).
      conf.put("spark.shuffle.compress", "false");
      conf.put("spark.shuffle.spill.compress", "false");
      conf.put("spark.sql.inMemoryColumnarStorage.compressed", "false");
    }
    return conf;
  }
}
