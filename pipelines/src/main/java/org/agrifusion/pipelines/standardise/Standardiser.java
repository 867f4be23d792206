package org.agrifusion.pipelines.standardise;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.source.RawColumns;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Standardise stage, for every record kind: raw rows of one source -> each row with its canonical
 * values, a deterministic record id and its reasons (empty when accepted). {@link #accepted} and
 * {@link Quarantine#rows} split the result; every raw row lands in exactly one of the two.
 */
public final class Standardiser {

  public static final String RECORD_ID = "record_id";
  public static final String REASONS = "reasons";
  public static final String REASON_DETAIL = "reason_detail";
  /** Hash of a record's canonical values; see {@link #contentHash}. */
  public static final String CONTENT_HASH = "content_hash";
  private static final String OCCURRENCE = "_occurrence";
  private static final String RAW_PREFIX = "landed__";
  private static final List<String> LINEAGE =
      List.of(RawColumns.SOURCE_ID, RawColumns.SOURCE_FILE, RawColumns.SOURCE_ROW, RawColumns.RUN_ID);

  private Standardiser() {}

  public static Dataset<Row> standardise(Dataset<Row> landed, SourceDescriptor source, RecordStandard standard, LocalDate businessDate) {
    // The feed's own column names (a waybill's "status") must not collide with canonical ones.
    Dataset<Row> raw = landed;
    for (String column : source.columns()) {
      raw = raw.withColumnRenamed(column, rawColumn(column));
    }
    List<StructField> fields = new ArrayList<>(List.of(raw.schema().fields()));
    fields.addAll(standard.fields());
    fields.add(DataTypes.createStructField(REASONS, DataTypes.createArrayType(DataTypes.StringType, false), false));
    fields.add(DataTypes.createStructField(REASON_DETAIL, DataTypes.StringType, true));
    Dataset<Row> parsed = raw.mapPartitions(new ParseRows(source, standard, businessDate),
        Encoders.row(new StructType(fields.toArray(StructField[]::new))));
    return markDuplicates(parsed.withColumn(RECORD_ID, recordId(source)).withColumn(CONTENT_HASH, contentHash(standard)));
  }

  /**
   * A hash of every canonical value of a record: two rows with one record id and one content hash
   * are the same record sent twice; with different content hashes, two versions of it.
   */
  public static Column contentHash(RecordStandard standard) {
    Column[] values = standard.fields().stream().map(f -> col(f.name())).toArray(Column[]::new);
    return sha2(to_json(struct(values)), 256);
  }

  /** The name a landed column has inside a standardised dataset. */
  public static String rawColumn(String column) {
    return RAW_PREFIX + column;
  }

  /** The accepted columns of a kind: record id, business date, the canonical columns, lineage, content hash. */
  public static List<String> curatedColumns(RecordStandard standard) {
    List<String> columns = new ArrayList<>(List.of(RECORD_ID, Lake.PARTITION_COLUMN));
    standard.fields().forEach(f -> columns.add(f.name()));
    columns.addAll(LINEAGE);
    columns.add(CONTENT_HASH);
    return columns;
  }

  /** Accepted rows in the curated column order. */
  public static Dataset<Row> accepted(Dataset<Row> standardised, RecordStandard standard) {
    return standardised
        .where(size(col(REASONS)).equalTo(0))
        .select(curatedColumns(standard).stream().map(c -> col(c)).toArray(Column[]::new));
  }

  /**
   * A stable hash of the descriptor's natural key over standardised values, so the same record
   * re-sent (or sent by another feed in another format) gets the same id and the same document.
   */
  static Column recordId(SourceDescriptor source) {
    Column[] parts = source.naturalKey().stream()
        .map(field -> coalesce(col(source.kind().keyColumn(field)).cast("string"), lit("")))
        .toArray(Column[]::new);
    return sha2(concat_ws("\u001f", parts), 256);
  }

  /**
   * A row repeating an earlier one of the same feed (same record id and same values, by file and
   * line) is a duplicate. Rows with one record id and different values are versions of a record;
   * they stay accepted and the fuse stage decides between them.
   */
  static Dataset<Row> markDuplicates(Dataset<Row> rows) {
    Column occurrence = row_number().over(Window.partitionBy(RECORD_ID, CONTENT_HASH)
        .orderBy(col(RawColumns.SOURCE_FILE), col(RawColumns.SOURCE_ROW)));
    Column duplicate = col(OCCURRENCE).gt(1);
    return rows.withColumn(OCCURRENCE, occurrence)
        .withColumn(REASONS, when(duplicate, concat(col(REASONS), array(lit(ReasonCode.DUPLICATE.name()))))
            .otherwise(col(REASONS)))
        .withColumn(REASON_DETAIL, when(duplicate, concat_ws("; ", col(REASON_DETAIL), lit("repeats an earlier row of the same feed (same record, same values)")))
            .otherwise(col(REASON_DETAIL)))
        .drop(OCCURRENCE);
  }

  /** Appends the standard's canonical values and reasons to each raw row. */
  static final class ParseRows implements MapPartitionsFunction<Row, Row> {
    private final SourceDescriptor source;
    private final RecordStandard standard;
    private final LocalDate businessDate;

    ParseRows(SourceDescriptor source, RecordStandard standard, LocalDate businessDate) {
      this.source = source;
      this.standard = standard;
      this.businessDate = businessDate;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      DateParsers dates = new DateParsers(source);
      // positions of the feed's columns, looked up once per partition instead of by name per field and row
      Map<String, Integer> positions = new HashMap<>();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          Row row = rows.next();
          if (positions.isEmpty()) {
            for (String column : source.columns()) {
              positions.put(column, row.fieldIndex(rawColumn(column)));
            }
            positions.put(RawColumns.PARSE_ERROR, row.fieldIndex(RawColumns.PARSE_ERROR));
          }
          FieldReader reader = new FieldReader(source, dates, businessDate, name -> row.getString(position(name)),
              row.getString(positions.get(RawColumns.PARSE_ERROR)));
          RecordStandard.Outcome outcome = standard.parse(reader, businessDate);
          Object[] values = new Object[row.length() + outcome.values().length + 2];
          int i = 0;
          for (; i < row.length(); i++) {
            values[i] = row.get(i);
          }
          for (Object value : outcome.values()) {
            values[i++] = value;
          }
          values[i++] = outcome.reasons().stream().map(Enum::name).toArray(String[]::new);
          values[i] = outcome.details().isEmpty() ? null : String.join("; ", outcome.details());
          return RowFactory.create(values);
        }

        private int position(String column) {
          Integer position = positions.get(column);
          if (position == null) {
            throw new IllegalArgumentException("source " + source.id() + " has no column '" + column + "'");
          }
          return position;
        }
      };
    }
  }
}
