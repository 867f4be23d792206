package org.agrifusion.pipelines.standardise;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.agrifusion.pipelines.reference.OriginResolver;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.reference.Region;
import org.agrifusion.pipelines.reference.Resolution;

/**
 * Where a priced market is (docs/data-standard.md 3.1): country, first-level subdivision, district
 * and a market key that tells markets apart when a feed has no market code. China's levels are
 * GB/T 2260 codes; elsewhere the subdivision is an ISO 3166-2 code of subdivisions.csv.
 */
final class MarketLocation implements Serializable {

  /** The columns this class fills, in the order PriceStandard declares them. */
  static final String[] COLUMNS = {"market_country_code", "market_subdivision_raw", "market_subdivision_code",
      "market_district_raw", "market_district_code", "market_key"};

  private final ReferenceData reference;

  MarketLocation(ReferenceData reference) {
    this.reference = reference;
  }

  /**
   * Fills market_region_raw / _code and the location columns. A market_country that is not a known
   * country, or a subdivision outside China that subdivisions.csv does not list, quarantines the row
   * (UNKNOWN_REGION): its prices could not be placed. Inside China every level stays optional, as
   * market_region always was.
   */
  void read(FieldReader row, Map<String, Object> v, RecordStandard standard) {
    String countryText = row.text("market_country");
    String subdivision = row.text("market_subdivision");
    String district = row.text("market_district");
    String country = null;
    if (countryText != null) {
      country = reference.countries().marketCountry(countryText).orElse(null);
      if (country == null) {
        row.reject(ReasonCode.UNKNOWN_REGION, "market_country '" + countryText + "' is not a country of countries.csv");
      }
    }
    boolean china = countryText == null || OriginResolver.CHINA.equals(country);
    if (china) {
      standard.region(row, "market_region", false, v);
    } else {
      // a GB/T 2260 code is no place outside China
      v.put("market_region_raw", row.text("market_region"));
    }
    if (countryText == null && (v.get("market_region_code") != null || v.get("market_region_raw") == null)) {
      // the rule for feeds that name no country: a coded Chinese region, or no region at all, is China
      country = OriginResolver.CHINA;
    }
    v.put("market_country_code", country);
    v.put("market_subdivision_raw", subdivision);
    v.put("market_district_raw", district);
    if (OriginResolver.CHINA.equals(country)) {
      china(v, subdivision, district);
    } else if (country != null && subdivision != null) {
      String code = reference.subdivisions().code(country, subdivision).orElse(null);
      if (code == null) {
        row.reject(ReasonCode.UNKNOWN_REGION, "market_subdivision '" + subdivision + "' is not "
            + (reference.subdivisions().lists(country) ? "a subdivision of " + country : "listed: no subdivisions of " + country)
            + " in subdivisions.csv (add it or an alias there)");
      }
      v.put("market_subdivision_code", code);
    }
    v.put("market_key", key(v));
  }

  /** Province and city/county codes from market_region, else from the subdivision and district names. */
  private void china(Map<String, Object> v, String subdivision, String district) {
    Region region = region((String) v.get("market_region_code"));
    String province = region != null ? region.provinceCode() : provinceOf(subdivision);
    Region local = region != null && region.level() != Region.Level.PROVINCE ? region : null;
    if (local == null && district != null) {
      local = region(resolved(district));
      if (local == null && subdivision != null) {
        local = region(resolved(subdivision + district));
      }
      if (local != null && (local.level() == Region.Level.PROVINCE || (province != null && !local.provinceCode().equals(province)))) {
        local = null;
      }
    }
    v.put("market_subdivision_code", province != null ? province : local == null ? null : local.provinceCode());
    v.put("market_district_code", local == null ? null : local.code());
  }

  private String provinceOf(String text) {
    Region region = region(resolved(text));
    return region == null ? null : region.provinceCode();
  }

  private String resolved(String text) {
    Resolution resolution = reference.regionResolver().resolve(text);
    return resolution.resolved() ? resolution.code() : null;
  }

  private Region region(String code) {
    return code == null ? null : reference.regions().byCode(code).orElse(null);
  }

  /**
   * The market's identity in marts and extracts: its market_code when the feed gives one, otherwise
   * country / subdivision (code, else as written) / district (code, else as written) / market name,
   * e.g. {@code IN/IN-GJ/Amreli/Damnagar}; null without a code or a name.
   */
  static String key(Map<String, Object> v) {
    if (v.get("market_code") != null) {
      return (String) v.get("market_code");
    }
    if (v.get("market_name") == null) {
      return null;
    }
    return Stream.of(v.get("market_country_code"), first(v, "market_subdivision_code", "market_subdivision_raw"),
            first(v, "market_district_code", "market_district_raw"), v.get("market_name"))
        .filter(Objects::nonNull).map(String::valueOf).collect(Collectors.joining("/"));
  }

  private static Object first(Map<String, Object> v, String a, String b) {
    return v.get(a) != null ? v.get(a) : v.get(b);
  }
}
