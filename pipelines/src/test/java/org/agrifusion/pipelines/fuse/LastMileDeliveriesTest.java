package org.agrifusion.pipelines.fuse;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.source.RawIngest;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.standardise.Quarantine;
import org.agrifusion.pipelines.standardise.RecordStandard;
import org.agrifusion.pipelines.standardise.Standardiser;
import org.agrifusion.pipelines.support.SparkExtension;
import org.agrifusion.pipelines.support.TestReference;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real last-mile deliveries (LaDe-D, Jilin; fixtures/README.md) through the shipped descriptor
 * alone, and parcels without a sender through the fuse stage: measured, never up- or down-bound.
 */
@ExtendWith(SparkExtension.class)
class LastMileDeliveriesTest {

  static final byte[] KEY = "a-test-key-of-enough-length".getBytes(StandardCharsets.UTF_8);
  static final Path FIXTURE = Path.of("src/test/resources/fixtures/lade-d-jilin-head.csv");
  static final SourceDescriptor LADE = TestReference.descriptor("lade-deliveries");
  /** LaDe publishes no year; its files span May to October, so a date after 10-10 reads them all. */
  static final LocalDate AS_OF = LocalDate.of(2021, 10, 11);
  final RecordStandard shipment = RecordStandard.of(RecordKind.SHIPMENT, TestReference.SHIPPED);

  final SparkSession spark;
  @TempDir Path root;

  LastMileDeliveriesTest(SparkSession spark) {
    this.spark = spark;
  }

