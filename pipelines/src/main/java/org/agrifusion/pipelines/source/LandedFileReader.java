package org.agrifusion.pipelines.source;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.agrifusion.pipelines.spark.SerializableHadoopConf;
import org.agrifusion.pipelines.standardise.ReasonCode;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Reads one landed file inside a Spark task (one file per task) into rows of the descriptor's
 * columns plus lineage; delimited and JSON Lines files are streamed (gzipped ones too, by their
 * {@code .gz} suffix), so their size is not bounded by memory.
 * Each format is a subclass. No malformed record stops the file: a record that cannot be fitted to
 * the columns is still emitted, with {@link RawColumns#PARSE_ERROR} (reason code and detail) and its
 * text, so the standardise step quarantines it. A file whose data breaks off (truncated archive) gives
 * its records up to the break and one such row for the rest; a file that cannot be opened as its
 * format is one such row. Only I/O failures of the store itself escape, so Spark retries the task. Personal data is removed before a row leaves the reader.
 */
abstract class LandedFileReader implements FlatMapFunction<String, Row> {

  static final char REPLACEMENT = '\uFFFD';
  /** Longest record kept, in characters: longer ones are quarantined as LINE_TOO_LONG, not held in memory. */
  static final int MAX_RECORD_CHARS = 1 << 20;
  private static final int KEPT_TEXT = 200;

  protected final SourceDescriptor descriptor;
  private final SerializableHadoopConf hadoopConf;
  private final PersonalDataGuard guard;

  LandedFileReader(SourceDescriptor descriptor, SerializableHadoopConf hadoopConf, PersonalDataGuard guard) {
    this.descriptor = descriptor;
    this.hadoopConf = hadoopConf;
    this.guard = guard;
  }

  static LandedFileReader forFormat(SourceDescriptor descriptor, SerializableHadoopConf conf, PersonalDataGuard guard) {
    return switch (descriptor.format().type()) {
      case "csv", "tsv" -> new DelimitedFileReader(descriptor, conf, guard);
      case "jsonl" -> new JsonLinesFileReader(descriptor, conf, guard);
      case "xlsx" -> new XlsxFileReader(descriptor, conf, guard);
      default -> throw new IllegalArgumentException("no reader for format " + descriptor.format().type());
    };
  }

  @Override
  public final Iterator<Row> call(String file) throws IOException {
    Path path = new Path(file);
    InputStream in = path.getFileSystem(hadoopConf.get()).open(path);
    if (file.endsWith(".gz")) {
      try {
        in = new GZIPInputStream(in, 1 << 16);
      } catch (IOException e) {
        in.close();
        if (!brokenData(e)) {
          throw e;
        }
        return List.of(fileRow(file, ReasonCode.UNREADABLE_FILE, "not a readable gzip archive: " + e)).iterator();
      }
    }
    return read(new Landed(in), file);
  }

  /** Rows of the file; the iterator closes the stream when exhausted. */
  abstract Iterator<Row> read(Landed in, String file) throws IOException;

  /** The columns a file's header row gives, or their declared order when the feed has no header. */
  protected HeaderMapping mapping(String[] header) {
    return header == null ? HeaderMapping.positional(descriptor.columns().size())
        : HeaderMapping.of(header, descriptor.columns());
  }

  /** A row standing for a whole file, or its unread rest, that could not be read. */
  protected Row fileRow(String file, ReasonCode code, String detail) {
    return fileRow(file, 1, code, detail);
  }

  protected Row fileRow(String file, long line, ReasonCode code, String detail) {
    return row(new String[0], HeaderMapping.positional(descriptor.columns().size()), file, line,
        RawColumns.parseError(code, detail), null);
  }

  /** The TRUNCATED_FILE row standing for the rest of a file whose data broke off at a line. */
  protected Row brokenOff(String file, long line, IOException e) {
    return fileRow(file, line, ReasonCode.TRUNCATED_FILE, "the file breaks off at line " + line + ", the rest is lost: " + e);
  }

  /**
   * One row: the record's fields mapped to the descriptor's columns, and lineage.
   *
   * @param fields the record's fields in file order
   * @param error why the record does not fit the columns ({@link RawColumns#parseError}), or null
   * @param rawText the record as landed, kept only with an error (and never when the feed holds
   *     personal data or the text looks like some, see {@link PersonalDataGuard#keptRawLine})
   */
  protected Row row(String[] fields, HeaderMapping header, String file, long line, String error, String rawText) {
    int width = descriptor.columns().size();
    boolean misaligned = header.error() != null || fields.length != header.width();
    if (error == null) {
      error = header.error();
    }
    if (error == null && header.repeatsHeader(fields)) {
      error = RawColumns.parseError(ReasonCode.UNPARSEABLE_LINE, "the record repeats the header row (two files joined?)");
    }
    if (error == null && fields.length != header.width()) {
      error = RawColumns.parseError(ReasonCode.UNPARSEABLE_LINE, "expected " + header.width() + " fields, found " + fields.length);
    }
    // Values of a record that does not line up with the header are guesses by position: a feed with
    // personal data keeps none, as a guessed column could hold a phone number the guard would miss.
    String[] mapped = misaligned && guard.active() ? new String[width] : header.columns(fields);
    Object[] values = new Object[width + 4];
    for (int i = 0; i < width; i++) {
      values[i] = mapped[i];
      if (error == null && mapped[i] != null) {
        if (mapped[i].indexOf(REPLACEMENT) >= 0) {
          error = RawColumns.parseError(ReasonCode.UNPARSEABLE_LINE, "bytes not valid in the declared encoding");
        } else if (mapped[i].indexOf('\0') >= 0) {
          error = RawColumns.parseError(ReasonCode.UNPARSEABLE_LINE, "NUL characters in the record");
        }
      }
    }
    boolean masked = guard.apply(values);
    values[width] = file;
    values[width + 1] = line;
    // a message can quote landed text (a header that was a data row)
    values[width + 2] = PersonalDataDetector.mask(error);
    values[width + 3] = error == null || masked || rawText == null ? null : guard.keptRawLine(
        rawText.length() > KEPT_TEXT && RawColumns.parseErrorCode(error) == ReasonCode.LINE_TOO_LONG
            ? rawText.substring(0, KEPT_TEXT) + "…" : rawText);
    return RowFactory.create(values);
  }

  /** Data that ends or breaks off mid-file (EOF inside a gzip member, corrupt deflate data), not a store failure. */
  static boolean brokenData(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof EOFException || t instanceof ZipException) {
        return true;
      }
    }
    return false;
  }

  /**
   * The landed bytes. Data that breaks off ends the stream, as if the file ended there, and is
   * remembered, so a reader first gets every record before the break and then reports the break.
   */
  static final class Landed extends FilterInputStream {
    private IOException brokenOff;
    private IOException storeFailure;

    Landed(InputStream in) {
      super(in);
    }

    /** Why the data ended early, or null. */
    IOException brokenOff() {
      return brokenOff;
    }

    /** A failure of the store itself while reading (not of the data), or null. */
    IOException storeFailure() {
      return storeFailure;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (brokenOff != null) {
        return -1;
      }
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        if (!brokenData(e)) {
          storeFailure = e;
          throw e;
        }
        brokenOff = e;
        return -1;
      }
    }

    @Override
    public int available() throws IOException {
      return brokenOff != null ? 0 : super.available();
    }
  }

  /**
   * Rows of a text with one record per line. A byte-order mark is dropped from the start of each line
   * (files joined together each bring theirs), blank lines are skipped, and data that breaks off ends
   * the file with one TRUNCATED_FILE row standing for the cut line and the rest.
   */
  protected abstract static class LineRecords extends Records {
    protected final Lines lines;
    private final Landed in;
    private final String file;
    private final LandedFileReader reader;
    private boolean over;

    protected LineRecords(LandedFileReader reader, Landed in, Lines lines, String file) {
      this.reader = reader;
      this.in = in;
      this.lines = lines;
      this.file = file;
    }

    /** The row of a non-blank line ({@link Lines#number()} is its number), or null when it is not a record (a header). */
    protected abstract Row record(String line);

    @Override
    protected final Row compute() throws IOException {
      String line;
      while (!over && (line = lines.next()) != null) {
        if (!lines.ended() && in.brokenOff() != null) {
          over = true;
          return reader.brokenOff(file, lines.number(), in.brokenOff());
        }
        line = line.startsWith("\uFEFF") ? line.substring(1) : line;
        Row row = line.isBlank() ? null : record(line);
        if (row != null) {
          return row;
        }
      }
      if (!over && in.brokenOff() != null) {
        over = true;
        return reader.brokenOff(file, lines.number() + 1, in.brokenOff());
      }
      return null;
    }

    @Override
    protected final void close() throws IOException {
      lines.close();
    }
  }

  /** Rows produced one record at a time; the stream is closed at the end. */
  protected abstract static class Records implements Iterator<Row> {
    private Row next;
    private boolean done;

    /** The next row, or null at the end of the file. */
    protected abstract Row compute() throws IOException;

    protected abstract void close() throws IOException;

    @Override
    public final boolean hasNext() {
      if (next == null && !done) {
        try {
          next = compute();
          if (next == null) {
            done = true;
            close();
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return next != null;
    }

    @Override
    public final Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row row = next;
      next = null;
      return row;
    }
  }
}
