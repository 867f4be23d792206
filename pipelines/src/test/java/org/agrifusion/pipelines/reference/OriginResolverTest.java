package org.agrifusion.pipelines.reference;

import static org.assertj.core.api.Assertions.assertThat;

import org.agrifusion.pipelines.support.TestReference;
import org.junit.jupiter.api.Test;

/** Origins as the real Xinfadi bulletins write them. */
class OriginResolverTest {

  final OriginResolver origins = TestReference.SHIPPED.originResolver();
  final RegionResolver regions = TestReference.SHIPPED.regionResolver();

  @Test
  void runTogetherProvinceAbbreviationsAreEachAProvince() {
    assertThat(origins.resolve("冀甘陕").codes()).containsExactly("130000", "620000", "610000");
    assertThat(origins.resolve("冀晋辽").codes()).containsExactly("130000", "140000", "210000");
    assertThat(origins.resolve("冀\\晋").codes()).containsExactly("130000", "140000");
  }

  @Test
  void namesAndCountriesAreResolved() {
    assertThat(origins.resolve("新疆").codes()).containsExactly("650000");
    assertThat(origins.resolve("四川").codes()).containsExactly("510000");
    assertThat(origins.resolve("辽宁").codes()).containsExactly("210000");
    assertThat(origins.resolve("美国").codes()).containsExactly("US");
    assertThat(origins.resolve("智利").codes()).containsExactly("CL");
    assertThat(origins.resolve("国产").codes()).containsExactly("CN");
  }

  @Test
  void misspeltCountriesSeenInTheRealDataAreResolved() {
    assertThat(origins.resolve("印泥").codes()).containsExactly("ID");
  }

  @Test
  void junkIsUnresolvedAndAMixIsPartial() {
    Resolution junk = origins.resolve("晚");
    assertThat(junk.status()).isEqualTo(Resolution.Status.UNRESOLVED);
    assertThat(junk.unresolved()).containsExactly("晚");
    Resolution mix = origins.resolve("冀/晚");
    assertThat(mix.status()).isEqualTo(Resolution.Status.PARTIAL);
    assertThat(mix.codes()).containsExactly("130000");
    assertThat(origins.resolve(" ").status()).isEqualTo(Resolution.Status.EMPTY);
  }

  @Test
  void cityAndCountyFormsResolveToTheCounty() {
    assertThat(regions.resolve("运城临猗").code()).isEqualTo("140821");
    assertThat(regions.resolve("山西省运城市临猗县").code()).isEqualTo("140821");
    assertThat(regions.resolve("山西临猗").code()).isEqualTo("140821");
    assertThat(regions.resolve("临猗").code()).isEqualTo("140821");
    assertThat(regions.resolve("临猗县").code()).isEqualTo("140821");
    assertThat(regions.resolve("140821").code()).isEqualTo("140821");
    assertThat(origins.resolve("运城临猗").codes()).containsExactly("140821");
  }

  @Test
  void aNameOfSeveralPlacesIsAmbiguousNotGuessed() {
    Resolution chaoyang = regions.resolve("朝阳区");
    assertThat(chaoyang.status()).isEqualTo(Resolution.Status.AMBIGUOUS);
    assertThat(chaoyang.codes()).containsExactlyInAnyOrder("110105", "220104");
    assertThat(regions.resolve("北京朝阳").code()).isEqualTo("110105");
    Resolution origin = origins.resolve("通州");
    assertThat(origin.status()).isEqualTo(Resolution.Status.AMBIGUOUS);
    assertThat(origin.codes()).isEmpty();
  }

  @Test
  void aProvinceAndItsNamesakeCityResolveToTheProvince() {
    assertThat(regions.resolve("吉林").code()).isEqualTo("220000");
  }

  @Test
  void codesOfTheOlderVintageMapToTheirNewCodes() {
    // 沙县 became 沙县区 (350427 -> 350405)
    assertThat(regions.resolve("350427").code()).isEqualTo("350405");
    assertThat(TestReference.SHIPPED.regions().byCode("140821")).hasValueSatisfying(r -> {
      assertThat(r.rural()).isTrue();
      assertThat(r.cityCode()).isEqualTo("140800");
    });
    assertThat(TestReference.SHIPPED.regions().byCode("140703")).hasValueSatisfying(r -> assertThat(r.rural()).isFalse());
  }
}
