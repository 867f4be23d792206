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
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Streams one landed CSV/TSV file into rows of the descriptor's columns plus lineage. Runs inside a
 * Spark task (one file per task), so files of any size are read without holding them in memory,
 * in their declared encoding, and every row keeps its physical line number.
 *
 * <p>A line that does not split into the declared number of columns, or that holds bytes the
 * encoding cannot decode, is still emitted with {@link RawColumns#PARSE_ERROR} and the line as
 * landed, so the standardise step can quarantine it: no line is dropped here.
 */
final class DelimitedFileReader implements FlatMapFunction<String, Row> {

  private static final char REPLACEMENT = '\uFFFD';

  private final SourceDescriptor descriptor;
  private final SerializableHadoopConf hadoopConf;

  DelimitedFileReader(SourceDescriptor descriptor, SerializableHadoopConf hadoopConf) {
    this.descriptor = descriptor;
    this.hadoopConf = hadoopConf;
  }

  @Override
  public Iterator<Row> call(String file) throws IOException {
    Path path = new Path(file);
    InputStream in = path.getFileSystem(hadoopConf.get()).open(path);
    Charset charset = Charset.forName(descriptor.format().encoding());
    InputStream body = charset.equals(StandardCharsets.UTF_8) ? skipUtf8Bom(in) : in;
    CsvParser parser = new CsvParser(settings(descriptor.format().delimiterChar()));
    parser.beginParsing(new InputStreamReader(body, charset));
    if (descriptor.format().header()) {
      parser.parseNext();
    }
    return new RowIterator(parser, file, descriptor.columns().size());
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

  private static final class RowIterator implements Iterator<Row> {
    private final CsvParser parser;
    private final String file;
    private final int width;
    private String[] next;
    private long nextLine;
    private boolean done;

    RowIterator(CsvParser parser, String file, int width) {
      this.parser = parser;
      this.file = file;
      this.width = width;
      advance();
    }

    private void advance() {
      try {
        next = parser.parseNext();
      } catch (RuntimeException e) {
        parser.stopParsing();
        throw new UncheckedIOException(new IOException("cannot parse " + file + " near line "
            + parser.getContext().currentLine() + ": " + e.getMessage(), e));
      }
      if (next == null) {
        done = true;
        parser.stopParsing();
      } else {
        nextLine = parser.getContext().currentLine();
      }
    }

    @Override
    public boolean hasNext() {
      return !done;
    }

    @Override
    public Row next() {
      if (done) {
        throw new NoSuchElementException();
      }
      String[] fields = next;
      long line = nextLine;
      String parsedContent = parser.getContext().currentParsedContent();
      advance();
      return toRow(fields, line, parsedContent);
    }

    private Row toRow(String[] fields, long line, String parsedContent) {
      Object[] values = new Object[width + 4];
      String error = null;
      if (fields.length != width) {
        error = "expected " + width + " fields, found " + fields.length;
      }
      for (int i = 0; i < Math.min(width, fields.length); i++) {
        values[i] = fields[i];
        if (error == null && fields[i] != null && fields[i].indexOf(REPLACEMENT) >= 0) {
          error = "bytes not valid in the declared encoding";
        }
      }
      values[width] = file;
      values[width + 1] = line;
      values[width + 2] = error;
      values[width + 3] = error == null ? null : stripLineEnd(parsedContent, fields);
      return RowFactory.create(values);
    }

    private static String stripLineEnd(String parsed, String[] fields) {
      if (parsed == null) {
        return String.join(",", fields);
      }
      return parsed.replaceAll("[\r\n]+$", "");
    }
  }
}
