package org.agrifusion.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.junit.jupiter.api.Test;

/** The failure line an operator reads: the failure and, once, the root cause behind it. */
class RunSummaryTest {

  @Test
  void aFailureLineCarriesItsRootCauseOnce() {
    JobExecution execution = new JobExecution(1L, new JobInstance(1L, "daily-fusion"), new JobParameters());
    execution.setStatus(BatchStatus.FAILED);
    execution.addFailureException(new IllegalStateException("cannot create index agri-sales-1 from conf/es/sales.json",
        new UncheckedIOException(new ConnectException("Connection refused"))));
    execution.addFailureException(new IllegalStateException("dependency unavailable: Elasticsearch: Connection refused",
        new ConnectException("Connection refused")));

    assertThat(new RunSummary().format(execution).lines().filter(l -> l.contains("failure:")))
        .containsExactlyInAnyOrder(
            "  failure: cannot create index agri-sales-1 from conf/es/sales.json (cause: Connection refused)",
            "  failure: dependency unavailable: Elasticsearch: Connection refused");
  }
}
