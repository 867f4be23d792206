package org.agrifusion.pipelines.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.agrifusion.pipelines.support.SparkExtension;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkExtension.class)
class TablesTest {

  static final LocalDate DAY = LocalDate.of(2021, 12, 7);
  static final StructType V1 = DataTypes.createStructType(List.of(
      DataTypes.createStructField("tracking_no", DataTypes.StringType, false),
      DataTypes.createStructField(Lake.PARTITION_COLUMN, DataTypes.DateType, false)));
  static final StructType V2 = V1.add("agricultural", DataTypes.BooleanType);

  static Dataset<Row> rows(SparkSession spark, StructType schema, LocalDate day, Object[]... values) {
    return spark.createDataFrame(java.util.Arrays.stream(values).map(v -> {
      Object[] r = new Object[schema.size()];
      r[0] = v[0];
      r[1] = Date.valueOf(day);
      if (v.length > 1) {
        r[2] = v[1];
      }
      return RowFactory.create(r);
    }).toList(), schema);
  }

  @Test
  void aDateIsReplacedWholeAndARerunLeavesExactlyItsRows(SparkSession spark, @TempDir Path dir) {
    TableId parcel = new Lake(dir.toString()).register(spark).table(LakeTable.PARCEL);
    Tables.replace(rows(spark, V1, DAY, new Object[] {"SF1"}, new Object[] {"SF2"}), parcel, DAY);
    Tables.replace(rows(spark, V1, DAY.plusDays(1), new Object[] {"SF9"}), parcel, DAY.plusDays(1));
    long first = Tables.snapshot(spark, parcel).orElseThrow();

    Tables.replace(rows(spark, V1, DAY, new Object[] {"SF3"}), parcel, DAY);

    assertThat(Tables.read(spark, parcel, DAY).orElseThrow().collectAsList()).extracting(r -> r.getString(0)).containsExactly("SF3");
    assertThat(Tables.read(spark, parcel, DAY.plusDays(1)).orElseThrow().count()).isEqualTo(1);
    // the snapshot before the re-run still has the first rows
    assertThat(Tables.read(spark, parcel, DAY.toString(), Snapshots.of(Map.of("curated.parcel", first))).orElseThrow()
        .orderBy("tracking_no").collectAsList()).extracting(r -> r.getString(0)).containsExactly("SF1", "SF2");
    // an empty result empties the date
    Tables.replace(rows(spark, V1, DAY), parcel, DAY);
    assertThat(Tables.read(spark, parcel, DAY)).isEmpty();
    // a table the pins do not name did not exist then
    assertThat(Tables.read(spark, parcel, DAY.plusDays(1).toString(), Snapshots.of(Map.of()))).isEmpty();
  }

  @Test
  void aColumnAddedLaterLeavesOldSnapshotsReadableAndNewRowsCarryIt(SparkSession spark, @TempDir Path dir) {
    TableId parcel = new Lake(dir.toString()).register(spark).table(LakeTable.PARCEL);
    long v1 = Tables.replace(rows(spark, V1, DAY.minusDays(2), new Object[] {"SF1"}), parcel, DAY.minusDays(2));
    int schemaV1 = Tables.load(spark, parcel).schema().schemaId();
    Tables.replace(rows(spark, V2, DAY, new Object[] {"SF2", true}, new Object[] {"SF3", false}), parcel, DAY);

    assertThat(Tables.load(spark, parcel).schema().schemaId()).isGreaterThan(schemaV1);
    // one pruned scan over the range; the day in between has no rows, the older day has no value for the new column
    assertThat(Tables.readRange(spark, parcel, DAY.minusDays(2), DAY).orElseThrow().orderBy("tracking_no").collectAsList())
        .extracting(r -> r.getString(r.fieldIndex("tracking_no")), r -> r.get(r.fieldIndex("agricultural")))
        .containsExactly(tuple("SF1", null), tuple("SF2", true), tuple("SF3", false));
    assertThat(Tables.readRange(spark, parcel, DAY.minusDays(1), DAY.minusDays(1))).isEmpty();
    // the old snapshot is read with its own schema
    Dataset<Row> old = Tables.readAll(spark, parcel, Snapshots.of(Map.of("curated.parcel", v1))).orElseThrow();
    assertThat(old.columns()).containsExactly("tracking_no", Lake.PARTITION_COLUMN);
    assertThat(old.count()).isEqualTo(1);
    // rows written without the new column still go in
    Tables.replace(rows(spark, V1, DAY.plusDays(1), new Object[] {"SF4"}), parcel, DAY.plusDays(1));
    assertThat(Tables.read(spark, parcel, DAY.plusDays(1)).orElseThrow().first().get(2)).isNull();
  }

