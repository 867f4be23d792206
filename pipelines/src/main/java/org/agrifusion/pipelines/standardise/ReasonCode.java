package org.agrifusion.pipelines.standardise;

/** Why a landed row was quarantined. Documented for data stewards in docs/data-standard.md. */
public enum ReasonCode {
  /** The line did not split into the descriptor's columns, or had undecodable bytes. */
  UNPARSEABLE_LINE,
  /** A required canonical field is empty. */
  MISSING_FIELD,
  /** A price is not a number. */
  BAD_NUMBER,
  /** A price is zero or negative. */
  NON_POSITIVE_PRICE,
  /** low &lt;= avg &lt;= high does not hold. */
  PRICE_ORDER,
  /** The date matches none of the descriptor's date formats. */
  BAD_DATE,
  /** The record's date is not the business date being processed. */
  DATE_OUTSIDE_WINDOW,
  /** The same record (same natural key) was already accepted earlier in this run. */
  DUPLICATE
}
