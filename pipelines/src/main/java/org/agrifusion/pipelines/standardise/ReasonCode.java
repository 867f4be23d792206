package org.agrifusion.pipelines.standardise;

/** Why a landed row was quarantined. Documented for data stewards in docs/data-standard.md. */
public enum ReasonCode {
  /** The line did not split into the descriptor's columns, or had undecodable bytes. */
  UNPARSEABLE_LINE,
  /** A column not declared personal held what looks like a mobile number, ID number or street address; it was masked on reading. */
  PERSONAL_DATA_IN_FIELD,
  /** The line is longer than the reader's bound (1 Mi characters); the rest of the file is read. */
  LINE_TOO_LONG,
  /** The file ends, or its compressed data breaks, before its end; one row stands for the unread rest. */
  TRUNCATED_FILE,
  /** The file cannot be opened as its format (not gzip, not a workbook, no such sheet); one row stands for it. */
  UNREADABLE_FILE,
  /** The header row lacks some of the descriptor's columns (renamed, removed, another language). */
  HEADER_MISMATCH,
  /** The header row names one of the descriptor's columns more than once. */
  DUPLICATE_HEADER,
  /** A required canonical field is empty. */
  MISSING_FIELD,
  /** A number is not a number, or too large or small to store. */
  BAD_NUMBER,
  /** A price, quantity or weight is zero or negative. */
  NON_POSITIVE,
  /** low &lt;= avg &lt;= high does not hold. */
  PRICE_ORDER,
  /** A price in CNY/kg is outside the product's plausible range (conf/reference/price-bounds.csv). */
  PRICE_OUT_OF_BOUNDS,
  /** A price is far from the variety's median of the days before (price-bounds.csv outlier rule). */
  PRICE_OUTLIER,
  /** A date or time matches none of the descriptor's date formats. */
  BAD_DATE,
  /** Two times of one record are in the wrong order (signed before picked up). */
  TIME_ORDER,
  /** The product is not in the catalogue (conf/reference/products.csv). */
  UNKNOWN_PRODUCT,
  /** A required region is not a GB/T 2260 region we know. */
  UNKNOWN_REGION,
  /** A required region names more than one place (e.g. 朝阳区: Beijing or Changchun); it is not guessed. */
  AMBIGUOUS_REGION,
  /** The courier is not in conf/reference/couriers.csv. */
  UNKNOWN_COURIER,
  /** A weight, volume or output is given in a unit that is not a mass unit of units.csv. */
  UNKNOWN_UNIT,
  /** The currency of a money field is not in conf/reference/currencies.csv. */
  UNKNOWN_CURRENCY,
  /**
   * A money field carries the mark of another currency than the row's (¥4350 in an INR feed, ₹2.6 in
   * a CNY one); the amount is not taken, let alone converted.
   */
  CURRENCY_MISMATCH,
  /** No rate to CNY for the record's currency on its date or the days just before (conf/reference/exchange-rates.csv). */
  NO_EXCHANGE_RATE,
  /** The status is not one the standard knows. */
  UNKNOWN_STATUS,
  /** The record's date is not the business date being processed. */
  DATE_OUTSIDE_WINDOW,
  /** The feed already sent this record with the same values earlier in the run (a re-sent line or file). */
  DUPLICATE
}
