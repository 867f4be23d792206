package org.agrifusion.jobs.report;

import static org.agrifusion.jobs.report.Html.escape;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * report.html: the run report (report.json) as one self-contained page for people: inline CSS,
 * charts as inline SVG, no script and no external resource, every value escaped. It renders only
 * what the JSON holds, so the two never disagree.
 */
public final class ReportHtml {

  private static final String CSS = """
      body{font-family:system-ui,"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;
        margin:0 auto;max-width:1000px;padding:16px 24px 48px;color:#1f2933;background:#fff;line-height:1.45}
      h1{font-size:1.6em;margin:.4em 0 .1em}h2{font-size:1.25em;margin:1.8em 0 .4em;border-bottom:2px solid #d9e2ec;padding-bottom:.2em}
      h3{font-size:1.05em;margin:1.2em 0 .3em}.meta,.note{color:#52606d;font-size:.9em}.nodata{color:#8a4b00;background:#fff6e5;padding:.5em .8em;border-radius:4px}
      .cards{display:flex;gap:12px;flex-wrap:wrap;margin:1em 0}.card{border:1px solid #d9e2ec;border-radius:6px;padding:.6em 1em;min-width:150px}
      .card b{display:block;font-size:1.5em}table{border-collapse:collapse;width:100%;font-size:.88em;margin:.4em 0}
      th,td{border-bottom:1px solid #e4e7eb;padding:4px 6px;text-align:left;vertical-align:top}th{background:#f5f7fa}
      td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}tr.total td{font-weight:bold;border-top:2px solid #9aa5b1}
      .status-COMPLETED{color:#1b7f3b}.status-FAILED{color:#b42318;font-weight:bold}code,.raw{font-family:ui-monospace,monospace;font-size:.9em;word-break:break-all}
      table.samples td:first-child{white-space:nowrap}table.samples td:last-child{width:48%}
      svg.chart{width:100%;height:auto;display:block;margin:.4em 0}svg text{font-size:13px;fill:#323f4b}
      svg text.axis,svg text.value{font-size:11px;fill:#52606d}svg line.grid{stroke:#e4e7eb}details summary{cursor:pointer;color:#52606d}
      """;

  private ReportHtml() {}

  public static String render(JsonNode report) {
    String date = report.path("businessDate").asText();
    StringBuilder html = new StringBuilder(32_000);
    html.append("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>运行报告 Run report ").append(escape(date)).append("</title><style>").append(CSS)
        .append("</style></head><body>\n");
    html.append("<h1>运行报告 Run report · ").append(escape(report.path("job").asText())).append(" · ").append(escape(date))
        .append("</h1><p class=\"meta\">Job execution ").append(escape(report.path("jobExecutionId").asText()))
        .append(" · started ").append(escape(report.path("startTime").asText()))
        .append(" · report generated ").append(escape(report.path("generatedAt").asText()));
    if (report.has("durationMs")) {
      html.append(" · ").append(seconds(report.path("durationMs").asLong())).append(" until the report step");
    }
    html.append("</p>\n");
    landingChanges(html, report.path("landingChanges"));
    summary(html, report);
    priceTrend(html, report.path("charts").path("priceTrend"));
    delivery(html, report.path("charts").path("deliveryByCity"));
    upbound(html, report.path("charts").path("upboundByCounty"));
    sources(html, report.path("sources"));
    landedFiles(html, report.path("landedFiles"));
    quarantine(html, report.path("quarantine"));
    steps(html, report.path("steps"));
    html.append("<p class=\"note\">Rendered from report.json in the same folder, which holds every figure shown here.</p>")
        .append("</body></html>\n");
    return html.toString();
  }

  private static void summary(StringBuilder html, JsonNode report) {
    long read = sum(report.path("sources"), "read");
    long accepted = sum(report.path("sources"), "accepted");
    long quarantined = sum(report.path("sources"), "quarantined");
    long failed = list(report.path("steps")).stream().filter(s -> s.path("status").asText().equals("FAILED")).count();
    html.append("<div class=\"cards\">");
    card(html, "读入 Rows read", Html.count(read));
    card(html, "接收 Accepted", Html.count(accepted));
    card(html, "隔离 Quarantined", Html.count(quarantined) + (read > 0 ? " (" + Html.percent((double) quarantined / read) + ")" : ""));
    JsonNode files = report.path("files");
    card(html, "文件 Files", Html.count(files.path("seen").asLong()) + " seen: " + Html.count(files.path("processed").asLong())
        + " processed, " + Html.count(files.path("rejected").asLong()) + " rejected");
    card(html, "步骤 Steps", list(report.path("steps")).size() + (failed > 0 ? ", " + failed + " failed" : ""));
    html.append("</div>\n");
  }

