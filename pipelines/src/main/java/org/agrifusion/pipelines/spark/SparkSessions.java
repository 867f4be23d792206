package org.agrifusion.pipelines.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
    Map<String, String> conf = new LinkedHashMap<>(defaults(master, System.getenv()));
    conf.putAll(overrides);
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    if (master != null && !master.isBlank()) {
      builder.master(master);
    }
    conf.forEach(builder::config);
    return builder.getOrCreate();
  }

  /** Whether executors run in JVMs of their own (spark://, yarn, k8s://), which load our classes from a jar. */
  public static boolean isCluster(String master) {
    return master != null && !master.isBlank() && !master.startsWith("local");
  }

  /**
   * The {@code spark.jars} of a client-mode driver: the shaded pipelines jar (classifier {@code spark},
   * without Spark) that executors load our classes from. The driver's own classpath cannot serve:
   * the agri fat jar's nested jars are unreadable to executors.
   *
   * @param configured comma-separated paths or URLs ({@code agri.spark.jars}); blank: the newest
   *     {@code pipelines/target/agri-fusion-pipelines-*-spark.jar} under {@code projectDir}
   * @throws IllegalStateException naming what to build or set when there is no such jar
   */
  public static String executorJars(String configured, Path projectDir) {
    if (configured != null && !configured.isBlank()) {
      for (String jar : configured.split(",")) {
        String path = jar.strip();
        if (!path.contains(":") && !Files.isRegularFile(Path.of(path))) {
          throw new IllegalStateException("agri.spark.jars (AGRI_SPARK_JARS): " + path + " does not exist");
        }
      }
      return configured.strip();
    }
    Path target = projectDir.resolve("pipelines/target");
    List<Path> jars;
    try (Stream<Path> files = Files.isDirectory(target) ? Files.list(target) : Stream.empty()) {
      jars = files.filter(f -> f.getFileName().toString().matches("agri-fusion-pipelines-.*-spark\\.jar"))
          .sorted(Comparator.comparing(SparkSessions::modified).reversed()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (jars.isEmpty()) {
      throw new IllegalStateException("a cluster master needs the executors' jar: no agri-fusion-pipelines-*-spark.jar in "
          + target + "; build it (mvn package -pl pipelines -DskipTests) or set AGRI_SPARK_JARS");
    }
    return jars.get(0).toAbsolutePath().toString();
  }

  private static long modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

  static Map<String, String> defaults(String master, Map<String, String> env) {
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
    } else if (isCluster(master) && env.get("SPARK_LOCAL_IP") != null && !env.get("SPARK_LOCAL_IP").isBlank()) {
      // Executors call the driver back at spark.driver.host, by default this machine's name for the
      // address (127.0.0.1 becomes "localhost", which may resolve to ::1): give them the address itself.
      conf.put("spark.driver.bindAddress", env.get("SPARK_LOCAL_IP"));
      conf.put("spark.driver.host", env.get("SPARK_LOCAL_IP"));
    }
    return conf;
  }
}
