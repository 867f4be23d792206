package org.agrifusion.pipelines.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.agrifusion.pipelines.support.TestReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped currency list and dated rates (ECB cross rates), and what their loaders refuse. */
class ExchangeRatesTest {

  final CurrencyCatalog currencies = TestReference.SHIPPED.currencies();
  final ExchangeRates rates = TestReference.SHIPPED.exchangeRates();

  @Test
  void theAgmarknetWeekHasARateForEveryDay() {
    for (LocalDate d = LocalDate.of(2023, 7, 27); !d.isAfter(LocalDate.of(2023, 8, 2)); d = d.plusDays(1)) {
      for (String code : new String[] {"INR", "USD", "EUR"}) {
        assertThat(rates.on(code, d)).as(code + " " + d).isPresent();
      }
    }
    assertThat(rates.on("INR", LocalDate.of(2023, 7, 31)).orElseThrow().cnyPerUnit()).isEqualByComparingTo("0.0869184"); // 7.8808 CNY / 90.669 INR per EUR
    assertThat(rates.on("EUR", LocalDate.of(2023, 7, 31)).orElseThrow().cnyPerUnit()).isEqualByComparingTo("7.8808");
  }

  @Test
  void aClosedDayTakesTheLatestRateAtMostFourDaysBefore() {
    // Easter Monday 2024: the ECB closed from Good Friday, so Thursday's rate, four days before
    var easter = rates.on("USD", LocalDate.of(2024, 4, 1)).orElseThrow();
    assertThat(easter.date()).isEqualTo(LocalDate.of(2024, 3, 28));
    // the table ends on Friday 2025-05-09: the following Tuesday still converts, Wednesday does not
    assertThat(rates.on("USD", LocalDate.of(2025, 5, 13))).isPresent();
    assertThat(rates.on("USD", LocalDate.of(2025, 5, 14))).isEmpty();
    assertThat(rates.on("USD", LocalDate.of(2022, 12, 30))).isEmpty();
    assertThat(rates.coverage("USD")).isEqualTo("2023-01-02..2025-05-09");
  }

  @Test
  void writtenFormsNameOneCurrency() {
    assertThat(currencies.code("₹")).contains("INR");
    assertThat(currencies.code("Rs")).contains("INR");
    assertThat(currencies.code("¥")).contains("CNY");
    assertThat(currencies.code("￥")).contains("CNY");
    assertThat(currencies.code("円")).contains("JPY");
    assertThat(currencies.code("eur")).contains("EUR");
    assertThat(currencies.code("$")).isEmpty();
  }

  @Test
  void badRateFilesAreRefusedWithTheirLine(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> load(dir, "2023-07-27,XYZ,1")).hasMessageContaining("line 2: currency 'XYZ' is not a code of currencies.csv");
    assertThatThrownBy(() -> load(dir, "2023-07-27,CNY,1")).hasMessageContaining("line 2: CNY needs no rate");
    assertThatThrownBy(() -> load(dir, "2023-07-27,INR,-0.08")).hasMessageContaining("line 2: cny_per_unit must be positive");
    assertThatThrownBy(() -> load(dir, "27/07/2023,INR,0.08")).hasMessageContaining("line 2: expected a yyyy-MM-dd date");
    assertThatThrownBy(() -> load(dir, "2023-07-27,INR,0.08\n2023-07-27,INR,0.09"))
        .hasMessageContaining("line 3: INR on 2023-07-27 is listed twice");
    assertThat(load(dir, "2023-07-27,INR,0.0872408").on("INR", LocalDate.of(2023, 7, 27)).orElseThrow().cnyPerUnit())
        .isEqualTo(new BigDecimal("0.0872408"));
  }

  ExchangeRates load(Path dir, String lines) throws IOException {
    Path csv = Files.writeString(dir.resolve("exchange-rates.csv"), "date,currency,cny_per_unit\n" + lines + "\n");
    return ExchangeRates.load(csv, currencies);
  }
}
