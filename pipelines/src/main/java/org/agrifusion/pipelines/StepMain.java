package org.agrifusion.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.agrifusion.pipelines.fuse.FusePipeline;
import org.agrifusion.pipelines.fuse.Parcels;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.LakeCatalog;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.source.IngestPipeline;
import org.agrifusion.pipelines.source.PersonalDataKey;
import org.agrifusion.pipelines.source.SourceDescriptors;
import org.agrifusion.pipelines.spark.SparkSessions;
import org.agrifusion.pipelines.standardise.StandardisePipeline;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Spark step of the nightly job for one date, for sites whose own orchestrator runs spark-submit.
 * Reads the {@code agri:} section of conf/application.yml, the same settings the agri command uses.
 */
public final class StepMain {

  static final String USAGE = """
      usage: spark-submit --class org.agrifusion.pipelines.StepMain [--master ...] [--jars <JDBC driver of the catalog>] \\
                 agri-fusion-pipelines-<version>-spark.jar <ingest|standardise|fuse> --date yyyy-MM-dd \\
                 [--config conf/application.yml] [--agri.<key>=<value> ...]
      Runs one Spark step of the nightly job (daily-fusion) for one business date and prints its figures as one
      JSON line. Settings: the agri: section of --config (default $AGRI_CONF_DIR/application.yml, else
      conf/application.yml), with ${NAME:default} taken from the environment; --agri.<key>=<value> overrides one,
      e.g. --agri.data-root=hdfs://nn:8020/agri. Used: agri.data-root, agri.conf-dir (descriptors and reference data),
      agri.lake.catalog.* (a jdbc catalog needs .uri: agri's default, the job repository's database, is not known
      here), agri.privacy.* (ingest) and agri.fusion.* (fuse).
      The run is NOT recorded in the job repository: agri status, restart and the publish, index, extract and report
      steps know nothing of it. Exit codes: 0 done, 1 the step failed or its rows do not add up, 2 bad arguments.""";

