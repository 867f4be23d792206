package org.agrifusion.pipelines.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  void tradeUnitsOfOtherFeedsHaveTheirLegalWeights() {
    // Agmarknet quotes per quintal (100 kg); 担 = 100 斤 = 50 kg (市制); the avoirdupois pound is 0.45359237 kg exactly
    assertThat(SHIPPED.kgPerUnit("quintal")).contains(new BigDecimal("100"));
    assertThat(SHIPPED.kgPerUnit("Quintal")).contains(new BigDecimal("100"));
    assertThat(SHIPPED.kgPerUnit("qtl")).contains(new BigDecimal("100"));
    assertThat(SHIPPED.kgPerUnit("公担")).contains(new BigDecimal("100"));
    assertThat(SHIPPED.kgPerUnit("担")).contains(new BigDecimal("50"));
    assertThat(SHIPPED.kgPerUnit("市担")).contains(new BigDecimal("50"));
    assertThat(SHIPPED.kgPerUnit("市斤")).contains(new BigDecimal("0.5"));
    assertThat(SHIPPED.kgPerUnit("lb")).contains(new BigDecimal("0.45359237"));
    assertThat(SHIPPED.kgPerUnit("Pounds")).contains(new BigDecimal("0.45359237"));
    assertThat(SHIPPED.kgPerUnit("磅")).contains(new BigDecimal("0.45359237"));
    assertThat(SHIPPED.kgPerUnit("tonne")).contains(new BigDecimal("1000"));
    assertThat(SHIPPED.kgPerUnit("Metric Ton")).contains(new BigDecimal("1000"));
    assertThat(SHIPPED.kgPerUnit("MT")).contains(new BigDecimal("1000"));
    // a bare "ton" may be a short (907 kg) or long (1016 kg) ton: not guessed
    assertThat(SHIPPED.kgPerUnit("ton")).isEmpty();
    assertThat(SHIPPED.kgPerUnit("捆", "10斤/捆")).hasValueSatisfying(kg -> assertThat(kg).isEqualByComparingTo("5"));
    assertThat(SHIPPED.kgPerUnit("托", "500kg/托")).hasValueSatisfying(kg -> assertThat(kg).isEqualByComparingTo("500"));
    assertThat(SHIPPED.kgPerUnit("carton", "40lb")).hasValueSatisfying(kg -> assertThat(kg).isEqualByComparingTo("18.1436948"));
    assertThat(SHIPPED.kgPerUnit("托")).isEmpty();
  }

  @Test
  void packageUnitsWeighWhatTheirSpecSays() {
    assertThat(SHIPPED.kgPerUnit("箱", "10斤/箱")).hasValueSatisfying(kg -> assertThat(kg).isEqualByComparingTo("5"));
    assertThat(SHIPPED.kgPerUnit("袋", "净重2.5公斤")).hasValueSatisfying(kg -> assertThat(kg).isEqualByComparingTo("2.5"));
    assertThat(SHIPPED.kgPerUnit("件", "5kg装")).hasValueSatisfying(kg -> assertThat(kg).isEqualByComparingTo("5"));
    assertThat(SHIPPED.kgPerUnit("筐", "500g*10")).hasValueSatisfying(kg -> assertThat(kg).isEqualByComparingTo("5"));
    assertThat(SHIPPED.kgPerUnit("箱", "2.5kg×4袋")).hasValueSatisfying(kg -> assertThat(kg).isEqualByComparingTo("10"));
    assertThat(SHIPPED.kgPerUnit("箱", "500gx10")).hasValueSatisfying(kg -> assertThat(kg).isEqualByComparingTo("5"));
    assertThat(SHIPPED.kgPerUnit("箱", "10*500g")).hasValueSatisfying(kg -> assertThat(kg).isEqualByComparingTo("5"));
  }

  @Test
  void aPackageWithoutOneClearWeightIsNotConverted() {
    assertThat(SHIPPED.kgPerUnit("箱", null)).isEmpty();
    assertThat(SHIPPED.kgPerUnit("箱", "大")).isEmpty();
    assertThat(SHIPPED.kgPerUnit("箱", "8-10斤")).isEmpty();
    assertThat(SHIPPED.kgPerUnit("箱", "纸袋Φ85以上")).isEmpty();
    assertThat(SHIPPED.kgPerUnit("箱", "5斤或10斤")).isEmpty();
  }

  @Test
  void countAndUnknownUnitsHaveNoWeight() {
    assertThat(SHIPPED.kgPerUnit("个", "500g")).isEmpty();
    assertThat(SHIPPED.kgPerUnit("只")).isEmpty();
    assertThat(SHIPPED.kgPerUnit("桶", null)).isEmpty();
    assertThat(SHIPPED.kgPerUnit(null)).isEmpty();
  }

  @Test
  void anAliasDefinedTwiceIsRejectedWithItsLine(@TempDir Path dir) throws IOException {
    Path csv = Files.writeString(dir.resolve("units.csv"), "code,name,kind,kg_per_unit,aliases\nA,斤,mass,0.5,\nB,市斤,mass,1,斤\n");
    assertThatThrownBy(() -> UnitCatalog.load(csv)).hasMessageContaining("units.csv line 3").hasMessageContaining("'斤' is defined twice");
  }
}
