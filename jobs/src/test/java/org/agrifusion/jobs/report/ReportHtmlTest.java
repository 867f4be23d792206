package org.agrifusion.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.agrifusion.pipelines.report.ReportFigures.CityDelivery;
import org.agrifusion.pipelines.report.ReportFigures.CountyParcels;
import org.agrifusion.pipelines.report.ReportFigures.DeliveryByCity;
import org.agrifusion.pipelines.report.ReportFigures.FileRows;
import org.agrifusion.pipelines.report.ReportFigures.FileTotals;
import org.agrifusion.pipelines.report.ReportFigures.PricePoint;
import org.agrifusion.pipelines.report.ReportFigures.PriceSeries;
import org.agrifusion.pipelines.report.ReportFigures.PriceTrend;
import org.agrifusion.pipelines.report.ReportFigures.QuarantinedKind;
import org.agrifusion.pipelines.report.ReportFigures.Reason;
import org.agrifusion.pipelines.report.ReportFigures.Sample;
import org.agrifusion.pipelines.report.ReportFigures.SourceRows;
import org.agrifusion.pipelines.report.ReportFigures.UpboundByCounty;
import org.junit.jupiter.api.Test;

/** report.html rendered from a report built of the same records the report step writes. */
class ReportHtmlTest {

  static final String SCRIPT = "<script>alert('x')</script>";

  @Test
  void chartsAndTablesShowTheFiguresWithOneSvgPerChart() {
    String html = render(report(trend(), delivery(), upbound()));

    assertThat(html).startsWith("<!DOCTYPE html>").contains("<meta charset=\"utf-8\">");
    List<String> svgs = svgs(html);
    assertThat(svgs).hasSize(3);
    // price trend: one line group per variety, a point per day with a price, and a legend entry each
    assertThat(count(svgs.get(0), "<g class=\"series\"")).isEqualTo(3);
    assertThat(count(svgs.get(0), "<circle")).isEqualTo(3 + 2 + 1);
    assertThat(count(svgs.get(0), "<polyline")).as("a line for each variety with two days or more").isEqualTo(2);
    assertThat(svgs.get(0)).contains(">富士<", ">大白菜<", "12-07");
    // delivery: two bars per city, none where nothing was signed
    assertThat(count(svgs.get(1), "<rect class=\"bar\"")).isEqualTo(2 + 2 + 0);
    assertThat(svgs.get(1)).contains("忻州市", "半日达 half-day (≤ 12 h, same city)", "次日达 next-day (≤ 24 h, same province)",
        ">84%<", ">97%<");
    assertThat(html).contains("within the same city within 12 h of pickup", "within the same province within 24 h");
    // up-bound: one bar per county, with its value
    assertThat(count(svgs.get(2), "<rect class=\"bar\"")).isEqualTo(2);
    assertThat(svgs.get(2)).contains("五台县 · 忻州市", ">1,204<");

    assertThat(html).contains("xinfadi-daily-prices", "shop-orders", "price_observation", "UNKNOWN_PRODUCT",
        "xinfadi_prices_2021-12-07.csv : 17", "prodName=苹果王", "ingest", "standardise", "COMPLETED", "12.3 s");
    assertThat(html).doesNotContain("No data");
  }

