package org.agrifusion.pipelines.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.replace;
import static org.apache.spark.sql.functions.to_json;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.agrifusion.pipelines.fuse.FusePipeline;
import org.agrifusion.pipelines.fuse.Parcels;
import org.agrifusion.pipelines.generate.ProvinceDay;
import org.agrifusion.pipelines.source.IngestPipeline;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.standardise.StandardisePipeline;
import org.agrifusion.pipelines.standardise.Standardiser;
import org.agrifusion.pipelines.support.SparkExtension;
import org.agrifusion.pipelines.support.TestReference;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StringType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lake an earlier version wrote, written by this one: every table the nightly stages write exists
 * with an older schema (columns missing in the middle, as issue 14 added currency, market and grade
 * columns between existing ones) and older rows, and the stages then run a day on it.
 */
@ExtendWith(SparkExtension.class)
class LakeUpgradeTest {

  static final LocalDate DAY = LocalDate.of(2021, 12, 7);
  /** Where the old rows are: far enough back that no look-back, late horizon or outlier window reaches it. */
  static final LocalDate OLD_DAY = DAY.minusDays(60);
  static final byte[] KEY = "a-test-key-of-enough-length".getBytes(StandardCharsets.UTF_8);
  static final List<SourceDescriptor> SOURCES = List.of("courier-waybills", "shop-orders", "market-bulletins",
      "xinfadi-spec-origin-gbk", "origin-registry").stream().map(TestReference::descriptor).toList();
  static final FusePipeline.Settings SETTINGS = new FusePipeline.Settings(Map.of(), Parcels.Targets.defaults(), 3);
  /** Some of the columns issue 14 added in the middle of the record shapes and marts. */
  static final Set<String> ISSUE_14 = Set.of("market_key", "currency", "grade", "market_country_code", "market_subdivision_code",
      "market_district_code", "amount_orig", "fee_orig", "fx_rate", "price_orig", "unit_orig");

  final SparkSession spark;

  LakeUpgradeTest(SparkSession spark) {
    this.spark = spark;
  }

  record Run(StandardisePipeline.Result standardise, FusePipeline.Result fuse) {}

  Run nightly(Lake lake) {
    IngestPipeline.run(spark, lake, SOURCES, DAY, "run-1", KEY);
    StandardisePipeline.Result standardise = StandardisePipeline.run(spark, lake, SOURCES, TestReference.SHIPPED, DAY);
    return new Run(standardise, FusePipeline.run(spark, lake, TestReference.SHIPPED.regions(), DAY, SETTINGS));
  }

  static void land(Path root) {
    new ProvinceDay(TestReference.SHIPPED.regions(),
        Path.of("../samples/landing/xinfadi-daily-prices/2021-12-07/xinfadi_prices_2021-12-07.csv"))
        .write(root.resolve("landing"), DAY, 0.0005, 0.03, 2023);
  }

  /** The older shape of a table: the issue-14 columns and every other middle column left out. */
  static String[] oldColumns(String[] current, String partitionColumn) {
    return java.util.stream.IntStream.range(0, current.length)
        .filter(i -> current[i].equals(partitionColumn) || i == 0 || i == current.length - 1
            || (i % 2 == 0 && !ISSUE_14.contains(current[i])))
        .mapToObj(i -> current[i]).toArray(String[]::new);
  }

