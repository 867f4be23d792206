package org.agrifusion.pipelines.source;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One feed, as a data steward describes it in {@code conf/sources/<id>.yml}. Parsed and checked by
 * {@link SourceDescriptors}; immutable and serializable so executors receive it with the task.
 *
 * @param columns names given to the file's columns in order (also when the file has a header row,
 *     so a swapped or renamed header cannot silently move data)
 * @param fields canonical field -> column name
 * @param constants canonical field -> fixed value for every row (market name, channel, ...)
 * @param dateFormats {@link java.time.format.DateTimeFormatter} patterns tried in order
 * @param naturalKey canonical fields that identify one record of this feed
 */
public record SourceDescriptor(
    String id,
    RecordKind kind,
    String description,
    Landing landing,
    Format format,
    List<String> columns,
    Map<String, String> fields,
    Map<String, String> constants,
    List<String> dateFormats,
    String timezone,
    List<String> naturalKey)
    implements Serializable {

  /** @param pattern glob under {@code landing/<id>/}; {@code {date}} becomes the business date */
  public record Landing(String pattern) implements Serializable {}

  /**
   * @param type {@code csv} or {@code tsv}
   * @param encoding a Java charset name (UTF-8, GBK, GB18030); a UTF-8 byte-order mark is skipped
   * @param header whether the first line is a header row to skip
   */
  public record Format(String type, String encoding, String delimiter, boolean header)
      implements Serializable {

    public char delimiterChar() {
      if (delimiter != null && !delimiter.isEmpty()) {
        return delimiter.equals("\\t") ? '\t' : delimiter.charAt(0);
      }
      return "tsv".equals(type) ? '\t' : ',';
    }
  }

  /** The value a canonical field takes from a parsed row: a mapped column or a constant. */
  public String valueOf(String canonicalField, UnaryOperator<String> column) {
    String mapped = fields.get(canonicalField);
    return mapped != null ? column.apply(mapped) : constants.get(canonicalField);
  }
}
