package org.agrifusion.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * report.html: the run report (report.json) as one self-contained page for people: inline CSS,
 * charts as inline SVG, no script and no external resource, every value escaped by the template
 * ({@code templates/report/run-report.html}). It renders only what the JSON holds, so the two never
 * disagree. Here the JSON becomes the page's rows, with numbers formatted; the markup is the template's.
 */
public final class ReportHtml {

  /**
   * Its own engine: the report step runs in batch commands, where there is no web context and no
   * Spring-managed template engine. Spring's engine for SpEL expressions (the same as the portal's pages).
   */
  private static final TemplateEngine ENGINE = engine();

  record Card(String label, String value) {}

  record PriceRow(String name, String code, String observations, String days, String price) {}

  record CityRow(String name, String code, String parcels, String signed, String halfDayRate, String nextDayRate) {}

  record SourceRow(String source, String kind, String files, String rejected, String read, String accepted,
      String quarantined, String share) {}

  record FileRow(String source, String file, String status, String reason, String detail, String bytes, String read,
      String accepted, String quarantined, String sha256) {}

  record ReasonRow(String reason, String rows, String share) {}

  record SampleRow(String reason, String source, String file, long row, String detail, String values) {}

  record QuarantineKind(String kind, String rows, List<ReasonRow> reasons, List<SampleRow> samples) {}

  record Figure(String name, String value) {}

  record StepRow(String name, String status, String duration, String read, String written, String quarantined,
      List<Figure> details) {}

  private ReportHtml() {}

  public static String render(JsonNode report) {
    Context page = new Context();
    page.setVariable("date", report.path("businessDate").asText());
    page.setVariable("job", report.path("job").asText());
    page.setVariable("jobExecutionId", report.path("jobExecutionId").asText());
    page.setVariable("startTime", report.path("startTime").asText());
    page.setVariable("generatedAt", report.path("generatedAt").asText());
    page.setVariable("duration", report.has("durationMs") ? seconds(report.path("durationMs").asLong()) : null);
    page.setVariable("landingChanges", list(report.path("landingChanges")).stream().map(JsonNode::asText).toList());
    page.setVariable("alarms", list(report.path("alarms")).stream().map(a -> a.path("message").asText()).toList());
    page.setVariable("cards", cards(report));
    priceTrend(page, report.path("charts").path("priceTrend"));
    delivery(page, report.path("charts").path("deliveryByCity"));
    upbound(page, report.path("charts").path("upboundByCounty"));
    sources(page, report.path("sources"));
    page.setVariable("files", list(report.path("landedFiles")).stream().map(ReportHtml::fileRow).toList());
    page.setVariable("quarantine", list(report.path("quarantine")).stream().map(ReportHtml::quarantineKind).toList());
    page.setVariable("steps", list(report.path("steps")).stream().map(ReportHtml::stepRow).toList());
    return ENGINE.process("report/run-report", page);
  }

  private static List<Card> cards(JsonNode report) {
    long read = sum(report.path("sources"), "read");
    long quarantined = sum(report.path("sources"), "quarantined");
    long failed = list(report.path("steps")).stream().filter(s -> s.path("status").asText().equals("FAILED")).count();
    JsonNode files = report.path("files");
    return List.of(
        new Card("读入 Rows read", Html.count(read)),
        new Card("接收 Accepted", Html.count(sum(report.path("sources"), "accepted"))),
        new Card("隔离 Quarantined", Html.count(quarantined) + (read > 0 ? " (" + Html.percent((double) quarantined / read) + ")" : "")),
        new Card("文件 Files", Html.count(files.path("seen").asLong()) + " seen: " + Html.count(files.path("processed").asLong())
            + " processed, " + Html.count(files.path("rejected").asLong()) + " rejected"),
        new Card("步骤 Steps", list(report.path("steps")).size() + (failed > 0 ? ", " + failed + " failed" : "")));
  }

