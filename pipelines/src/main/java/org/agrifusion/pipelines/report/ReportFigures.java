package org.agrifusion.pipelines.report;

import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.try_divide;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.LakeTable;
import org.agrifusion.pipelines.lake.Snapshots;
import org.agrifusion.pipelines.lake.TableId;
import org.agrifusion.pipelines.lake.Tables;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.reference.Region;
import org.agrifusion.pipelines.source.LandedFiles;
import org.agrifusion.pipelines.source.LandedFiles.LandedFile;
import org.agrifusion.pipelines.source.RawColumns;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.standardise.Quarantine;
import org.agrifusion.pipelines.standardise.Standardiser;
import org.agrifusion.pipelines.spark.Exact;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * The figures of a run report, read back from the lake for one business date: the landed files,
 * rows per source,
 * the top quarantine reasons with sample rows, and the series of the report's charts from the
 * published marts. Every result is aggregated and limited in Spark before it reaches the driver.
 * Every table is read at the snapshot the run published ({@link Snapshots}), so a later run that
 * is half-way through never mixes into the report.
 */
public final class ReportFigures {

  static final int TOP_REASONS = 5;
  static final int SAMPLES_PER_REASON = 3;
  static final int TREND_DAYS = 30;
  static final int TOP_VARIETIES = 5;
  static final int TOP_CITIES = 15;
  static final int TOP_COUNTIES = 20;

  /**
   * Per landing folder: files seen (= processed + rejected) and rows landed, accepted and
   * quarantined; {@code kind} is null for a folder that no descriptor names.
   */
  public record SourceRows(String source, String kind, long files, long processed, long rejected, long read, long accepted,
      long quarantined) {}

  /**
   * One landed file of the inventory.
   *
   * @param file the path under landing/&lt;source&gt;/&lt;date&gt;/
   * @param status {@code processed}, {@code header-only} (read, no rows), {@code empty} (no data, not
   *     read) or {@code rejected} (never read; {@code reason} and {@code detail} say why)
   */
  public record FileRows(String source, String file, String status, String reason, String detail, long bytes,
      String modified, String sha256, long read, long accepted, long quarantined) {}

  /** Landed files of the date: seen = processed + rejected. */
  public record FileTotals(long seen, long processed, long rejected) {

    public static FileTotals of(List<FileRows> files) {
      long rejected = files.stream().filter(f -> f.status().equals(LandedFiles.REJECTED)).count();
      return new FileTotals(files.size(), files.size() - rejected, rejected);
    }
  }

  public record Sample(String source, String file, long row, List<String> reasons, String detail,
      Map<String, String> values, String rawLine) {}

  public record Reason(String reason, long rows, List<Sample> samples) {}

  public record QuarantinedKind(String kind, long rows, List<Reason> topReasons) {}

  public record PricePoint(String date, double price) {}

  public record PriceSeries(String code, String name, long observations, List<PricePoint> points) {}

  /** Daily average price (CNY/kg, all markets) of the date's most observed varieties, over the days up to the date. */
  public record PriceTrend(String from, String to, List<PriceSeries> series) {}

  public record CityDelivery(String code, String name, long parcels, long signed, Double halfDayRate, Double nextDayRate) {}

  /** Delivery rates per city of the county at the rural end of each parcel's route, busiest cities first. */
  public record DeliveryByCity(double halfDayHours, double nextDayHours, long cities, List<CityDelivery> top) {}

  public record CountyParcels(String code, String name, String city, long parcels) {}

  /** Up-bound agricultural parcels of the month so far, busiest counties first. */
  public record UpboundByCounty(String month, long parcels, long counties, List<CountyParcels> top) {}

  private final SparkSession spark;
  private final Lake lake;
  private final ReferenceData reference;
  private final Snapshots pins;

  /** @param pins the snapshots to read; null reads the current ones */
  public ReportFigures(SparkSession spark, Lake lake, ReferenceData reference, Snapshots pins) {
    this.spark = spark;
    this.lake = lake;
    this.reference = reference;
    this.pins = pins;
  }

