package org.agrifusion.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.agrifusion.jobs.support.AgriProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * Separate agri processes on one embedded H2 job repository file (the default set-up): the
 * scheduler, which opened the file first and so serves it to the others (H2 AUTO_SERVER), is stopped
 * with SIGTERM while a manual run is going; the run completes and {@code status} works meanwhile.
 */
class SharedJobRepositoryProcessTests {

  static final String ES = System.getenv().getOrDefault("AGRI_ES_URL", "http://127.0.0.1:9200");
  static final String PREFIX = "it-" + UUID.randomUUID().toString().substring(0, 8) + "-";
  static final Path SAMPLE = Path.of("../samples/landing/xinfadi-daily-prices/2021-12-07/xinfadi_prices_2021-12-07.csv");
  static Path root;

  @AfterAll
  static void drop() throws Exception {
    AgriProcess.deleteIndices(ES, PREFIX);
    if (root != null) {
      FileSystemUtils.deleteRecursively(root);
    }
  }

  @Test
  void stoppingTheSchedulerThatServesTheRepositoryDoesNotBreakAManualRun() throws Exception {
    root = Files.createTempDirectory("agri-fusion-shared-repo");
    Path landing = Files.createDirectories(root.resolve("lake/landing/xinfadi-daily-prices/2021-12-07"));
    Files.copy(SAMPLE, landing.resolve("prices.csv"));
    Path repository = root.resolve("job-repository/agri-fusion");
    Map<String, String> env = Map.of("AGRI_DATA_ROOT", root.resolve("lake").toUri().toString(), "AGRI_JOB_REPOSITORY", repository.toString(),
        "AGRI_CONF_DIR", "../conf", "AGRI_ES_URL", ES, "AGRI_LOG_FILE", root.resolve("agri.log").toString(),
        "SPARK_LOCAL_IP", "127.0.0.1");
    String[] common = {"--agri.elasticsearch.index-prefix=" + PREFIX, "--agri.spark.master=local[1]"};

    // given the scheduler, idle until next year, holding the repository file
    AgriProcess scheduler = AgriProcess.start(root, env, "schedule", with(common, "schedule", "--agri.schedule.cron=0 0 2 1 1 *"));
    AgriProcess run = null;
    try {
      scheduler.awaitOutput("scheduler started", Duration.ofMinutes(2));
      // and a manual run in a Spark step
      run = AgriProcess.start(root, env, "run", with(common, "run", "--date", "2021-12-07"));
      run.awaitOutput("Executing step: [standardise]", Duration.ofMinutes(3));

      // when the scheduler is stopped as systemd stops it
      scheduler.terminate();
      assertThat(scheduler.waitFor(Duration.ofMinutes(2))).as("scheduler exit").isIn(0, 143);

      // then status works meanwhile, and the run goes on to complete
      AgriProcess status = AgriProcess.start(root, env, "status", with(common, "status"));
      assertThat(status.waitFor(Duration.ofMinutes(2))).as(status.output()).isZero();
      assertThat(status.output()).contains("2021-12-07");
      assertThat(run.waitFor(Duration.ofMinutes(5))).as(AgriProcess.tail(run.output(), 4000)).isZero();
      assertThat(run.output()).contains("daily-fusion 2021-12-07: COMPLETED").doesNotContain("already closed");
    } finally {
      scheduler.kill();
      if (run != null) {
        run.kill();
      }
    }
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + repository + ";AUTO_SERVER=TRUE", "sa", "");
        ResultSet rs = c.createStatement().executeQuery("SELECT STATUS FROM BATCH_JOB_EXECUTION")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("COMPLETED");
      assertThat(rs.next()).as("one execution").isFalse();
    }
  }

  static String[] with(String[] common, String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + common.length);
    System.arraycopy(common, 0, all, args.length, common.length);
    return all;
  }
}
