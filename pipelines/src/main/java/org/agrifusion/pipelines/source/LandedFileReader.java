package org.agrifusion.pipelines.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import org.agrifusion.pipelines.spark.SerializableHadoopConf;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Reads one landed file inside a Spark task (one file per task) into rows of the descriptor's
 * columns plus lineage; delimited and JSON Lines files are streamed, so their size is not bounded
 * by memory.
 * Each format is a subclass. A record that cannot be split into the columns is still emitted, with
 * {@link RawColumns#PARSE_ERROR} and its text, so the standardise step quarantines it: no record is
 * dropped here. Personal data is removed before a row leaves the reader.
 */
abstract class LandedFileReader implements FlatMapFunction<String, Row> {

  static final char REPLACEMENT = '\uFFFD';

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
    return read(path.getFileSystem(hadoopConf.get()).open(path), file);
  }

  /** Rows of the file; the iterator closes the stream when exhausted. */
  abstract Iterator<Row> read(InputStream in, String file) throws IOException;

  /**
   * Null when a header row names the descriptor's columns in order, else why not: a feed that
   * reorders or renames its columns must not move data into the wrong fields silently, so every
   * row of such a file is quarantined with this message.
   */
  protected String headerProblem(String[] header) {
    List<String> found = java.util.Arrays.stream(header)
        .map(h -> h == null ? "" : h.replace("\uFEFF", "").strip()).toList();
    return found.equals(descriptor.columns()) ? null
        : "header " + found + " differs from the descriptor's columns " + descriptor.columns();
  }

  /**
   * One row: the fields in column order (padded or cut to the declared width) and lineage.
   *
   * @param error why the record does not fit the columns, or null
   * @param rawText the record as landed, kept only with an error (and never when the feed holds
   *     personal data or the text looks like some, see {@link PersonalDataGuard#keptRawLine})
   */
  protected Row row(String[] fields, String file, long line, String error, String rawText) {
    int width = descriptor.columns().size();
    Object[] values = new Object[width + 4];
    if (error == null && fields.length != width) {
      error = "expected " + width + " fields, found " + fields.length;
    }
    for (int i = 0; i < Math.min(width, fields.length); i++) {
      values[i] = fields[i];
      if (error == null && fields[i] != null && fields[i].indexOf(REPLACEMENT) >= 0) {
        error = "bytes not valid in the declared encoding";
      }
    }
    boolean masked = guard.apply(values);
    values[width] = file;
    values[width + 1] = line;
    // a message can quote landed text (a header that was a data row)
    values[width + 2] = PersonalDataDetector.mask(error);
    values[width + 3] = error == null || masked ? null : guard.keptRawLine(rawText);
    return RowFactory.create(values);
  }
}
