package org.agrifusion.jobs.job.dailyfusion;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrifusion.jobs.config.AgriProperties;
import org.agrifusion.jobs.report.ReportHtml;
import org.agrifusion.jobs.report.RunReport;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.Snapshots;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.report.FeedAlarms;
import org.agrifusion.pipelines.report.ReportFigures;
import org.agrifusion.pipelines.source.LandedFiles;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Step report: writes reports/D/report.json with the figures of every step of this run, the lake
 * snapshots the run published and the earlier dates it changed (late records), the rows per source, the top quarantine reasons with samples and the chart series read from the lake,
 * every landed file with its status and checksum, the {@link FeedAlarms} (which give the step
 * {@link RunAlarms}' exit code), and reports/D/report.html, the same report rendered for people. A landed file that changed since ingest listed it is reported, and then
 * fails the date.
 */
class ReportTasklet implements Tasklet {

  private static final Logger log = LoggerFactory.getLogger(ReportTasklet.class);

  private final JobRepository repository;
  private final ObjectProvider<SparkSession> spark;
  private final Lake lake;
  private final List<SourceDescriptor> sources;
  private final ReferenceData reference;
  private final AgriProperties.Fusion fusion;

  ReportTasklet(JobRepository repository, ObjectProvider<SparkSession> spark, Lake lake, List<SourceDescriptor> sources,
      ReferenceData reference, AgriProperties properties) {
    this.repository = repository;
    this.spark = spark;
    this.lake = lake;
    this.sources = sources;
    this.reference = reference;
    this.fusion = properties.fusion();
  }

  /** Where the report of a date is written. */
  static String target(Lake lake, LocalDate date) {
    return lake.reports(date) + "/report.json";
  }

  /** Where the report of a date is written as a page. */
  static String htmlTarget(Lake lake, LocalDate date) {
    return lake.reports(date) + "/report.html";
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext context) {
    LocalDate date = DailyFusionParameters.businessDate(context);
    SparkSession session = spark.getObject();
    session.sparkContext().setJobDescription("report " + date);
    JobExecution execution = context.getStepContext().getStepExecution().getJobExecution();
    Map<String, Object> report = RunReport.build(execution, StepFigures.latest(repository, execution), date.toString(),
        StepFigures.DETAILS);
    Snapshots pins = LakeCommits.published(context);
    ReportFigures figures = new ReportFigures(session, lake, reference, pins);
    report.put("snapshots", pins.sorted());
    report.put("datesChanged", LakeCommits.touched(context).stream().map(LocalDate::toString).toList());
    List<String> changes = LandedFiles.changes(session, lake, sources, date);
    if (!changes.isEmpty()) {
      report.put("landingChanges", changes);
    }
    List<ReportFigures.FileRows> files = figures.landedFiles(date);
    report.put("files", ReportFigures.FileTotals.of(files));
    List<ReportFigures.SourceRows> bySource = figures.sources(sources, files, date);
    List<FeedAlarms.Alarm> alarms = FeedAlarms.of(bySource, files, sources, fusion.maxQuarantineShare(),
        () -> figures.reasonsBySource(date));
    report.put("alarms", alarms);
    report.put("sources", bySource);
    report.put("landedFiles", files);
    report.put("quarantine", figures.quarantine(date));
    Map<String, Object> charts = new LinkedHashMap<>();
    charts.put("priceTrend", figures.priceTrend(date));
    charts.put("deliveryByCity", figures.deliveryByCity(date, fusion.halfDayHours(), fusion.nextDayHours()));
    charts.put("upboundByCounty", figures.upboundByCounty(date));
    report.put("charts", charts);

    var hadoopConf = session.sparkContext().hadoopConfiguration();
    String json = target(lake, date);
    String html = htmlTarget(lake, date);
    RunReport.write(report, json, hadoopConf);
    RunReport.writeFile(html, ReportHtml.render(RunReport.toTree(report)).getBytes(StandardCharsets.UTF_8), hadoopConf);
    StepFigures.detail(context, "json", json);
    StepFigures.detail(context, "html", html);
    log.info("run report written to {} and {}", json, html);
    if (!alarms.isEmpty()) {
      alarms.forEach(a -> log.error("{}: alarm: {}", date, a.message()));
      StepFigures.detail(context, RunAlarms.DETAIL, new ArrayList<>(alarms.stream().map(FeedAlarms.Alarm::message).toList()));
    }
    if (!changes.isEmpty()) {
      throw new LandingChangedException(changes, date);
    }
    return RepeatStatus.FINISHED;
  }
}
