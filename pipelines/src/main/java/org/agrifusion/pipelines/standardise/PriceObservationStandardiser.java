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
import static org.apache.spark.sql.functions.when;

import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.agrifusion.pipelines.source.RawColumns;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Standardise stage for price feeds: raw rows of one source -> every row with its canonical values,
 * a deterministic record id and its reasons (empty when accepted). {@link #accepted} and
 * {@link Quarantine#rows} split the result; each raw row lands in exactly one of the two.
 */
public final class PriceObservationStandardiser {

  private static final String OCCURRENCE = "_occurrence";

  private PriceObservationStandardiser() {}

  public static Dataset<Row> standardise(Dataset<Row> raw, SourceDescriptor source, UnitCatalog units, LocalDate businessDate) {
    List<StructField> fields = new ArrayList<>(List.of(raw.schema().fields()));
    fields.addAll(PriceObservation.PARSED_FIELDS);
    StructType schema = new StructType(fields.toArray(StructField[]::new));
    Dataset<Row> parsed = raw.mapPartitions(
        new ParseRows(new PriceObservationParser(source, units), businessDate), Encoders.row(schema));
    return markDuplicates(parsed.withColumn(PriceObservation.RECORD_ID, recordId(source)));
  }

  /** Accepted rows in the curated column order. */
  public static Dataset<Row> accepted(Dataset<Row> standardised) {
    return standardised
        .where(size(col(PriceObservation.REASONS)).equalTo(0))
        .withColumn(PriceObservation.SCHEMA_VERSION_COLUMN, lit(PriceObservation.SCHEMA_VERSION))
        .select(PriceObservation.CURATED_COLUMNS.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
  }

  /**
   * A stable hash of the descriptor's natural key over standardised values, so the same record
   * from a re-sent file gets the same id (and the same Elasticsearch document).
   */
  static Column recordId(SourceDescriptor source) {
    Column[] parts = source.naturalKey().stream()
        .map(field -> coalesce(col(PriceObservation.FIELD_COLUMNS.get(field)).cast("string"), lit("")))
        .toArray(Column[]::new);
    return sha2(concat_ws("\u001f", parts), 256);
  }

  /** Every occurrence of a record id after the first (by file and line) is a duplicate. */
  static Dataset<Row> markDuplicates(Dataset<Row> rows) {
    Column occurrence = row_number().over(
        Window.partitionBy(PriceObservation.RECORD_ID).orderBy(col(RawColumns.SOURCE_FILE), col(RawColumns.SOURCE_ROW)));
    Column duplicate = col(OCCURRENCE).gt(1);
    return rows.withColumn(OCCURRENCE, occurrence)
        .withColumn(PriceObservation.REASONS,
            when(duplicate, concat(col(PriceObservation.REASONS), array(lit(ReasonCode.DUPLICATE.name()))))
                .otherwise(col(PriceObservation.REASONS)))
        .withColumn(PriceObservation.REASON_DETAIL,
            when(duplicate, concat_ws("; ", col(PriceObservation.REASON_DETAIL), lit("same natural key as an earlier row")))
                .otherwise(col(PriceObservation.REASON_DETAIL)))
        .drop(OCCURRENCE);
  }

  /** Appends the parser's canonical values and reasons to each raw row. */
  static final class ParseRows implements MapPartitionsFunction<Row, Row> {
    private final PriceObservationParser parser;
    private final LocalDate businessDate;

    ParseRows(PriceObservationParser parser, LocalDate businessDate) {
      this.parser = parser;
      this.businessDate = businessDate;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          Row row = rows.next();
          PriceObservationParser.Parsed p = parser.parse(
              name -> row.getAs(name), row.getAs(RawColumns.PARSE_ERROR), businessDate);
          Object[] values = new Object[row.length() + PriceObservation.PARSED_FIELDS.size()];
          for (int i = 0; i < row.length(); i++) {
            values[i] = row.get(i);
          }
          int i = row.length();
          values[i++] = p.observedDate() == null ? null : Date.valueOf(p.observedDate());
          values[i++] = p.marketCode();
          values[i++] = p.marketName();
          values[i++] = p.marketRegionCode();
          values[i++] = p.channel();
          values[i++] = p.category();
          values[i++] = p.subCategory();
          values[i++] = p.productName();
          values[i++] = p.spec();
          values[i++] = p.origin();
          values[i++] = p.unit();
          values[i++] = toDouble(p.kgPerUnit());
          values[i++] = toDouble(p.lowOrig());
          values[i++] = toDouble(p.avgOrig());
          values[i++] = toDouble(p.highOrig());
          values[i++] = toDouble(p.low());
          values[i++] = toDouble(p.avg());
          values[i++] = toDouble(p.high());
          values[i++] = p.unitConvertible();
          values[i++] = p.reasons().stream().map(Enum::name).toArray(String[]::new);
          values[i] = p.details().isEmpty() ? null : String.join("; ", p.details());
          return RowFactory.create(values);
        }
      };
    }

    private static Double toDouble(BigDecimal v) {
      return v == null ? null : v.doubleValue();
    }
  }
}
