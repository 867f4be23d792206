package org.agrifusion.jobs.search;

import java.util.List;
import java.util.Map;

/**
 * One page of a search.
 *
 * @param next the {@code after} cursor of the following page, null on the last page
 * @param previous the {@code after} cursor of the page before, null on the first page
 * @param facets per facet field of the family, its most frequent values among all matches
 * @param stats per value of {@code stats-by}, the family's measure summarised (empty without stats-by)
 */
public record SearchResult(List<Map<String, Object>> hits, long total, String next, String previous, String explanation,
    Map<String, List<Facet>> facets, List<Stats> stats) {

  /** A facet value with its catalogue name when it is a product or region code. */
  public record Facet(String value, String label, long count) {}

  public record Stats(String value, long docs, double min, double avg, double max, double sum) {}
}
