package org.agrifusion.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/**
 * The JSON run summary: per step its status, duration, rows read / written / quarantined and the
 * details the step recorded. Built from the job repository's view of the execution, so it says
 * what Spring Batch will also say in {@code status}. The report step adds the lake's figures
 * (sources, quarantine, chart series) and renders the same tree as report.html ({@link ReportHtml}).
 */
public final class RunReport {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RunReport() {}

  /** @param steps the latest execution of each step of the date, earlier executions' included after a restart */
  public static Map<String, Object> build(JobExecution job, List<StepExecution> steps, String businessDate, String detailsKey) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("job", job.getJobInstance().getJobName());
    report.put("businessDate", businessDate);
    report.put("jobExecutionId", job.getId());
    report.put("startTime", String.valueOf(job.getStartTime()));
    if (job.getStartTime() != null) {
      report.put("durationMs", Duration.between(job.getStartTime(), LocalDateTime.now()).toMillis());
    }
    report.put("generatedAt", LocalDateTime.now().toString());
    List<Map<String, Object>> figures = new ArrayList<>();
    steps.forEach(step -> {
          Map<String, Object> s = new LinkedHashMap<>();
          s.put("name", step.getStepName());
          s.put("status", step.getStatus().toString());
          s.put("read", step.getReadCount());
          s.put("written", step.getWriteCount());
          s.put("quarantined", step.getFilterCount());
          if (step.getStartTime() != null) {
            LocalDateTime end = step.getEndTime() != null ? step.getEndTime() : LocalDateTime.now();
            s.put("durationMs", Duration.between(step.getStartTime(), end).toMillis());
          }
          Object details = step.getExecutionContext().get(detailsKey);
          if (details != null) {
            s.put("details", details);
          }
          figures.add(s);
        });
    report.put("steps", figures);
    return report;
  }

  public static void write(Map<String, Object> report, String file, Configuration hadoopConf) {
    writeFile(file, toJson(report).getBytes(StandardCharsets.UTF_8), hadoopConf);
  }

  /** Writes (replaces) a file of the report folder on the lake's file system. */
  public static void writeFile(String file, byte[] content, Configuration hadoopConf) {
    Path path = new Path(file);
    try (OutputStream out = path.getFileSystem(hadoopConf).create(path, true)) {
      out.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write run report " + file, e);
    }
  }

  /** The report as the JSON tree it is written as, for rendering. */
  public static JsonNode toTree(Map<String, Object> report) {
    return JSON.valueToTree(report);
  }

  public static String toJson(Map<String, Object> report) {
    try {
      return JSON.writeValueAsString(report);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