  private static void card(StringBuilder html, String label, String value) {
    html.append("<div class=\"card\">").append(escape(label)).append("<b>").append(escape(value)).append("</b></div>");
  }

  private static void priceTrend(StringBuilder html, JsonNode trend) {
    html.append("<h2>价格走势 Price trend of the most observed varieties</h2>")
        .append("<p class=\"note\">Daily average wholesale price in CNY/kg (mean of the observations in China's markets, mart price_daily) of the ")
        .append("varieties with the most observations on the business date, ").append(escape(trend.path("from").asText()))
        .append(" to ").append(escape(trend.path("to").asText())).append(". Each marker is a day with prices; days without (no partition published) are bridged by the line.</p>");
    List<JsonNode> series = list(trend.path("series"));
    if (series.isEmpty()) {
      noData(html, "no price observations on the business date.");
      return;
    }
    List<String> days = new ArrayList<>();
    for (LocalDate d = LocalDate.parse(trend.path("from").asText()); !d.isAfter(LocalDate.parse(trend.path("to").asText()));
        d = d.plusDays(1)) {
      days.add(d.toString());
    }
    List<SvgCharts.Series> lines = new ArrayList<>();
    for (JsonNode s : series) {
      Map<String, Double> byDay = new HashMap<>();
      s.path("points").forEach(p -> byDay.put(p.path("date").asText(), p.path("price").asDouble()));
      lines.add(new SvgCharts.Series(s.path("name").asText(), days.stream().map(byDay::get).toList()));
    }
    html.append(SvgCharts.line("Price trend, CNY/kg", days.stream().map(d -> d.substring(5)).toList(), lines, "CNY/kg"));
    html.append("<table><tr><th>品种 Variety</th><th>Code</th><th class=\"n\">Observations on the date</th>")
        .append("<th class=\"n\">Days with a price</th><th class=\"n\">Price on the date, CNY/kg</th></tr>");
    for (JsonNode s : series) {
      List<JsonNode> points = list(s.path("points"));
      JsonNode last = points.isEmpty() ? null : points.get(points.size() - 1);
      boolean onDate = last != null && last.path("date").asText().equals(trend.path("to").asText());
      html.append("<tr><td>").append(escape(s.path("name").asText())).append("</td><td>").append(escape(s.path("code").asText()))
          .append("</td>").append(numberCell(Html.count(s.path("observations").asLong())))
          .append(numberCell(String.valueOf(points.size())))
          .append(numberCell(onDate ? Html.decimal(last.path("price").asDouble(), 2) : "–")).append("</tr>");
    }
    html.append("</table>\n");
  }

  private static void delivery(StringBuilder html, JsonNode delivery) {
    String halfDay = hours(delivery.path("halfDayHours").asDouble());
    String nextDay = hours(delivery.path("nextDayHours").asDouble());
    html.append("<h2>寄递时效 Delivery rates by city</h2><p class=\"note\">")
        .append("<b>半日达率 Half-day rate</b>: share of signed parcels delivered within the same city within ").append(halfDay)
        .append(" h of pickup. <b>次日达率 Next-day rate</b>: share delivered within the same province within ").append(nextDay)
        .append(" h (half-day deliveries included). Rates of the business date from mart delivery_daily, weighted by signed ")
        .append("parcels; the city is that of the county at the rural end of each parcel's route (the sending county for ")
        .append("up-bound parcels, the receiving one for down-bound parcels).</p>");
    List<JsonNode> cities = list(delivery.path("top"));
    if (cities.isEmpty()) {
      noData(html, "no parcels on the business date.");
      return;
    }
    html.append("<p class=\"note\">The ").append(cities.size()).append(" cities with the most parcels, of ")
        .append(Html.count(delivery.path("cities").asLong())).append(".</p>");
    html.append(SvgCharts.groupedBars("Half-day and next-day delivery rates by city",
        cities.stream().map(c -> c.path("name").asText()).toList(),
        List.of(new SvgCharts.Series("半日达 half-day (≤ " + halfDay + " h, same city)", rates(cities, "halfDayRate")),
            new SvgCharts.Series("次日达 next-day (≤ " + nextDay + " h, same province)", rates(cities, "nextDayRate")))));
    html.append("<table><tr><th>城市 City</th><th>Code</th><th class=\"n\">Parcels</th><th class=\"n\">Signed</th>")
        .append("<th class=\"n\">Half-day rate</th><th class=\"n\">Next-day rate</th></tr>");
    for (JsonNode c : cities) {
      html.append("<tr><td>").append(escape(c.path("name").asText())).append("</td><td>").append(escape(c.path("code").asText()))
          .append("</td>").append(numberCell(Html.count(c.path("parcels").asLong())))
          .append(numberCell(Html.count(c.path("signed").asLong())))
          .append(numberCell(rate(c.path("halfDayRate")))).append(numberCell(rate(c.path("nextDayRate")))).append("</tr>");
    }
    html.append("</table>\n");
  }

