package org.agrifusion.pipelines.sink.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Money as written is in the record's own currency (INR for Agmarknet): no extract may head it 元. */
class ExtractLabelsTest {

  static final ExtractSpec DETAIL = ExtractSpecs.load(Path.of("../conf/extracts/wholesale-price-observations.yml"));

  static ExtractSpec withColumns(List<ExtractSpec.OutputColumn> columns) {
    return new ExtractSpec(DETAIL.id(), DETAIL.title(), DETAIL.description(), DETAIL.dataset(), DETAIL.cadence(), DETAIL.filter(),
        DETAIL.groupBy(), columns, List.of(), DETAIL.formats(), DETAIL.destination());
  }

  @Test
  void theShippedDetailGivesTheCurrencyBesideThePricesAsQuoted() {
    ExtractSpecs.loadAll(Path.of("../conf/extracts"));
    List<String> headers = DETAIL.columns().stream().map(ExtractSpec.OutputColumn::header).toList();
    assertThat(headers).contains("币种", "平均价(原币种/计价单位)", "平均价(元/公斤)");
    DETAIL.columns().stream().filter(c -> c.expression().endsWith("_orig"))
        .forEach(c -> assertThat(c.header()).as(c.name()).doesNotContain("元"));
  }

  @Test
  void anExtractThatHeadsMoneyAsWrittenWithYuanIsRefused() {
    List<ExtractSpec.OutputColumn> columns = new ArrayList<>(List.of(
        new ExtractSpec.OutputColumn("currency", "币种", null),
        new ExtractSpec.OutputColumn("price_avg_orig", "平均价(元/计价单位)", null)));
    assertThatThrownBy(() -> ExtractSpecs.validate("x.yml", withColumns(columns)))
        .hasMessageContaining("columns.price_avg_orig.header")
        .hasMessageContaining("'平均价(元/计价单位)' says CNY, but the column is money as written, in the record's own currency");

    // an expression over it counts too
    columns.set(1, new ExtractSpec.OutputColumn("avg", "Average (CNY per unit)", "round(price_avg_orig, 2)"));
    assertThatThrownBy(() -> ExtractSpecs.validate("x.yml", withColumns(columns))).hasMessageContaining("says CNY");
  }

  @Test
  void anExtractOfMoneyAsWrittenMustGiveItsCurrency() {
    List<ExtractSpec.OutputColumn> columns = List.of(new ExtractSpec.OutputColumn("amount_orig", "实付金额(原币种)", null));
    assertThatThrownBy(() -> ExtractSpecs.validate("x.yml", withColumns(columns)))
        .hasMessageContaining("'amount_orig' is money as written: also output the column currency");
    ExtractSpecs.validate("x.yml", withColumns(List.of(columns.get(0), new ExtractSpec.OutputColumn("currency", "币种", null))));
  }
}