  /**
   * Every file of the date's landed-file inventory with its status and rows read, accepted and
   * quarantined (lineage counts, aggregated in Spark), sorted by path.
   */
  public List<FileRows> landedFiles(LocalDate date) {
    List<LandedFile> inventory = LandedFiles.stored(spark, lake, date, pins);
    Map<String, Long> read = new HashMap<>();
    Map<String, Long> accepted = new HashMap<>();
    Map<String, Long> quarantined = new HashMap<>();
    inventory.stream().filter(LandedFile::toRead).map(LandedFile::source).distinct()
        .forEach(source -> read.putAll(rowsByFile(lake.raw(source), date)));
    for (RecordKind kind : RecordKind.values()) {
      accepted.putAll(rowsByFile(lake.staging(kind), date));
      quarantined.putAll(rowsByFile(lake.quarantine(kind), date));
    }
    return inventory.stream().map(f -> {
      long rows = read.getOrDefault(f.file(), 0L);
      String status = !f.toRead() ? f.status() : rows == 0 ? "header-only" : "processed";
      return new FileRows(f.source(), landedName(f, date), status, f.reason(), f.detail(), f.bytes(), f.modified(),
          f.sha256(), rows, accepted.getOrDefault(f.file(), 0L), quarantined.getOrDefault(f.file(), 0L));
    }).toList();
  }

  private String landedName(LandedFile file, LocalDate date) {
    String folder = lake.landing(file.source()) + "/" + date + "/";
    return file.file().startsWith(folder) ? file.file().substring(folder.length()) : LandedFiles.name(lake, file.file());
  }

  private Map<String, Long> rowsByFile(TableId table, LocalDate date) {
    Map<String, Long> rows = new HashMap<>();
    Tables.read(spark, table, date.toString(), pins).ifPresent(d -> d.groupBy(RawColumns.SOURCE_FILE).count().collectAsList()
        .forEach(r -> rows.put(r.getString(0), r.getLong(1))));
    return rows;
  }

  /**
   * Per feed: files seen, processed and rejected (from {@code files}, the {@link #landedFiles}
   * of the date) and rows landed, accepted and quarantined; then the landing folders that no
   * descriptor names, with their rejected files.
   */
  public List<SourceRows> sources(List<SourceDescriptor> sources, List<FileRows> files, LocalDate date) {
    Map<String, Long> accepted = new HashMap<>();
    Map<String, Long> quarantined = new HashMap<>();
    for (RecordKind kind : RecordKind.values()) {
      accepted.putAll(rowsBySource(lake.staging(kind), date));
      quarantined.putAll(rowsBySource(lake.quarantine(kind), date));
    }
    List<SourceRows> rows = new ArrayList<>();
    Set<String> described = new HashSet<>();
    for (SourceDescriptor source : sources) {
      described.add(source.id());
      long read = Tables.read(spark, lake.raw(source.id()), date.toString(), pins).map(Dataset::count).orElse(0L);
      FileTotals totals = FileTotals.of(files.stream().filter(f -> f.source().equals(source.id())).toList());
      rows.add(new SourceRows(source.id(), source.kind().dataset(), totals.seen(), totals.processed(), totals.rejected(),
          read, accepted.getOrDefault(source.id(), 0L), quarantined.getOrDefault(source.id(), 0L)));
    }
    files.stream().map(FileRows::source).filter(s -> !described.contains(s)).distinct().forEach(folder -> {
      long seen = files.stream().filter(f -> f.source().equals(folder)).count();
      rows.add(new SourceRows(folder, null, seen, 0, seen, 0, 0, 0));
    });
    return rows;
  }

  private Map<String, Long> rowsBySource(TableId table, LocalDate date) {
    Map<String, Long> rows = new HashMap<>();
    Tables.read(spark, table, date.toString(), pins).ifPresent(d -> d.groupBy(RawColumns.SOURCE_ID).count().collectAsList()
        .forEach(r -> rows.put(r.getString(0), r.getLong(1))));
    return rows;
  }

  /** Per source with quarantined rows, its {@value #TOP_REASONS} most frequent reasons (a row counts once per distinct reason). */
  public Map<String, Map<String, Long>> reasonsBySource(LocalDate date) {
    Map<String, Map<String, Long>> reasons = new HashMap<>();
    for (RecordKind kind : RecordKind.values()) {
      Tables.read(spark, lake.quarantine(kind), date.toString(), pins).ifPresent(rows -> rows
          .withColumn("reason", explode(array_distinct(col(Standardiser.REASONS))))
          .groupBy(col(RawColumns.SOURCE_ID), col("reason")).count()
          .withColumn("n", row_number().over(Window.partitionBy(RawColumns.SOURCE_ID).orderBy(col("count").desc(), col("reason"))))
          .where(col("n").leq(TOP_REASONS))
          .orderBy(col(RawColumns.SOURCE_ID), col("n"))
          .collectAsList()
          .forEach(r -> reasons.computeIfAbsent(r.getString(0), k -> new LinkedHashMap<>()).put(r.getString(1), r.getLong(2))));
    }
    return reasons;
  }

