package org.agrifusion.jobs.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.DoubleFunction;

/**
 * The geometry of the report's three kinds of chart: a line chart, a grouped bar chart of fractions
 * and a horizontal bar chart. Only positions, colours and label texts are computed here; the inline
 * SVG markup is the template's ({@code templates/report/run-report.html}, fragment {@code chart}),
 * which escapes every text. Every series or bar carries a title with its exact value, which browsers
 * show on hover.
 */
final class SvgCharts {

  /** Okabe-Ito colours: distinguishable with the common colour-vision deficiencies. */
  private static final String[] COLOURS = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"};
  private static final int WIDTH = 960;

  /** @param values one per category or x position, null where there is no value */
  record Series(String name, List<Double> values) {}

  /** One chart: what the template draws, in drawing order (legend, grid, lines, bars, texts). */
  record Chart(String title, String viewBox, List<Swatch> legend, List<GridLine> grid, List<Line> lines, List<Bar> bars,
      List<Label> labels) {}

  record Swatch(String x, String y, String colour) {}

  record GridLine(String x1, String x2, String y) {}

  /** A text at (x, y), or placed by {@code transform} when x and y are null. */
  record Label(String cls, String x, String y, String anchor, String transform, String text) {}

  /** @param points the polyline's points, null with fewer than two markers */
  record Line(String name, String colour, String points, List<Marker> markers) {}

  record Marker(String cx, String cy, String colour, String title) {}

  record Bar(String x, String y, String width, String height, String colour, String title) {}

  private SvgCharts() {}

