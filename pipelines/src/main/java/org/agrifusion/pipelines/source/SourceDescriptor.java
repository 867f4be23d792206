package org.agrifusion.pipelines.source;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.agrifusion.pipelines.standardise.Text;

/**
 * One feed, as a data steward describes it in {@code conf/sources/<id>.yml}. Parsed and checked by
 * {@link SourceDescriptors}; immutable and serializable so executors receive it with the task.
 *
 * @param columns the file's columns: with a header row, the header names they are found by (in any
 *     order, extra header columns are discarded); without one, their order
 * @param fields canonical field -> column name
 * @param constants canonical field -> fixed value for every row (market name, channel, ...)
 * @param dateFormats {@link java.time.format.DateTimeFormatter} patterns tried in order
 * @param naturalKey canonical fields that identify one record of this feed
 * @param dateYear where dates written without a year take it from; null when every pattern has a year
 * @param dateWindow how far a record's date may lie from the business date
 * @param personalData columns holding personal data: dropped or hashed as the file is read, so
 *     they never reach the lake
 * @param missingValues values (after normalisation) that mean "not given" in this feed ("nan", "-")
 * @param valueMaps canonical field -> the feed's own value -> the standard value, applied before the
 *     value is interpreted; keys are held {@link Text#normalise normalised} and in lower case
 * @param maxQuarantineShare the share of a night's rows this feed may quarantine before the run
 *     raises an alarm (0..1); null: {@code agri.alarms.max-quarantine-share}
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
    DateYear dateYear,
    List<String> naturalKey,
    DateWindow dateWindow,
    PersonalData personalData,
    List<String> missingValues,
    Map<String, Map<String, String>> valueMaps,
    Double maxQuarantineShare)
    implements Serializable {

  /** @param pattern glob under {@code landing/<id>/}; {@code {date}} becomes the business date */
  public record Landing(String pattern) implements Serializable {}

  /** Days before / after the business date a record's own date may fall on. */
  public record DateWindow(int daysBefore, int daysAfter) implements Serializable {
    public static final DateWindow SAME_DAY = new DateWindow(0, 0);
  }

  /**
   * Year-less dates ({@code MM-dd HH:mm:ss}) take the year of the reference date (the business
   * date): the latest date not after the last day the window allows, so a {@code 12-31 23:50} in a
   * 1 January file is the previous year's.
   *
   * @param from {@value #BUSINESS_DATE}, the one source of a year so far
   * @param daysAfter the descriptor's {@code date_window.days_after}, fixed when the descriptor is
   *     loaded: a window widened to profile or import a file of many days must not move the year
   */
  public record DateYear(String from, int daysAfter) implements Serializable {
    public static final String BUSINESS_DATE = "business_date";

    /** {@code date_year: business_date}; {@code daysAfter} is set from the window on validation. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static DateYear of(String from) {
      return new DateYear(from, 0);
    }
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
   * @param header whether the first line (row) is a header naming the columns; required for csv, tsv and xlsx
   * @param multilineRecords csv/tsv: whether a quoted value may span lines; false (the default) splits
   *     the file on line ends first, so an unbalanced quote spoils one line and not the ones after it
   * @param decimalSeparator how the feed writes numbers: {@code .} (the default; commas group digits)
   *     or {@code ,} (dots, spaces and apostrophes group digits); see {@code Numbers.parseDecimal}
   */
  public record Format(String type, String encoding, String delimiter, Boolean header, String sheet,
      Boolean multilineRecords, String decimalSeparator) implements Serializable {

    public boolean hasHeader() {
      return Boolean.TRUE.equals(header);
    }

    public boolean recordsSpanLines() {
      return Boolean.TRUE.equals(multilineRecords);
    }

    public char decimalChar() {
      return decimalSeparator == null ? '.' : decimalSeparator.charAt(0);
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
        timezone, dateYear, naturalKey, window, personalData, missingValues, valueMaps, maxQuarantineShare);
  }

  /** The value a canonical field takes from a parsed row: a mapped column or a constant. */
  public String valueOf(String canonicalField, UnaryOperator<String> column) {
    String mapped = fields.get(canonicalField);
    return mapped != null ? column.apply(mapped) : constants.get(canonicalField);
  }

  /** The standard value {@code value_maps} gives a normalised value of a field, else the value itself. */
  public String mapValue(String canonicalField, String value) {
    Map<String, String> map = valueMaps.get(canonicalField);
    return map == null || value == null ? value : map.getOrDefault(valueMapKey(value), value);
  }

  static String valueMapKey(String value) {
    String n = Text.normalise(value);
    return n == null ? null : n.toLowerCase(Locale.ROOT);
  }
}
