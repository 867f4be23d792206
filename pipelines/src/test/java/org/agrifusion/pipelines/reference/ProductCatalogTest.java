package org.agrifusion.pipelines.reference;

import static org.assertj.core.api.Assertions.assertThat;

import org.agrifusion.pipelines.support.TestReference;
import org.junit.jupiter.api.Test;

/** Matching a product name, asked many times as a feed's rows do: each answer is the same as the first. */
class ProductCatalogTest {

  private final ProductCatalog products = TestReference.SHIPPED.products();

  @Test
  void aRememberedNameKeepsItsOwnSubCategory() {
    // an unknown name falls back to its row's sub-category: the same name under two sub-categories
    // are two questions, however often each is asked
    for (int i = 0; i < 3; i++) {
      assertThat(products.match("精品礼盒", "苹果类")).map(ProductCatalog.Match::productCode).contains("0201");
      assertThat(products.match("精品礼盒", "梨类")).map(ProductCatalog.Match::productCode).contains("0202");
      assertThat(products.match("精品礼盒", null)).isEmpty();
      assertThat(products.match(null, "苹果类")).map(ProductCatalog.Match::productCode).contains("0201");
      assertThat(products.match("null", "苹果类")).map(ProductCatalog.Match::productCode).contains("0201");
      assertThat(products.match(null, null)).isEmpty();
    }
  }

  @Test
  void namesResolveAsBefore() {
    for (int i = 0; i < 2; i++) {
      assertThat(products.match("红富士", null)).map(ProductCatalog.Match::varietyCode).contains("020101");
      assertThat(products.match("扇贝(地播)", null)).isPresent();
      assertThat(products.match("不存在的东西", null)).isEmpty();
    }
  }
}
