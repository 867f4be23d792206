package org.agrifusion.jobs.job.dailyfusion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/** Which failures of the index step are a dependency gone away (exit 5) rather than a job failure. */
class DependencyUnavailableExceptionTest {

  @Test
  void aConnectionRefusedOrClosedAnywhereInTheChainIsALostConnection() {
    assertThat(DependencyUnavailableException.lostConnection(new IllegalStateException("cannot create index agri-x",
        new UncheckedIOException(new ConnectException("Connection refused"))))).isTrue();
    assertThat(DependencyUnavailableException.lostConnection(new IllegalStateException("cannot resolve alias",
        new java.io.IOException(new ConnectionClosedException("Connection closed by peer"))))).isTrue();
    // executors' failures reach the driver as text
    assertThat(DependencyUnavailableException.lostConnection(new SparkException(
        "Job aborted: Task 0 failed: java.net.ConnectException: Connection refused"))).isTrue();
  }

  @Test
  void anAnswerOfTheServerOrADataProblemIsNot() {
    assertThat(DependencyUnavailableException.lostConnection(
        new IllegalStateException("index does not match the lake: [sales holds 3 documents but the lake has 4]"))).isFalse();
    assertThat(DependencyUnavailableException.lostConnection(new SparkException("Job aborted: NumberFormatException"))).isFalse();
  }
}
