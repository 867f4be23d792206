package org.agrifusion.jobs.search;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every hit of a search as CSV (the family's {@code show} columns), streamed page by page and cut
 * at a row limit: {@code agri search --format csv} and the portal's download. A cut file ends with
 * a comment line saying so, so a truncated download is never mistaken for the whole result.
 */
public final class SearchCsv {

  /** The row limit of {@code agri search --format csv}; the portal passes its own (agri.portal.csv-row-limit). */
  public static final long DEFAULT_ROW_LIMIT = 100_000;

  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");

  private SearchCsv() {}

  /** Writes the header and up to {@code limit} rows; returns the rows written. */
  public static long write(SearchService service, SearchRequest request, long limit, PrintWriter out) {
    List<String> columns = request.fields().family().show();
    out.println(String.join(",", columns.stream().map(SearchCsv::cell).toList()));
    long rows = service.forEachHit(request, limit + 1, new java.util.function.Consumer<>() {
      long seen;

      @Override
      public void accept(Map<String, Object> doc) {
        if (++seen <= limit) {
          out.println(String.join(",", columns.stream().map(c -> cell(doc.get(c))).toList()));
        }
      }
    });
    if (rows > limit) {
      out.println("# cut at " + limit + " rows; narrow the search for the rest");
      rows = limit;
    }
    out.flush();
    return rows;
  }

  /** A CSV cell, quoted when needed; text a spreadsheet would run as a formula is prefixed with a quote. */
  static String cell(Object value) {
    String s = value == null ? "" : String.valueOf(value);
    if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 && !NUMBER.matcher(s).matches()) {
      s = "'" + s;
    }
    return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
