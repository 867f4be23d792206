package org.agrifusion.pipelines.source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.agrifusion.pipelines.standardise.ReasonCode;

/**
 * Where each of the descriptor's columns is in a file's records. With a header, columns are found by
 * name, so a sender who reorders columns or adds one (备注 before 收货人) cannot move a phone number
 * into a column the personal-data rules do not cover; extra columns are discarded. A header that
 * lacks a column or names one twice cannot be mapped: its rows carry {@link #error()}.
 */
final class HeaderMapping {

  private final int[] positions;
  private final int width;
  private final String error;
  private final List<String> header;

  private HeaderMapping(int[] positions, int width, String error, List<String> header) {
    this.positions = positions;
    this.width = width;
    this.error = error;
    this.header = header;
  }

  /** A headerless file: the columns in declared order. */
  static HeaderMapping positional(int columns) {
    int[] positions = new int[columns];
    Arrays.setAll(positions, i -> i);
    return new HeaderMapping(positions, columns, null, null);
  }

  /** The header's cells, BOM and surrounding whitespace removed, matched to the columns by name. */
  static HeaderMapping of(String[] cells, List<String> columns) {
    List<String> header = Arrays.stream(cells).map(HeaderMapping::clean).toList();
    Map<String, Integer> at = new HashMap<>();
    Set<String> twice = new LinkedHashSet<>();
    for (int i = 0; i < header.size(); i++) {
      if (at.putIfAbsent(header.get(i), i) != null && columns.contains(header.get(i))) {
        twice.add(header.get(i));
      }
    }
    int[] positions = new int[columns.size()];
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < positions.length; i++) {
      positions[i] = at.getOrDefault(columns.get(i), -1);
      if (positions[i] < 0) {
        missing.add(columns.get(i));
      }
    }
    String error = null;
    if (!twice.isEmpty()) {
      error = RawColumns.parseError(ReasonCode.DUPLICATE_HEADER, "header " + header + " names " + twice + " more than once");
    } else if (!missing.isEmpty()) {
      error = RawColumns.parseError(ReasonCode.HEADER_MISMATCH, "header " + header + " lacks the descriptor's columns " + missing);
    }
    if (error != null) {
      Arrays.setAll(positions, i -> i);
    }
    return new HeaderMapping(positions, header.size(), error, header);
  }

  static String clean(String cell) {
    return cell == null ? "" : cell.replace("\uFEFF", "").strip();
  }

  /** Fields each record must have: the header's width, or the number of columns without a header. */
  int width() {
    return width;
  }

  /** Why the file's rows cannot be mapped (a parse error), or null. */
  String error() {
    return error;
  }

  /**
   * The record's values in the descriptor's column order. With a header error they are the
   * positional guesses, which the caller keeps only for feeds without personal data.
   */
  String[] columns(String[] fields) {
    String[] values = new String[positions.length];
    for (int i = 0; i < positions.length; i++) {
      values[i] = positions[i] < fields.length ? fields[positions[i]] : null;
    }
    return values;
  }

  /** True for a record that repeats the header row (two exports concatenated). */
  boolean repeatsHeader(String[] fields) {
    return header != null && fields.length == header.size()
        && Arrays.stream(fields).map(HeaderMapping::clean).toList().equals(header);
  }
}
