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
 * @param dateWindow how far a record's date may lie from the business date
 * @param personalData columns holding personal data: dropped or hashed as the file is read, so
 *     they never reach the lake
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
    List<String> naturalKey,
    DateWindow dateWindow,
    PersonalData personalData)
    implements Serializable {

  /** @param pattern glob under {@code landing/<id>/}; {@code {date}} becomes the business date */
  public record Landing(String pattern) implements Serializable {}

  /** Days before / after the business date a record's own date may fall on. */
  public record DateWindow(int daysBefore, int daysAfter) implements Serializable {
    public static final DateWindow SAME_DAY = new DateWindow(0, 0);
  }

  /**
   * @param drop columns emptied on reading (names, street addresses)
   * @param hash columns replaced by a keyed hash on reading (phone numbers), still usable to count
   *     distinct people but not reversible without the key
   */
  public record PersonalData(List<String> drop, List<String> hash) implements Serializable {
    public static final PersonalData NONE = new PersonalData(List.of(), List.of());

    public boolean isEmpty() {
      return drop.isEmpty() && hash.isEmpty();
    }
  }

  /**
   * @param type {@code csv}, {@code tsv}, {@code jsonl} (one JSON object per line, columns are keys)
   *     or {@code xlsx} (first sheet unless {@code sheet} names one)
   * @param encoding a Java charset name (UTF-8, GBK, GB18030); a UTF-8 byte-order mark is skipped
   * @param header whether the first line (row) is a header to skip; required for csv, tsv and xlsx
   */
  public record Format(String type, String encoding, String delimiter, Boolean header, String sheet)
      implements Serializable {

    public boolean hasHeader() {
      return Boolean.TRUE.equals(header);
    }

    public char delimiterChar() {
      if (delimiter != null && !delimiter.isEmpty()) {
        return delimiter.equals("\\t") ? '\t' : delimiter.charAt(0);
      }
      return "tsv".equals(type) ? '\t' : ',';
    }
  }

  /** The same feed with another date window. */
  public SourceDescriptor withDateWindow(DateWindow window) {
    return new SourceDescriptor(id, kind, description, landing, format, columns, fields, constants, dateFormats,
        timezone, naturalKey, window, personalData);
  }

  /** The value a canonical field takes from a parsed row: a mapped column or a constant. */
  public String valueOf(String canonicalField, UnaryOperator<String> column) {
    String mapped = fields.get(canonicalField);
    return mapped != null ? column.apply(mapped) : constants.get(canonicalField);
  }
}
