package org.agrifusion.jobs.web;

import static org.apache.iceberg.expressions.Expressions.and;
import static org.apache.iceberg.expressions.Expressions.equal;
import static org.apache.iceberg.expressions.Expressions.greaterThanOrEqual;
import static org.apache.iceberg.expressions.Expressions.lessThanOrEqual;
import static org.apache.iceberg.expressions.Expressions.startsWith;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.agrifusion.jobs.config.AgriProperties;
import org.agrifusion.jobs.lake.MartReader;
import org.agrifusion.jobs.lake.Publications.Publication;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.LakeTable;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.reference.Region;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.springframework.stereotype.Service;

/**
 * The figures of the portal's charts, aggregated in Java from the marts at the latest publication
 * ({@link MartReader}): price_daily and spread_daily for a variety's prices, delivery_daily for the
 * delivery rates, upbound_monthly for the up-bound parcels. Only numbers of the marts and names of the
 * reference data go out; the parameters arrive validated ({@link ChartQuery}).
 */
@Service
public class ChartsData {

  /** Rows read for one chart at most: far above a year of one variety's markets or a province's county days. */
  static final long MAX_ROWS = 500_000;
  /** Counties listed at most in a delivery or up-bound chart, the ones with the most parcels. */
  static final int MAX_COUNTIES = 200;

  public record PriceDay(String date, double min, double avg, double max, long markets, long observations) {}

  public record SpreadDay(String date, double origin, double wholesale, double spread, long originSales,
      long wholesaleObservations) {}

  /** @param published the business date of the publication read; null before the first run */
  public record Prices(String product, String name, String from, String to, String published, List<PriceDay> days,
      List<SpreadDay> spread) {}

  /**
   * @param halfDayRate share of rated signed parcels delivered within the half-day target; null when none was rated
   * @param transitHoursMedian the daily medians of transit hours per county and courier, averaged weighted by signed parcels
   */
  public record Area(String code, String name, long parcels, long signed, Double halfDayRate, Double nextDayRate,
      Double transitHoursMedian) {}

  /** @param countiesShown false when more than {@value #MAX_COUNTIES} counties had parcels: the rest are left out */
  public record Deliveries(String region, String name, String from, String to, String published, double halfDayHours,
      double nextDayHours, List<Area> cities, List<Area> counties, boolean countiesShown) {}

  /** @param parcels one figure per month of {@link Upbound#months} */
  public record CountyMonths(String code, String name, String city, long total, List<Long> parcels) {}

  public record Upbound(String region, String name, String from, String to, String published, List<String> months,
      long total, long counties, List<CountyMonths> top) {}

  /** A picker entry: a catalogue code and its name. */
  public record Option(String code, String name) {}

  private final MartReader marts;
  private final ReferenceData reference;
  private final AgriProperties properties;

  public ChartsData(MartReader marts, ReferenceData reference, AgriProperties properties) {
    this.marts = marts;
    this.reference = reference;
    this.properties = properties;
  }

  /** The business date of the latest publication, or today before any run: the default end of a period. */
  public LocalDate latestDate() {
    return marts.published().map(Publication::businessDate).orElseGet(LocalDate::now);
  }

  /** A catalogue product or variety code, checked: a code the catalogue does not have is a usage error. */
  public String catalogueName(String product) {
    return reference.products().name(product)
        .orElseThrow(() -> new IllegalArgumentException("product " + product + " is not in the product catalogue"));
  }

  /** A region prefix's name, checked against GB/T 2260. */
  public String regionName(String prefix) {
    return reference.regions().byCode(ChartQuery.regionCode(prefix)).map(Region::name)
        .orElseThrow(() -> new IllegalArgumentException("region " + prefix + " is not a GB/T 2260 region"));
  }

