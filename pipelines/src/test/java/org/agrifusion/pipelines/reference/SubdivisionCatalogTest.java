package org.agrifusion.pipelines.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrifusion.pipelines.support.TestReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped subdivisions.csv (ISO 3166-2) and the loader's checks of a steward's edits. */
class SubdivisionCatalogTest {

  static final String HEADER = "code,name,category,aliases\n";
  final SubdivisionCatalog shipped = TestReference.SHIPPED.subdivisions();
  @TempDir Path dir;

  SubdivisionCatalog load(String rows) throws IOException {
    return SubdivisionCatalog.load(Files.writeString(dir.resolve("subdivisions.csv"), HEADER + rows));
  }

  @Test
  void indiaHasItsTwentyEightStatesAndEightUnionTerritoriesAfterTheChangesOf2019And2020() throws IOException {
    long codes = Files.readAllLines(Path.of("../conf/reference/subdivisions.csv")).stream().filter(l -> l.startsWith("IN-")).count();
    assertThat(codes).isEqualTo(36);
    assertThat(shipped.code("IN", "Ladakh")).contains("IN-LA");
    assertThat(shipped.code("IN", "Dadra and Nagar Haveli and Daman and Diu")).contains("IN-DH");
    // the two union territories merged in 2020, by their old names and codes
    assertThat(shipped.code("IN", "Dadra and Nagar Haveli")).contains("IN-DH");
    assertThat(shipped.code("IN", "IN-DD")).contains("IN-DH");
    assertThat(shipped.code("IN", "IN-CT")).contains("IN-CG");
    assertThat(shipped.lists("IN")).isTrue();
    assertThat(shipped.lists("US")).isFalse();
  }

  @Test
  void namesAreLookedUpWithinTheirCountry() throws IOException {
    SubdivisionCatalog catalog = load("IN-PB,Punjab,state,\nPK-PB,Punjab,province,\n");
    assertThat(catalog.code("IN", "Punjab")).contains("IN-PB");
    assertThat(catalog.code("PK", "punjab")).contains("PK-PB");
    assertThat(catalog.code("BD", "Punjab")).isEmpty();
    assertThat(catalog.code("IN", null)).isEmpty();
  }

  @Test
  void aCodeThatIsNotIso31662IsRefusedWithItsLine() {
    assertThatThrownBy(() -> load("IN-GJ,Gujarat,state,\nGujarat-2,Gujarat,state,\n"))
        .hasMessageEndingWith("line 3: code 'Gujarat-2' is not an ISO 3166-2 code (CC-XXX: country code, hyphen, 1-3 letters or digits)");
    assertThatThrownBy(() -> load("in-gj,Gujarat,state,\n")).hasMessageContaining("code 'in-gj' is not an ISO 3166-2 code");
  }

  @Test
  void aNameGivenToTwoSubdivisionsOfOneCountryIsRefused() {
    assertThatThrownBy(() -> load("IN-DL,Delhi,union territory,NCT of Delhi\nIN-HR,Haryana,state,NCT of Delhi\n"))
        .hasMessageContaining("line 3: 'IN|NCT of Delhi' names both IN-DL and IN-HR");
  }

  @Test
  void aCodeListedTwiceIsRefused() {
    assertThatThrownBy(() -> load("IN-GJ,Gujarat,state,\nIN-GJ,Gujarat State,state,\n"))
        .hasMessageContaining("line 3: code 'IN-GJ' is listed twice");
  }
}
