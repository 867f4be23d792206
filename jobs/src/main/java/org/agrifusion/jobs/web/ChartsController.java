package org.agrifusion.jobs.web;

import jakarta.servlet.http.HttpServletResponse;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The chart pages (role ANALYST): a form with the validated parameters and an element per chart whose
 * {@code data-src} (built by the template from those parameters) is the JSON of {@link ChartsDataController}; static/js/charts.js draws them with
 * ECharts, served from the application's webjar (no inline script: the portal's CSP is script-src 'self').
 */
@Controller
@RequestMapping("/charts")
public class ChartsController {

  private final ChartsData charts;

  public ChartsController(ChartsData charts) {
    this.charts = charts;
  }

  /** The nav's 图表 Charts: the three charts, each with what it shows. */
  @GetMapping
  public String index() {
    return "charts/index";
  }

  /**
   * A variety's price band and spread; without a product, the first variety with prices on the latest
   * date (none before the first published run: the page then asks for a variety).
   */
  @GetMapping("/prices")
  public String prices(@RequestParam(required = false) String product, @RequestParam(required = false) String from,
      @RequestParam(required = false) String to, Model model) {
    List<ChartsData.Option> options = new ArrayList<>(charts.productsWithPrices());
    ChartQuery.Days period = ChartQuery.days(from, to, charts.latestDate());
    model.addAttribute("products", options);
    model.addAttribute("from", period.from().toString());
    model.addAttribute("to", period.to().toString());
    if (product == null && options.isEmpty()) {
      return "charts/prices";
    }
    String code = product == null ? options.get(0).code() : ChartQuery.product(product);
    String name = charts.catalogueName(code);
    if (options.stream().noneMatch(o -> o.code().equals(code))) {
      options.add(0, new ChartsData.Option(code, name));
    }
    model.addAttribute("product", code);
    model.addAttribute("productName", name);
    return "charts/prices";
  }

  @GetMapping("/deliveries")
  public String deliveries(@RequestParam(required = false) String region, @RequestParam(required = false) String from,
      @RequestParam(required = false) String to, Model model) {
    String prefix = ChartQuery.region(region == null ? "14" : region);
    model.addAttribute("regionName", charts.regionName(prefix));
    ChartQuery.Days period = ChartQuery.days(from, to, charts.latestDate());
    model.addAttribute("region", prefix);
    model.addAttribute("regions", charts.regions());
    model.addAttribute("from", period.from().toString());
    model.addAttribute("to", period.to().toString());
    return "charts/deliveries";
  }

  @GetMapping("/upbound")
  public String upbound(@RequestParam(required = false) String region, @RequestParam(required = false) String month,
      @RequestParam(required = false) String from, @RequestParam(required = false) String to, Model model) {
    String prefix = ChartQuery.region(region == null ? "14" : region);
    model.addAttribute("regionName", charts.regionName(prefix));
    ChartQuery.Months period = ChartQuery.months(month, from, to, YearMonth.from(charts.latestDate()));
    model.addAttribute("region", prefix);
    model.addAttribute("regions", charts.regions());
    model.addAttribute("from", period.from().toString());
    model.addAttribute("to", period.to().toString());
    return "charts/upbound";
  }

  /** A bad parameter: 400 with the one-line reason (which never repeats the value as typed). */
  @ExceptionHandler(IllegalArgumentException.class)
  public String badRequest(IllegalArgumentException e, Model model, HttpServletResponse response) {
    response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
    model.addAttribute("message", e.getMessage());
    return "charts/bad-request";
  }
}
