package org.agrifusion.pipelines.source;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.util.Iterator;
import java.util.List;
import org.agrifusion.pipelines.spark.SerializableHadoopConf;
import org.agrifusion.pipelines.standardise.ReasonCode;
import org.apache.spark.sql.Row;

/**
 * JSON Lines: one object per line; the descriptor's columns are its keys (nested values are kept as
 * JSON text, keys the descriptor does not list are ignored). Blank lines are skipped. A line with two
 * values or a key given twice is quarantined rather than half read. A file that is one JSON array
 * spread over lines is not JSON Lines: each of its lines is quarantined, saying so, rather than the
 * array being read whole into memory; an array on one line is one quarantined line.
 */
final class JsonLinesFileReader extends LandedFileReader {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  JsonLinesFileReader(SourceDescriptor descriptor, SerializableHadoopConf conf, PersonalDataGuard guard) {
    super(descriptor, conf, guard);
  }

  @Override
  Iterator<Row> read(Landed in, String file) {
    Lines lines = new Lines(new InputStreamReader(in, Charset.forName(descriptor.format().encoding())), MAX_RECORD_CHARS);
    List<String> columns = descriptor.columns();
    HeaderMapping keys = mapping(null);
    return new LineRecords(this, in, lines, file) {
      private Boolean array;

      @Override
      protected Row record(String line) {
        return parse(line, lines.number());
      }

      private Row parse(String line, long number) {
        String[] fields = new String[columns.size()];
        if (array == null) {
          array = line.stripLeading().startsWith("[") && !lines.tooLong() && !complete(line);
        }
        if (array) {
          return row(fields, keys, file, number, RawColumns.parseError(ReasonCode.UNPARSEABLE_LINE,
              "the file is a JSON array, not JSON Lines (one object per line)"), line);
        }
        if (lines.tooLong()) {
          return row(fields, keys, file, number, RawColumns.parseError(ReasonCode.LINE_TOO_LONG,
              "line has " + lines.length() + " characters, more than " + MAX_RECORD_CHARS), line);
        }
        try {
          JsonNode node = JSON.readTree(line);
          if (node == null || !node.isObject()) {
            return row(fields, keys, file, number, RawColumns.parseError(ReasonCode.UNPARSEABLE_LINE, node != null && node.isArray()
                ? "a JSON array, not an object (JSON Lines has one object per line)" : "not a JSON object"), line);
          }
          for (int i = 0; i < fields.length; i++) {
            JsonNode value = node.get(columns.get(i));
            fields[i] = value == null || value.isNull() ? null : value.isValueNode() ? value.asText() : value.toString();
          }
          return row(fields, keys, file, number, null, line);
        } catch (JsonProcessingException e) {
          return row(fields, keys, file, number, RawColumns.parseError(ReasonCode.UNPARSEABLE_LINE,
              "not valid JSON: " + e.getOriginalMessage()), line);
        } catch (RuntimeException e) {
          return row(fields, keys, file, number, RawColumns.parseError(ReasonCode.UNPARSEABLE_LINE,
              "not readable JSON: " + e.getMessage()), line);
        }
      }
    };
  }

  /** Whether the line is one whole JSON value, so a file starting with it is not an array spread over lines. */
  private static boolean complete(String line) {
    try {
      JSON.readTree(line);
      return true;
    } catch (JsonProcessingException | RuntimeException e) {
      return false;
    }
  }
}
