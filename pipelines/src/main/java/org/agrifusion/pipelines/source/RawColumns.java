package org.agrifusion.pipelines.source;

import java.util.Set;

/** Lineage columns every raw table carries next to the feed's own columns. */
public final class RawColumns {

  public static final String SOURCE_ID = "source_id";
  public static final String SOURCE_FILE = "source_file";
  /** 1-based physical line number in the landed file (header included). */
  public static final String SOURCE_ROW = "source_row";
  /** Why the line could not be split into the descriptor's columns; null when it could. */
  public static final String PARSE_ERROR = "parse_error";
  /** The line as landed, kept only when {@link #PARSE_ERROR} is set, so nothing is lost. */
  public static final String RAW_LINE = "raw_line";
  public static final String RUN_ID = "run_id";

  public static final Set<String> RESERVED =
      Set.of(SOURCE_ID, SOURCE_FILE, SOURCE_ROW, PARSE_ERROR, RAW_LINE, RUN_ID, "business_date");

  private RawColumns() {}
}