  /** Lines over categorical x positions (days): a marker per value, joined across positions without one. */
  static Chart line(String title, List<String> xLabels, List<Series> series, String unit) {
    int left = 64;
    int right = 24;
    int top = 44;
    int bottom = 40;
    int height = 360;
    double plotW = WIDTH - left - right;
    double plotH = height - top - bottom;
    int n = xLabels.size();
    double yMax = niceMax(series.stream().flatMap(s -> s.values().stream()).filter(Objects::nonNull)
        .mapToDouble(Double::doubleValue).max().orElse(1));
    DoubleFunction<Double> x = i -> left + (n == 1 ? plotW / 2 : i * plotW / (n - 1));
    DoubleFunction<Double> y = v -> top + plotH - v / yMax * plotH;

    Builder chart = new Builder(title, height);
    chart.legend(series.stream().map(Series::name).toList(), left, 18);
    chart.yAxis(left, WIDTH - right, yMax, y, v -> Html.decimal(v, yMax < 10 ? 1 : 0));
    chart.text(8, top - 10, "start", "axis", unit);
    int every = Math.max(1, (n + 5) / 6);
    for (int i = 0; i < n; i++) {
      if (i % every == 0 || i == n - 1) {
        chart.text(x.apply(i), height - bottom + 18, "middle", "axis", xLabels.get(i));
      }
    }
    for (int s = 0; s < series.size(); s++) {
      Series line = series.get(s);
      String colour = COLOURS[s % COLOURS.length];
      List<String> points = new ArrayList<>();
      List<Marker> markers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Double v = line.values().get(i);
        if (v == null) {
          continue;
        }
        points.add(num(x.apply(i)) + "," + num(y.apply(v)));
        markers.add(new Marker(num(x.apply(i)), num(y.apply(v)), colour,
            line.name() + " " + xLabels.get(i) + ": " + Html.decimal(v, 2) + " " + unit));
      }
      chart.lines.add(new Line(line.name(), colour, points.size() > 1 ? String.join(" ", points) : null, markers));
    }
    return chart.build();
  }

  /** Bars of fractions (0 to 1), one group per category, one bar per series; null draws no bar. */
  static Chart groupedBars(String title, List<String> categories, List<Series> series) {
    int left = 56;
    int right = 16;
    int top = 44;
    int bottom = 100;
    int height = 400;
    double plotW = WIDTH - left - right;
    double plotH = height - top - bottom;
    double groupW = plotW / Math.max(1, categories.size());
    double barW = Math.min(28, groupW * 0.8 / series.size());
    DoubleFunction<Double> y = v -> top + plotH - v * plotH;

    Builder chart = new Builder(title, height);
    chart.legend(series.stream().map(Series::name).toList(), left, 18);
    chart.yAxis(left, WIDTH - right, 1, y, v -> Math.round(v * 100) + "%");
    for (int c = 0; c < categories.size(); c++) {
      double groupX = left + c * groupW + (groupW - series.size() * barW) / 2;
      for (int s = 0; s < series.size(); s++) {
        Double v = series.get(s).values().get(c);
        double bx = groupX + s * barW;
        if (v == null) {
          chart.text(bx + barW / 2, top + plotH - 4, "middle", "value", "–");
          continue;
        }
        chart.bars.add(new Bar(num(bx + 1), num(y.apply(v)), num(barW - 2), num(v * plotH), COLOURS[s % COLOURS.length],
            categories.get(c) + " · " + series.get(s).name() + ": " + Html.percent(v)));
        chart.text(bx + barW / 2, y.apply(v) - 3, "middle", "value", Math.round(v * 100) + "%");
      }
      double cx = left + c * groupW + groupW / 2;
      chart.labels.add(new Label("axis", null, null, "end",
          "translate(" + num(cx) + "," + num(height - bottom + 14) + ") rotate(-35)", categories.get(c)));
    }
    return chart.build();
  }

  /** One bar per label, longest first as given, with the value at the bar's end. */
  static Chart horizontalBars(String title, List<String> labels, List<Long> values) {
    int labelW = 220;
    int rowH = 24;
    int top = 8;
    int height = top + labels.size() * rowH + 8;
    double plotW = WIDTH - labelW - 90;
    double max = Math.max(1, values.stream().mapToLong(Long::longValue).max().orElse(1));
    Builder chart = new Builder(title, height);
    for (int i = 0; i < labels.size(); i++) {
      double rowY = top + i * rowH;
      double w = Math.max(1, values.get(i) / max * plotW);
      chart.text(labelW - 8, rowY + rowH / 2.0 + 4, "end", "label", labels.get(i));
      chart.bars.add(new Bar(String.valueOf(labelW), num(rowY + 3), num(w), String.valueOf(rowH - 6), COLOURS[0],
          labels.get(i) + ": " + Html.count(values.get(i))));
      chart.text(labelW + w + 6, rowY + rowH / 2.0 + 4, "start", "value", Html.count(values.get(i)));
    }
    return chart.build();
  }

  private static final class Builder {
    final String title;
    final int height;
    final List<Swatch> legend = new ArrayList<>();
    final List<GridLine> grid = new ArrayList<>();
    final List<Line> lines = new ArrayList<>();
    final List<Bar> bars = new ArrayList<>();
    final List<Label> labels = new ArrayList<>();

    Builder(String title, int height) {
      this.title = title;
      this.height = height;
    }

    void legend(List<String> names, double x, double y) {
      for (int i = 0; i < names.size(); i++) {
        legend.add(new Swatch(num(x), num(y - 10), COLOURS[i % COLOURS.length]));
        text(x + 20, y, "start", "legend", names.get(i));
        x += 20 + textWidth(names.get(i)) + 28;
      }
    }

    /** Horizontal grid lines with labels at about five round values from 0 to max. */
    void yAxis(double x0, double x1, double max, DoubleFunction<Double> y, DoubleFunction<String> label) {
      double step = max / 4;
      for (int i = 0; i <= 4; i++) {
        double v = i * step;
        grid.add(new GridLine(num(x0), num(x1), num(y.apply(v))));
        text(x0 - 6, y.apply(v) + 4, "end", "axis", label.apply(v));
      }
    }

    void text(double x, double y, String anchor, String cls, String content) {
      labels.add(new Label(cls, num(x), num(y), anchor, null, content));
    }

    Chart build() {
      return new Chart(title, "0 0 " + WIDTH + " " + height, legend, grid, lines, bars, labels);
    }
  }

  /** A round upper bound (1, 2, 2.5 or 5 times a power of ten) with four equal steps below it. */
  static double niceMax(double max) {
    if (max <= 0) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(max / 4)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * magnitude * 4 >= max) {
        return m * magnitude * 4;
      }
    }
    return 40 * magnitude;
  }

  /** Rough width at the chart's 13px font: CJK characters are square, Latin ones about half as wide. */
  private static double textWidth(String text) {
    return text.codePoints().mapToDouble(c -> c > 0x2E80 ? 13 : 7).sum();
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
