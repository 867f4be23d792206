package org.agrifusion.pipelines.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.support.SparkExtension;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkExtension.class)
class RawIngestTest {

  static final LocalDate DAY = LocalDate.of(2021, 12, 7);
  static final byte[] KEY = "a-test-key-of-enough-length".getBytes(StandardCharsets.UTF_8);
  static final SourceDescriptor XINFADI = SourceDescriptors.load(Path.of("../conf/sources/xinfadi-daily-prices.yml"));
  static final Path SAMPLE = Path.of("../samples/landing/xinfadi-daily-prices/2021-12-07/xinfadi_prices_2021-12-07.csv");

  final SparkSession spark;
  @TempDir Path root;

  RawIngestTest(SparkSession spark) {
    this.spark = spark;
  }

  Path landing(String file) throws IOException {
    Path dir = root.resolve("landing/xinfadi-daily-prices/" + DAY);
    Files.createDirectories(dir);
    return dir.resolve(file);
  }

  List<Row> ingest() {
    Lake lake = new Lake(root.toString());
    List<String> files = RawIngest.landedFiles(spark, lake, XINFADI, DAY);
    return RawIngest.read(spark, XINFADI, files, "run-1", DAY, KEY)
        .orderBy(RawColumns.SOURCE_FILE, RawColumns.SOURCE_ROW).collectAsList();
  }

  @Test
  void everyLineOfTheRealSampleBecomesARowWithItsLineNumber() throws IOException {
    Files.copy(SAMPLE, landing("xinfadi.csv"));
    List<Row> rows = ingest();
    assertThat(rows).hasSize(443);
    Row first = rows.get(0);
    assertThat((String) first.getAs("prodName")).isEqualTo("菜花");
    assertThat((String) first.getAs("place")).isEqualTo("冀");
    assertThat((Long) first.getAs(RawColumns.SOURCE_ROW)).isEqualTo(2L);
    assertThat((Long) rows.get(442).getAs(RawColumns.SOURCE_ROW)).isEqualTo(444L);
    assertThat(rows).allSatisfy(r -> {
      assertThat((String) r.getAs(RawColumns.PARSE_ERROR)).isNull();
      assertThat((String) r.getAs(RawColumns.SOURCE_ID)).isEqualTo("xinfadi-daily-prices");
      assertThat((String) r.getAs(RawColumns.RUN_ID)).isEqualTo("run-1");
    });
  }

  @Test
  void aByteOrderMarkAndWindowsLineEndsAreHandled() throws IOException {
    String body = "\uFEFFprodCat,prodPcat,prodName,lowPrice,avgPrice,highPrice,place,unitInfo,pubDate\r\n"
        + "水果,苹果类,富士,1.8,2.6,2.2,,斤,2021-12-07 00:00:00\r\n";
    Files.writeString(landing("bom.csv"), body, StandardCharsets.UTF_8);
    List<Row> rows = ingest();
    assertThat(rows).singleElement().satisfies(r -> {
      assertThat((String) r.getAs("prodCat")).isEqualTo("水果");
      assertThat((String) r.getAs("pubDate")).isEqualTo("2021-12-07 00:00:00");
      assertThat((Long) r.getAs(RawColumns.SOURCE_ROW)).isEqualTo(2L);
    });
  }

  @Test
  void malformedLinesAreKeptWithTheirErrorAndText() throws IOException {
    byte[] gbk = "蔬菜,,长茄,2.0,3.0,2.5,冀晋辽,斤,2021-12-07 00:00:00\n".getBytes(Charset.forName("GBK"));
    byte[] head = ("prodCat,prodPcat,prodName,lowPrice,avgPrice,highPrice,place,unitInfo,pubDate\n"
        + "蔬菜,,菜花,3.0,3.2\n").getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[head.length + gbk.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(gbk, 0, all, head.length, gbk.length);
    Files.write(landing("broken.csv"), all);

    List<Row> rows = ingest();
    assertThat(rows).hasSize(2);
    assertThat((String) rows.get(0).getAs(RawColumns.PARSE_ERROR)).isEqualTo("UNPARSEABLE_LINE: expected 9 fields, found 5");
    assertThat((String) rows.get(0).getAs(RawColumns.RAW_LINE)).isEqualTo("蔬菜,,菜花,3.0,3.2");
    assertThat((String) rows.get(1).getAs(RawColumns.PARSE_ERROR)).isEqualTo("UNPARSEABLE_LINE: bytes not valid in the declared encoding");
    assertThat((Long) rows.get(1).getAs(RawColumns.SOURCE_ROW)).isEqualTo(3L);
  }

  @Test
  void columnsAreFoundByHeaderNameSoReorderedOrExtraColumnsCannotMoveData() throws IOException {
    // the market swapped two columns and added a remark: reading by position would put prices in the wrong fields
    Files.writeString(landing("swapped.csv"), "prodCat,prodPcat,prodName,备注,avgPrice,lowPrice,highPrice,place,unitInfo,pubDate\n"
        + "水果,苹果类,富士,新货,2.6,1.8,2.2,,斤,2021-12-07 00:00:00\n", StandardCharsets.UTF_8);
    List<Row> rows = ingest();
    assertThat(rows).singleElement().satisfies(r -> {
      assertThat((String) r.getAs(RawColumns.PARSE_ERROR)).isNull();
      assertThat((String) r.getAs("lowPrice")).isEqualTo("1.8");
      assertThat((String) r.getAs("avgPrice")).isEqualTo("2.6");
      assertThat((String) r.getAs("pubDate")).isEqualTo("2021-12-07 00:00:00");
    });
  }

  @Test
  void aHeaderThatLacksAColumnHasEveryRowRejected() throws IOException {
    Files.writeString(landing("renamed.csv"), "prodCat,prodPcat,prodName,lowPrice,averagePrice,highPrice,place,unitInfo,pubDate\n"
        + "水果,苹果类,富士,1.8,2.6,2.2,,斤,2021-12-07 00:00:00\n", StandardCharsets.UTF_8);
    List<Row> rows = ingest();
    assertThat(rows).singleElement().satisfies(r -> assertThat((String) r.getAs(RawColumns.PARSE_ERROR))
        .startsWith("HEADER_MISMATCH: header [prodCat, prodPcat, prodName, lowPrice, averagePrice").endsWith("lacks the descriptor's columns [avgPrice]"));
  }

  @Test
  void noLandedFilesMeansNoFiles() {
    assertThat(RawIngest.landedFiles(spark, new Lake(root.toString()), XINFADI, DAY)).isEmpty();
  }
}