  private static void priceTrend(Context page, JsonNode trend) {
    String from = trend.path("from").asText();
    String to = trend.path("to").asText();
    page.setVariable("trendFrom", from);
    page.setVariable("trendTo", to);
    List<JsonNode> series = list(trend.path("series"));
    if (series.isEmpty()) {
      return;
    }
    List<String> days = new ArrayList<>();
    for (LocalDate d = LocalDate.parse(from); !d.isAfter(LocalDate.parse(to)); d = d.plusDays(1)) {
      days.add(d.toString());
    }
    List<SvgCharts.Series> lines = new ArrayList<>();
    List<PriceRow> rows = new ArrayList<>();
    for (JsonNode s : series) {
      Map<String, Double> byDay = new HashMap<>();
      s.path("points").forEach(p -> byDay.put(p.path("date").asText(), p.path("price").asDouble()));
      lines.add(new SvgCharts.Series(s.path("name").asText(), days.stream().map(byDay::get).toList()));
      List<JsonNode> points = list(s.path("points"));
      JsonNode last = points.isEmpty() ? null : points.get(points.size() - 1);
      boolean onDate = last != null && last.path("date").asText().equals(to);
      rows.add(new PriceRow(s.path("name").asText(), s.path("code").asText(), Html.count(s.path("observations").asLong()),
          String.valueOf(points.size()), onDate ? Html.decimal(last.path("price").asDouble(), 2) : "–"));
    }
    page.setVariable("priceChart", SvgCharts.line("Price trend, CNY/kg", days.stream().map(d -> d.substring(5)).toList(), lines,
        "CNY/kg"));
    page.setVariable("prices", rows);
  }

  private static void delivery(Context page, JsonNode delivery) {
    String halfDay = hours(delivery.path("halfDayHours").asDouble());
    String nextDay = hours(delivery.path("nextDayHours").asDouble());
    page.setVariable("halfDayHours", halfDay);
    page.setVariable("nextDayHours", nextDay);
    page.setVariable("cityCount", Html.count(delivery.path("cities").asLong()));
    List<JsonNode> cities = list(delivery.path("top"));
    if (cities.isEmpty()) {
      return;
    }
    page.setVariable("deliveryChart", SvgCharts.groupedBars("Half-day and next-day delivery rates by city",
        cities.stream().map(c -> c.path("name").asText()).toList(),
        List.of(new SvgCharts.Series("半日达 half-day (≤ " + halfDay + " h, same city)", rates(cities, "halfDayRate")),
            new SvgCharts.Series("次日达 next-day (≤ " + nextDay + " h, same province)", rates(cities, "nextDayRate")))));
    page.setVariable("cities", cities.stream().map(c -> new CityRow(c.path("name").asText(), c.path("code").asText(),
        Html.count(c.path("parcels").asLong()), Html.count(c.path("signed").asLong()), rate(c.path("halfDayRate")),
        rate(c.path("nextDayRate")))).toList());
  }

  private static void upbound(Context page, JsonNode upbound) {
    page.setVariable("month", upbound.path("month").asText());
    page.setVariable("upboundParcels", Html.count(upbound.path("parcels").asLong()));
    page.setVariable("upboundCounties", Html.count(upbound.path("counties").asLong()));
    List<JsonNode> counties = list(upbound.path("top"));
    page.setVariable("upboundShown", counties.size());
    if (counties.isEmpty()) {
      return;
    }
    page.setVariable("upboundChart", SvgCharts.horizontalBars("Up-bound agricultural parcels by county",
        counties.stream().map(c -> c.path("name").asText() + " · " + c.path("city").asText()).toList(),
        counties.stream().map(c -> c.path("parcels").asLong()).toList()));
  }

  private static void sources(Context page, JsonNode sources) {
    page.setVariable("sources", list(sources).stream()
        .map(s -> sourceRow(s.path("source").asText(), s.path("kind").isTextual() ? s.path("kind").asText() : "no descriptor",
            s.path("files").asLong(), s.path("rejected").asLong(), s.path("read").asLong(), s.path("accepted").asLong(),
            s.path("quarantined").asLong()))
        .toList());
    page.setVariable("sourceTotal", sourceRow("Total", null, sum(sources, "files"), sum(sources, "rejected"),
        sum(sources, "read"), sum(sources, "accepted"), sum(sources, "quarantined")));
  }

