package org.agrifusion.pipelines.source;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.util.Iterator;
import org.agrifusion.pipelines.spark.SerializableHadoopConf;
import org.agrifusion.pipelines.standardise.ReasonCode;
import org.apache.spark.sql.Row;

/**
 * CSV and TSV in the declared encoding (UTF-8 with or without BOM, GBK, GB18030), with or without a
 * header. Unless the descriptor says records may span lines, the file is split on line ends first and
 * each line parsed on its own: an unbalanced quote or an over-long line spoils that line only. A
 * record wrapped whole in quotes is read unwrapped ({@link #unwrapped}).
 */
final class DelimitedFileReader extends LandedFileReader {

  DelimitedFileReader(SourceDescriptor descriptor, SerializableHadoopConf conf, PersonalDataGuard guard) {
    super(descriptor, conf, guard);
  }

  @Override
  Iterator<Row> read(Landed in, String file) {
    Reader text = new InputStreamReader(in, Charset.forName(descriptor.format().encoding()));
    return descriptor.format().recordsSpanLines() ? multiline(in, text, file) : byLine(in, text, file);
  }

  private Iterator<Row> byLine(Landed in, Reader text, String file) {
    char delimiter = descriptor.format().delimiterChar();
    CsvParser parser = new CsvParser(settings(delimiter));
    return new LineRecords(this, in, new Lines(text, MAX_RECORD_CHARS), file) {
      private HeaderMapping header = descriptor.format().hasHeader() ? null : mapping(null);

      @Override
      protected Row record(String line) {
        if (header == null) {
          String[] names = lines.tooLong() ? null : split(parser, line);
          header = mapping(names == null ? new String[] {line} : names);
          return null;
        }
        if (lines.tooLong()) {
          return row(new String[0], header, file, lines.number(), RawColumns.parseError(ReasonCode.LINE_TOO_LONG,
              "line has " + lines.length() + " characters, more than " + MAX_RECORD_CHARS), line);
        }
        String[] fields = unwrapped(parser, split(parser, line), header.width());
        String error = fields == null ? RawColumns.parseError(ReasonCode.UNPARSEABLE_LINE, "the line cannot be split (more than 4096 fields?)")
            : unterminatedQuote(line, delimiter) ? RawColumns.parseError(ReasonCode.UNPARSEABLE_LINE,
                "a quoted value is not closed on its line") : null;
        return row(fields == null ? new String[0] : fields, header, file, lines.number(), error, line);
      }
    };
  }

  /** The fields of one line, or null when the parser refuses it (more than 4096 fields). */
  private static String[] split(CsvParser parser, String line) {
    try {
      return parser.parseLine(line);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * A record a spreadsheet re-save wrapped whole in one more layer of quotes
   * ({@code "a,""b,c"",d"} for {@code a,"b,c",d}) is read unwrapped: a single field that holds, once
   * unquoted, exactly as many fields as the header has. Anything else is left as it was parsed.
   */
  static String[] unwrapped(CsvParser parser, String[] fields, int width) {
    if (fields == null || fields.length != 1 || width < 2 || fields[0] == null) {
      return fields;
    }
    String[] inner = split(parser, fields[0]);
    return inner != null && inner.length == width ? inner : fields;
  }

  /** Whether a value of the line opens a quote (at its start, as CSV quotes) that the line never closes. */
  static boolean unterminatedQuote(String line, char delimiter) {
    boolean quoted = false;
    boolean fieldStart = true;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            i++;
          } else {
            quoted = false;
          }
        }
      } else if (c == '"' && fieldStart) {
        quoted = true;
        fieldStart = false;
      } else {
        fieldStart = c == delimiter;
      }
    }
    return quoted;
  }

  /**
   * Records that may span lines, parsed as a stream; a record the parser cannot end stops the file
   * there. One record is read ahead: when the data breaks off, the last record may be cut, so it is
   * reported as the break rather than read.
   */
  private Iterator<Row> multiline(Landed in, Reader text, String file) {
    CsvParser parser = new CsvParser(settings(descriptor.format().delimiterChar()));
    CsvParser unwrapper = new CsvParser(settings(descriptor.format().delimiterChar()));
    int lineColumn = descriptor.columns().size() + 1;
    return new Records() {
      private HeaderMapping header;
      private Row ahead;
      private boolean started;
      private boolean over;

      @Override
      protected Row compute() throws IOException {
        if (!started) {
          started = true;
          ahead = parse();
        }
        Row current = ahead;
        if (current == null) {
          return null;
        }
        ahead = over ? null : parse();
        if (ahead == null && !over && in.brokenOff() != null) {
          over = true;
          return brokenOff(file, current.getLong(lineColumn), in.brokenOff());
        }
        return current;
      }

      /** The next record's row, null at the end, or a last row saying why the rest cannot be read. */
      private Row parse() throws IOException {
        try {
          if (header == null) {
            parser.beginParsing(withoutBom(text));
            String[] names = descriptor.format().hasHeader() ? parser.parseNext() : null;
            header = mapping(names);
            if (descriptor.format().hasHeader() && names == null) {
              return null;
            }
          }
          String[] fields = parser.parseNext();
          if (fields == null) {
            return null;
          }
          fields = unwrapped(unwrapper, fields, header.width());
          String record = parser.getContext().currentParsedContent();
          return row(fields, header, file, parser.getContext().currentLine(), null,
              record == null ? String.join(",", fields) : record.replaceAll("[\r\n]+$", ""));
        } catch (RuntimeException e) {
          over = true;
          ReasonCode code = String.valueOf(e.getMessage()).contains("exceeds the maximum number of characters")
              ? ReasonCode.LINE_TOO_LONG : ReasonCode.UNPARSEABLE_LINE;
          long line = parser.getContext() == null ? 1 : Math.max(1, parser.getContext().currentLine());
          String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
          return fileRow(file, line, code, "the record near line " + line + " and the rest of the file cannot be read: "
              + message.substring(0, Math.min(message.length(), 300)));
        }
      }

      @Override
      protected void close() {
        parser.stopParsing();
      }
    };
  }

  private static Reader withoutBom(Reader text) throws IOException {
    PushbackReader reader = new PushbackReader(text, 1);
    int first = reader.read();
    if (first >= 0 && first != '\uFEFF') {
      reader.unread(first);
    }
    return reader;
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
    settings.setMaxCharsPerColumn(MAX_RECORD_CHARS);
    return settings;
  }
}
