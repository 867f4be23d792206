package org.agrifusion.jobs.web;

import java.time.YearMonth;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The charts' figures as JSON (role ANALYST), read from the marts on each request: numbers of the
 * marts and names of the reference data only. Same parameters as the pages, validated by {@link ChartQuery}.
 */
@RestController
@RequestMapping("/charts/data")
public class ChartsDataController {

  private final ChartsData charts;

  public ChartsDataController(ChartsData charts) {
    this.charts = charts;
  }

  @GetMapping("/prices")
  public ChartsData.Prices prices(@RequestParam(required = false) String product, @RequestParam(required = false) String from,
      @RequestParam(required = false) String to) {
    return charts.prices(ChartQuery.product(product), ChartQuery.days(from, to, charts.latestDate()));
  }

  @GetMapping("/deliveries")
  public ChartsData.Deliveries deliveries(@RequestParam(required = false) String region,
      @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
    return charts.deliveries(ChartQuery.region(region), ChartQuery.days(from, to, charts.latestDate()));
  }

  @GetMapping("/upbound")
  public ChartsData.Upbound upbound(@RequestParam(required = false) String region, @RequestParam(required = false) String month,
      @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
    return charts.upbound(ChartQuery.region(region), ChartQuery.months(month, from, to, YearMonth.from(charts.latestDate())));
  }

  /** A bad parameter: 400 with the one-line reason as JSON (which never repeats the value as typed). */
  @ExceptionHandler(IllegalArgumentException.class)
  public ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
    return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
  }
}
