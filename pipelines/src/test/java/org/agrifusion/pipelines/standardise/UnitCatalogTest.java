package org.agrifusion.pipelines.standardise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnitCatalogTest {

  /** The catalogue the project ships, so a bad edit of conf/reference/units.csv fails here. */
  static final UnitCatalog SHIPPED = UnitCatalog.load(Path.of("../conf/reference/units.csv"));

  @Test
  void massUnitsConvertToKilograms() {
    assertThat(SHIPPED.kgPerUnit("斤")).contains(new BigDecimal("0.5"));
    assertThat(SHIPPED.kgPerUnit("公斤")).contains(BigDecimal.ONE);
    assertThat(SHIPPED.kgPerUnit("千克")).contains(BigDecimal.ONE);
    assertThat(SHIPPED.kgPerUnit("KG")).contains(BigDecimal.ONE);
    assertThat(SHIPPED.kgPerUnit("ｋｇ")).contains(BigDecimal.ONE);
    assertThat(SHIPPED.kgPerUnit("克")).contains(new BigDecimal("0.001"));
    assertThat(SHIPPED.kgPerUnit("两")).contains(new BigDecimal("0.05"));
    assertThat(SHIPPED.kgPerUnit("吨")).contains(new BigDecimal("1000"));
  }

  @Test
  void packageUnitsAreNotMassUnits() {
    assertThat(SHIPPED.kgPerUnit("箱")).isEmpty();
    assertThat(SHIPPED.kgPerUnit("个")).isEmpty();
    assertThat(SHIPPED.kgPerUnit(null)).isEmpty();
  }

  @Test
  void anAliasWithTwoWeightsIsRejected() {
    assertThatThrownBy(() -> UnitCatalog.parse(List.of("code,name,kg_per_unit,aliases", "A,斤,0.5,", "B,市斤,1,斤"), "units.csv"))
        .hasMessageContaining("units.csv line 3").hasMessageContaining("'斤' has two weights");
  }
}
