package org.agrifusion.pipelines.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.source.LandedFiles.LandedFile;
import org.agrifusion.pipelines.support.SparkExtension;
import org.agrifusion.pipelines.support.TestReference;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The landed-file inventory on real files of every kind a landing folder receives. */
@ExtendWith(SparkExtension.class)
class LandedFilesTest {

  static final LocalDate DAY = LocalDate.of(2021, 12, 7);
  static final Path SAMPLE = Path.of("../samples/landing/xinfadi-daily-prices/2021-12-07/xinfadi_prices_2021-12-07.csv");
  static final SourceDescriptor PRICES = TestReference.descriptor("xinfadi-daily-prices");
  static final SourceDescriptor REGISTRY = TestReference.descriptor("origin-registry");
  static final byte[] OLE2 = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1, 0, 0};

  final SparkSession spark;
  @TempDir Path root;
  Lake lake;

  LandedFilesTest(SparkSession spark) {
    this.spark = spark;
  }

  @BeforeEach
  void lake() {
    lake = new Lake(root.toString()).register(spark);
  }

  Path land(String source, String file, byte[] content) throws IOException {
    Path path = root.resolve("landing/" + source + "/" + DAY + "/" + file);
    Files.createDirectories(path.getParent());
    return Files.write(path, content);
  }

  static byte[] gzip(byte[] content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(content);
    }
    return out.toByteArray();
  }

  static byte[] workbook() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (XSSFWorkbook book = new XSSFWorkbook()) {
      var sheet = book.createSheet("经营主体");
      for (int r = 0; r < 200; r++) {
        sheet.createRow(r).createCell(0).setCellValue("主体" + r + " 合作社 " + "x".repeat(r % 50));
      }
      book.write(out);
    }
    return out.toByteArray();
  }

  /** As POI's streaming writer (and agri generate) writes it: zip entries with data descriptors. */
  static byte[] streamedWorkbook() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (SXSSFWorkbook book = new SXSSFWorkbook()) {
      var sheet = book.createSheet("经营主体");
      for (int r = 0; r < 50; r++) {
        sheet.createRow(r).createCell(0).setCellValue("主体" + r);
      }
      book.write(out);
    }
    return out.toByteArray();
  }

  static String sha256(byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }

  Map<String, LandedFile> byName(List<LandedFile> files) {
    return files.stream().collect(Collectors.toMap(f -> LandedFiles.name(lake, f.file()), Function.identity()));
  }

  @Test
  void everyFileOfTheDateIsListedWithItsChecksumAndRejectedFilesSayWhy() throws Exception {
    byte[] sample = Files.readAllBytes(SAMPLE);
    byte[] gz = gzip(sample);
    String p = "xinfadi-daily-prices/" + DAY + "/";
    Path prices = land("xinfadi-daily-prices", "prices.csv", sample);
    land("xinfadi-daily-prices", "prices-2.csv.gz", gz);
    land("xinfadi-daily-prices", "truncated.csv.gz", Arrays.copyOf(gz, gz.length / 2));
    land("xinfadi-daily-prices", "not-gzip.csv.gz", "a,b\n".getBytes(StandardCharsets.UTF_8));
    land("xinfadi-daily-prices", "gzip-inside.csv", gz);
    land("xinfadi-daily-prices", "empty.csv", new byte[0]);
    land("xinfadi-daily-prices", "blank.csv", "\uFEFF\r\n  \r\n".getBytes(StandardCharsets.UTF_8));
    land("xinfadi-daily-prices", "header-only.csv",
        "prodCat,prodPcat,prodName,lowPrice,avgPrice,highPrice,place,unitInfo,pubDate\r\n".getBytes(StandardCharsets.UTF_8));
    land("xinfadi-daily-prices", "prices.xls", OLE2);
    land("xinfadi-daily-prices", "prices.zip", zip());
    land("xinfadi-daily-prices", "readme.txt", "sent by the crawler".getBytes(StandardCharsets.UTF_8));
    land("xinfadi-daily-prices", "late/prices.csv", sample);
    byte[] book = workbook();
    land("origin-registry", "registry.xlsx", book);
    land("origin-registry", "registry-streamed.xlsx", streamedWorkbook());
    land("origin-registry", "truncated.xlsx", Arrays.copyOf(book, book.length / 2));
    land("origin-registry", "registry-old.xlsx", OLE2);
    land("origin-registry", "registry.csv.xlsx", sample);
    land("mystery-feed", "orders.csv", sample);
    Files.createDirectories(root.resolve("landing/xinfadi-daily-prices/2021-12-06"));
    Files.write(root.resolve("landing/xinfadi-daily-prices/2021-12-06/prices.csv"), sample);

    List<LandedFile> files = LandedFiles.take(spark, lake, List.of(PRICES, REGISTRY), DAY);

    Map<String, LandedFile> named = byName(files);
    assertThat(files).extracting(f -> LandedFiles.name(lake, f.file())).isSorted();
    assertThat(named.keySet()).hasSize(18).noneMatch(n -> n.contains("2021-12-06"));
    LandedFile landed = named.get("landing/" + p + "prices.csv");
    assertThat(landed.bytes()).isEqualTo(sample.length);
    assertThat(landed.sha256()).isEqualTo(sha256(sample));
    assertThat(landed.modifiedMs()).isEqualTo(Files.getLastModifiedTime(prices).toMillis());
    assertThat(RawIngest.landedFiles(spark, lake, PRICES, DAY)).contains(landed.file(), named.get("landing/" + p + "prices-2.csv.gz").file());
    assertThat(named.get("landing/" + p + "prices-2.csv.gz").sha256()).isEqualTo(sha256(gz));
    assertThat(named).allSatisfy((name, f) -> assertThat(f.sha256()).matches("[0-9a-f]{64}"));
    assertThat(files).extracting(f -> LandedFiles.name(lake, f.file()).replace("landing/", ""), LandedFile::status,
        LandedFile::reason).containsExactlyInAnyOrder(
            tuple("mystery-feed/" + DAY + "/orders.csv", "rejected", "NO_DESCRIPTOR"),
            tuple("origin-registry/" + DAY + "/registry-old.xlsx", "rejected", "UNSUPPORTED_TYPE"),
            tuple("origin-registry/" + DAY + "/registry.csv.xlsx", "rejected", "UNSUPPORTED_TYPE"),
            tuple("origin-registry/" + DAY + "/registry.xlsx", "ready", null),
            tuple("origin-registry/" + DAY + "/registry-streamed.xlsx", "ready", null),
            tuple("origin-registry/" + DAY + "/truncated.xlsx", "rejected", "CORRUPT_ARCHIVE"),
            tuple(p + "blank.csv", "empty", null),
            tuple(p + "empty.csv", "empty", null),
            tuple(p + "gzip-inside.csv", "rejected", "UNSUPPORTED_TYPE"),
            tuple(p + "header-only.csv", "ready", null),
            tuple(p + "late/prices.csv", "rejected", "NOT_MATCHED"),
            tuple(p + "not-gzip.csv.gz", "rejected", "CORRUPT_ARCHIVE"),
            tuple(p + "prices-2.csv.gz", "ready", null),
            tuple(p + "prices.csv", "ready", null),
            tuple(p + "prices.xls", "rejected", "UNSUPPORTED_TYPE"),
            tuple(p + "prices.zip", "rejected", "UNSUPPORTED_TYPE"),
            tuple(p + "readme.txt", "rejected", "NOT_MATCHED"),
            tuple(p + "truncated.csv.gz", "rejected", "CORRUPT_ARCHIVE"));
    assertThat(named.get("landing/" + p + "truncated.csv.gz").detail()).startsWith("truncated or corrupt gzip archive");
    assertThat(named.get("landing/" + p + "prices.xls").detail()).contains("Excel 97-2003", "csv");
    assertThat(named.get("landing/mystery-feed/" + DAY + "/orders.csv").detail()).contains("landing/mystery-feed/");
    // and the inventory is stored with the run, as taken
    assertThat(LandedFiles.stored(spark, lake, DAY)).containsExactlyElementsOf(files);
  }

  static byte[] zip() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("prices.csv"));
      zip.write(Files.readAllBytes(SAMPLE));
    }
    return out.toByteArray();
  }

  @Test
  void aLandingThatChangedAfterTheInventoryIsNamedFileByFile() throws Exception {
    byte[] sample = Files.readAllBytes(SAMPLE);
    Path appended = land("xinfadi-daily-prices", "appended.csv", sample);
    Path rewritten = land("xinfadi-daily-prices", "rewritten.csv", sample);
    Path gone = land("xinfadi-daily-prices", "gone.csv", sample);
    land("xinfadi-daily-prices", "same.csv", sample);
    LandedFiles.take(spark, lake, List.of(PRICES), DAY);
    assertThat(LandedFiles.changes(spark, lake, List.of(PRICES), DAY)).isEmpty();

    // ten rows appended; one byte changed in place with the modification time put back; one file removed; one added
    String tenRows = "蔬菜,,大白菜,1.0,1.2,1.1,冀,斤,2021-12-07 00:00:00\r\n".repeat(10);
    Files.writeString(appended, tenRows, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    FileTime time = Files.getLastModifiedTime(rewritten);
    byte[] changed = sample.clone();
    changed[changed.length - 3] ^= 1;
    Files.write(rewritten, changed);
    Files.setLastModifiedTime(rewritten, time);
    Files.delete(gone);
    land("mystery-feed", "late.csv", sample);

    List<String> changes = LandedFiles.changes(spark, lake, List.of(PRICES), DAY);

    String folder = "landing/xinfadi-daily-prices/" + DAY + "/";
    int grown = sample.length + tenRows.getBytes(StandardCharsets.UTF_8).length;
    assertThat(changes).hasSize(4);
    assertThat(changes.get(0)).startsWith("landed file " + folder + "appended.csv changed during the run (size "
        + sample.length + " -> " + grown + ", modified ");
    assertThat(changes.get(1)).isEqualTo("landed file " + folder + "gone.csv disappeared during the run");
    assertThat(changes.get(2)).isEqualTo("landed file " + folder + "rewritten.csv changed during the run (SHA-256 "
        + sha256(sample).substring(0, 12) + "… -> " + sha256(changed).substring(0, 12) + "…)");
    assertThat(changes.get(3)).isEqualTo("landed file landing/mystery-feed/" + DAY + "/late.csv appeared during the run");
    assertThat(LandedFiles.changedMessage(changes.subList(0, 1), DAY)).doesNotContain("\n")
        .endsWith("; the next run of 2021-12-07 reads it again from ingest (agri run --date 2021-12-07)");
  }

  @Test
  void aDateWithNothingLandedHasAnEmptyInventory() {
    assertThat(LandedFiles.take(spark, lake, List.of(PRICES), DAY)).isEmpty();
    assertThat(LandedFiles.stored(spark, lake, DAY)).isEmpty();
    assertThat(LandedFiles.changes(spark, lake, List.of(PRICES), DAY)).isEmpty();
  }
}
