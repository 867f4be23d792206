package org.agrifusion.pipelines.sink.extract;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Extract sink: one CSV file, UTF-8 with a byte-order mark so Excel shows Chinese correctly.
 * Spark writes the rows aside; the single part file is then streamed behind the BOM into the
 * target, and the target only appears once it is complete.
 */
public final class CsvExtractWriter {

  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private CsvExtractWriter() {}

  public static void write(Dataset<Row> rows, List<String> columns, String targetFile) {
    Path target = new Path(targetFile);
    Path aside = new Path(target.getParent(), "." + target.getName() + ".spark");
    Path partial = new Path(target.getParent(), "." + target.getName() + ".partial");
    rows.select(columns.stream().map(c -> col(c)).toArray(Column[]::new))
        .coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .option("header", true)
        .option("encoding", "UTF-8")
        .csv(aside.toString());
    try {
      FileSystem fs = target.getFileSystem(rows.sparkSession().sparkContext().hadoopConfiguration());
      FileStatus[] parts = fs.globStatus(new Path(aside, "part-*"));
      if (parts == null || parts.length != 1) {
        throw new IOException("expected one part file in " + aside + ", found " + (parts == null ? 0 : parts.length));
      }
      try (OutputStream out = fs.create(partial, true); InputStream in = fs.open(parts[0].getPath())) {
        out.write(UTF8_BOM);
        in.transferTo(out);
      }
      fs.delete(target, false);
      if (!fs.rename(partial, target)) {
        throw new IOException("cannot rename " + partial + " to " + target);
      }
      fs.delete(aside, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write extract " + targetFile, e);
    }
  }
}