  private static void upbound(StringBuilder html, JsonNode upbound) {
    html.append("<h2>农产品上行 Up-bound agricultural parcels by county, ").append(escape(upbound.path("month").asText()))
        .append("</h2><p class=\"note\">Parcels of agricultural orders sent from rural counties in the month so far ")
        .append("(mart upbound_monthly, the delivery subsidy basis).</p>");
    List<JsonNode> counties = list(upbound.path("top"));
    if (counties.isEmpty()) {
      noData(html, "no up-bound agricultural parcels this month.");
      return;
    }
    html.append("<p class=\"note\">").append(Html.count(upbound.path("parcels").asLong())).append(" parcels from ")
        .append(Html.count(upbound.path("counties").asLong())).append(" counties; the ").append(counties.size())
        .append(" with the most are shown.</p>");
    html.append(SvgCharts.horizontalBars("Up-bound agricultural parcels by county",
        counties.stream().map(c -> c.path("name").asText() + " · " + c.path("city").asText()).toList(),
        counties.stream().map(c -> c.path("parcels").asLong()).toList()));
  }

  private static void landingChanges(StringBuilder html, JsonNode changes) {
    if (list(changes).isEmpty()) {
      return;
    }
    html.append("<p class=\"nodata\"><b>The landing changed during the run; the date failed and must be run again.</b>");
    changes.forEach(c -> html.append("<br>").append(escape(c.asText())));
    html.append("</p>\n");
  }

  private static void sources(StringBuilder html, JsonNode sources) {
    html.append("<h2>数据来源 Sources</h2>");
    if (list(sources).isEmpty()) {
      noData(html, "no sources are configured.");
      return;
    }
    html.append("<table><tr><th>Source</th><th>Record kind</th><th class=\"n\">Files</th><th class=\"n\">Rejected files</th>")
        .append("<th class=\"n\">Rows read</th><th class=\"n\">Accepted</th><th class=\"n\">Quarantined</th>")
        .append("<th class=\"n\">Quarantined %</th></tr>");
    for (JsonNode s : sources) {
      String kind = s.path("kind").isTextual() ? s.path("kind").asText() : "no descriptor";
      sourceRow(html, "<td>" + escape(s.path("source").asText()) + "</td><td>" + escape(kind) + "</td>", "", s.path("files").asLong(),
          s.path("rejected").asLong(), s.path("read").asLong(), s.path("accepted").asLong(), s.path("quarantined").asLong());
    }
    sourceRow(html, "<td colspan=\"2\">Total</td>", " class=\"total\"", sum(sources, "files"), sum(sources, "rejected"),
        sum(sources, "read"), sum(sources, "accepted"), sum(sources, "quarantined"));
    html.append("</table>\n");
  }

  private static void sourceRow(StringBuilder html, String names, String rowClass, long files, long rejected, long read,
      long accepted, long quarantined) {
    html.append("<tr").append(rowClass).append('>').append(names).append(numberCell(Html.count(files)))
        .append(numberCell(Html.count(rejected))).append(numberCell(Html.count(read))).append(numberCell(Html.count(accepted)))
        .append(numberCell(Html.count(quarantined)))
        .append(numberCell(read > 0 ? Html.percent((double) quarantined / read) : "–")).append("</tr>");
  }

  private static void landedFiles(StringBuilder html, JsonNode files) {
    html.append("<h2>落地文件 Landed files</h2><p class=\"note\">Every file landed for the date, as ingest listed it: ")
        .append("processed (read), header-only (read, no rows), empty (no data, not read) or rejected (never read, with ")
        .append("the reason). Size and SHA-256 are those of the file as landed.</p>");
    if (list(files).isEmpty()) {
      noData(html, "no files landed for the date.");
      return;
    }
    html.append("<table><tr><th>Source</th><th>File</th><th>Status</th><th class=\"n\">Bytes</th>")
        .append("<th class=\"n\">Rows read</th><th class=\"n\">Accepted</th><th class=\"n\">Quarantined</th>")
        .append("<th>SHA-256</th></tr>");
    for (JsonNode f : files) {
      String status = f.path("status").asText();
      html.append("<tr><td>").append(escape(f.path("source").asText())).append("</td><td class=\"raw\">")
          .append(escape(f.path("file").asText())).append("</td><td>").append(escape(status));
      if (f.path("reason").isTextual()) {
        html.append(": <code>").append(escape(f.path("reason").asText())).append("</code> ")
            .append(escape(text(f.path("detail"))));
      }
      html.append("</td>").append(numberCell(Html.count(f.path("bytes").asLong())))
          .append(numberCell(Html.count(f.path("read").asLong()))).append(numberCell(Html.count(f.path("accepted").asLong())))
          .append(numberCell(Html.count(f.path("quarantined").asLong())))
          .append("<td class=\"raw\">").append(escape(f.path("sha256").asText())).append("</td></tr>");
    }
    html.append("</table>\n");
  }

