package org.agrifusion.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLNonTransientConnectionException;
import java.util.List;
import org.agrifusion.jobs.job.dailyfusion.DependencyUnavailableException;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.CannotCreateTransactionException;

/** What the agri command prints when a command fails unexpectedly: one line, never a stack trace. */
class AgriCommandLineFailureTest {

  record Told(int code, List<String> lines) {}

  static Told fail(Throwable e) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    String logFile = System.getProperty("LOG_FILE");
    System.setProperty("LOG_FILE", "/var/log/agri/agri.log");
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = AgriCommandLine.failed("run", e);
      return new Told(code, err.toString(StandardCharsets.UTF_8).lines().toList());
    } finally {
      System.setErr(stderr);
      if (logFile == null) {
        System.clearProperty("LOG_FILE");
      } else {
        System.setProperty("LOG_FILE", logFile);
      }
    }
  }

  @Test
  void anUnexpectedFailureIsOneLineNamingTheLogFile() {
    Told told = fail(new IllegalStateException("cannot count agri-sales-1 by business_date", new java.io.IOException("reset")));

    assertThat(told.code()).isEqualTo(ExitCodes.FAILED);
    assertThat(told.lines()).containsExactly(
        "agri: cannot count agri-sales-1 by business_date (details in /var/log/agri/agri.log)");
  }

  @Test
  void aLostJobRepositoryOrAnUnavailableDependencyHasItsOwnExitCode() {
    Told repository = fail(new CannotCreateTransactionException("Could not open JDBC Connection for transaction",
        new SQLNonTransientConnectionException("Connection refused", "08001")));
    Told elasticsearch = fail(new IllegalStateException("step failed",
        new DependencyUnavailableException("Elasticsearch http://127.0.0.1:9250", "Connection refused", null)));

    assertThat(repository.code()).isEqualTo(ExitCodes.DEPENDENCY_UNAVAILABLE);
    assertThat(repository.lines()).containsExactly(
        "agri: dependency unavailable: job repository: Connection refused (details in /var/log/agri/agri.log)");
    assertThat(elasticsearch.code()).isEqualTo(ExitCodes.DEPENDENCY_UNAVAILABLE);
    assertThat(elasticsearch.lines()).containsExactly(
        "agri: dependency unavailable: Elasticsearch http://127.0.0.1:9250: Connection refused (details in /var/log/agri/agri.log)");
  }

  /** A collaborator the configuration cannot build (a cluster master without the executors' jar) says why in its own words. */
  @Test
  void aBeanTheConfigurationCannotBuildIsToldByItsCauseNotBySpring() {
    Told told = fail(new org.springframework.beans.factory.BeanCreationException("sparkSession",
        "Failed to instantiate [org.apache.spark.sql.SparkSession]: Factory method 'sparkSession' threw exception",
        new IllegalStateException("agri.spark.jars (AGRI_SPARK_JARS): /opt/agri/x.jar does not exist")));

    assertThat(told.code()).isEqualTo(ExitCodes.FAILED);
    assertThat(told.lines()).containsExactly(
        "agri: agri.spark.jars (AGRI_SPARK_JARS): /opt/agri/x.jar does not exist (details in /var/log/agri/agri.log)");
  }
}
