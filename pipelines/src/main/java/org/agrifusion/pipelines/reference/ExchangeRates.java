package org.agrifusion.pipelines.reference;

import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Dated rates to CNY ({@code exchange-rates.csv}: {@code date,currency,cny_per_unit}), one per
 * currency and publication day. A record is converted at the rate of its own date or, when none was
 * published that day (weekends, holidays), the latest one at most {@value #MAX_DAYS_BACK} days
 * before; further back there is no rate and the record is quarantined, not converted at a stale one.
 */
public final class ExchangeRates implements Serializable {

  /** Covers a weekend and the ECB's longest regular closure, Good Friday to Easter Monday (Thursday's rate on Monday). */
  public static final int MAX_DAYS_BACK = 4;

  /** A rate: CNY per one unit of {@code currency}, as published for {@code date}. */
  public record Rate(String currency, LocalDate date, BigDecimal cnyPerUnit) implements Serializable {}

  private final Map<String, TreeMap<LocalDate, BigDecimal>> byCurrency;

  private ExchangeRates(Map<String, TreeMap<LocalDate, BigDecimal>> byCurrency) {
    this.byCurrency = byCurrency;
  }

  public static ExchangeRates load(Path csv, CurrencyCatalog currencies) {
    Map<String, TreeMap<LocalDate, BigDecimal>> byCurrency = new HashMap<>();
    for (ReferenceCsv.Line line : ReferenceCsv.read(csv, "date", "currency", "cny_per_unit")) {
      String where = csv + " line " + line.number() + ": ";
      String currency = line.get("currency");
      if (!currencies.isCode(currency)) {
        throw new IllegalArgumentException(where + "currency '" + currency + "' is not a code of currencies.csv");
      }
      if (currency.equals(CurrencyCatalog.CNY)) {
        throw new IllegalArgumentException(where + "CNY needs no rate (it is 1)");
      }
      LocalDate date;
      BigDecimal rate;
      try {
        date = LocalDate.parse(line.get("date"));
        rate = new BigDecimal(line.get("cny_per_unit"));
      } catch (DateTimeParseException | NumberFormatException e) {
        throw new IllegalArgumentException(where + "expected a yyyy-MM-dd date and a number, got '" + line.get("date") + "' and '"
            + line.get("cny_per_unit") + "'");
      }
      if (rate.signum() <= 0) {
        throw new IllegalArgumentException(where + "cny_per_unit must be positive, got " + rate.toPlainString());
      }
      if (byCurrency.computeIfAbsent(currency, c -> new TreeMap<>()).put(date, rate) != null) {
        throw new IllegalArgumentException(where + currency + " on " + date + " is listed twice");
      }
    }
    return new ExchangeRates(byCurrency);
  }

  /**
   * The rate of a non-CNY currency for a record of the given day: that day's, else the latest of
   * the {@value #MAX_DAYS_BACK} days before; empty when there is none.
   */
  public Optional<Rate> on(String currency, LocalDate day) {
    TreeMap<LocalDate, BigDecimal> rates = byCurrency.get(currency);
    var entry = rates == null ? null : rates.floorEntry(day);
    if (entry == null || entry.getKey().isBefore(day.minusDays(MAX_DAYS_BACK))) {
      return Optional.empty();
    }
    return Optional.of(new Rate(currency, entry.getKey(), entry.getValue()));
  }

  /** The days the table covers for a currency, for messages: {@code 2023-01-02..2025-05-09}, or {@code no rates}. */
  public String coverage(String currency) {
    TreeMap<LocalDate, BigDecimal> rates = byCurrency.get(currency);
    return rates == null ? "no rates" : rates.firstKey() + ".." + rates.lastKey();
  }
}
