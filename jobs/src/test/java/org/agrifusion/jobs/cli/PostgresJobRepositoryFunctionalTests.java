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
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.agrifusion.jobs.AgriFusionApplication;
import org.agrifusion.jobs.es.FamilyLoader;
import org.agrifusion.jobs.es.IndexManager;
import org.agrifusion.jobs.run.RunOwner;
import org.agrifusion.jobs.support.TestLake;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;
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
 * The job repository on a real PostgreSQL server: the schema by Flyway, the nightly job on the
 * sample day, its history in the Spring Batch tables, a second start of the application on the same
 * schema, that second process refused the date while the first runs it, and a schema that an earlier
 * agri-fusion created with Spring Batch's initialize-schema taken over as it is.
 */
@SpringBootTest
@ExtendWith(OutputCaptureExtension.class)
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
  @Autowired org.agrifusion.pipelines.lake.Lake lake;

  @AfterAll
  static void drop(@Autowired FamilyLoader loader, @Autowired IndexManager indices) {
    LAKE.drop(indices, loader.families().keySet());
    PG.drop();
  }

  @Test
  void theNightRunsOnPostgresAndASecondProcessOnTheSameSchemaKnowsItAndIsRefusedTheDateMeanwhile(CapturedOutput output)
      throws Exception {
    // given the sample day landed, and the job repository migrated by this context on an empty schema
    Path landing = Files.createDirectories(LAKE.root().resolve("landing/xinfadi-daily-prices/" + DAY));
    Files.copy(SAMPLE, landing.resolve(SAMPLE.getFileName()));
    assertThat(query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1"))
        .containsExactly(List.of("agri_imported_date"), List.of("agri_publication"), List.of("agri_publication_date"),
            List.of("agri_publication_snapshot"),
            List.of("agri_run_owner"), List.of("batch_job_execution"), List.of("batch_job_execution_context"),
            List.of("batch_job_execution_params"), List.of("batch_job_instance"), List.of("batch_step_execution"),
            List.of("batch_step_execution_context"), List.of("flyway_schema_history"));
    assertThat(query("SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = current_schema() ORDER BY 1"))
        .containsExactly(List.of("batch_job_execution_seq"), List.of("batch_job_instance_seq"), List.of("batch_step_execution_seq"));
    assertThat(query("SELECT version, type, success FROM flyway_schema_history ORDER BY installed_rank"))
        .containsExactly(List.of("1", "SQL", true), List.of("2", "SQL", true), List.of("3", "SQL", true),
              List.of("4", "SQL", true), List.of("5", "SQL", true), List.of("6", "SQL", true));
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    // when the application starts a second time on the schema (as a second agri process would)
    int logged = output.length();
    try (ConfigurableApplicationContext second = secondStart(PG)) {
      // then it starts without an error and runs no migration again
      assertThat(output.toString().substring(logged)).doesNotContain("ERROR").doesNotContain("already exists")
          .doesNotContain("Failed to execute");
      assertThat(query("SELECT count(*) FROM flyway_schema_history")).containsExactly(List.of(6L));

      // when this process runs the date, and the second asks for it meanwhile, even forced
      ExecutorService first = Executors.newSingleThreadExecutor();
      Future<Integer> backfill = first.submit(() -> operations.backfill(DAY, DAY, out));
      first.shutdown();
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
      while (query("SELECT count(*) FROM agri_run_owner").equals(List.of(List.of(0L))) && !backfill.isDone()) {
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(20);
      }
      assertThat(second.getBean(Operations.class).run(DAY, true, out)).isEqualTo(ExitCodes.ALREADY_RUNNING);
      assertThat(output.getErr()).contains(DAY + " is owned by " + RunOwner.thisHost() + ":"
          + ProcessHandle.current().pid() + " (backfill since ");
      assertThat(backfill.get()).isEqualTo(ExitCodes.OK);
      assertThat(query("SELECT count(*) FROM agri_run_owner")).containsExactly(List.of(0L));

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
      // and the lake's Iceberg catalog is in the same schema: its tables, and the run's publication of them
      String catalog = lake.catalog().name();
      assertThat(query("SELECT table_namespace || '.' || table_name FROM iceberg_tables WHERE catalog_name = '" + catalog + "'"))
          .extracting(row -> row.get(0)).contains("curated.price_observation", "marts.price_daily", "raw.xinfadi_daily_prices",
              "quarantine.price_observation");
      assertThat(query("SELECT s.table_name FROM agri_publication p JOIN agri_publication_snapshot s"
          + " ON s.job_execution_id = p.job_execution_id WHERE p.business_date = '" + DAY + "' AND s.table_name = 'curated.price_observation'"))
          .hasSize(1);

      buffer.reset();
      assertThat(operations.status(5, out)).isEqualTo(ExitCodes.OK);
      assertThat(buffer.toString(StandardCharsets.UTF_8)).contains(DAY + " ").contains("COMPLETED").contains("443");

      // and the second process finds the history, and skips the completed date
      buffer.reset();
      assertThat(second.getBean(Operations.class).backfill(DAY, DAY, out)).isEqualTo(ExitCodes.OK);
      assertThat(second.getBean(Operations.class).status(5, out)).isEqualTo(ExitCodes.OK);
    }
    assertThat(buffer.toString(StandardCharsets.UTF_8)).contains(DAY + ": already completed, skipped").contains(DAY + " ");
    assertThat(query("SELECT count(*) FROM batch_job_execution")).containsExactly(List.of(1L));
    assertThat(query("SELECT count(*) FROM batch_step_execution")).containsExactly(List.of(7L));
  }

  @Test
  void aSchemaThatAnEarlierVersionCreatedIsTakenOverAsItIsAndLaterStartsLogNoErrors(CapturedOutput output) throws Exception {
    // given a schema that Spring Batch's own script created (the former initialize-schema), holding a completed night
    TestPostgres earlier = TestPostgres.createSchema("agri_earlier");
    LocalDate night = LocalDate.of(2021, 11, 30);
    try {
      try (Connection connection = earlier.connect()) {
        ScriptUtils.executeSqlScript(connection, new ClassPathResource("org/springframework/batch/core/schema-postgresql.sql"));
        Statement sql = connection.createStatement();
        sql.execute("INSERT INTO batch_job_instance VALUES (1, 0, 'daily-fusion', 'earlier')");
        sql.execute("INSERT INTO batch_job_execution VALUES (1, 2, 1, now(), now(), now(), 'COMPLETED', 'COMPLETED', '', now())");
        sql.execute("INSERT INTO batch_job_execution_params VALUES (1, 'businessDate', 'java.lang.String', '" + night + "', 'Y')");
      }

      // when this version starts on it, twice
      int logged = output.length();
      for (int start = 1; start <= 2; start++) {
        try (ConfigurableApplicationContext context = secondStart(earlier)) {
          // then the earlier tables are recorded as version 1 and only the run owners, the publications and the imported dates are added
          assertThat(queryOn(earlier, "SELECT version, type, success FROM flyway_schema_history ORDER BY installed_rank"))
              .containsExactly(List.of("1", "BASELINE", true), List.of("2", "SQL", true), List.of("3", "SQL", true),
                List.of("4", "SQL", true), List.of("5", "SQL", true), List.of("6", "SQL", true));
          // and the history is there: the completed night is not run again
          ByteArrayOutputStream buffer = new ByteArrayOutputStream();
          assertThat(context.getBean(Operations.class).backfill(night, night, new PrintStream(buffer, true, StandardCharsets.UTF_8)))
              .isEqualTo(ExitCodes.OK);
          assertThat(buffer.toString(StandardCharsets.UTF_8)).contains(night + ": already completed, skipped");
        }
      }
      assertThat(output.toString().substring(logged)).doesNotContain("ERROR").doesNotContain("already exists")
          .doesNotContain("Failed to execute").containsOnlyOnce("recorded as version 1");
    } finally {
      earlier.drop();
    }
  }

  /**
   * The whole application again (as another agri process would), with this test's settings on the
   * given schema, and Spring's script runner logging each statement it fails.
   */
  static ConfigurableApplicationContext secondStart(TestPostgres pg) {
    Map<String, Object> settings = new HashMap<>();
    LAKE.register((name, value) -> settings.put(name, value.get()), pg.schemaUrl(), pg.username(), pg.password());
    settings.put("logging.level.org.springframework.jdbc.datasource.init", "DEBUG");
    settings.put("logging.level.org.flywaydb", "INFO");
    // a batch command, as AgriFusionApplication.main starts it: no web server
    return new SpringApplicationBuilder(AgriFusionApplication.class).web(org.springframework.boot.WebApplicationType.NONE)
        .initializers(context -> context.getEnvironment().getPropertySources()
            .addFirst(new MapPropertySource("second-start", settings)))
        .run();
  }

  static List<List<Object>> query(String sql) throws SQLException {
    return queryOn(PG, sql);
  }

  static List<List<Object>> queryOn(TestPostgres pg, String sql) throws SQLException {
    try (Connection connection = pg.connect(); ResultSet rows = connection.createStatement().executeQuery(sql)) {
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
