package org.agrifusion.pipelines.sink.extract;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.univocity.parsers.csv.CsvWriter;
import com.univocity.parsers.csv.CsvWriterSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.agrifusion.pipelines.lake.Snapshots;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.spark.sql.Row;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Writes one period of an extract for a department: a CSV (UTF-8 with a byte-order mark, so Excel
 * shows Chinese correctly) and/or an XLSX, plus {@code manifest.json} with the SHA-256 of every
 * file and the lake snapshots the rows were read from. Rows stream from the executors one partition
 * at a time. Everything is written into a hidden folder beside the target and then renamed into
 * place, so a department never picks up a half-written period, and a re-run replaces the period.
 *
 * <p>The data files depend on the rows and the business date only (no clock, no run id), so a
 * period re-cut from the snapshots its manifest names is byte-identical to the one issued.
 */
public final class ExtractWriter {

  public static final String MANIFEST = "manifest.json";
  /** Excel's last row, less the header. */
  static final int XLSX_MAX_ROWS = 1_048_575;
  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  /** Excel's own zip entry time (the earliest a zip can hold), for every entry of every workbook. */
  private static final LocalDateTime ZIP_ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);
  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ExtractWriter() {}

  public record FileEntry(String name, long bytes, String sha256) {}

  public record ColumnEntry(String name, String header) {}

  /**
   * @param snapshots the snapshot of each table the rows were read from, by qualified name, sorted;
   *     empty in a manifest issued before the lake recorded snapshots
   */
  public record Manifest(String extractId, String title, String dataset, String cadence, String period,
      String businessDate, boolean periodComplete, long rows, List<ColumnEntry> columns, List<FileEntry> files,
      Map<String, Long> snapshots, String generatedAt, String runId) {

    public Manifest {
      snapshots = Collections.unmodifiableMap(new TreeMap<>(snapshots == null ? Map.of() : snapshots));
    }

    /** The snapshots to read the lake at to re-cut this period. */
    public Snapshots pinned() {
      return Snapshots.of(snapshots);
    }
  }

  /**
   * @param rows the extract's rows in output order, or null when the source has no data for the period
   * @param snapshots the snapshot of each table the rows were read from, recorded in the manifest
   * @return the manifest written beside the files
   */
  public static Manifest write(ExtractSpec spec, Iterator<Row> rows, LocalDate businessDate, Snapshots snapshots,
      String folder, String runId, Configuration hadoop) {
    Objects.requireNonNull(snapshots, "snapshots");
    String period = spec.cadence().period(businessDate);
    Path target = new Path(folder, period);
    Path pending = new Path(folder, ".pending-" + runId);
    try {
      FileSystem fs = target.getFileSystem(hadoop);
      fs.delete(pending, true);
      String base = spec.id() + "_" + period;
      long count;
      List<Path> files = new ArrayList<>();
      try (Outputs out = new Outputs(spec, fs, pending, base, period, businessDate)) {
        count = out.writeAll(rows == null ? Collections.emptyIterator() : rows);
        files.addAll(out.paths);
      }
      List<FileEntry> entries = new ArrayList<>();
      for (Path file : files) {
        entries.add(new FileEntry(file.getName(), fs.getFileStatus(file).getLen(), sha256(fs, file)));
      }
      Manifest manifest = new Manifest(spec.id(), spec.title(), spec.dataset(), spec.cadence().name().toLowerCase(),
          period, businessDate.toString(), spec.cadence().complete(businessDate), count,
          spec.columns().stream().map(c -> new ColumnEntry(c.name(), c.header())).toList(), entries,
          snapshots.sorted(), OffsetDateTime.now(ZONE).toString(), runId);
      try (OutputStream out = fs.create(new Path(pending, MANIFEST), true)) {
        JSON.writeValue(out, manifest);
      }
      publish(fs, pending, target, new Path(folder, ".trash-" + runId));
      return manifest;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write extract " + spec.id() + " into " + target, e);
    }
  }

  /**
   * The manifest of a period as issued, to re-cut it from the snapshots it names; empty when the
   * period was never issued into this folder.
   */
  public static Optional<Manifest> readManifest(String folder, String period, Configuration hadoop) {
    Path file = new Path(new Path(folder, period), MANIFEST);
    try {
      FileSystem fs = file.getFileSystem(hadoop);
      if (!fs.exists(file)) {
        return Optional.empty();
      }
      try (InputStream in = fs.open(file)) {
        return Optional.of(JSON.readValue(in, Manifest.class));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the extract manifest " + file + ": " + e.getMessage(), e);
    }
  }

  /** A cell a spreadsheet would take for a formula (= + - @, or a leading tab / CR) is kept as text. */
  static String neutralise(String value) {
    if (value.isEmpty()) {
      return value;
    }
    char first = value.charAt(0);
    return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
        ? "'" + value : value;
  }

  /** The cell value of a Spark value: numbers stay numbers, everything else becomes (neutralised) text. */
  static Object cell(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof java.sql.Timestamp t) {
      return OffsetDateTime.ofInstant(t.toInstant(), ZONE).toLocalDateTime().toString().replace('T', ' ');
    }
    if (value instanceof java.time.Instant t) {
      return OffsetDateTime.ofInstant(t, ZONE).toLocalDateTime().toString().replace('T', ' ');
    }
    if (value instanceof scala.collection.Map<?, ?> map) {
      return neutralise(new TreeMap<>(CollectionConverters.asJava(map)).entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
    }
    if (value instanceof scala.collection.Seq<?> seq) {
      return neutralise(CollectionConverters.asJava(seq).stream().map(String::valueOf).collect(Collectors.joining("|")));
    }
    return neutralise(value.toString());
  }

  private static String text(Object cell) {
    if (cell == null) {
      return null;
    }
    if (cell instanceof Double || cell instanceof Float) {
      return BigDecimal.valueOf(((Number) cell).doubleValue()).stripTrailingZeros().toPlainString();
    }
    return cell.toString();
  }

  private static void publish(FileSystem fs, Path pending, Path target, Path trash) throws IOException {
    fs.delete(trash, true);
    if (fs.exists(target) && !fs.rename(target, trash)) {
      throw new IOException("cannot move the previous " + target + " aside");
    }
    if (!fs.rename(pending, target)) {
      throw new IOException("cannot rename " + pending + " to " + target);
    }
    fs.delete(trash, true);
  }

  private static String sha256(FileSystem fs, Path file) throws IOException {
    MessageDigest digest = sha256();
    try (var in = fs.open(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The open files of one extract period; each row goes to every format in one pass. */
  private static final class Outputs implements AutoCloseable {

    final List<Path> paths = new ArrayList<>();
    private final FileSystem fs;
    private final List<String> headers;
    private CsvWriter csv;
    private SXSSFWorkbook workbook;
    private SXSSFSheet sheet;
    private Path xlsxPath;
    private CellStyle headerStyle;

    Outputs(ExtractSpec spec, FileSystem fs, Path folder, String base, String sheetName, LocalDate businessDate)
        throws IOException {
      this.fs = fs;
      headers = spec.columns().stream().map(ExtractSpec.OutputColumn::header).toList();
      for (ExtractSpec.Format format : spec.formats()) {
        Path path = new Path(folder, base + "." + format.extension());
        paths.add(path);
        if (format == ExtractSpec.Format.CSV) {
          OutputStream out = fs.create(path, true);
          out.write(UTF8_BOM);
          CsvWriterSettings settings = new CsvWriterSettings();
          settings.getFormat().setLineSeparator("\r\n");
          settings.setQuoteEscapingEnabled(true);
          csv = new CsvWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), settings);
          csv.writeHeaders(headers);
        } else {
          xlsxPath = path;
          workbook = new SXSSFWorkbook(200);
          // POI stamps the clock into docProps/core.xml; the business date keeps the file reproducible
          Optional<Date> asOf = Optional.of(Date.from(businessDate.atStartOfDay(ZONE).toInstant()));
          var core = workbook.getXSSFWorkbook().getProperties().getCoreProperties();
          core.setCreated(asOf);
          core.setModified(asOf);
          sheet = workbook.createSheet(sheetName);
          headerStyle = workbook.createCellStyle();
          Font bold = workbook.createFont();
          bold.setBold(true);
          headerStyle.setFont(bold);
          sheet.createFreezePane(0, 1);
          writeXlsx(0, headers.toArray(), headerStyle);
          for (int i = 0; i < headers.size(); i++) {
            sheet.setColumnWidth(i, Math.min(60, Math.max(10, headers.get(i).length() * 3)) * 256);
          }
        }
      }
    }

    long writeAll(Iterator<Row> rows) {
      long count = 0;
      while (rows.hasNext()) {
        Row row = rows.next();
        Object[] cells = new Object[row.length()];
        for (int i = 0; i < cells.length; i++) {
          cells[i] = cell(row.get(i));
        }
        count++;
        if (csv != null) {
          csv.writeRow(java.util.Arrays.stream(cells).map(ExtractWriter::text).toArray());
        }
        if (sheet != null) {
          if (count > XLSX_MAX_ROWS) {
            throw new IllegalStateException("more than " + XLSX_MAX_ROWS + " rows do not fit in one XLSX sheet;"
                + " narrow the extract's filter or deliver it as csv only");
          }
          writeXlsx((int) count, cells, null);
        }
      }
      return count;
    }

    private void writeXlsx(int rowIndex, Object[] cells, CellStyle style) {
      org.apache.poi.ss.usermodel.Row row = sheet.createRow(rowIndex);
      for (int i = 0; i < cells.length; i++) {
        if (cells[i] == null) {
          continue;
        }
        Cell cell = row.createCell(i);
        if (cells[i] instanceof Number n) {
          cell.setCellValue(n.doubleValue());
        } else if (cells[i] instanceof Boolean b) {
          cell.setCellValue(b);
        } else {
          cell.setCellValue(cells[i].toString());
        }
        if (style != null) {
          cell.setCellStyle(style);
        }
      }
    }

    @Override
    public void close() throws IOException {
      if (csv != null) {
        csv.close();
      }
      if (workbook != null) {
        java.nio.file.Path local = Files.createTempFile("agri-extract-", ".xlsx");
        try {
          try (OutputStream out = Files.newOutputStream(local)) {
            workbook.write(out);
          } finally {
            workbook.close();
          }
          try (OutputStream out = fs.create(xlsxPath, true)) {
            copyWithFixedEntryTimes(local, out);
          }
        } finally {
          Files.deleteIfExists(local);
        }
      }
    }
  }

  /**
   * Copies a zip entry by entry in the order written, each entry's compressed bytes as they are, with
   * one fixed time instead of the moment POI wrote it. The zip's DOS times are local times, so the
   * time is given as one: the same fields in every time zone.
   */
  private static void copyWithFixedEntryTimes(java.nio.file.Path zip, OutputStream target) throws IOException {
    long time = ZIP_ENTRY_TIME.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    try (ZipFile in = ZipFile.builder().setPath(zip).get();
        ZipArchiveOutputStream out = new ZipArchiveOutputStream(target)) {
      for (ZipArchiveEntry entry : Collections.list(in.getEntries())) {
        ZipArchiveEntry copy = new ZipArchiveEntry(entry.getName());
        copy.setMethod(entry.getMethod());
        copy.setCrc(entry.getCrc());
        copy.setSize(entry.getSize());
        copy.setCompressedSize(entry.getCompressedSize());
        copy.setTime(time);
        out.addRawArchiveEntry(copy, in.getRawInputStream(entry));
      }
      out.finish();
    }
  }
}
