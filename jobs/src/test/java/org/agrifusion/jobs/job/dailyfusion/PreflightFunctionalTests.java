package org.agrifusion.jobs.job.dailyfusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.agrifusion.jobs.cli.ExitCodes;
import org.agrifusion.jobs.cli.Operations;
import org.agrifusion.jobs.es.FamilyLoader;
import org.agrifusion.jobs.es.IndexManager;
import org.agrifusion.jobs.support.TcpForwarder;
import org.agrifusion.jobs.support.TestLake;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The pre-flight check on the real job: Elasticsearch at an address where nothing listens stops
 * the run before any Spark step, with one line and its own exit code; once Elasticsearch is back at
 * that address, {@code agri restart} runs the date to completion.
 */
@SpringBootTest
class PreflightFunctionalTests {

  static final TestLake LAKE = TestLake.create("preflight-it");
  static final Path SAMPLE = Path.of("../samples/landing/xinfadi-daily-prices/2021-12-07/xinfadi_prices_2021-12-07.csv");
  static final URI ES = URI.create(System.getenv().getOrDefault("AGRI_ES_URL", "http://127.0.0.1:9200"));
  static final TcpForwarder ELASTICSEARCH;

  static {
    try {
      ELASTICSEARCH = new TcpForwarder();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    LAKE.register(registry, "preflight-it");
    registry.add("agri.elasticsearch.urls", () -> "http://127.0.0.1:" + ELASTICSEARCH.port());
  }

  @Autowired Operations operations;
  @Autowired JobRepository repository;
  @Autowired PreflightCheck preflight;

  @AfterAll
  static void drop(@Autowired FamilyLoader loader, @Autowired IndexManager indices) throws Exception {
    LAKE.drop(indices, loader.families().keySet());
    ELASTICSEARCH.close();
  }

  @Test
  void elasticsearchDownStopsTheRunBeforeIngestAndARestartOnceItIsBackCompletesTheDate() throws Exception {
    LocalDate date = LocalDate.of(2021, 12, 7);
    Path landing = Files.createDirectories(LAKE.root().resolve("landing/xinfadi-daily-prices/" + date));
    Files.copy(SAMPLE, landing.resolve("prices.csv"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    // when the date runs while nothing listens at Elasticsearch's address
    int code;
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      code = operations.run(date, false, new PrintStream(out, true, StandardCharsets.UTF_8));
    } finally {
      System.setErr(stderr);
    }

    // then the run fails with the dependency's exit code and one line naming it and the cause
    assertThat(code).isEqualTo(ExitCodes.DEPENDENCY_UNAVAILABLE);
    assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).singleElement().asString()
        .startsWith("agri: dependency unavailable: Elasticsearch http://127.0.0.1:" + ELASTICSEARCH.port() + ": ")
        .contains("Connection refused");
    // and no step ran: ingest never started
    JobExecution failed = operations.lastExecution(date);
    assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
    assertThat(failed.getStepExecutions()).isEmpty();

    // when Elasticsearch is back at its address, a restart runs every step and completes the date
    ELASTICSEARCH.open(ES.getHost(), ES.getPort());
    assertThat(operations.restart(date, new PrintStream(out, true, StandardCharsets.UTF_8))).isEqualTo(ExitCodes.OK);
    JobExecution restarted = operations.lastExecution(date);
    assertThat(restarted.getId()).isNotEqualTo(failed.getId());
    assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(restarted.getStepExecutions()).extracting(StepExecution::getStepName)
        .containsExactlyInAnyOrder("ingest", "standardise", "fuse", "publish", "index", "extract", "report");
  }

  @Test
  void aFileDataRootWithoutRoomForTheDaysEstimatedOutputIsRefused() throws Exception {
    LocalDate date = LocalDate.of(2021, 12, 8);
    Path landing = Files.createDirectories(LAKE.root().resolve("landing/xinfadi-daily-prices/" + date));
    Files.copy(SAMPLE, landing.resolve("prices.csv"));

    // with room for three times the landed bytes, the data root passes; with a factor no disk meets, it does not
    preflight.dataRoot(date, 3);
    assertThatThrownBy(() -> preflight.dataRoot(date, 1e12))
        .isInstanceOf(DependencyUnavailableException.class)
        .hasMessageStartingWith("dependency unavailable: data root file:" + LAKE.root())
        .hasMessageContaining("free, the day needs about");
  }
}
