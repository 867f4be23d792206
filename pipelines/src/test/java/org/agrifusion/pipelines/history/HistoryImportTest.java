package org.agrifusion.pipelines.history;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.agrifusion.pipelines.fuse.FusePipeline;
import org.agrifusion.pipelines.fuse.Parcels;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.LakeTable;
import org.agrifusion.pipelines.lake.Tables;
import org.agrifusion.pipelines.source.IngestPipeline;
import org.agrifusion.pipelines.source.RawColumns;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.standardise.StandardisePipeline;
import org.agrifusion.pipelines.standardise.Standardiser;
import org.agrifusion.pipelines.support.LakeCheckpoint;
import org.agrifusion.pipelines.support.SparkExtension;
import org.agrifusion.pipelines.support.TestReference;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multi-day file imported in one pass, on real Iceberg tables. The fixture is 25 real rows of three
 * days of the Beijing Xinfadi crawler export (菜价.csv, lengyingmofeng/PythonLearn, see
 * samples/README.md), one of them repeated, plus a row dated 2021-11-31 and one dated after the
 * file's as-of date.
 */
@ExtendWith(SparkExtension.class)
class HistoryImportTest {

  static final LocalDate AS_OF = LocalDate.of(2021, 12, 6);
  static final LocalDate NOV_7 = LocalDate.of(2021, 11, 7);
  static final LocalDate NOV_8 = LocalDate.of(2021, 11, 8);
  static final LocalDate NOV_9 = LocalDate.of(2021, 11, 9);
  static final byte[] KEY = "a-test-key-of-enough-length".getBytes(StandardCharsets.UTF_8);
  static final SourceDescriptor XINFADI = TestReference.descriptor("xinfadi-daily-prices");
  static final FusePipeline.Settings SETTINGS = new FusePipeline.Settings(Map.of(), Parcels.Targets.defaults(), 3);

  final SparkSession spark;
  Lake lake;
  Path dir;

  HistoryImportTest(SparkSession spark) {
    this.spark = spark;
  }

  /** The lake {@link #imported()} builds once for the class. */
  @TempDir static Path sharedDir;
  static Imported shared;

  @BeforeEach
  void lake(@TempDir Path dir) {
    this.dir = dir;
    lake = new Lake(dir.resolve("lake").toString()).register(spark);
  }

  @AfterAll
  static void forgetTheSharedLake() {
    shared = null;
  }

  /** A lake into which the fixture was imported (run "import-1"), and that import's result. */
  record Imported(Lake lake, LakeCheckpoint checkpoint, HistoryImport.Result result) {}

  /**
   * Switches this test to the class's lake the fixture was imported into: the first test to ask
   * imports it, the others get that lake back as the import left it.
   */
  HistoryImport.Result imported() {
    if (shared == null) {
      lake = new Lake(LakeCheckpoint.freshDir(sharedDir).toString()).register(spark);
      HistoryImport.Result result = importFile(XINFADI, fixture(), "import-1");
      shared = new Imported(lake, LakeCheckpoint.of(spark, lake), result);
    } else {
      lake = shared.lake();
      shared.checkpoint().restore(spark);
    }
    return shared.result();
  }

  HistoryImport.Result importFile(SourceDescriptor source, Path file, String runId) {
    return HistoryImport.run(spark, lake, source, file.toUri().toString(), AS_OF, runId, KEY, TestReference.SHIPPED,
        TestReference.SHIPPED.regions(), SETTINGS, dates -> {});
  }

  static Path fixture() {
    return Path.of("src/test/resources/history/xinfadi-prices-3-days.csv").toAbsolutePath();
  }

  long rows(LakeTable table, LocalDate date) {
    return Tables.read(spark, lake.table(table), date).map(Dataset::count).orElse(0L);
  }

