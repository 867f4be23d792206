package org.agrifusion.pipelines.source;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import org.agrifusion.pipelines.spark.SerializableHadoopConf;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One landed file inside a Spark task: its size, modification time and SHA-256 in one streamed
 * read and, when verifying, whether the descriptor's reader can read it. A gzip file is
 * decompressed to its end and an xlsx workbook's zip entries are read through, so a truncated
 * archive is rejected here instead of failing the reader. The file's kind is told by its first
 * bytes, not only its name. Input: source, file, format (null without a descriptor), matched.
 */
final class FileInspection implements MapFunction<Row, Row> {

  private static final int SIGNATURE = 8;

  private final SerializableHadoopConf conf;
  private final boolean verify;

  /** @param verify also decide the file's status; false to take size, time and checksum only */
  FileInspection(SerializableHadoopConf conf, boolean verify) {
    this.conf = conf;
    this.verify = verify;
  }

  private record Verdict(String status, String reason, String detail) {
    static final Verdict READY = new Verdict(LandedFiles.READY, null, null);
    static final Verdict EMPTY = new Verdict(LandedFiles.EMPTY, null, "no data (zero bytes or only blank lines)");

    static Verdict rejected(String reason, String detail) {
      return new Verdict(LandedFiles.REJECTED, reason, detail);
    }
  }

  @Override
  public Row call(Row in) throws IOException {
    String source = in.getString(0);
    String file = in.getString(1);
    String format = in.getString(2);
    boolean matched = in.getBoolean(3);
    Path path = new Path(file);
    FileSystem fs = path.getFileSystem(conf.get());
    FileStatus status = fs.getFileStatus(path);
    MessageDigest sha = sha256();
    Verdict verdict = null;
    long bytes;
    try (CountingStream counted = new CountingStream(new DigestInputStream(fs.open(path), sha));
        BufferedInputStream stream = new BufferedInputStream(counted, 1 << 16)) {
      if (verify) {
        verdict = verdict(stream, path.getName(), format, matched, status.getLen(), source);
      }
      stream.transferTo(OutputStream.nullOutputStream());
      bytes = counted.count;
    }
    return RowFactory.create(source, file, bytes, status.getModificationTime(), HexFormat.of().formatHex(sha.digest()),
        verdict == null ? null : verdict.status(), verdict == null ? null : verdict.reason(),
        verdict == null ? null : verdict.detail());
  }

  private static Verdict verdict(BufferedInputStream in, String name, String format, boolean matched, long size,
      String source) throws IOException {
    if (format == null) {
      return Verdict.rejected(LandedFiles.NO_DESCRIPTOR,
          "no descriptor in conf/sources/ reads landing/" + source + "/");
    }
    if (size == 0) {
      return matched ? Verdict.EMPTY : notMatched();
    }
    in.mark(SIGNATURE);
    byte[] head = in.readNBytes(SIGNATURE);
    in.reset();
    String kind = kind(head);
    boolean gzName = name.endsWith(LandedFiles.GZIP_SUFFIX);
    String unsupported = "xlsx".equals(format) ? unsupportedForXlsx(kind, gzName) : unsupportedForText(kind, gzName);
    if (unsupported != null) {
      return Verdict.rejected(LandedFiles.UNSUPPORTED_TYPE, unsupported + "; the feed's format is " + format);
    }
    if (!matched) {
      return notMatched();
    }
    if ("xlsx".equals(format)) {
      return workbook(in);
    }
    if (gzName) {
      if (!"gzip".equals(kind)) {
        return Verdict.rejected(LandedFiles.CORRUPT_ARCHIVE, "named .gz but not a gzip archive");
      }
      try {
        return hasData(new GZIPInputStream(in, 1 << 16)) ? Verdict.READY : Verdict.EMPTY;
      } catch (IOException e) {
        return Verdict.rejected(LandedFiles.CORRUPT_ARCHIVE, "truncated or corrupt gzip archive: " + why(e));
      }
    }
    return hasData(in) ? Verdict.READY : Verdict.EMPTY;
  }

