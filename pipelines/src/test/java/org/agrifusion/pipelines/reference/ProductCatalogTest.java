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

  /** What a search word names: a whole name or alias only, so 小米 (millet) is never the chili 小米椒 containing it. */
  @Test
  void aSearchWordNamesAnEntryOnlyWhole() {
    assertThat(products.codeOfName("小米")).contains("0509");
    assertThat(products.match("小米椒", null)).map(ProductCatalog.Match::varietyCode).contains("014905");
    assertThat(products.codeOfName("红富士")).contains("020101");
    assertThat(products.codeOfName("富士")).contains("020101");
    assertThat(products.codeOfName("Apple")).contains("0201");
    assertThat(products.codeOfName("富士苹果礼盒")).isEmpty();
    assertThat(products.codeOfName("  ")).isEmpty();
    assertThat(products.children("0201")).hasSize(21).startsWith("020101", "020102").allMatch(c -> c.startsWith("0201"));
    assertThat(products.children("020101")).isEmpty();
  }

  /** One-character names of the Xinfadi 2013-2016 workbook (1,047 rows each): 藕 is lotus root; 葱 stays unknown. */
  @Test
  void theArchiveWorkbooksShortNames() {
    assertThat(code("藕")).contains("0166");
    // 大葱 or 小葱: the workbook does not say, and the catalogue does not guess
    assertThat(code("葱")).isEmpty();
  }

  private java.util.Optional<String> code(String name) {
    return products.match(name, null).map(m -> m.varietyCode() != null ? m.varietyCode() : m.productCode());
  }

  @Test
  void latinNamesMatchWholeWordsNeverSubstrings() {
    assertThat(code("Apple")).contains("0201");
    assertThat(code("Pineapple")).contains("0227"); // 菠萝, not 苹果
    assertThat(code("Sweet Potato")).contains("0163"); // 甘薯, not 马铃薯
    assertThat(code("Potato")).contains("0162");
    assertThat(code("Onion Green")).contains("0125"); // 小葱, not 洋葱
    assertThat(code("Onion")).contains("0126");
    assertThat(code("Green Chilli")).contains("0149");
    assertThat(code("Lady Finger")).contains("0176");
    assertThat(code("Ladies Finger")).contains("0176");
    assertThat(code("Bhindi(Ladies Finger)")).contains("0176");
    assertThat(code("Custard Apple (Sharifa)")).contains("0238"); // 释迦, not 苹果
    assertThat(code("Mustard Oil")).contains("052403"); // the oil, not the seed
    assertThat(code("Black Gram Dal (Urd Dal)")).isNotEqualTo(code("Black Gram (Urd Beans)(Whole)"));
  }

  @Test
  void latinMatchingIsCaseAndPunctuationBlind() {
    assertThat(code("APPLE")).contains("0201");
    assertThat(code("  green   chilli ")).contains("0149");
    assertThat(code("Lady's Finger")).contains("0176");
    assertThat(code("Ridgeguard(Tori)")).contains("014301"); // 有棱丝瓜, a variety of 丝瓜
  }

  @Test
  void aLatinNameThatIsNoCatalogueWordIsUnknown() {
    assertThat(code("Applesauce")).isEmpty();
    assertThat(code("Pine")).isEmpty();
    assertThat(code("Leafy Vegetable")).isEmpty();
  }

  @Test
  void twoEquallyLongCatalogueNamesInOneLatinNameAreAmbiguous() {
    // 苹果 and 香蕉, each one word long: nothing is guessed
    assertThat(code("Apple Banana")).isEmpty();
  }

  @Test
  void aVarietyColumnCodesOnlyVarietiesOfTheMatchedProduct() {
    assertThat(products.variety("0201", "红星")).contains("020106");
    assertThat(products.variety("0201", "Red Delicious")).contains("020106");
    assertThat(products.variety("0201", "Other")).isEmpty();
    assertThat(products.variety("0202", "红星")).isEmpty(); // 红星 is an apple, not a pear
    assertThat(products.variety("0201", null)).isEmpty();
  }

  @Test
  void aLatinNameSpelledTwiceWithOtherPunctuationIsOneNameUsedTwice(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    java.nio.file.Path csv = java.nio.file.Files.writeString(dir.resolve("products.csv"), """
        code,level,name,name_en,parent_code,aliases
        01,category,蔬菜,Vegetables,,
        0176,product,秋葵,Okra,01,Lady's Finger
        0199,product,瓜尔豆,Cluster beans,01,ladys-finger
        """);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProductCatalog.load(csv))
        .hasMessage(csv + " line 4: name 'ladys-finger' is used by 0176 and 0199");
  }
}