  @Test
  void textFromTheFeedsIsEscapedEverywhere() {
    PriceTrend trend = new PriceTrend("2021-12-06", "2021-12-07",
        List.of(new PriceSeries("010101", SCRIPT, 3, List.of(new PricePoint("2021-12-07", 4.5)))));
    Map<String, Object> report = report(trend, delivery(), upbound());
    report.put("sources", List.of(new SourceRows("feed\"><img src=x onerror=alert(1)>", "price_observation", 1, 1, 0, 2, 1, 1)));
    report.put("landedFiles", List.of(new FileRows("feed", "<script>.csv", "processed", null, null, 1, "t", "00", 2, 1, 1)));
    report.put("landingChanges", List.of("landed file <b>x</b> changed during the run (size 1 -> 2)"));

    String html = render(report);

    assertThat(html).doesNotContain("<script", "<img", "<b>x</b>").contains("&lt;script&gt;.csv", "&lt;b&gt;x&lt;/b&gt;","&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;",
        "feed&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
  }

  @Test
  void aProductNameWithMarkupIsEscapedInTheChartAndTheTable() {
    String name = "<script>alert(1)</script> 红富士 & 寒富";
    PriceTrend trend = new PriceTrend("2021-12-06", "2021-12-07",
        List.of(new PriceSeries("020106", name, 3, List.of(new PricePoint("2021-12-06", 5.0), new PricePoint("2021-12-07", 4.5)))));

    String html = render(report(trend, delivery(), upbound()));

    String escaped = "&lt;script&gt;alert(1)&lt;/script&gt; 红富士 &amp; 寒富";
    assertThat(html).doesNotContain("<script", "富士 & 寒");
    String chart = svgs(html).get(0);
    // the legend, the series' data attribute and each marker's title
    assertThat(chart).contains(">" + escaped + "<", "data-series=\"" + escaped + "\"", "<title>" + escaped + " 12-07: 4.50 CNY/kg</title>");
    assertThat(html).contains("<td>" + escaped + "</td><td>020106</td>");
  }

  @Test
  void everyLandedFileIsListedWithItsStatusReasonAndChecksum() {
    String html = render(report(trend(), delivery(), upbound()));

    String files = html.substring(html.indexOf("Landed files</h2>"), html.indexOf("</table>", html.indexOf("Landed files</h2>")));
    assertThat(count(files, "<tr><td>xinfadi-daily-prices</td>")).isEqualTo(4);
    assertThat(files).contains("header.csv", "header-only", "empty.csv", ">empty", "prices.xls",
        "rejected: <code>UNSUPPORTED_TYPE</code> an Excel 97-2003 workbook", "ab".repeat(32), "61,234");
    assertThat(html).contains("4 seen: 3 processed, 1 rejected").doesNotContain("landing changed");
    Map<String, Object> changed = report(trend(), delivery(), upbound());
    changed.put("landingChanges", List.of("landed file landing/x/2021-12-07/a.csv changed during the run (size 1 -> 2)"));
    assertThat(render(changed)).contains("The landing changed during the run",
        "landed file landing/x/2021-12-07/a.csv changed during the run (size 1 -&gt; 2)");
  }

  @Test
  void thePageLoadsNothingFromOutside() {
    String html = render(report(trend(), delivery(), upbound()));

    assertThat(html).doesNotContainIgnoringCase("http://").doesNotContainIgnoringCase("https://")
        .doesNotContain("<script", "<link", "src=", "@import", "url(");
  }

  @Test
  void emptyChartsSayThereIsNoData() {
    String html = render(report(new PriceTrend("2021-11-08", "2021-12-07", List.of()),
        new DeliveryByCity(12, 24, 0, List.of()), new UpboundByCounty("2021-12", 0, 0, List.of())));

    assertThat(svgs(html)).isEmpty();
    assertThat(html).contains("No data: no price observations on the business date.",
        "No data: no parcels on the business date.", "No data: no up-bound agricultural parcels this month.");
  }

  static PriceTrend trend() {
    return new PriceTrend("2021-11-08", "2021-12-07", List.of(
        new PriceSeries("010101", "富士", 40, List.of(new PricePoint("2021-12-05", 6.1), new PricePoint("2021-12-06", 6.3),
            new PricePoint("2021-12-07", 6.25))),
        new PriceSeries("020301", "大白菜", 12, List.of(new PricePoint("2021-11-08", 0.9), new PricePoint("2021-12-07", 1.1))),
        new PriceSeries("020401", "土豆", 9, List.of(new PricePoint("2021-12-07", 1.6)))));
  }

  static DeliveryByCity delivery() {
    return new DeliveryByCity(12, 24, 5, List.of(
        new CityDelivery("140900", "忻州市", 120, 100, 0.84, 0.97),
        new CityDelivery("110100", "北京市", 80, 75, 0.5, 0.9),
        new CityDelivery("429000", "湖北省", 3, 0, null, null)));
  }

  static UpboundByCounty upbound() {
    return new UpboundByCounty("2021-12", 1504, 7, List.of(
        new CountyParcels("140922", "五台县", "忻州市", 1204), new CountyParcels("140921", "定襄县", "忻州市", 300)));
  }

  static Map<String, Object> report(PriceTrend trend, DeliveryByCity delivery, UpboundByCounty upbound) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("job", "daily-fusion");
    report.put("businessDate", "2021-12-07");
    report.put("jobExecutionId", 8);
    report.put("startTime", "2021-12-08T01:00:00");
    report.put("generatedAt", "2021-12-08T01:02:00");
    report.put("durationMs", 120_000);
    report.put("steps", List.of(
        Map.of("name", "ingest", "status", "COMPLETED", "read", 449, "written", 449, "quarantined", 0, "durationMs", 12_300,
            "details", Map.of("rowsBySource", Map.of("xinfadi-daily-prices", 449))),
        Map.of("name", "standardise", "status", "COMPLETED", "read", 449, "written", 441, "quarantined", 8, "durationMs", 9_000)));
    report.put("files", new FileTotals(4, 3, 1));
    report.put("sources", List.of(new SourceRows("xinfadi-daily-prices", "price_observation", 4, 3, 1, 449, 441, 8),
        new SourceRows("shop-orders", "sale", 0, 0, 0, 0, 0, 0)));
    report.put("landedFiles", List.of(
        new FileRows("xinfadi-daily-prices", "xinfadi_prices_2021-12-07.csv", "processed", null, null, 61_234,
            "2021-12-07T16:00:00Z", "ab".repeat(32), 449, 441, 8),
        new FileRows("xinfadi-daily-prices", "header.csv", "header-only", null, null, 78, "2021-12-07T16:00:00Z", "cd".repeat(32),
            0, 0, 0),
        new FileRows("xinfadi-daily-prices", "empty.csv", "empty", null, "no data (zero bytes or only blank lines)", 0,
            "2021-12-07T16:00:00Z", "e3".repeat(32), 0, 0, 0),
        new FileRows("xinfadi-daily-prices", "prices.xls", "rejected", "UNSUPPORTED_TYPE",
            "an Excel 97-2003 workbook (.xls) or other OLE2 document; the feed's format is csv", 4_096, "2021-12-07T16:00:00Z",
            "ef".repeat(32), 0, 0, 0)));
    report.put("quarantine", List.of(new QuarantinedKind("price_observation", 8, List.of(
        new Reason("DUPLICATE", 3, List.of()),
        new Reason("UNKNOWN_PRODUCT", 1, List.of(new Sample("xinfadi-daily-prices", "xinfadi_prices_2021-12-07.csv", 17,
            List.of("UNKNOWN_PRODUCT"), "product '苹果王' is not in the catalogue", Map.of("prodName", "苹果王"), null)))))));
    Map<String, Object> charts = new LinkedHashMap<>();
    charts.put("priceTrend", trend);
    charts.put("deliveryByCity", delivery);
    charts.put("upboundByCounty", upbound);
    report.put("charts", charts);
    return report;
  }

  static String render(Map<String, Object> report) {
    return ReportHtml.render(RunReport.toTree(report));
  }

  static List<String> svgs(String html) {
    Matcher m = Pattern.compile("<svg.*?</svg>", Pattern.DOTALL).matcher(html);
    return m.results().map(r -> r.group()).toList();
  }

  static int count(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }
}