  /**
   * A variety's (or a product's, all its varieties together) daily price band over China's markets,
   * and its origin-vs-wholesale spread. Per day: min = min of price_min, max = max of price_max, avg =
   * mean of price_avg weighted by observations (the mean of all observations, as in the run report).
   * The spread of a product is its varieties' origin and wholesale prices weighted by their sales and observations.
   */
  public Prices prices(String product, ChartQuery.Days period) {
    String name = catalogueName(product);
    Optional<Publication> at = marts.published();
    Map<LocalDate, double[]> band = new TreeMap<>(); // min, max, Σ avg×obs, Σ obs (of rows with an avg), markets, observations
    Map<LocalDate, double[]> spread = new TreeMap<>(); // Σ origin×sales, Σ sales, Σ wholesale×obs, Σ obs
    at.ifPresent(p -> {
      Expression filter = and(dates(period), startsWith("variety_code", product));
      marts.scan(p, LakeTable.PRICE_DAILY, filter, List.of(Lake.PARTITION_COLUMN, "variety_code", "market_country_code",
          "price_min", "price_avg", "price_max", "observations"), MAX_ROWS, r -> {
            String country = (String) field(r, "market_country_code");
            if (country != null && !country.equals("CN")) {
              return; // the chart is read by Chinese departments: a mandi in India is not averaged in (as the run report)
            }
            double[] d = band.computeIfAbsent((LocalDate) r.getField(Lake.PARTITION_COLUMN),
                k -> new double[] {Double.NaN, Double.NaN, 0, 0, 0, 0});
            Double min = (Double) r.getField("price_min");
            Double max = (Double) r.getField("price_max");
            Double avg = (Double) r.getField("price_avg");
            long observations = number(r.getField("observations"));
            if (min != null) {
              d[0] = Double.isNaN(d[0]) ? min : Math.min(d[0], min);
            }
            if (max != null) {
              d[1] = Double.isNaN(d[1]) ? max : Math.max(d[1], max);
            }
            if (avg != null) {
              d[2] += avg * observations;
              d[3] += observations;
            }
            d[4] += 1;
            d[5] += observations;
          });
      marts.scan(p, LakeTable.SPREAD_DAILY, filter, List.of(Lake.PARTITION_COLUMN, "variety_code", "origin_price",
          "origin_sales", "wholesale_price", "wholesale_observations"), MAX_ROWS, r -> {
            Double origin = (Double) r.getField("origin_price");
            Double wholesale = (Double) r.getField("wholesale_price");
            if (origin == null || wholesale == null) {
              return;
            }
            double[] d = spread.computeIfAbsent((LocalDate) r.getField(Lake.PARTITION_COLUMN), k -> new double[4]);
            long sales = number(r.getField("origin_sales"));
            long observations = number(r.getField("wholesale_observations"));
            d[0] += origin * sales;
            d[1] += sales;
            d[2] += wholesale * observations;
            d[3] += observations;
          });
    });
    List<PriceDay> days = new ArrayList<>();
    band.forEach((date, d) -> {
      if (d[3] > 0 && !Double.isNaN(d[0]) && !Double.isNaN(d[1])) {
        days.add(new PriceDay(date.toString(), round(d[0]), round(d[2] / d[3]), round(d[1]), (long) d[4], (long) d[5]));
      }
    });
    List<SpreadDay> spreads = new ArrayList<>();
    spread.forEach((date, d) -> {
      if (d[1] > 0 && d[3] > 0) {
        double origin = d[0] / d[1];
        double wholesale = d[2] / d[3];
        spreads.add(new SpreadDay(date.toString(), round(origin), round(wholesale), round(origin - wholesale), (long) d[1],
            (long) d[3]));
      }
    });
    return new Prices(product, name, period.from().toString(), period.to().toString(), published(at), days, spreads);
  }

  /**
   * Half-day and next-day rates per city and county of the region over the period, weighted by signed
   * parcels (the rates' denominator), leaving out the rows without a rate (parcels of feeds without
   * senders) as the run report does.
   */
  public Deliveries deliveries(String region, ChartQuery.Days period) {
    String name = regionName(region);
    Optional<Publication> at = marts.published();
    Map<String, double[]> cities = new HashMap<>();
    Map<String, double[]> counties = new HashMap<>();
    at.ifPresent(p -> marts.scan(p, LakeTable.DELIVERY_DAILY, and(dates(period), startsWith("county_code", region)),
        List.of(Lake.PARTITION_COLUMN, "county_code", "parcels", "signed", "half_day_rate", "next_day_rate",
            "transit_hours_median"), MAX_ROWS, r -> {
          String county = (String) r.getField("county_code");
          if (county == null || county.length() != 6) {
            return;
          }
          add(counties.computeIfAbsent(county, k -> new double[7]), r);
          add(cities.computeIfAbsent(county.substring(0, 4) + "00", k -> new double[7]), r);
        }));
    List<Area> countyAreas = areas(counties);
    AgriProperties.Fusion targets = properties.fusion();
    return new Deliveries(region, name, period.from().toString(), period.to().toString(), published(at),
        targets.halfDayHours(), targets.nextDayHours(), areas(cities),
        countyAreas.subList(0, Math.min(MAX_COUNTIES, countyAreas.size())), countyAreas.size() <= MAX_COUNTIES);
  }

  /** parcels, signed, rated signed, Σ half-day rate × signed, Σ next-day rate × signed, Σ median × signed, signed with a median */
  private static void add(double[] a, Record r) {
    long signed = number(r.getField("signed"));
    a[0] += number(r.getField("parcels"));
    a[1] += signed;
    Double half = (Double) r.getField("half_day_rate");
    Double next = (Double) r.getField("next_day_rate");
    if (half != null && next != null) {
      a[2] += signed;
      a[3] += half * signed;
      a[4] += next * signed;
    }
    Double median = (Double) field(r, "transit_hours_median");
    if (median != null) {
      a[5] += median * signed;
      a[6] += signed;
    }
  }

