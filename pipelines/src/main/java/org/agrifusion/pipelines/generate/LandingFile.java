package org.agrifusion.pipelines.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** One landed text file written line by line through a buffer (and gzip when its name ends in .gz). */
final class LandingFile implements AutoCloseable {

  final Path path;
  private final BufferedWriter out;
  private final String newline;
  long lines;

  LandingFile(Path path, Charset charset, String newline) {
    this.path = path;
    this.newline = newline;
    try {
      Files.createDirectories(path.getParent());
      OutputStream raw = Files.newOutputStream(path);
      // GZIPOutputStream writes a zero mtime, so the bytes depend only on the content.
      OutputStream stream = path.toString().endsWith(".gz") ? new GZIPOutputStream(raw, 1 << 16) : raw;
      out = new BufferedWriter(new OutputStreamWriter(stream, charset), 1 << 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + path, e);
    }
  }

  /** Writes text as is (a byte-order mark, say). */
  void raw(String text) {
    try {
      out.write(text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  /** Writes one data line and counts it. */
  void line(String text) {
    raw(text);
    raw(newline);
    lines++;
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + path, e);
    }
  }
}
