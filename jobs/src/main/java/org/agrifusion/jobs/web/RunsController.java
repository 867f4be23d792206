package org.agrifusion.jobs.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.agrifusion.jobs.config.AgriProperties;
import org.agrifusion.jobs.run.RunHistory;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.spark.SparkSessions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/** /runs: the job history (as {@code agri status} shows it) and each date's report.html. */
@Controller
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class RunsController {

  /**
   * report.html is one self-contained page with inline CSS and SVG and no script: it is served
   * with its own policy, which allows its inline styles and nothing else.
   */
  static final String REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
      + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  private final RunHistory history;
  private final Lake lake;
  private final Configuration hadoop;

  RunsController(RunHistory history, Lake lake, AgriProperties properties) {
    this.history = history;
    this.lake = lake;
    this.hadoop = SparkSessions.hadoopConfiguration(properties.spark().conf());
  }

  @GetMapping("/runs")
  String runs(@RequestParam(defaultValue = "50") int last, Model model) {
    model.addAttribute("runs", history.latest(Math.max(1, Math.min(last, 500))));
    return "runs";
  }

  /** The date's report, found by the date alone: a path segment that is not a yyyy-MM-dd date is a 404. */
  @GetMapping("/runs/{date}/report.html")
  void report(@PathVariable String date, HttpServletResponse response) throws IOException {
    LocalDate day;
    try {
      day = LocalDate.parse(date);
    } catch (DateTimeParseException e) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such report");
    }
    Path file = new Path(lake.reports(day) + "/report.html");
    FileSystem fs = file.getFileSystem(hadoop);
    if (!fs.exists(file)) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no report for " + day);
    }
    response.setContentType("text/html;charset=UTF-8");
    response.setHeader("Content-Security-Policy", REPORT_CSP);
    try (InputStream in = fs.open(file); OutputStream out = response.getOutputStream()) {
      in.transferTo(out);
    }
  }
}