  static final List<String> STEPS = List.of("ingest", "standardise", "fuse");
  private static final Logger log = LoggerFactory.getLogger(StepMain.class);
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.]+)(?::([^${}]*))?}");

  /** What the command line asks for: the step, the date and every {@code agri.*} setting, resolved. */
  record Invocation(String step, LocalDate date, Map<String, String> settings) {

    String get(String key) {
      String value = settings.get(key);
      if (value == null) {
        throw new IllegalArgumentException(key + " is not set (neither in the config file nor as --" + key + "=...)");
      }
      return value;
    }

    /** The entries under {@code prefix.}, keyed by the rest of their name. */
    Map<String, String> under(String prefix) {
      Map<String, String> entries = new TreeMap<>();
      settings.forEach((k, v) -> {
        if (k.startsWith(prefix + ".")) {
          entries.put(k.substring(prefix.length() + 1), v);
        }
      });
      return entries;
    }
  }

  private StepMain() {}

  public static void main(String[] args) {
    if (args.length == 0 || List.of("--help", "-h").contains(args[0])) {
      System.out.println(USAGE);
      System.exit(args.length == 0 ? 2 : 0);
    }
    Invocation invocation;
    try {
      invocation = parse(args, System.getenv());
    } catch (IllegalArgumentException | UncheckedIOException e) {
      System.err.println("agri-step: " + e.getMessage());
      System.exit(2);
      return;
    }
    int status;
    try {
      System.out.println(new ObjectMapper().writeValueAsString(run(invocation)));
      status = 0;
    } catch (Exception e) {
      log.error("{} {} failed", invocation.step(), invocation.date(), e);
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      System.err.println("agri-step: " + invocation.step() + " " + invocation.date() + " failed: " + root.getMessage());
      status = 1;
    }
    System.exit(status);
  }

  /**
   * @param env the environment the config file's placeholders are resolved from
   * @throws IllegalArgumentException naming the argument or setting that is wrong
   */
  static Invocation parse(String[] args, Map<String, String> env) {
    if (args.length == 0 || !STEPS.contains(args[0])) {
      throw new IllegalArgumentException("the first argument is the step, one of " + STEPS + (args.length == 0 ? "" : "; got '" + args[0] + "'"));
    }
    String date = null;
    String configFile = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
      if (value == null && (name.equals("--date") || name.equals("--config"))) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        value = args[++i];
      }
      switch (name) {
        case "--date" -> date = value;
        case "--config" -> configFile = value;
        default -> {
          if (!name.startsWith("--agri.") || value == null) {
            throw new IllegalArgumentException("unknown argument '" + arg + "' (expected --date, --config or --agri.<key>=<value>)");
          }
          overrides.put(name.substring(2), value);
        }
      }
    }
    if (date == null) {
      throw new IllegalArgumentException("--date yyyy-MM-dd is required");
    }
    LocalDate businessDate;
    try {
      businessDate = LocalDate.parse(date);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--date '" + date + "' is not a date (yyyy-MM-dd)");
    }
    Path config = Path.of(configFile != null ? configFile : env.getOrDefault("AGRI_CONF_DIR", "conf") + "/application.yml");
    if (!Files.isRegularFile(config)) {
      throw new IllegalArgumentException("no config file " + config + " (give --config)");
    }
    Map<String, String> settings = new TreeMap<>();
    try {
      flatten("agri", new YAMLMapper().readTree(config.toFile()).path("agri"), settings);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + config + ": " + e.getMessage());
    }
    settings.replaceAll((k, v) -> resolve(v, env));
    settings.putAll(overrides);
    return new Invocation(args[0], businessDate, settings);
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> flatten(prefix + "." + e.getKey(), e.getValue(), into));
    } else if (!node.isMissingNode() && !node.isNull()) {
      into.put(prefix, node.asText());
    }
  }

  /** {@code ${NAME:default}} as Spring resolves it: the environment variable, else the default (innermost first). */
  static String resolve(String value, Map<String, String> env) {
    String current = value;
    while (true) {
      Matcher m = PLACEHOLDER.matcher(current);
      if (!m.find()) {
        return current;
      }
      String replacement = env.get(m.group(1));
      if (replacement == null) {
        if (m.group(2) == null) {
          throw new IllegalArgumentException("${" + m.group(1) + "} in the config file: the environment variable is not set");
        }
        replacement = m.group(2);
      }
      current = current.substring(0, m.start()) + replacement + current.substring(m.end());
    }
  }

  /** Runs the step; its figures, or an exception whose root cause says why it failed. */
  static Map<String, Object> run(Invocation in) {
    String dataRoot = in.get("agri.data-root");
    Path confDir = Path.of(in.get("agri.conf-dir"));
    Map<String, String> catalog = in.under("agri.lake.catalog");
    String type = catalog.getOrDefault("type", "jdbc");
    if ("jdbc".equals(type) && catalog.getOrDefault("uri", "").isBlank()) {
      throw new IllegalArgumentException("agri.lake.catalog.uri (AGRI_LAKE_CATALOG_URL) is empty: give the JDBC URL of the "
          + "catalog database, by default agri's job repository (e.g. jdbc:postgresql://host/agri)");
    }
    Lake root = new Lake(dataRoot);
    Lake lake = new Lake(dataRoot, new LakeCatalog(in.get("agri.lake.catalog.name"), type, catalog.get("uri"),
        catalog.get("username"), catalog.get("password"), root.warehouse(catalog.get("warehouse"))));
    // spark-submit passes --master as the system property spark.master
    SparkSession spark = SparkSessions.create("agri-fusion " + in.step() + " " + in.date(),
        new SparkConf().get("spark.master", null), in.under("agri.spark.conf"));
    try {
      lake.register(spark);
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("step", in.step());
      figures.put("date", in.date().toString());
      switch (in.step()) {
        case "ingest" -> {
          byte[] key = new PersonalDataKey(in.settings().get("agri.privacy.hash-key"), in.settings().get("agri.privacy.hash-key-file"),
              lake.root()).get();
          IngestPipeline.Result r = IngestPipeline.run(spark, lake, SourceDescriptors.loadAll(confDir.resolve("sources")),
              in.date(), "submit-" + UUID.randomUUID(), key);
          figures.put("rows", r.rows());
          figures.put("rowsBySource", r.rowsBySource());
          figures.put("filesBySource", r.filesBySource());
          figures.put("rejectedFiles", r.rejectedFiles());
        }
        case "standardise" -> {
          StandardisePipeline.Result r = StandardisePipeline.run(spark, lake, SourceDescriptors.loadAll(confDir.resolve("sources")),
              ReferenceData.load(confDir.resolve("reference")), in.date());
          figures.put("read", r.read());
          figures.put("accepted", r.accepted());
          figures.put("quarantined", r.quarantined());
          figures.put("topReasons", r.topReasons());
          if (!r.unbalanced().isEmpty()) {
            throw new IllegalStateException("rows read != accepted + quarantined for " + r.unbalanced());
          }
        }
        case "fuse" -> {
          Map<String, Integer> priority = new LinkedHashMap<>();
          in.under("agri.fusion.source-priority").forEach((source, p) -> priority.put(source, Integer.valueOf(p)));
          FusePipeline.Settings settings = new FusePipeline.Settings(priority,
              new Parcels.Targets(Double.parseDouble(in.get("agri.fusion.half-day-hours")),
                  Double.parseDouble(in.get("agri.fusion.next-day-hours")), Integer.parseInt(in.get("agri.fusion.lookback-days"))),
              Integer.parseInt(in.get("agri.fusion.late-horizon-days")));
          FusePipeline.Result r = FusePipeline.run(spark, lake, ReferenceData.load(confDir.resolve("reference")).regions(),
              in.date(), settings);
          figures.put("accepted", r.accepted());
          figures.put("fused", r.fused());
          figures.put("derivedRows", r.derivedRows());
          figures.put("touchedDates", r.touchedDates().stream().map(LocalDate::toString).toList());
        }
        default -> throw new IllegalArgumentException(in.step());
      }
      return figures;
    } finally {
      spark.stop();
    }
  }
}