  /** Per record kind with quarantined rows: its most frequent reasons, each with a few sample rows. */
  public List<QuarantinedKind> quarantine(LocalDate date) {
    List<QuarantinedKind> kinds = new ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      Optional<Dataset<Row>> rows = Tables.read(spark, lake.quarantine(kind), date.toString(), pins);
      if (rows.isEmpty()) {
        continue;
      }
      // A row counts once per distinct reason (MISSING_FIELD for three fields is one row), and may be sampled under each.
      Dataset<Row> byReason = rows.get().withColumn("reason", explode(array_distinct(col(Standardiser.REASONS))));
      List<Row> top = byReason.groupBy("reason").count()
          .orderBy(col("count").desc(), col("reason"))
          .limit(TOP_REASONS)
          .collectAsList();
      List<String> topCodes = top.stream().map(r -> r.getString(0)).toList();
      Map<String, List<Sample>> samples = new LinkedHashMap<>();
      byReason.where(col("reason").isin(topCodes.toArray()))
          .withColumn("n", row_number().over(Window.partitionBy("reason")
              .orderBy(RawColumns.SOURCE_ID, RawColumns.SOURCE_FILE, RawColumns.SOURCE_ROW)))
          .where(col("n").leq(SAMPLES_PER_REASON))
          .select(col("reason"), col(RawColumns.SOURCE_ID), col(RawColumns.SOURCE_FILE), col(RawColumns.SOURCE_ROW),
              col(Standardiser.REASONS), col(Standardiser.REASON_DETAIL), col(Quarantine.RAW_VALUES), col(RawColumns.RAW_LINE))
          .orderBy("reason", "n")
          .collectAsList()
          .forEach(r -> samples.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(new Sample(
              r.getString(1), fileName(r.getString(2)), r.getLong(3), r.getList(4), r.getString(5),
              new LinkedHashMap<>(r.getJavaMap(6)), r.getString(7))));
      kinds.add(new QuarantinedKind(kind.dataset(), rows.get().count(), top.stream()
          .map(r -> new Reason(r.getString(0), r.getLong(1), samples.getOrDefault(r.getString(0), List.of())))
          .toList()));
    }
    return kinds;
  }

  /** Lineage keeps the landed file's full URI; the report names the file. */
  private static String fileName(String uri) {
    return uri == null ? null : uri.substring(uri.lastIndexOf('/') + 1);
  }

  /**
   * The {@value #TOP_VARIETIES} varieties with the most observations on the date (price_daily), and
   * their price averaged over the observations of China's markets on each of the {@value #TREND_DAYS} days
   * up to the date; days without a published partition have no point.
   */
  public PriceTrend priceTrend(LocalDate date) {
    LocalDate from = date.minusDays(TREND_DAYS - 1);
    PriceTrend none = new PriceTrend(from.toString(), date.toString(), List.of());
    Optional<Dataset<Row>> window = Tables.readRange(spark, lake.table(LakeTable.PRICE_DAILY), from, date, pins);
    if (window.isEmpty()) {
      return none;
    }
    Dataset<Row> days = window.get();
    if (List.of(days.columns()).contains("market_country_code")) {
      // the report is read by a Chinese department: the trend is China's markets, not a mean with a mandi in
      // India; rows written before the column existed are Chinese (a snapshot that old lacks the column)
      days = days.where(coalesce(col("market_country_code"), lit("CN")).equalTo("CN"));
    }
    List<Row> top = days.where(col(Lake.PARTITION_COLUMN).equalTo(lit(java.sql.Date.valueOf(date))))
        .groupBy("variety_code")
        .agg(sum("observations").as("observations"), min("product_name").as("product_name"))
        .orderBy(col("observations").desc(), col("variety_code"))
        .limit(TOP_VARIETIES)
        .collectAsList();
    if (top.isEmpty()) {
      return none;
    }
    List<String> codes = top.stream().map(r -> r.getString(0)).toList();
    // The mart's price_avg is a mean per market; weighting it by observations gives the mean of all observations.
    Map<String, List<PricePoint>> points = new HashMap<>();
    days.where(col("variety_code").isin(codes.toArray()).and(col("price_avg").isNotNull()))
        .groupBy(col("variety_code"), col(Lake.PARTITION_COLUMN))
        .agg(Exact.rounded(try_divide(sum(Exact.decimal(col("price_avg")).multiply(col("observations"))), sum("observations")), 2)
            .as("price"))
        .where(col("price").isNotNull())
        .orderBy("variety_code", Lake.PARTITION_COLUMN)
        .collectAsList()
        .forEach(r -> points.computeIfAbsent(r.getString(0), k -> new ArrayList<>())
            .add(new PricePoint(r.getDate(1).toString(), r.getDouble(2))));
    return new PriceTrend(from.toString(), date.toString(), top.stream()
        .map(r -> new PriceSeries(r.getString(0), reference.products().name(r.getString(0)).orElse(r.getString(2)),
            r.getLong(1), points.getOrDefault(r.getString(0), List.of())))
        .toList());
  }

  /**
   * Half-day and next-day rates of the date per city (delivery_daily is per county: the city is the
   * county code's first four digits), weighted by signed parcels, the rates' denominator.
   */
  public DeliveryByCity deliveryByCity(LocalDate date, double halfDayHours, double nextDayHours) {
    Optional<Dataset<Row>> daily = Tables.read(spark, lake.table(LakeTable.DELIVERY_DAILY), date.toString(), pins);
    if (daily.isEmpty()) {
      return new DeliveryByCity(halfDayHours, nextDayHours, 0, List.of());
    }
    // a group without a rate (parcels of a feed without senders) must not dilute the others'
    Column ratedSigned = sum(when(col("half_day_rate").isNotNull(), col("signed")));
    Dataset<Row> cities = daily.get().where(col("county_code").isNotNull())
        .withColumn("city_code", concat(substring(col("county_code"), 1, 4), lit("00")))
        .groupBy("city_code")
        .agg(sum("parcels").as("parcels"), sum("signed").as("signed"),
            Exact.rounded(try_divide(sum(Exact.decimal(col("half_day_rate")).multiply(col("signed"))), ratedSigned), 4)
                .as("half_day_rate"),
            Exact.rounded(try_divide(sum(Exact.decimal(col("next_day_rate")).multiply(col("signed"))), ratedSigned), 4)
                .as("next_day_rate"));
    List<CityDelivery> top = cities.orderBy(col("parcels").desc(), col("city_code"))
        .limit(TOP_CITIES)
        .collectAsList().stream()
        .map(r -> new CityDelivery(r.getString(0), cityName(r.getString(0)), r.getLong(1), r.getLong(2),
            r.isNullAt(3) ? null : r.getDouble(3), r.isNullAt(4) ? null : r.getDouble(4)))
        .toList();
    return new DeliveryByCity(halfDayHours, nextDayHours, cities.count(), top);
  }

  /** Up-bound agricultural parcels per county for the date's month so far (upbound_monthly). */
  public UpboundByCounty upboundByCounty(LocalDate date) {
    String month = date.toString().substring(0, 7);
    Optional<Dataset<Row>> partition = Tables.read(spark, lake.table(LakeTable.UPBOUND_MONTHLY), month, pins);
    if (partition.isEmpty()) {
      return new UpboundByCounty(month, 0, 0, List.of());
    }
    Dataset<Row> counties = partition.get().where(col("parcels").gt(0));
    Row total = counties.agg(sum("parcels"), count(lit(1))).first();
    List<CountyParcels> top = counties.select("county_code", "parcels")
        .orderBy(col("parcels").desc(), col("county_code"))
        .limit(TOP_COUNTIES)
        .collectAsList().stream()
        .map(r -> {
          Optional<Region> county = reference.regions().byCode(r.getString(0));
          return new CountyParcels(r.getString(0), county.map(Region::name).orElse(r.getString(0)),
              cityName(r.getString(0).substring(0, 4) + "00"), r.getLong(1));
        })
        .toList();
    return new UpboundByCounty(month, total.isNullAt(0) ? 0 : total.getLong(0), total.getLong(1), top);
  }

  /** The city's name, or the province's for a code the catalogue does not list as a city. */
  private String cityName(String cityCode) {
    return reference.regions().byCode(cityCode)
        .or(() -> reference.regions().byCode(cityCode.substring(0, 2) + "0000"))
        .map(Region::name)
        .orElse(cityCode);
  }
}