  @Test
  void aLakeAnEarlierVersionWroteWithColumnsMissingInTheMiddleIsWrittenByNameAndGetsTheNewColumns(@TempDir Path dir) {
    // the shapes this version writes: a day run into a lake of its own
    Path currentRoot = dir.resolve("current");
    land(currentRoot);
    Lake current = new Lake(currentRoot.toString()).register(spark);
    Run expected = nightly(current);
    List<TableId> tables = LakeInventory.tables(spark, current);

    // the upgraded installation: every table created with an older schema and holding older rows
    Path oldRoot = dir.resolve("upgraded");
    land(oldRoot);
    Lake upgraded = new Lake(oldRoot.toString()).register(spark);
    Map<String, String[]> oldShapes = new LinkedHashMap<>();
    for (TableId table : tables) {
      Dataset<Row> rows = spark.table(table.identifier());
      String[] old = oldColumns(rows.columns(), table.partitionColumn());
      Tables.replace(rows.select(columns(old)).withColumn(table.partitionColumn(), lit(oldPartition(table))).limit(3),
          in(upgraded, table), oldPartition(table).toString());
      oldShapes.put(table.qualifiedName(), old);
    }
    assertThat(oldShapes.get("curated.price_observation")).doesNotContain("market_key", "currency");

    Run run = nightly(upgraded);

    // every write went in, and the day adds up as it does in a lake this version created
    assertThat(run.standardise().unbalanced()).isEmpty();
    assertThat(run.standardise().read()).isEqualTo(expected.standardise().read())
        .isEqualTo(run.standardise().accepted() + run.standardise().quarantined());
    assertThat(run.standardise().accepted()).isEqualTo(expected.standardise().accepted());
    assertThat(run.fuse().accepted()).isEqualTo(expected.fuse().accepted());
    assertThat(run.fuse().derivedRows()).isEqualTo(expected.fuse().derivedRows());
    for (TableId table : tables) {
      Dataset<Row> now = spark.table(in(upgraded, table).identifier());
      Dataset<Row> want = comparable(spark.table(table.identifier()), current.root());
      // the columns added since are appended; values land in their columns by name
      assertThat(now.columns()).as(table.qualifiedName()).containsExactlyInAnyOrder(want.columns())
          .startsWith(oldShapes.get(table.qualifiedName()));
      String[] names = want.columns();
      Dataset<Row> newRows = comparable(now.where(col(table.partitionColumn()).notEqual(lit(oldPartition(table)))).select(columns(names)), upgraded.root());
      if (!table.namespace().equals(Lake.RAW)) { // raw rows carry the time they were ingested
        assertThat(newRows.exceptAll(want).count()).as(table.qualifiedName()).isZero();
        assertThat(want.exceptAll(newRows).count()).as(table.qualifiedName()).isZero();
      } else {
        assertThat(newRows.count()).as(table.qualifiedName()).isEqualTo(want.count());
      }
      // the old rows are still there, without values for the columns they did not have
      Dataset<Row> oldRows = now.where(col(table.partitionColumn()).equalTo(lit(oldPartition(table))));
      assertThat(oldRows.count()).as(table.qualifiedName()).isEqualTo(Math.min(3, want.count()));
      String added = Arrays.stream(names).filter(c -> !Arrays.asList(oldShapes.get(table.qualifiedName())).contains(c))
          .findFirst().orElseThrow();
      assertThat(oldRows.where(col("`" + added + "`").isNotNull()).count()).as(table + "." + added).isZero();
    }

    // the issue-14 columns of a price hold what this version computes
    TableId prices = upgraded.table(LakeTable.PRICE_OBSERVATION);
    Dataset<Row> day = Tables.read(spark, prices, DAY).orElseThrow();
    assertThat(day.where(col("market_key").isNull().or(col("currency").isNull())).count()).isZero();
    assertThat(day.select(Standardiser.RECORD_ID, "market_key", "currency").exceptAll(
        Tables.read(spark, current.table(LakeTable.PRICE_OBSERVATION), DAY).orElseThrow()
            .select(Standardiser.RECORD_ID, "market_key", "currency")).count()).isZero();
    assertThat(Tables.read(spark, upgraded.staging(RecordKind.PRICE), DAY).orElseThrow().count()).isPositive();
  }

  static TableId in(Lake lake, TableId table) {
    return new TableId(lake.catalog().name(), table.namespace(), table.name(), table.partitionColumn());
  }

  static Column[] columns(String[] names) {
    return Arrays.stream(names).map(c -> col("`" + c + "`")).toArray(Column[]::new);
  }

  /** The rows with maps as JSON text (set operations do not take maps) and the lake's root left out of file names. */
  static Dataset<Row> comparable(Dataset<Row> rows, String root) {
    return rows.select(Arrays.stream(rows.schema().fields()).map(f -> {
      Column c = col("`" + f.name() + "`");
      if (f.dataType() instanceof MapType) {
        return to_json(c).as(f.name());
      }
      return f.dataType() instanceof StringType ? replace(c, lit(root.replaceFirst("^file:", ""))).as(f.name()) : c;
    }).toArray(Column[]::new));
  }

  static Object oldPartition(TableId table) {
    return Lake.PARTITION_COLUMN.equals(table.partitionColumn()) ? java.sql.Date.valueOf(OLD_DAY)
        : OLD_DAY.toString().substring(0, 7);
  }
}
