package org.agrifusion.jobs.config;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.scheduling.support.CronExpression;

/**
 * Everything an operator sets for agri-fusion ({@code agri.*} in conf/application.yml).
 *
 * @param dataRoot Hadoop URI of the lake root (file:, hdfs:, s3a:)
 * @param confDir folder with sources/, reference/ and es/
 */
@ConfigurationProperties("agri")
public record AgriProperties(
    @DefaultValue("file:./data") String dataRoot,
    @DefaultValue("conf") Path confDir,
    @DefaultValue Spark spark,
    @DefaultValue Elasticsearch elasticsearch,
    @DefaultValue Lake lake,
    @DefaultValue Privacy privacy,
    @DefaultValue Fusion fusion,
    @DefaultValue Schedule schedule,
    @DefaultValue Preflight preflight,
    @DefaultValue Portal portal) {

  /**
   * @param master local[*] by default; empty to leave the master to spark-submit
   * @param jars the executors' jar(s) when the master is a cluster; blank: the project's shaded
   *     pipelines/target/agri-fusion-pipelines-*-spark.jar
   */
  public record Spark(@DefaultValue("local[*]") String master, Map<String, String> conf, String jars) {
    public Spark {
      conf = conf == null ? Map.of() : Map.copyOf(conf);
    }
  }

  /** Secrets are bound from AGRI_ES_* environment variables in conf/application.yml, never committed. */
  public record Elasticsearch(
      @DefaultValue("http://127.0.0.1:9200") List<String> urls,
      String username,
      String password,
      String apiKey,
      String caFile,
      String caFingerprint,
      @DefaultValue("agri-") String indexPrefix,
      @DefaultValue("1000") int bulkMaxOperations,
      @DefaultValue("5242880") long bulkMaxBytes,
      @DefaultValue("1") int bulkMaxConcurrentRequests,
      @DefaultValue("6") int bulkMaxRetries,
      @DefaultValue("2") int keepGenerations,
      // null (unset): the conf/es definition's number_of_shards / number_of_replicas
      Integer shards,
      Integer replicas) {}

  /** The lake's Iceberg catalog and how long its history is kept. */
  public record Lake(@DefaultValue Catalog catalog, @DefaultValue Maintenance maintenance) {}

  /**
   * @param type {@code jdbc} (the catalog in a database: atomic on any storage) or {@code hadoop}
   *     (in the warehouse folder: local disk and HDFS only)
   * @param uri the catalog database; by default the job repository's
   * @param warehouse where table folders go; empty: {@code <data-root>/warehouse}
   */
  public record Catalog(@DefaultValue("agri") String name, @DefaultValue("jdbc") String type, String uri, String username,
      String password, String warehouse) {}

  /**
   * @param expireAfterDays snapshots older than this are expired, except those below
   * @param keepRuns the snapshots the last this many publications name are kept
   * @param orphanAfterDays files no snapshot references are removed once this old (younger ones may
   *     belong to a commit in progress)
   * @param targetFileMb compaction rewrites a partition's small files into files of about this size
   * @param nightly whether the nightly job ends with maintenance
   */
  public record Maintenance(@DefaultValue("7") int expireAfterDays, @DefaultValue("10") int keepRuns,
      @DefaultValue("3") int orphanAfterDays, @DefaultValue("256") int targetFileMb, @DefaultValue("false") boolean nightly) {}

  /**
   * The key of the HMAC that replaces personal data (phone numbers) at ingest; see {@link org.agrifusion.pipelines.source.PersonalDataKey}.
   *
   * @param hashKey the key itself (AGRI_PII_HASH_KEY), at least 32 bytes; when empty, the key file is used
   * @param hashKeyFile a local file holding the key (mode 600), generated on first use when missing;
   *     default {@code secrets/pii-hash.key} under a local data root, required for hdfs: and s3a: roots
   */
  public record Privacy(String hashKey, String hashKeyFile) {}

  /**
   * @param sourcePriority source id -> priority when two feeds disagree on a record (lower wins;
   *     unlisted feeds rank 100, then the latest file wins)
   * @param lookbackDays how many days before a waybill's pickup its order may have been placed
   * @param halfDayHours the city "half-day" delivery target
   * @param nextDayHours the province "next-day" delivery target
   * @param maxQuarantineShare the share of its rows a feed may quarantine in a night before the run
   *     raises an alarm, unless its descriptor sets {@code max_quarantine_share}
   */
  public record Fusion(Map<String, Integer> sourcePriority, @DefaultValue("3") int lookbackDays,
      @DefaultValue("12") double halfDayHours, @DefaultValue("24") double nextDayHours,
      @DefaultValue("7") int lateHorizonDays, @DefaultValue("0.5") double maxQuarantineShare) {
    public Fusion {
      sourcePriority = sourcePriority == null ? Map.of() : Map.copyOf(sourcePriority);
      if (!(maxQuarantineShare >= 0 && maxQuarantineShare <= 1)) {
        throw new IllegalArgumentException("agri.fusion.max-quarantine-share must be a share between 0 and 1, got "
            + maxQuarantineShare);
      }
    }

    /** What the fuse stage (nightly or history import) is told. */
    public org.agrifusion.pipelines.fuse.FusePipeline.Settings settings() {
      return new org.agrifusion.pipelines.fuse.FusePipeline.Settings(sourcePriority,
          new org.agrifusion.pipelines.fuse.Parcels.Targets(halfDayHours, nextDayHours, lookbackDays), lateHorizonDays);
    }
  }

  /**
   * @param cron when {@code agri schedule} runs the job (Spring cron: second minute hour day month weekday)
   * @param zone the time zone of the cron; the business date run is the day before the firing, in this zone
   * @param retryDays how many days before the date each firing looks back for failed or stopped runs to restart
   */
  public record Schedule(@DefaultValue("0 0 2 * * *") String cron, @DefaultValue("Asia/Shanghai") ZoneId zone,
      @DefaultValue("7") int retryDays) {
    public Schedule {
      if (!CronExpression.isValidExpression(cron)) {
        throw new IllegalArgumentException("agri.schedule.cron '" + cron
            + "' is not a cron expression (six fields: second minute hour day month weekday, e.g. '0 0 2 * * *')");
      }
    }
  }

  /**
   * @param diskFactor the day's output on a file: data root is estimated as the landed bytes times
   *     this; the job does not start with less free space
   */
  public record Preflight(@DefaultValue("3") double diskFactor) {}

  /**
   * {@code agri serve}: the web portal.
   *
   * @param address the interface it listens on (loopback by default: put a TLS proxy in front to open it)
   * @param csvRowLimit the most rows a CSV download of a search streams
   * @param users who may log in: name, a DelegatingPasswordEncoder hash ({@code {bcrypt}$2a$...}) and
   *     roles ({@code ANALYST}, {@code DEPT_<DESTINATION>})
   */
  public record Portal(@DefaultValue("8088") int port, @DefaultValue("127.0.0.1") String address,
      @DefaultValue("100000") int csvRowLimit, List<User> users) {
    public Portal {
      users = users == null ? List.of() : List.copyOf(users);
    }
  }

  public record User(String name, String passwordHash, List<String> roles) {
    public User {
      roles = roles == null ? List.of() : List.copyOf(roles);
    }
  }

  public Path sourcesDir() {
    return confDir.resolve("sources");
  }

  public Path referenceDir() {
    return confDir.resolve("reference");
  }

  public Path extractsDir() {
    return confDir.resolve("extracts");
  }

  public Path esDir() {
    return confDir.resolve("es");
  }
}
