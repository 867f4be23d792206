package org.agrifusion.pipelines.source;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.agrifusion.pipelines.spark.SerializableHadoopConf;
import org.apache.spark.sql.Row;

/** CSV and TSV in the declared encoding (UTF-8 with or without BOM, GBK, GB18030), with or without a header. */
final class DelimitedFileReader extends LandedFileReader {

  DelimitedFileReader(SourceDescriptor descriptor, SerializableHadoopConf conf, PersonalDataGuard guard) {
    super(descriptor, conf, guard);
  }

  @Override
  Iterator<Row> read(InputStream in, String file) throws IOException {
    Charset charset = Charset.forName(descriptor.format().encoding());
    InputStream body = charset.equals(StandardCharsets.UTF_8) ? skipUtf8Bom(in) : in;
    CsvParser parser = new CsvParser(settings(descriptor.format().delimiterChar()));
    parser.beginParsing(new InputStreamReader(body, charset));
    String[] header = descriptor.format().hasHeader() ? parser.parseNext() : null;
    String headerError = header == null ? null : headerProblem(header);
    return new Iterator<>() {
      private String[] next = advance();
      private long nextLine = parser.getContext().currentLine();

      private String[] advance() {
        try {
          String[] fields = parser.parseNext();
          if (fields == null) {
            parser.stopParsing();
          }
          return fields;
        } catch (RuntimeException e) {
          parser.stopParsing();
          throw new UncheckedIOException(new IOException("cannot parse " + file + " near line "
              + parser.getContext().currentLine() + ": " + e.getMessage(), e));
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
        String[] fields = next;
        long line = nextLine;
        String text = parser.getContext().currentParsedContent();
        next = advance();
        nextLine = parser.getContext().currentLine();
        return row(fields, file, line, headerError, text == null ? String.join(",", fields) : text.replaceAll("[\r\n]+$", ""));
      }
    };
  }

  static CsvParserSettings settings(char delimiter) {
    CsvParserSettings settings = new CsvParserSettings();
    settings.getFormat().setDelimiter(delimiter);
    settings.getFormat().setComment('\0');
    settings.setLineSeparatorDetectionEnabled(true);
    settings.setHeaderExtractionEnabled(false);
    settings.setIgnoreLeadingWhitespaces(false);
    settings.setIgnoreTrailingWhitespaces(false);
    settings.setSkipEmptyLines(true);
    settings.setMaxColumns(4096);
    settings.setMaxCharsPerColumn(1 << 20);
    return settings;
  }

  private static InputStream skipUtf8Bom(InputStream in) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(in);
    buffered.mark(3);
    byte[] head = buffered.readNBytes(3);
    if (!(head.length == 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF)) {
      buffered.reset();
    }
    return buffered;
  }
}
