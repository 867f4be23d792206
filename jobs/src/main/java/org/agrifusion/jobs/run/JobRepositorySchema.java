package org.agrifusion.jobs.run;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The job repository's schema is Flyway's (db/migration): V1 is Spring Batch's own schema, later
 * versions are agri-fusion's. A schema that an earlier agri-fusion created with Spring Batch's
 * initialize-schema has the tables of V1 but no migration history: it is baselined at V1 once, so
 * that only the later versions run on it. An empty schema, or one with other tables only, gets V1.
 */
@Configuration(proxyBeanMethods = false)
public class JobRepositorySchema {

  private static final Logger log = LoggerFactory.getLogger(JobRepositorySchema.class);

  @Bean
  FlywayMigrationStrategy baselineAnEarlierSchema() {
    return flyway -> {
      if (flyway.info().applied().length == 0 && hasSpringBatchTables(flyway.getConfiguration().getDataSource())) {
        log.info("job repository: Spring Batch tables without migration history (an earlier agri-fusion created them); "
            + "recorded as version 1, the later migrations follow");
        flyway.baseline();
      }
      flyway.migrate();
    };
  }

  private static boolean hasSpringBatchTables(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      DatabaseMetaData meta = connection.getMetaData();
      // H2 keeps unquoted names in upper case, PostgreSQL in lower case
      for (String name : new String[] {"BATCH_JOB_INSTANCE", "batch_job_instance"}) {
        try (ResultSet tables = meta.getTables(connection.getCatalog(), connection.getSchema(), name, new String[] {"TABLE"})) {
          if (tables.next()) {
            return true;
          }
        }
      }
      return false;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the job repository's tables: " + e.getMessage(), e);
    }
  }
}
