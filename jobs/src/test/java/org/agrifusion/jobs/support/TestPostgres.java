package org.agrifusion.jobs.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A schema of its own on the real PostgreSQL server that scripts/test.sh starts (AGRI_TEST_PG_URL,
 * AGRI_TEST_PG_USERNAME, AGRI_TEST_PG_PASSWORD), so every run starts from an empty database.
 */
public record TestPostgres(String url, String username, String password, String schema) {

  /** Creates the schema {@code <name>_<random>}. */
  public static TestPostgres createSchema(String name) {
    TestPostgres pg = new TestPostgres(required("AGRI_TEST_PG_URL"), required("AGRI_TEST_PG_USERNAME"),
        required("AGRI_TEST_PG_PASSWORD"), name + "_" + UUID.randomUUID().toString().substring(0, 8));
    pg.execute("CREATE SCHEMA " + pg.schema);
    return pg;
  }

  private static String required(String variable) {
    String value = System.getenv(variable);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(variable + " is not set: this test needs a real PostgreSQL server. Run scripts/test.sh,"
          + " or AGRI_PG_PASSWORD=... scripts/pg-local.sh start and export AGRI_TEST_PG_URL=jdbc:postgresql://127.0.0.1:5439/agri,"
          + " AGRI_TEST_PG_USERNAME=agri and AGRI_TEST_PG_PASSWORD (the AGRI_PG_PASSWORD)");
    }
    return value;
  }

  /** The URL of the schema: unqualified names are created and found there. */
  public String schemaUrl() {
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(schemaUrl(), username, password);
  }

  public void drop() {
    execute("DROP SCHEMA " + schema + " CASCADE");
  }

  private void execute(String sql) {
    try (Connection connection = DriverManager.getConnection(url, username, password);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " on " + url + ": " + e.getMessage(), e);
    }
  }
}
