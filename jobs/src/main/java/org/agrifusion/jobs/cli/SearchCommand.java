package org.agrifusion.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.agrifusion.jobs.search.SearchCsv;
import org.agrifusion.jobs.search.SearchRequest;
import org.agrifusion.jobs.search.SearchResult;
import org.agrifusion.jobs.search.SearchService;
import org.springframework.stereotype.Component;

/**
 * {@code agri search}: free text understood through the catalogues, and filters, over one index
 * family ({@link SearchService}), as a table, JSON or CSV (every page, streamed), with optional
 * statistics of the family's measure by any keyword field.
 */
@Component
public class SearchCommand {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SearchService service;

  public SearchCommand(SearchService service) {
    this.service = service;
  }

  public int run(String text, Map<String, String> options, PrintStream out) {
    Map<String, String> parameters = new LinkedHashMap<>(options);
    String format = parameters.getOrDefault("format", "table");
    parameters.remove("format");
    if (!List.of("table", "json", "csv").contains(format)) {
      throw new IllegalArgumentException("format '" + format + "' is not table, json or csv");
    }
    if (text != null) {
      parameters.put("q", text);
    }
    SearchRequest request = service.parse(parameters);
    try {
      if (format.equals("csv") && request.statsBy() == null) {
        try {
          SearchCsv.write(service, request, SearchCsv.DEFAULT_ROW_LIMIT, new OutputStreamWriter(failing(out), StandardCharsets.UTF_8));
        } catch (IOException closed) {
          // the reader stopped reading (agri search --format csv | head): it has what it wanted
        }
        return ExitCodes.OK;
      }
      SearchResult result = service.search(request);
      if (format.equals("table") && !result.explanation().isEmpty()) {
        out.println(result.explanation());
      }
      if (request.statsBy() != null) {
        printStats(result, request.statsBy(), request.fields().family().measure(), format, out);
      } else {
        printHits(result, request.fields().family().show(), format, out);
      }
      return ExitCodes.OK;
    } catch (IOException e) {
      throw new UncheckedIOException("search failed: " + e.getMessage(), e);
    }
  }

  /**
   * The stream as one whose writes throw once it failed: a PrintStream (System.out) swallows a closed
   * pipe, and the CSV would page on to its row limit for nobody.
   */
  private static OutputStream failing(PrintStream stream) {
    return new FilterOutputStream(stream) {
      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        stream.write(bytes, offset, length);
        if (stream.checkError()) {
          throw new IOException("the output was closed");
        }
      }
    };
  }

  private static void printHits(SearchResult result, List<String> show, String format, PrintStream out) throws IOException {
    if (format.equals("json")) {
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result.hits()));
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    for (Map<String, Object> doc : result.hits()) {
      rows.add(show.stream().map(c -> doc.get(c) == null ? "" : String.valueOf(doc.get(c))).toList());
    }
    table(show, rows, out);
    out.printf("%d of %d matching documents%n", result.hits().size(), result.total());
    result.facets().forEach((field, values) -> {
      if (!values.isEmpty()) {
        out.println(field + ": " + values.stream()
            .map(f -> f.value() + (f.label().isEmpty() ? "" : " " + f.label()) + " (" + f.count() + ")")
            .collect(Collectors.joining(", ")));
      }
    });
    if (result.previous() != null) {
      out.println("previous page: --after " + result.previous());
    }
    if (result.next() != null) {
      out.println("next page: --after " + result.next());
    }
  }

  private static void printStats(SearchResult result, String by, String measure, String format, PrintStream out)
      throws IOException {
    List<String> header = List.of(by, "docs", measure + "_min", measure + "_avg", measure + "_max", measure + "_sum");
    List<List<String>> rows = new ArrayList<>();
    for (SearchResult.Stats s : result.stats()) {
      rows.add(List.of(s.value(), String.valueOf(s.docs()), num(s.min()), num(s.avg()), num(s.max()), num(s.sum())));
    }
    switch (format) {
      case "json" -> out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
          rows.stream().map(r -> {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
              m.put(header.get(i), r.get(i));
            }
            return m;
          }).toList()));
      case "csv" -> {
        out.println(String.join(",", header));
        rows.forEach(r -> out.println(String.join(",", r)));
      }
      default -> table(header, rows, out);
    }
  }

  private static String num(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "" : String.format("%.2f", v);
  }

  /** Columns padded by display width: a Chinese character takes two cells in a terminal. */
  private static void table(List<String> header, List<List<String>> rows, PrintStream out) {
    int[] widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = width(header.get(i));
      for (List<String> row : rows) {
        widths[i] = Math.min(40, Math.max(widths[i], width(row.get(i))));
      }
    }
    out.println(line(header, widths));
    for (List<String> row : rows) {
      out.println(line(row, widths));
    }
  }

  private static String line(List<String> cells, int[] widths) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      sb.append(cell).append(" ".repeat(Math.max(1, widths[i] - width(cell) + 2)));
    }
    return sb.toString().stripTrailing();
  }

  private static int width(String s) {
    return s.codePoints().map(c -> Character.isIdeographic(c) || (c >= 0xFF00 && c <= 0xFFEF) ? 2 : 1).sum();
  }
}