  @Test
  void columnsAreMatchedByNameWhateverTheTablesOrderAndAChangedTypeIsRefusedNamingTheColumn(SparkSession spark, @TempDir Path dir) {
    TableId parcel = new Lake(dir.toString()).register(spark).table(LakeTable.PARCEL);
    StructType old = DataTypes.createStructType(List.of(
        DataTypes.createStructField("tracking_no", DataTypes.StringType, true),
        DataTypes.createStructField("weight_kg", DataTypes.DoubleType, true),
        DataTypes.createStructField(Lake.PARTITION_COLUMN, DataTypes.DateType, true)));
    Tables.replace(spark.createDataFrame(List.of(RowFactory.create("SF1", 2.5, Date.valueOf(DAY))), old), parcel, DAY);

    // this version writes a new column between two old ones and no longer writes weight_kg
    StructType now = DataTypes.createStructType(List.of(
        DataTypes.createStructField("tracking_no", DataTypes.StringType, true),
        DataTypes.createStructField("courier_code", DataTypes.StringType, true),
        DataTypes.createStructField(Lake.PARTITION_COLUMN, DataTypes.DateType, true)));
    LocalDate next = DAY.plusDays(1);
    Tables.replace(spark.createDataFrame(List.of(RowFactory.create("SF2", "SF", Date.valueOf(next))), now), parcel, next);

    assertThat(Tables.load(spark, parcel).schema().columns()).extracting(c -> c.name())
        .containsExactly("tracking_no", "weight_kg", Lake.PARTITION_COLUMN, "courier_code");
    assertThat(Tables.readRange(spark, parcel, DAY, next).orElseThrow().orderBy("tracking_no").collectAsList())
        .extracting(r -> r.getString(r.fieldIndex("tracking_no")), r -> r.get(r.fieldIndex("weight_kg")),
            r -> r.get(r.fieldIndex("courier_code")), r -> r.getDate(r.fieldIndex(Lake.PARTITION_COLUMN)).toLocalDate())
        .containsExactly(tuple("SF1", 2.5, null, DAY), tuple("SF2", null, "SF", next));

    // a type Iceberg cannot promote: one line naming the table and the column
    StructType text = DataTypes.createStructType(List.of(
        DataTypes.createStructField("tracking_no", DataTypes.StringType, true),
        DataTypes.createStructField("weight_kg", DataTypes.StringType, true),
        DataTypes.createStructField(Lake.PARTITION_COLUMN, DataTypes.DateType, true)));
    assertThatThrownBy(() -> Tables.replace(spark.createDataFrame(List.of(RowFactory.create("SF3", "2.5 kg", Date.valueOf(next))), text),
        parcel, next))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("cannot write curated.parcel: ")
        .hasMessageContaining("weight_kg")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThat(Tables.read(spark, parcel, next).orElseThrow().count()).isEqualTo(1);
  }

  @Test
  void theJdbcCatalogKeepsTablesInADatabase(SparkSession spark, @TempDir Path dir) {
    LakeCatalog catalog = new LakeCatalog("lake_jdbc_test", LakeCatalog.JDBC, "jdbc:h2:file:" + dir.resolve("catalog") + ";AUTO_SERVER=TRUE",
        "sa", "", dir.resolve("warehouse").toString());
    TableId shipment = new Lake(dir.toString(), catalog).register(spark).table(LakeTable.SHIPMENT);
    Tables.replace(rows(spark, V1, DAY, new Object[] {"YT1"}), shipment, DAY);
    assertThat(Tables.read(spark, shipment, DAY).orElseThrow().count()).isEqualTo(1);
    assertThat(Tables.load(spark, shipment).location()).startsWith("file:" + dir.resolve("warehouse"));

    // a second process (here: a second catalog instance) on the same database finds the catalog's tables as they are
    LakeCatalog again = new LakeCatalog("lake_jdbc_test_again", LakeCatalog.JDBC, catalog.uri(), "sa", "", catalog.warehouse());
    TableId other = new Lake(dir.toString(), again).register(spark).table(LakeTable.SALE);
    Tables.replace(rows(spark, V1, DAY, new Object[] {"O1"}), other, DAY);
    assertThat(Tables.read(spark, other, DAY).orElseThrow().count()).isEqualTo(1);
  }
}
