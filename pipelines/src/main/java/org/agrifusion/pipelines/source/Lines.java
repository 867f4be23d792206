package org.agrifusion.pipelines.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;

/**
 * The physical lines of a text, ended by LF, CRLF or CR. A line longer than {@code maxChars} is read
 * to its end but not held: {@link #next} returns its first {@code maxChars} characters and
 * {@link #tooLong} is true, so one huge line costs no memory and the lines after it are still read.
 */
final class Lines implements Closeable {

  private final Reader reader;
  private final int maxChars;
  private final char[] buffer = new char[1 << 16];
  private final StringBuilder line = new StringBuilder();
  private int position;
  private int limit;
  private long number;
  private long length;
  private boolean ended;

  Lines(Reader reader, int maxChars) {
    this.reader = reader;
    this.maxChars = maxChars;
  }

  /** The next line without its end, or null at the end of the text. */
  String next() throws IOException {
    line.setLength(0);
    length = 0;
    ended = false;
    if (position == limit && !fill()) {
      return null;
    }
    while (position < limit || fill()) {
      char c = buffer[position++];
      if (c == '\n') {
        ended = true;
        break;
      }
      if (c == '\r') {
        if ((position < limit || fill()) && buffer[position] == '\n') {
          position++;
        }
        ended = true;
        break;
      }
      if (length++ < maxChars) {
        line.append(c);
      }
    }
    number++;
    return line.toString();
  }

  /** 1-based number of the line last returned. */
  long number() {
    return number;
  }

  /** Whether the line last returned was cut at {@code maxChars}. */
  boolean tooLong() {
    return length > maxChars;
  }

  /** Whether the line last returned had a line end (the last line of a text may not). */
  boolean ended() {
    return ended;
  }

  /** Characters in the line last returned, before any cut. */
  long length() {
    return length;
  }

  private boolean fill() throws IOException {
    int read;
    do {
      read = reader.read(buffer, 0, buffer.length);
    } while (read == 0);
    position = 0;
    limit = Math.max(read, 0);
    return read > 0;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
