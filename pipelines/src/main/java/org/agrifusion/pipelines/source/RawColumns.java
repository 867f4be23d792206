package org.agrifusion.pipelines.source;

import java.util.Set;
import org.agrifusion.pipelines.standardise.ReasonCode;

/** Lineage columns every raw table carries next to the feed's own columns. */
public final class RawColumns {

  public static final String SOURCE_ID = "source_id";
  public static final String SOURCE_FILE = "source_file";
  /** 1-based physical line number in the landed file (header included). */
  public static final String SOURCE_ROW = "source_row";
  /**
   * Why the reader could not fit the record to the descriptor's columns, as {@code <REASON_CODE>: <detail>}
   * (see {@link #parseError}); null when it could.
   */
  public static final String PARSE_ERROR = "parse_error";
  /** The line as landed, kept only when {@link #PARSE_ERROR} is set, so nothing is lost. */
  public static final String RAW_LINE = "raw_line";
  public static final String RUN_ID = "run_id";
  /** Run ids of rows a history import wrote: the nightly ingest keeps them on a date without landed files. */
  public static final String IMPORT_RUN_PREFIX = "import-";

  public static final Set<String> RESERVED =
      Set.of(SOURCE_ID, SOURCE_FILE, SOURCE_ROW, PARSE_ERROR, RAW_LINE, RUN_ID, "business_date");

  private RawColumns() {}

  /** The {@link #PARSE_ERROR} text of a reader's finding: the reason code the standardise step gives it, and why. */
  public static String parseError(ReasonCode code, String detail) {
    return code.name() + ": " + detail;
  }

  /** The reason code of a {@link #PARSE_ERROR}; raw rows written before codes were stored are UNPARSEABLE_LINE. */
  public static ReasonCode parseErrorCode(String parseError) {
    int colon = parseError.indexOf(": ");
    if (colon > 0) {
      try {
        return ReasonCode.valueOf(parseError.substring(0, colon));
      } catch (IllegalArgumentException e) {
        // older raw partitions hold the bare detail
      }
    }
    return ReasonCode.UNPARSEABLE_LINE;
  }

  public static String parseErrorDetail(String parseError) {
    int colon = parseError.indexOf(": ");
    return colon > 0 && parseError.substring(0, colon).equals(parseErrorCode(parseError).name())
        ? parseError.substring(colon + 2) : parseError;
  }
}