  private List<Area> areas(Map<String, double[]> byCode) {
    return byCode.entrySet().stream()
        .map(e -> {
          double[] a = e.getValue();
          return new Area(e.getKey(), regionName(e.getKey(), e.getKey()), (long) a[0], (long) a[1],
              a[2] > 0 ? round(a[3] / a[2]) : null, a[2] > 0 ? round(a[4] / a[2]) : null, a[6] > 0 ? round(a[5] / a[6]) : null);
        })
        .sorted(Comparator.comparingLong(Area::parcels).reversed().thenComparing(Area::code))
        .toList();
  }

  /** Up-bound agricultural parcels per county of the region and month (the delivery subsidy basis). */
  public Upbound upbound(String region, ChartQuery.Months period) {
    String name = regionName(region);
    Optional<Publication> at = marts.published();
    List<String> months = new ArrayList<>();
    for (YearMonth m = period.from(); !m.isAfter(period.to()); m = m.plusMonths(1)) {
      months.add(m.toString());
    }
    Map<String, long[]> byCounty = new HashMap<>();
    at.ifPresent(p -> marts.scan(p, LakeTable.UPBOUND_MONTHLY,
        and(greaterThanOrEqual(Lake.MONTH_COLUMN, months.get(0)), lessThanOrEqual(Lake.MONTH_COLUMN, months.get(months.size() - 1)),
            startsWith("county_code", region)),
        List.of(Lake.MONTH_COLUMN, "county_code", "parcels"), MAX_ROWS, r -> {
          int month = months.indexOf((String) r.getField(Lake.MONTH_COLUMN));
          String county = (String) r.getField("county_code");
          if (month >= 0 && county != null) {
            byCounty.computeIfAbsent(county, k -> new long[months.size()])[month] += number(r.getField("parcels"));
          }
        }));
    List<CountyMonths> counties = byCounty.entrySet().stream()
        .map(e -> new CountyMonths(e.getKey(), regionName(e.getKey(), e.getKey()),
            regionName(e.getKey().substring(0, 4) + "00", ""), java.util.Arrays.stream(e.getValue()).sum(),
            java.util.Arrays.stream(e.getValue()).boxed().toList()))
        .filter(c -> c.total() > 0)
        .sorted(Comparator.comparingLong(CountyMonths::total).reversed().thenComparing(CountyMonths::code))
        .toList();
    return new Upbound(region, name, months.get(0), months.get(months.size() - 1), published(at), months,
        counties.stream().mapToLong(CountyMonths::total).sum(), counties.size(),
        counties.subList(0, Math.min(MAX_COUNTIES, counties.size())));
  }

  /** The varieties (and products) with prices in China's markets on the latest published date, by code. */
  public List<Option> productsWithPrices() {
    TreeSet<String> codes = new TreeSet<>();
    marts.published().ifPresent(p -> marts.scan(p, LakeTable.PRICE_DAILY,
        equal(Lake.PARTITION_COLUMN, p.businessDate().toString()), List.of(Lake.PARTITION_COLUMN, "variety_code"), MAX_ROWS,
        r -> codes.add((String) r.getField("variety_code"))));
    return codes.stream().filter(c -> c != null && reference.products().name(c).isPresent())
        .map(c -> new Option(c, reference.products().name(c).orElseThrow())).toList();
  }

  /** Provinces and cities of GB/T 2260, as region prefixes, for the region picker. */
  public List<Option> regions() {
    return reference.regions().all().stream().filter(r -> r.level() != Region.Level.COUNTY)
        .map(r -> new Option(r.level() == Region.Level.PROVINCE ? r.code().substring(0, 2) : r.code().substring(0, 4),
            r.level() == Region.Level.PROVINCE ? r.name() : "　" + r.name()))
        .toList();
  }

  private String regionName(String code, String fallback) {
    return reference.regions().byCode(code).map(Region::name).orElse(fallback);
  }

  private static Expression dates(ChartQuery.Days period) {
    return and(greaterThanOrEqual(Lake.PARTITION_COLUMN, period.from().toString()),
        lessThanOrEqual(Lake.PARTITION_COLUMN, period.to().toString()));
  }

  private static String published(Optional<Publication> at) {
    return at.map(p -> p.businessDate().toString()).orElse(null);
  }

  /** A column a snapshot may lack (added to the mart later): null then. */
  private static Object field(Record r, String column) {
    return r.struct().field(column) == null ? null : r.getField(column);
  }

  private static long number(Object value) {
    return value == null ? 0 : ((Number) value).longValue();
  }

  /** The marts' precision: 4 decimals. */
  private static double round(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }
}
