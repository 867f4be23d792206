package org.agrifusion.jobs.search;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
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

  /**
   * Writes the header and up to {@code limit} rows; returns the rows written. A failed write (the
   * browser left the download, a closed pipe) stops the paging and is thrown: pass a writer that
   * throws, never a PrintWriter, which swallows the error and would page on to the limit.
   */
  public static long write(SearchService service, SearchRequest request, long limit, Writer out) throws IOException {
    List<String> columns = request.fields().family().show();
    line(out, columns.stream().map(SearchCsv::cell).toList());
    IOException[] failed = {null};
    long rows = service.forEachHit(request, limit + 1, new Predicate<>() {
      long seen;

      @Override
      public boolean test(Map<String, Object> doc) {
        if (++seen > limit) {
          return true;
        }
        try {
          line(out, columns.stream().map(c -> cell(doc.get(c))).toList());
          return true;
        } catch (IOException e) {
          failed[0] = e;
          return false;
        }
      }
    });
    if (failed[0] != null) {
      throw failed[0];
    }
    if (rows > limit) {
      out.write("# cut at " + limit + " rows; narrow the search for the rest\n");
      rows = limit;
    }
    out.flush();
    return rows;
  }

  private static void line(Writer out, List<String> cells) throws IOException {
    out.write(String.join(",", cells));
    out.write('\n');
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
