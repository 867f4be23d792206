package org.agrifusion.pipelines.source;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
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
 * text, so the standardise step quarantines it. A file that breaks off (truncated archive) or cannot
 * be opened as its format becomes one such row for its unread part. Only I/O failures of the store
 * itself escape, so Spark retries them. Personal data is removed before a row leaves the reader.
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
        return java.util.List.of(fileRow(file, ReasonCode.UNREADABLE_FILE, "not a readable gzip archive: " + e.getMessage())).iterator();
      }
    }
    return read(in, file);
  }

  /** Rows of the file; the iterator closes the stream when exhausted. */
  abstract Iterator<Row> read(InputStream in, String file) throws IOException;

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

  /** The TRUNCATED_FILE row of a file whose data breaks off after a line. */
  protected Row brokenOff(String file, long lastLine, IOException e) {
    return fileRow(file, lastLine + 1, ReasonCode.TRUNCATED_FILE, "the file breaks off after line " + lastLine + ": " + e);
  }

  /**
   * One row: the record's fields mapped to the descriptor's columns, and lineage.
   *
   * @param fields the record's fields in file order
   * @param error why the record does not fit the columns ({@link RawColumns#parseError}), or null
   * @param rawText the record as landed, kept only with an error (and never when the feed holds
   *     personal data, which only the guarded columns may carry)
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
    guard.apply(values);
    values[width] = file;
    values[width + 1] = line;
    values[width + 2] = error;
    values[width + 3] = error == null || guard.active() || rawText == null ? null
        : rawText.length() > KEPT_TEXT && RawColumns.parseErrorCode(error) == ReasonCode.LINE_TOO_LONG
            ? rawText.substring(0, KEPT_TEXT) + "…" : rawText;
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
   * Rows produced one record at a time. Data that breaks off ends the file with one TRUNCATED_FILE row
   * for the rest; other I/O failures escape, so the task is retried.
   */
  protected abstract static class Records implements Iterator<Row> {
    private Row next;
    private boolean done;

    /** The next row, or null at the end of the file. */
    protected abstract Row compute() throws IOException;

    /** A row for the rest of the file after data broke off; readers that cannot say where rethrow. */
    protected Row truncated(IOException e) {
      throw new UncheckedIOException(e);
    }

    protected abstract void close() throws IOException;

    @Override
    public final boolean hasNext() {
      if (next == null && !done) {
        try {
          next = compute();
        } catch (IOException e) {
          if (!brokenData(e)) {
            throw new UncheckedIOException(e);
          }
          next = truncated(e);
          done = true;
        }
        if (next == null || done) {
          done = true;
          try {
            close();
          } catch (IOException e) {
            // the rows are read; a failing close of a broken archive changes nothing
          }
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
