package org.agrifusion.pipelines.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrifusion.pipelines.support.TestReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped price-bounds.csv and the loader's checks of a steward's edits. */
class PriceBoundsTest {

  static final String HEADER = "prefix,name,min_cny_kg,max_cny_kg,outlier_factor,outlier_days,source\n";
  @TempDir Path dir;

  PriceBounds load(String rows) throws IOException {
    return PriceBounds.load(Files.writeString(dir.resolve("price-bounds.csv"), HEADER + rows));
  }

  @Test
  void theShippedFileHasADefaultAndTheLongestPrefixWins() {
    PriceBounds shipped = TestReference.SHIPPED.prices();
    assertThat(shipped.forCode("048301").prefix()).isEqualTo("0483");
    assertThat(shipped.forCode("0422").prefix()).isEqualTo("04");
    assertThat(shipped.forCode("020101").prefix()).isEqualTo("02");
    assertThat(shipped.forCode(null).prefix()).isEqualTo(PriceBounds.DEFAULT);
    assertThat(shipped.forCode("99").prefix()).isEqualTo(PriceBounds.DEFAULT);
    assertThat(shipped.maxOutlierDays()).isEqualTo(30);
    assertThat(shipped.rules()).allSatisfy(r -> assertThat(r.outlierFactor()).isEqualTo(10.0));
  }

  @Test
  void aStewardsMistakeNamesTheLine() {
    assertThatThrownBy(() -> load("01,蔬菜,0.05,1000,10,30,x\n"))
        .hasMessageContaining("needs a row with prefix *");
    assertThatThrownBy(() -> load("*,all,0.01,20000,10,30,x\n01,蔬菜,5,1,10,30,x\n"))
        .hasMessageContaining("line 3").hasMessageContaining("0 < min_cny_kg < max_cny_kg");
    assertThatThrownBy(() -> load("*,all,0.01,20000,10,30,x\n1,蔬菜,0.05,1000,10,30,x\n"))
        .hasMessageContaining("line 3").hasMessageContaining("prefix '1'");
    assertThatThrownBy(() -> load("*,all,0.01,20000,10,30,x\n*,again,0.01,20000,10,30,x\n"))
        .hasMessageContaining("listed twice");
    assertThatThrownBy(() -> load("*,all,0.01,20000,10,,x\n")).hasMessageContaining("both outlier_factor and outlier_days");
    assertThatThrownBy(() -> load("*,all,0.01,20000,0.5,30,x\n")).hasMessageContaining("above 1");
    assertThatThrownBy(() -> load("*,all,0.01,lots,10,30,x\n")).hasMessageContaining("max_cny_kg 'lots' is not a number");
  }

  @Test
  void theOutlierRuleCanBeTurnedOffPerPrefix() throws IOException {
    PriceBounds bounds = load("*,all,0.01,20000,10,30,x\n10,食用菌,0.2,10000,,,x\n");
    assertThat(bounds.forCode("1001").outlierFactor()).isNull();
    assertThat(bounds.maxOutlierDays()).isEqualTo(30);
  }
}
