package org.agrifusion.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.agrifusion.jobs.AgriFusionApplication;
import org.agrifusion.jobs.es.FamilyLoader;
import org.agrifusion.jobs.es.IndexManager;
import org.agrifusion.jobs.support.TestLake;
import org.agrifusion.jobs.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The job repository on a real PostgreSQL server: the nightly job on the sample day, its history in
 * the Spring Batch tables, and a second start of the application on the same (initialised) schema.
 */
@SpringBootTest
class PostgresJobRepositoryFunctionalTests {

  static final TestLake LAKE = TestLake.create("pg-it");
  static final TestPostgres PG = TestPostgres.createSchema("agri_it");
  static final Path SAMPLE = Path.of("../samples/landing/xinfadi-daily-prices/2021-12-07/xinfadi_prices_2021-12-07.csv");
  static final LocalDate DAY = LocalDate.of(2021, 12, 7);

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    LAKE.register(registry, PG.schemaUrl(), PG.username(), PG.password());
  }

  @Autowired Operations operations;

  @AfterAll
  static void drop(@Autowired FamilyLoader loader, @Autowired IndexManager indices) {
    LAKE.drop(indices, loader.families().keySet());
    PG.drop();
  }

  @Test
  void theNightRunsOnPostgresAndASecondStartOnTheSameSchemaKnowsIt() throws Exception {
    // given the sample day landed, and the Spring Batch tables created by this context on an empty schema
    Path landing = Files.createDirectories(LAKE.root().resolve("landing/xinfadi-daily-prices/" + DAY));
    Files.copy(SAMPLE, landing.resolve(SAMPLE.getFileName()));
    assertThat(query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1"))
        .containsExactly(List.of("batch_job_execution"), List.of("batch_job_execution_context"),
            List.of("batch_job_execution_params"), List.of("batch_job_instance"), List.of("batch_step_execution"),
            List.of("batch_step_execution_context"));
    assertThat(query("SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = current_schema() ORDER BY 1"))
        .containsExactly(List.of("batch_job_execution_seq"), List.of("batch_job_instance_seq"), List.of("batch_step_execution_seq"));
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    // when
    assertThat(operations.backfill(DAY, DAY, out)).isEqualTo(ExitCodes.OK);

    // then the run is in PostgreSQL (unquoted names: PostgreSQL folds BATCH_JOB_INSTANCE to lower case)
    assertThat(query("SELECT i.job_name, e.status, p.parameter_value FROM batch_job_instance i"
        + " JOIN batch_job_execution e ON e.job_instance_id = i.job_instance_id"
        + " JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id AND p.parameter_name = 'businessDate'"))
        .containsExactly(List.of("daily-fusion", "COMPLETED", DAY.toString()));
    List<List<Object>> steps = query("SELECT step_name, status, read_count FROM batch_step_execution ORDER BY step_execution_id");
    assertThat(steps).extracting(row -> row.get(0))
        .containsExactly("ingest", "standardise", "fuse", "publish", "index", "extract", "report");
    assertThat(steps).extracting(row -> row.get(1)).containsOnly("COMPLETED");
    // 443 sample lines read, 440 accepted (3 duplicates quarantined)
    assertThat(steps).extracting(row -> row.get(0), row -> row.get(2))
        .contains(tuple("ingest", 443L), tuple("standardise", 443L));
    assertThat(query("SELECT write_count, filter_count FROM batch_step_execution WHERE step_name = 'standardise'"))
        .containsExactly(List.of(440L, 3L));

    buffer.reset();
    assertThat(operations.status(5, out)).isEqualTo(ExitCodes.OK);
    assertThat(buffer.toString(StandardCharsets.UTF_8)).contains(DAY + " ").contains("COMPLETED").contains("443");
    buffer.reset();
    assertThat(operations.backfill(DAY, DAY, out)).isEqualTo(ExitCodes.OK);
    assertThat(buffer.toString(StandardCharsets.UTF_8)).contains(DAY + ": already completed, skipped");

    // when the application starts a second time on the schema, whose tables now exist
    buffer.reset();
    try (ConfigurableApplicationContext second = secondStart()) {
      // then it starts, finds the history, and skips the completed date
      assertThat(second.getBean(Operations.class).backfill(DAY, DAY, out)).isEqualTo(ExitCodes.OK);
      assertThat(second.getBean(Operations.class).status(5, out)).isEqualTo(ExitCodes.OK);
    }
    assertThat(buffer.toString(StandardCharsets.UTF_8)).contains(DAY + ": already completed, skipped").contains(DAY + " ");
    assertThat(query("SELECT count(*) FROM batch_job_execution")).containsExactly(List.of(1L));
    assertThat(query("SELECT count(*) FROM batch_step_execution")).containsExactly(List.of(7L));
  }

  /** The whole application again (as a second agri process would), with the same settings as this test's. */
  static ConfigurableApplicationContext secondStart() {
    Map<String, Object> settings = new HashMap<>();
    LAKE.register((name, value) -> settings.put(name, value.get()), PG.schemaUrl(), PG.username(), PG.password());
    return new SpringApplicationBuilder(AgriFusionApplication.class)
        .initializers(context -> context.getEnvironment().getPropertySources()
            .addFirst(new MapPropertySource("second-start", settings)))
        .run();
  }

  static List<List<Object>> query(String sql) throws SQLException {
    try (Connection connection = PG.connect(); ResultSet rows = connection.createStatement().executeQuery(sql)) {
      List<List<Object>> result = new ArrayList<>();
      while (rows.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
          row.add(rows.getObject(i));
        }
        result.add(row);
      }
      return result;
    }
  }
}
