package org.agrifusion.jobs.report;

import static org.agrifusion.jobs.report.Html.escape;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.DoubleFunction;

/**
 * The report's three kinds of chart as inline SVG (no script, no external resource): a line chart,
 * a grouped bar chart of fractions and a horizontal bar chart. Every series or bar carries a
 * {@code <title>} with its exact value, which browsers show on hover.
 */
final class SvgCharts {

  /** Okabe-Ito colours: distinguishable with the common colour-vision deficiencies. */
  private static final String[] COLOURS = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"};
  private static final int WIDTH = 960;

  /** @param values one per category or x position, null where there is no value */
  record Series(String name, List<Double> values) {}

  private SvgCharts() {}

  /** Lines over categorical x positions (days): a marker per value, joined across positions without one. */
  static String line(String title, List<String> xLabels, List<Series> series, String unit) {
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

    StringBuilder svg = open(title, height);
    legend(svg, series.stream().map(Series::name).toList(), left, 18);
    yAxis(svg, left, WIDTH - right, yMax, y, v -> Html.decimal(v, yMax < 10 ? 1 : 0));
    text(svg, 8, top - 10, "start", "axis", unit);
    int every = Math.max(1, (n + 5) / 6);
    for (int i = 0; i < n; i++) {
      if (i % every == 0 || i == n - 1) {
        text(svg, x.apply(i), height - bottom + 18, "middle", "axis", xLabels.get(i));
      }
    }
    for (int s = 0; s < series.size(); s++) {
      Series line = series.get(s);
      String colour = COLOURS[s % COLOURS.length];
      svg.append("<g class=\"series\" data-series=\"").append(escape(line.name())).append("\">");
      List<String> points = new ArrayList<>();
      StringBuilder markers = new StringBuilder();
      for (int i = 0; i < n; i++) {
        Double v = line.values().get(i);
        if (v == null) {
          continue;
        }
        points.add(num(x.apply(i)) + "," + num(y.apply(v)));
        markers.append("<circle cx=\"").append(num(x.apply(i))).append("\" cy=\"").append(num(y.apply(v)))
            .append("\" r=\"3.5\" fill=\"").append(colour).append("\"><title>").append(escape(line.name())).append(" ")
            .append(escape(xLabels.get(i))).append(": ").append(Html.decimal(v, 2)).append(' ').append(escape(unit))
            .append("</title></circle>");
      }
      if (points.size() > 1) {
        svg.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"2\" points=\"")
            .append(String.join(" ", points)).append("\"/>");
      }
      svg.append(markers).append("</g>");
    }
    return svg.append("</svg>").toString();
  }

  /** Bars of fractions (0 to 1), one group per category, one bar per series; null draws no bar. */
  static String groupedBars(String title, List<String> categories, List<Series> series) {
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

    StringBuilder svg = open(title, height);
    legend(svg, series.stream().map(Series::name).toList(), left, 18);
    yAxis(svg, left, WIDTH - right, 1, y, v -> Math.round(v * 100) + "%");
    for (int c = 0; c < categories.size(); c++) {
      double groupX = left + c * groupW + (groupW - series.size() * barW) / 2;
      for (int s = 0; s < series.size(); s++) {
        Double v = series.get(s).values().get(c);
        double bx = groupX + s * barW;
        if (v == null) {
          text(svg, bx + barW / 2, top + plotH - 4, "middle", "value", "–");
          continue;
        }
        svg.append("<rect class=\"bar\" x=\"").append(num(bx + 1)).append("\" y=\"").append(num(y.apply(v)))
            .append("\" width=\"").append(num(barW - 2)).append("\" height=\"").append(num(v * plotH))
            .append("\" fill=\"").append(COLOURS[s % COLOURS.length]).append("\"><title>")
            .append(escape(categories.get(c))).append(" · ").append(escape(series.get(s).name())).append(": ")
            .append(Html.percent(v)).append("</title></rect>");
        text(svg, bx + barW / 2, y.apply(v) - 3, "middle", "value", Math.round(v * 100) + "%");
      }
      double cx = left + c * groupW + groupW / 2;
      svg.append("<text class=\"axis\" text-anchor=\"end\" transform=\"translate(").append(num(cx)).append(',')
          .append(num(height - bottom + 14)).append(") rotate(-35)\">").append(escape(categories.get(c))).append("</text>");
    }
    return svg.append("</svg>").toString();
  }

  /** One bar per label, longest first as given, with the value at the bar's end. */
  static String horizontalBars(String title, List<String> labels, List<Long> values) {
    int labelW = 220;
    int rowH = 24;
    int top = 8;
    int height = top + labels.size() * rowH + 8;
    double plotW = WIDTH - labelW - 90;
    double max = Math.max(1, values.stream().mapToLong(Long::longValue).max().orElse(1));
    StringBuilder svg = open(title, height);
    for (int i = 0; i < labels.size(); i++) {
      double rowY = top + i * rowH;
      double w = Math.max(1, values.get(i) / max * plotW);
      text(svg, labelW - 8, rowY + rowH / 2.0 + 4, "end", "label", labels.get(i));
      svg.append("<rect class=\"bar\" x=\"").append(labelW).append("\" y=\"").append(num(rowY + 3))
          .append("\" width=\"").append(num(w)).append("\" height=\"").append(rowH - 6).append("\" fill=\"")
          .append(COLOURS[0]).append("\"><title>").append(escape(labels.get(i))).append(": ")
          .append(Html.count(values.get(i))).append("</title></rect>");
      text(svg, labelW + w + 6, rowY + rowH / 2.0 + 4, "start", "value", Html.count(values.get(i)));
    }
    return svg.append("</svg>").toString();
  }

  private static StringBuilder open(String title, int height) {
    return new StringBuilder("<svg class=\"chart\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
        .append("\" role=\"img\" aria-label=\"").append(escape(title)).append("\"><title>").append(escape(title))
        .append("</title>");
  }

  private static void legend(StringBuilder svg, List<String> names, double x, double y) {
    for (int i = 0; i < names.size(); i++) {
      svg.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y - 10)).append("\" width=\"14\" height=\"12\" fill=\"")
          .append(COLOURS[i % COLOURS.length]).append("\"/>");
      text(svg, x + 20, y, "start", "legend", names.get(i));
      x += 20 + textWidth(names.get(i)) + 28;
    }
  }

  /** Horizontal grid lines with labels at about five round values from 0 to max. */
  private static void yAxis(StringBuilder svg, double x0, double x1, double max, DoubleFunction<Double> y,
      DoubleFunction<String> label) {
    double step = max / 4;
    for (int i = 0; i <= 4; i++) {
      double v = i * step;
      svg.append("<line class=\"grid\" x1=\"").append(num(x0)).append("\" x2=\"").append(num(x1)).append("\" y1=\"")
          .append(num(y.apply(v))).append("\" y2=\"").append(num(y.apply(v))).append("\"/>");
      text(svg, x0 - 6, y.apply(v) + 4, "end", "axis", label.apply(v));
    }
  }

  private static void text(StringBuilder svg, double x, double y, String anchor, String cls, String content) {
    svg.append("<text class=\"").append(cls).append("\" x=\"").append(num(x)).append("\" y=\"").append(num(y))
        .append("\" text-anchor=\"").append(anchor).append("\">").append(escape(content)).append("</text>");
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