  private static SourceRow sourceRow(String source, String kind, long files, long rejected, long read, long accepted,
      long quarantined) {
    return new SourceRow(source, kind, Html.count(files), Html.count(rejected), Html.count(read), Html.count(accepted),
        Html.count(quarantined), read > 0 ? Html.percent((double) quarantined / read) : "–");
  }

  private static FileRow fileRow(JsonNode f) {
    return new FileRow(f.path("source").asText(), f.path("file").asText(), f.path("status").asText(),
        f.path("reason").isTextual() ? f.path("reason").asText() : null, text(f.path("detail")),
        Html.count(f.path("bytes").asLong()), Html.count(f.path("read").asLong()), Html.count(f.path("accepted").asLong()),
        Html.count(f.path("quarantined").asLong()), f.path("sha256").asText());
  }

  private static QuarantineKind quarantineKind(JsonNode kind) {
    long rows = kind.path("rows").asLong();
    List<ReasonRow> reasons = new ArrayList<>();
    List<SampleRow> samples = new ArrayList<>();
    for (JsonNode r : kind.path("topReasons")) {
      String reason = r.path("reason").asText();
      reasons.add(new ReasonRow(reason, Html.count(r.path("rows").asLong()),
          rows > 0 ? Html.percent((double) r.path("rows").asLong() / rows) : "–"));
      for (JsonNode s : r.path("samples")) {
        samples.add(new SampleRow(reason, s.path("source").asText(), s.path("file").asText(), s.path("row").asLong(),
            text(s.path("detail")), values(s)));
      }
    }
    return new QuarantineKind(kind.path("kind").asText(), Html.count(rows), reasons, samples);
  }

  /** The landed values as column=value pairs, or the landed line when it could not be split. */
  private static String values(JsonNode sample) {
    List<String> pairs = new ArrayList<>();
    sample.path("values").properties().forEach(e -> {
      if (!e.getValue().isNull() && !e.getValue().asText().isEmpty()) {
        pairs.add(e.getKey() + "=" + e.getValue().asText());
      }
    });
    String line = text(sample.path("rawLine"));
    return line.isEmpty() ? String.join("; ", pairs) : String.join("; ", pairs) + (pairs.isEmpty() ? "" : " | ") + "line: " + line;
  }

  private static StepRow stepRow(JsonNode s) {
    List<Figure> details = new ArrayList<>();
    s.path("details").properties().forEach(e -> details.add(new Figure(e.getKey(), text(e.getValue()))));
    return new StepRow(s.path("name").asText(), s.path("status").asText(),
        s.has("durationMs") ? seconds(s.path("durationMs").asLong()) : "–", Html.count(s.path("read").asLong()),
        Html.count(s.path("written").asLong()), Html.count(s.path("quarantined").asLong()), details);
  }

  private static List<Double> rates(List<JsonNode> cities, String field) {
    return cities.stream().map(c -> c.path(field).isNumber() ? c.path(field).asDouble() : null).toList();
  }

  private static String rate(JsonNode value) {
    return value.isNumber() ? Html.percent(value.asDouble()) : "–";
  }

  /** A scalar as its text, anything else as compact JSON. */
  private static String text(JsonNode value) {
    return value.isMissingNode() || value.isNull() ? "" : value.isValueNode() ? value.asText() : value.toString();
  }

  private static String seconds(long millis) {
    return Html.decimal(millis / 1000.0, 1) + " s";
  }

  private static String hours(double hours) {
    return hours == Math.rint(hours) ? String.valueOf((long) hours) : String.valueOf(hours);
  }

  private static long sum(JsonNode rows, String field) {
    return list(rows).stream().mapToLong(r -> r.path(field).asLong()).sum();
  }

  private static List<JsonNode> list(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).toList();
  }

  private static TemplateEngine engine() {
    ClassLoaderTemplateResolver templates = new ClassLoaderTemplateResolver(ReportHtml.class.getClassLoader());
    templates.setPrefix("templates/");
    templates.setSuffix(".html");
    templates.setTemplateMode(TemplateMode.HTML);
    templates.setCharacterEncoding("UTF-8");
    SpringTemplateEngine engine = new SpringTemplateEngine();
    engine.setTemplateResolver(templates);
    return engine;
  }
}
