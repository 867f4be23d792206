package org.agrifusion.jobs.job.historyimport;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.agrifusion.jobs.config.AgriProperties;
import org.agrifusion.jobs.job.dailyfusion.RunAlarms;
import org.agrifusion.jobs.lake.Publications;
import org.agrifusion.jobs.run.RunOwner;
import org.agrifusion.jobs.run.RunOwnership;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.source.PersonalDataKey;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.apache.spark.sql.SparkSession;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The job {@value #JOB_NAME}: one multi-day file of one feed into the lake in one step (one Spark
 * pass, {@link ImportTasklet}), each of its dates recorded ({@link ImportedDates}) and published.
 * Every import is its own job instance; importing a file again replaces what it wrote.
 */
@Configuration(proxyBeanMethods = false)
public class HistoryImportJobConfiguration {

  public static final String JOB_NAME = "history-import";
  public static final String SOURCE = "source";
  public static final String FILE = "file";
  public static final String AS_OF = "asOf";
  public static final String REQUESTED = "requested";
  /** host:pid of the process that runs the import (not identifying): judged dead before the import claims its dates. */
  public static final String PROCESS = "process";

  public static JobParameters parameters(String source, String file, LocalDate asOf, String requested) {
    return new JobParametersBuilder().addString(SOURCE, source).addString(FILE, file).addString(AS_OF, asOf.toString())
        .addString(REQUESTED, requested)
        .addString(PROCESS, RunOwner.thisHost() + ":" + ProcessHandle.current().pid(), false).toJobParameters();
  }

  @Bean
  Step importStep(JobRepository repository, ObjectProvider<SparkSession> spark, Lake lake, List<SourceDescriptor> sources,
      ReferenceData reference, PersonalDataKey key, AgriProperties properties, ImportedDates dates, Publications publications,
      RunOwnership ownership) {
    // no JDBC transaction held open around a Spark pass of minutes (as the nightly job's tasklets)
    return new StepBuilder("import", repository)
        .tasklet(new ImportTasklet(spark, lake, sources, reference, key, properties.fusion(), dates, publications, ownership),
            new ResourcelessTransactionManager())
        .listener(new RunAlarms.StepListener())
        .build();
  }

  @Bean
  Job historyImportJob(JobRepository repository, Step importStep) {
    return new JobBuilder(JOB_NAME, repository).validator(validator()).start(importStep).build();
  }

  static JobParametersValidator validator() {
    return parameters -> {
      for (String name : List.of(SOURCE, FILE, AS_OF)) {
        if (parameters.getString(name) == null) {
          throw new InvalidJobParametersException("job parameter " + name + " is required");
        }
      }
      try {
        LocalDate.parse(parameters.getString(AS_OF));
      } catch (DateTimeParseException e) {
        throw new InvalidJobParametersException(AS_OF + " '" + parameters.getString(AS_OF) + "' is not a yyyy-MM-dd date");
      }
    };
  }
}
