package org.agrifusion.pipelines.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.agrifusion.pipelines.spark.SerializableHadoopConf;
import org.apache.spark.sql.Row;

/**
 * JSON Lines: one object per line; the descriptor's columns are its keys (nested values are kept as
 * JSON text, keys the descriptor does not list are ignored). Blank lines are skipped.
 */
final class JsonLinesFileReader extends LandedFileReader {

  private static final ObjectMapper JSON = new ObjectMapper();

  JsonLinesFileReader(SourceDescriptor descriptor, SerializableHadoopConf conf, PersonalDataGuard guard) {
    super(descriptor, conf, guard);
  }

  @Override
  Iterator<Row> read(InputStream in, String file) {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, Charset.forName(descriptor.format().encoding())));
    List<String> columns = descriptor.columns();
    return new Iterator<>() {
      private long lineNumber;
      private String next = advance();

      private String advance() {
        try {
          String line;
          do {
            line = reader.readLine();
            lineNumber++;
          } while (line != null && line.isBlank());
          if (line == null) {
            reader.close();
          } else if (lineNumber == 1 && line.charAt(0) == '\uFEFF') {
            line = line.substring(1);
          }
          return line;
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + file, e);
        }
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Row next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        String line = next;
        long number = lineNumber;
        next = advance();
        String[] fields = new String[columns.size()];
        try {
          JsonNode node = JSON.readTree(line);
          if (node == null || !node.isObject()) {
            return row(fields, file, number, "not a JSON object", line);
          }
          for (int i = 0; i < fields.length; i++) {
            JsonNode value = node.get(columns.get(i));
            fields[i] = value == null || value.isNull() ? null : value.isValueNode() ? value.asText() : value.toString();
          }
          return row(fields, file, number, null, line);
        } catch (JsonProcessingException e) {
          return row(fields, file, number, "not valid JSON: " + e.getOriginalMessage(), line);
        }
      }
    };
  }
}
