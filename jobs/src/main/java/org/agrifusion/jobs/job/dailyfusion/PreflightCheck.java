package org.agrifusion.jobs.job.dailyfusion;

import org.agrifusion.jobs.support.Causes;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.agrifusion.jobs.config.AgriProperties;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.spark.SparkSessions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Checks, before every execution of the job (a first run and a restart alike) and so before any
 * Spark step, that what the steps will need is there: Elasticsearch answers {@code _cluster/health}
 * with our credentials, the data root takes a new file, a {@code file:} data root has room for the
 * day's output (landed bytes times {@code agri.preflight.disk-factor}; other file systems manage
 * their own space and are not checked), and the job repository answers. A failure stops the
 * execution with a {@link DependencyUnavailableException} naming the dependency, before ingest
 * starts; {@code agri restart} goes on from the step that had not completed once it is back.
 */
@Component
public class PreflightCheck implements JobExecutionListener {

  private static final Logger log = LoggerFactory.getLogger(PreflightCheck.class);

  private final ObjectProvider<ElasticsearchClient> elasticsearch;
  private final DataSource jobRepository;
  private final Lake lake;
  private final List<SourceDescriptor> sources;
  private final AgriProperties properties;

  public PreflightCheck(ObjectProvider<ElasticsearchClient> elasticsearch, DataSource jobRepository, Lake lake,
      List<SourceDescriptor> sources, AgriProperties properties) {
    this.elasticsearch = elasticsearch;
    this.jobRepository = jobRepository;
    this.lake = lake;
    this.sources = sources;
    this.properties = properties;
  }

  @Override
  public void beforeJob(JobExecution execution) {
    LocalDate date = LocalDate.parse(execution.getJobParameters().getString(DailyFusionParameters.BUSINESS_DATE));
    jobRepository();
    elasticsearch();
    dataRoot(date, properties.preflight().diskFactor());
    log.info("pre-flight check passed: Elasticsearch, data root {}, job repository", lake.root());
  }

  void elasticsearch() {
    String name = "Elasticsearch " + String.join(",", properties.elasticsearch().urls());
    try {
      var health = elasticsearch.getObject().cluster().health(h -> h.timeout(t -> t.time("10s")));
      if (health.status() == co.elastic.clients.elasticsearch._types.HealthStatus.Red) {
        throw new DependencyUnavailableException(name, "cluster health is red", null);
      }
    } catch (ElasticsearchException e) {
      throw new DependencyUnavailableException(name, e.status() + " " + e.error().type() + ": " + e.error().reason(), e);
    } catch (IOException | RuntimeException e) {
      if (e instanceof DependencyUnavailableException d) {
        throw d;
      }
      throw new DependencyUnavailableException(name, Causes.rootMessage(e), e);
    }
  }

  void dataRoot(LocalDate date, double diskFactor) {
    String root = lake.root();
    String name = "data root " + root;
    // the settings the steps' Spark session will have: an s3a endpoint and keys must reach the probe too
    Configuration conf = SparkSessions.hadoopConfiguration(properties.spark().conf());
    try (FileSystem fs = FileSystem.newInstance(URI.create(root), conf)) {
      org.apache.hadoop.fs.Path probe = new org.apache.hadoop.fs.Path(root, ".agri-preflight-" + UUID.randomUUID());
      try {
        fs.create(probe, false).close();
      } finally {
        fs.delete(probe, false);
      }
      if (!root.startsWith("file:")) {
        log.info("free space of {} not checked (only file: data roots can be)", root);
        return;
      }
      long landed = 0;
      for (SourceDescriptor source : sources) {
        org.apache.hadoop.fs.Path day = new org.apache.hadoop.fs.Path(lake.landing(source.id()), date.toString());
        if (fs.exists(day)) {
          landed += fs.getContentSummary(day).getLength();
        }
      }
      long needed = (long) (landed * diskFactor);
      long free = Files.getFileStore(existing(Path.of(URI.create(root)))).getUsableSpace();
      if (free < needed) {
        throw new DependencyUnavailableException(name, String.format(
            "%s free, the day needs about %s (%s landed x %s, agri.preflight.disk-factor)",
            size(free), size(needed), size(landed), diskFactor), null);
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof DependencyUnavailableException d) {
        throw d;
      }
      throw new DependencyUnavailableException(name, "cannot write a file: " + Causes.rootMessage(e), e);
    }
  }

  void jobRepository() {
    try (Connection c = jobRepository.getConnection()) {
      if (!c.isValid(10)) {
        throw new DependencyUnavailableException("job repository", "the connection is not valid", null);
      }
    } catch (java.sql.SQLException e) {
      throw new DependencyUnavailableException("job repository", Causes.rootMessage(e), e);
    }
  }

  private static Path existing(Path path) {
    Path p = path.toAbsolutePath();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p;
  }

  static String size(long bytes) {
    return bytes < 1024 * 1024 ? bytes / 1024 + " KB" : String.format("%.1f %s", bytes >= 1L << 30 ? bytes / (double) (1L << 30) : bytes / (double) (1L << 20),
        bytes >= 1L << 30 ? "GB" : "MB");
  }
}