  private static void quarantine(StringBuilder html, JsonNode kinds) {
    html.append("<h2>隔离原因 Quarantine: top reasons and sample rows</h2><p class=\"note\">Rejected rows are kept in ")
        .append("the lake table quarantine.quarantine/&lt;record kind&gt;/ with their landed valueslt;record kindquarantine/&lt;record kind&gt;/ with their landed valuesgt; with their landed values; the reason codes are explained in ")
        .append("docs/data-standard.md. A row with several reasons counts once under each of them. Personal data was dropped or hashed ")
        .append("when the files were read.</p>");
    if (list(kinds).isEmpty()) {
      noData(html, "nothing was quarantined.");
      return;
    }
    for (JsonNode kind : kinds) {
      long rows = kind.path("rows").asLong();
      html.append("<h3>").append(escape(kind.path("kind").asText())).append(": ").append(Html.count(rows))
          .append(" rows quarantined</h3><table><tr><th>Reason</th><th class=\"n\">Rows</th><th class=\"n\">Share</th></tr>");
      for (JsonNode r : kind.path("topReasons")) {
        html.append("<tr><td><code>").append(escape(r.path("reason").asText())).append("</code></td>")
            .append(numberCell(Html.count(r.path("rows").asLong())))
            .append(numberCell(rows > 0 ? Html.percent((double) r.path("rows").asLong() / rows) : "–")).append("</tr>");
      }
      html.append("</table><table class=\"samples\"><tr><th>Reason</th><th>Source, file : line</th><th>Detail</th>")
          .append("<th>Landed values</th></tr>");
      for (JsonNode r : kind.path("topReasons")) {
        for (JsonNode s : r.path("samples")) {
          html.append("<tr><td><code>").append(escape(r.path("reason").asText())).append("</code></td><td>")
              .append(escape(s.path("source").asText())).append("<br><span class=\"raw\">").append(escape(s.path("file").asText()))
              .append(" : ").append(s.path("row").asLong()).append("</span></td><td>").append(escape(text(s.path("detail"))))
              .append("</td><td class=\"raw\">").append(escape(values(s))).append("</td></tr>");
        }
      }
      html.append("</table>\n");
    }
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

  private static void steps(StringBuilder html, JsonNode steps) {
    html.append("<h2>步骤 Steps</h2><table><tr><th>Step</th><th>Status</th><th class=\"n\">Duration</th>")
        .append("<th class=\"n\">Read</th><th class=\"n\">Written</th><th class=\"n\">Quarantined</th><th>Details</th></tr>");
    for (JsonNode s : steps) {
      String status = s.path("status").asText();
      html.append("<tr><td>").append(escape(s.path("name").asText())).append("</td><td class=\"status-")
          .append(escape(status)).append("\">").append(escape(status)).append("</td>")
          .append(numberCell(s.has("durationMs") ? seconds(s.path("durationMs").asLong()) : "–"))
          .append(numberCell(Html.count(s.path("read").asLong()))).append(numberCell(Html.count(s.path("written").asLong())))
          .append(numberCell(Html.count(s.path("quarantined").asLong()))).append("<td>");
      if (s.path("details").size() > 0) {
        html.append("<details><summary>").append(s.path("details").size()).append(" figures</summary>");
        s.path("details").properties().forEach(e -> html.append("<div><b>").append(escape(e.getKey())).append("</b>: <span class=\"raw\">")
            .append(escape(text(e.getValue()))).append("</span></div>"));
        html.append("</details>");
      }
      html.append("</td></tr>");
    }
    html.append("</table>\n");
  }

  private static void noData(StringBuilder html, String why) {
    html.append("<p class=\"nodata\">No data: ").append(escape(why)).append("</p>\n");
  }

  private static List<Double> rates(List<JsonNode> cities, String field) {
    return cities.stream().map(c -> c.path(field).isNumber() ? c.path(field).asDouble() : null).toList();
  }

  private static String rate(JsonNode value) {
    return value.isNumber() ? Html.percent(value.asDouble()) : "–";
  }

  private static String numberCell(String value) {
    return "<td class=\"n\">" + escape(value) + "</td>";
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
}
