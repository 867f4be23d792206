package org.agrifusion.pipelines.reference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the reference CSVs of conf/reference/: UTF-8, a header row, comma-separated, no quoting
 * (values never hold commas; multiple values are separated by {@code |}), {@code #} comments.
 */
final class ReferenceCsv {

  /** One data line: its 1-based line number and values by header name. */
  record Line(int number, Map<String, String> values) {
    String get(String column) {
      return values.getOrDefault(column, "");
    }

    /** The values of single-value columns followed by the items of list columns, non-empty only. */
    List<String> names(String... columns) {
      List<String> out = new ArrayList<>();
      for (String column : columns) {
        out.addAll(list(column));
      }
      return out;
    }

    List<String> list(String column) {
      String v = get(column);
      return v.isBlank() ? List.of() : Arrays.stream(v.split("\\|")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
  }

  private ReferenceCsv() {}

  static List<Line> read(Path file, String... requiredColumns) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read reference file " + file, e);
    }
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(file + ": empty reference file");
    }
    String[] header = lines.get(0).replace("\uFEFF", "").split(",", -1);
    List<String> columns = Arrays.asList(header);
    for (String required : requiredColumns) {
      if (!columns.contains(required)) {
        throw new IllegalArgumentException(file + ": header lacks column '" + required + "', has " + columns);
      }
    }
    List<Line> out = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] values = line.split(",", -1);
      if (values.length != header.length) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected " + header.length
            + " values, found " + values.length);
      }
      Map<String, String> map = new LinkedHashMap<>();
      for (int c = 0; c < header.length; c++) {
        map.put(header[c], values[c].strip());
      }
      out.add(new Line(i + 1, map));
    }
    return out;
  }
}
