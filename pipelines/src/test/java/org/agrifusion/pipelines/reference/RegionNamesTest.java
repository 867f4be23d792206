package org.agrifusion.pipelines.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.agrifusion.pipelines.support.TestReference;
import org.junit.jupiter.api.Test;

/**
 * Every province-level and prefecture-level name of the shipped regions.csv, full and short,
 * resolves to its own region: the precedence of docs/data-standard.md 4.1 (official name over
 * alias, higher level over lower) settles the clashes with county names.
 */
class RegionNamesTest {

  static final Path REGIONS = Path.of("../conf/reference/regions.csv");

  /** Short names of a city that are also a province's short name: the province wins. */
  static final Map<String, String> PROVINCE_WINS = Map.of("吉林", "220000", "海南", "460000");
  /** Pseudo-cities of the code list (市辖区, 直辖县级行政区划, 重庆's 县): not names a feed writes for a prefecture. */
  static final Set<String> PSEUDO_CITIES = Set.of("110100", "120100", "310100", "500100", "500200", "419000", "429000",
      "469000", "659000");

  final RegionResolver resolver = TestReference.SHIPPED.regionResolver();
  final OriginResolver origins = TestReference.SHIPPED.originResolver();

  @Test
  void everyProvinceAndPrefectureNameFullAndShortResolvesToItsOwnCode() {
    List<String> failures = new ArrayList<>();
    int provinceNames = 0;
    int cityNames = 0;
    for (ReferenceCsv.Line line : ReferenceCsv.read(REGIONS, "code", "name", "level", "aliases")) {
      String code = line.get("code");
      String level = line.get("level");
      if (level.equals("county") || PSEUDO_CITIES.contains(code)) {
        continue;
      }
      List<String> names = new ArrayList<>(List.of(line.get("name")));
      names.addAll(line.list("aliases"));
      for (String name : names) {
        String expected = level.equals("city") ? PROVINCE_WINS.getOrDefault(name, code) : code;
        Resolution r = resolver.resolve(name);
        if (!expected.equals(r.code())) {
          failures.add(name + " (" + code + ") -> " + r.status() + " " + r.codes());
        }
        if (level.equals("province")) {
          provinceNames++;
        } else {
          cityNames++;
        }
      }
    }
    System.out.printf("region names checked: %d province-level, %d prefecture-level; %d failed%n",
        provinceNames, cityNames, failures.size());
    assertThat(failures).as("names that do not resolve to their own region").isEmpty();
    assertThat(provinceNames).isGreaterThanOrEqualTo(34 * 2);
    assertThat(cityNames).isGreaterThanOrEqualTo(330);
  }

  @Test
  void fullProvinceNamesBeatTheCountyAndPrefectureNamesTheyClashWith() {
    assertThat(resolver.resolve("河北").code()).isEqualTo("130000");
    assertThat(resolver.resolve("河南").code()).isEqualTo("410000");
    assertThat(resolver.resolve("海南").code()).isEqualTo("460000");
    assertThat(resolver.resolve("内蒙古自治区").code()).isEqualTo("150000");
    assertThat(resolver.resolve("广西壮族自治区").code()).isEqualTo("450000");
    // the smaller places stay reachable by their full names or a chain
    assertThat(resolver.resolve("河北区").code()).isEqualTo("120105");
    assertThat(resolver.resolve("天津河北").code()).isEqualTo("120105");
    assertThat(resolver.resolve("河南蒙古族自治县").code()).isEqualTo("632324");
    assertThat(resolver.resolve("海南藏族自治州").code()).isEqualTo("632500");
    assertThat(resolver.resolve("青海海南").code()).isEqualTo("632500");
  }

  @Test
  void aPrefectureBeatsACountyOfTheSameShortNameElsewhere() {
    assertThat(resolver.resolve("西安").code()).isEqualTo("610100");
    assertThat(resolver.resolve("大同").code()).isEqualTo("140200");
    assertThat(resolver.resolve("朝阳").code()).isEqualTo("211300");
    assertThat(resolver.resolve("北京朝阳").code()).isEqualTo("110105");
    assertThat(resolver.resolve("黔西南").code()).isEqualTo("522300");
    assertThat(resolver.resolve("黔西").code()).isEqualTo("520581");
  }

  @Test
  void namesThatTieOnKindAndLevelStayAmbiguous() {
    Resolution chaoyangDistrict = resolver.resolve("朝阳区");
    assertThat(chaoyangDistrict.status()).isEqualTo(Resolution.Status.AMBIGUOUS);
    assertThat(chaoyangDistrict.codes()).containsExactlyInAnyOrder("110105", "220104");
    Resolution tongzhou = resolver.resolve("通州");
    assertThat(tongzhou.status()).isEqualTo(Resolution.Status.AMBIGUOUS);
    assertThat(tongzhou.codes()).containsExactlyInAnyOrder("110112", "320612");
  }

  @Test
  void oneCharacterAbbreviationsStillReadAsProvinces() {
    int checked = 0;
    for (ReferenceCsv.Line line : ReferenceCsv.read(REGIONS, "code", "level", "abbreviations")) {
      for (String abbreviation : line.list("abbreviations")) {
        assertThat(origins.resolve(abbreviation).codes()).as(abbreviation).containsExactly(line.get("code"));
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(34);
    assertThat(origins.resolve("冀晋").codes()).containsExactly("130000", "140000");
    assertThat(origins.resolve("冀晋").status()).isEqualTo(Resolution.Status.RESOLVED);
  }
}