  private static String why(IOException e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static Verdict notMatched() {
    return Verdict.rejected(LandedFiles.NOT_MATCHED, "not matched by the descriptor's landing.pattern");
  }

  /** Text feeds (csv, tsv, jsonl) read plain files and gzip files named .gz. */
  private static String unsupportedForText(String kind, boolean gzName) {
    if (kind == null || "gzip".equals(kind) && gzName) {
      return null;
    }
    return "gzip".equals(kind) ? "gzip content in a file not named .gz" : describe(kind);
  }

  private static String unsupportedForXlsx(String kind, boolean gzName) {
    if (gzName) {
      return "a compressed file (.gz); workbooks are read as landed";
    }
    if ("zip".equals(kind)) {
      return null;
    }
    return kind == null ? "text, not an xlsx workbook" : describe(kind);
  }

  /**
   * Reads the zip through as POI does (commons-compress, which accepts the data descriptors that
   * streaming writers such as POI's own SXSSF leave; java.util.zip refuses them); an xlsx workbook
   * has xl/workbook.xml.
   */
  private static Verdict workbook(InputStream in) {
    boolean workbook = false;
    try {
      ZipArchiveInputStream zip = new ZipArchiveInputStream(in, "UTF-8", true, true);
      for (ZipArchiveEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        workbook |= entry.getName().equals("xl/workbook.xml");
        zip.transferTo(OutputStream.nullOutputStream());
      }
    } catch (IOException e) {
      return Verdict.rejected(LandedFiles.CORRUPT_ARCHIVE, "truncated or corrupt xlsx workbook: " + why(e));
    }
    return workbook ? Verdict.READY
        : Verdict.rejected(LandedFiles.UNSUPPORTED_TYPE, "a zip archive without xl/workbook.xml, not an xlsx workbook");
  }

  /** Whether the stream holds anything but whitespace and byte-order marks; reads it to its end. */
  private static boolean hasData(InputStream in) throws IOException {
    byte[] buffer = new byte[1 << 16];
    boolean data = false;
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      for (int i = 0; i < n && !data; i++) {
        int b = buffer[i] & 0xFF;
        data = b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != 0xEF && b != 0xBB && b != 0xBF;
      }
    }
    return data;
  }

  /** The kind of binary file the first bytes announce, or null for anything else (text). */
  static String kind(byte[] head) {
    if (starts(head, 0x1F, 0x8B)) {
      return "gzip";
    }
    if (starts(head, 'P', 'K', 3, 4) || starts(head, 'P', 'K', 5, 6)) {
      return "zip";
    }
    if (starts(head, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)) {
      return "ole2";
    }
    if (starts(head, '%', 'P', 'D', 'F')) {
      return "pdf";
    }
    if (starts(head, 'B', 'Z', 'h')) {
      return "bzip2";
    }
    if (starts(head, 0xFD, '7', 'z', 'X', 'Z', 0)) {
      return "xz";
    }
    if (starts(head, '7', 'z', 0xBC, 0xAF, 0x27, 0x1C)) {
      return "7z";
    }
    if (starts(head, 'R', 'a', 'r', '!', 0x1A, 0x07)) {
      return "rar";
    }
    return null;
  }

  private static String describe(String kind) {
    return switch (kind) {
      case "zip" -> "a zip archive (or xlsx workbook)";
      case "ole2" -> "an Excel 97-2003 workbook (.xls) or other OLE2 document";
      case "pdf" -> "a PDF document";
      default -> "a " + kind + " archive";
    };
  }

  private static boolean starts(byte[] head, int... signature) {
    if (head.length < signature.length) {
      return false;
    }
    for (int i = 0; i < signature.length; i++) {
      if ((head[i] & 0xFF) != signature[i]) {
        return false;
      }
    }
    return true;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Counts the bytes read, which the checksum covers. */
  private static final class CountingStream extends java.io.FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count += b >= 0 ? 1 : 0;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      count += Math.max(n, 0);
      return n;
    }
  }
}