  Dataset<Row> ingest(SourceDescriptor source, LocalDate date) throws IOException {
    Path dir = Files.createDirectories(root.resolve("landing/" + source.id() + "/" + date));
    Files.copy(FIXTURE, dir.resolve(FIXTURE.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return RawIngest.read(spark, source, RawIngest.landedFiles(spark, new Lake(root.toString()), source, date), "run-1", date, KEY).cache();
  }

  /** The whole file at once, as profile and import-history read it: every day of it accepted. */
  Dataset<Row> acceptedAsOf() throws IOException {
    SourceDescriptor anyDay = LADE.withDateWindow(new SourceDescriptor.DateWindow(365, 0));
    return Standardiser.accepted(Standardiser.standardise(ingest(anyDay, AS_OF), anyDay, shipment, AS_OF), shipment).cache();
  }

  @Test
  void theRealFileIsStandardisedByItsDescriptorAlone() throws IOException {
    Dataset<Row> raw = ingest(LADE, AS_OF);
    assertThat(raw.count()).isEqualTo(20);
    // the stops' and couriers' coordinates and the courier's id never reach the lake
    assertThat(raw.where(col("lng").isNotNull().or(col("accept_gps_lat").isNotNull()).or(col("courier_id").isNotNull())).count())
        .isZero();

    Dataset<Row> accepted = acceptedAsOf();
    assertThat(accepted.count()).isEqualTo(20);
    Row first = accepted.where(col("tracking_no").equalTo("3322376")).first();
    assertThat((String) first.getAs("courier_code")).isEqualTo("CAINIAO");
    assertThat((Timestamp) first.getAs("pickup_time")).isEqualTo(Timestamp.from(Instant.parse("2021-09-25T00:08:00Z")));
    assertThat(first.<java.sql.Date>getAs("pickup_date").toLocalDate()).isEqualTo(LocalDate.of(2021, 9, 25));
    assertThat((Timestamp) first.getAs("sign_time")).isEqualTo(Timestamp.from(Instant.parse("2021-09-25T03:32:00Z")));
    assertThat((String) first.getAs("sender_region_code")).isNull();
    assertThat((String) first.getAs("receiver_region_code")).isEqualTo("220200");
    assertThat((String) first.getAs("status")).isEqualTo("delivered");
  }

  /** A nightly run of one day (the descriptor's own window) takes that day's rows; nothing is lost. */
  @Test
  void aNightlyRunTakesItsDayAndQuarantinesTheOthers() throws IOException {
    LocalDate day = LocalDate.of(2021, 9, 25);
    Dataset<Row> std = Standardiser.standardise(ingest(LADE, day), LADE, shipment, day).cache();
    long accepted = Standardiser.accepted(std, shipment).count();
    Dataset<Row> rejected = Quarantine.rows(std, LADE);
    assertThat(accepted).isEqualTo(std.where(col("landed__ds").isin("0924", "0925")).count()).isPositive();
    assertThat(rejected.count()).isEqualTo(20 - accepted);
    assertThat(rejected.where("array_contains(reasons, 'DATE_OUTSIDE_WINDOW')").count()).isEqualTo(20 - accepted);
  }

  @Test
  void parcelsWithoutASenderAreMeasuredButNeitherUpNorDownBound() throws IOException {
    Dataset<Row> parcels = Parcels.derive(acceptedAsOf(), Parcels.noSales(spark), RegionTable.of(spark, TestReference.SHIPPED.regions()),
        Parcels.Targets.defaults()).cache();
    Row first = parcels.where(col("tracking_no").equalTo("3322376")).first();
    assertThat((Double) first.getAs("transit_hours")).isEqualTo(3.4);
    assertThat((String) first.getAs("direction")).isNull();
    assertThat((String) first.getAs("delivery_class")).isNull();
    assertThat((String) first.getAs("county_code")).isEqualTo("220200");
    assertThat(parcels.where(col("direction").isNotNull().or(col("delivery_class").isNotNull())).count()).isZero();

    Dataset<Row> daily = Marts.deliveryDaily(parcels).cache();
    assertThat(daily.where(col("county_code").notEqual("220200").or(col("courier_code").notEqual("CAINIAO"))).count()).isZero();
    assertThat(daily.collectAsList()).allSatisfy(r -> {
      assertThat(r.<Long>getAs("signed")).isEqualTo(r.<Long>getAs("parcels"));
      assertThat((Double) r.getAs("transit_hours_median")).isPositive();
      assertThat((Object) r.getAs("half_day_rate")).isNull();
      assertThat((Object) r.getAs("next_day_rate")).isNull();
      assertThat(r.<Long>getAs("upbound")).isZero();
      assertThat(r.<Long>getAs("downbound")).isZero();
    });
    assertThat(Marts.upboundDaily(parcels).count()).isZero();
  }

  /** In one county and courier, a parcel without a sender adds to the parcels and transit hours, not to the rates' denominator. */
  @Test
  void theRatesAreOverParcelsWithARoute() {
    String ddl = "record_id STRING, business_date DATE, courier_code STRING, tracking_no STRING, pickup_time TIMESTAMP, "
        + "pickup_date DATE, sign_time TIMESTAMP, sender_region_code STRING, receiver_region_code STRING";
    Dataset<Row> shipments = spark.read().schema(ddl).json(spark.createDataset(List.of(
        "{\"record_id\":\"R\",\"business_date\":\"2021-12-07\",\"courier_code\":\"ZTO\",\"tracking_no\":\"ZT1\","
            + "\"pickup_time\":\"2021-12-07T10:00:00+08:00\",\"pickup_date\":\"2021-12-07\",\"sign_time\":\"2021-12-07T18:00:00+08:00\","
            + "\"sender_region_code\":\"140821\",\"receiver_region_code\":\"140802\"}",
        "{\"record_id\":\"U\",\"business_date\":\"2021-12-07\",\"courier_code\":\"ZTO\",\"tracking_no\":\"ZT2\","
            + "\"pickup_time\":\"2021-12-07T10:00:00+08:00\",\"pickup_date\":\"2021-12-07\",\"sign_time\":\"2021-12-07T13:00:00+08:00\","
            + "\"receiver_region_code\":\"140821\"}"), Encoders.STRING()));
    Dataset<Row> parcels = Parcels.derive(shipments, Parcels.noSales(spark), RegionTable.of(spark, TestReference.SHIPPED.regions()),
        Parcels.Targets.defaults());
    assertThat(Marts.deliveryDaily(parcels).collectAsList())
        .extracting(r -> r.getAs("county_code"), r -> r.getAs("parcels"), r -> r.getAs("signed"), r -> r.getAs("transit_hours_median"),
            r -> r.getAs("half_day_rate"), r -> r.getAs("next_day_rate"), r -> r.getAs("upbound"), r -> r.getAs("downbound"))
        .containsExactly(tuple("140821", 2L, 2L, 5.5, 1.0, 1.0, 1L, 0L));
  }
}
