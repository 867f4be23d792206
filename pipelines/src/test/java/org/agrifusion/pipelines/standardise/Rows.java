package org.agrifusion.pipelines.standardise;

import java.time.LocalDate;
import java.util.Map;
import org.agrifusion.pipelines.source.SourceDescriptor;

/** Runs a standard on one landed row given as column -> value, as the Spark stage does. */
final class Rows {

  private Rows() {}

  static RecordStandard.Outcome parse(RecordStandard standard, SourceDescriptor source, Map<String, String> row, LocalDate day) {
    FieldReader reader = new FieldReader(source, new DateParsers(source), day, row::get, null);
    return standard.parse(reader, day);
  }

  static RecordStandard.Outcome parseWithError(RecordStandard standard, SourceDescriptor source, Map<String, String> row,
      LocalDate day, String parseError) {
    FieldReader reader = new FieldReader(source, new DateParsers(source), day, row::get, parseError);
    return standard.parse(reader, day);
  }
}