  @Test
  void everyRowIsFiledUnderItsOwnDateAndCountedThere() {
    HistoryImport.Result result = imported();

    // rows with no readable date (2021-11-31), or dated after the as-of date, are quarantined under the as-of date
    assertThat(result.dates()).extracting(HistoryImport.DateRows::date, HistoryImport.DateRows::read,
            HistoryImport.DateRows::accepted, HistoryImport.DateRows::quarantined)
        .containsExactly(tuple(NOV_7, 8L, 8L, 0L), tuple(NOV_8, 9L, 8L, 1L), tuple(NOV_9, 8L, 8L, 0L), tuple(AS_OF, 2L, 0L, 2L));
    assertThat(result.read()).isEqualTo(27).isEqualTo(result.accepted() + result.quarantined());
    assertThat(result.unbalanced()).isEmpty();
    assertThat(Tables.read(spark, lake.quarantine(RecordKind.PRICE), AS_OF).orElseThrow()
        .selectExpr("reasons[0]").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .containsExactlyInAnyOrder("BAD_DATE", "DATE_OUTSIDE_WINDOW");
    assertThat(Tables.read(spark, lake.quarantine(RecordKind.PRICE), NOV_8).orElseThrow()
        .selectExpr("reasons[0]").as(org.apache.spark.sql.Encoders.STRING()).collectAsList()).containsExactly("DUPLICATE");

    // each day's curated partition and daily mart, as a nightly run of that day would have written them
    assertThat(List.of(rows(LakeTable.PRICE_OBSERVATION, NOV_7), rows(LakeTable.PRICE_OBSERVATION, NOV_8),
        rows(LakeTable.PRICE_OBSERVATION, NOV_9))).containsExactly(8L, 8L, 8L);
    Dataset<Row> curated = Tables.read(spark, lake.table(LakeTable.PRICE_OBSERVATION), NOV_8).orElseThrow();
    assertThat(curated.where(col("observed_date").notEqual(col(Lake.PARTITION_COLUMN))).count()).isZero();
    assertThat(curated.where(col(FusePipeline.REPORTED_DATE).notEqual(col(Lake.PARTITION_COLUMN))).count()).isZero();
    assertThat(rows(LakeTable.PRICE_DAILY, NOV_7)).isEqualTo(7); // 圆白菜 is quoted twice (冀 and 鲁)
    assertThat(rows(LakeTable.PRICE_DAILY, NOV_8)).isEqualTo(8);
    assertThat(result.derivedDates()).containsExactly(NOV_7, NOV_8, NOV_9, AS_OF);
  }

  @Test
  void importingAgainReplacesTheSameRows() {
    imported();
    HistoryImport.Result again = importFile(XINFADI, fixture(), "import-2");

    assertThat(again.read()).isEqualTo(27);
    assertThat(again.accepted()).isEqualTo(24);
    assertThat(rows(LakeTable.PRICE_OBSERVATION, NOV_8)).isEqualTo(8);
    assertThat(Tables.read(spark, lake.raw(XINFADI.id()), NOV_8).orElseThrow().select(RawColumns.RUN_ID).distinct()
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList()).containsExactly("import-2");
  }

  @Test
  void anotherFeedsRowsOfTheSameDaysStay() throws Exception {
    SourceDescriptor bulletins = TestReference.descriptor("market-bulletins");
    Path taiyuan = dir.resolve("taiyuan.csv");
    Files.writeString(taiyuan, """
        市场编码,市场名称,市场所在地,品名,规格,产地,最低价,平均价,最高价,单位,发布日期
        SX-TYHX,太原河西农产品市场,140109,大白菜,普通,晋,0.6,0.7,0.8,斤,2021-11-08
        SX-TYHX,太原河西农产品市场,140109,芹菜,普通,晋,1.0,1.2,1.4,斤,2021-11-08
        """);
    importFile(bulletins, taiyuan, "import-1");
    importFile(XINFADI, fixture(), "import-2");

    Dataset<Row> staged = Tables.read(spark, lake.staging(RecordKind.PRICE), NOV_8).orElseThrow();
    assertThat(staged.where(col(RawColumns.SOURCE_ID).equalTo(lit("market-bulletins"))).count()).isEqualTo(2);
    assertThat(rows(LakeTable.PRICE_OBSERVATION, NOV_8)).isEqualTo(10);
    assertThat(Tables.read(spark, lake.table(LakeTable.PRICE_DAILY), NOV_8).orElseThrow().select("market_code").distinct()
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList()).containsExactlyInAnyOrder("BJ-XFD", "SX-TYHX");
  }

  @Test
  void aNightlyRunOfAnImportedDateWithoutLandedFilesKeepsItsHistory() {
    imported();

    IngestPipeline.Result ingest = IngestPipeline.run(spark, lake, List.of(XINFADI), NOV_8, "run-1", KEY);
    StandardisePipeline.Result standardise = StandardisePipeline.run(spark, lake, List.of(XINFADI), TestReference.SHIPPED, NOV_8);

    assertThat(ingest.rowsBySource()).containsEntry(XINFADI.id(), 9L);
    assertThat(standardise.read()).isEqualTo(9);
    assertThat(standardise.accepted()).isEqualTo(8);
    assertThat(Tables.read(spark, lake.staging(RecordKind.PRICE), NOV_8).orElseThrow()
        .select(Standardiser.RECORD_ID).distinct().count()).isEqualTo(8);
  }
}
