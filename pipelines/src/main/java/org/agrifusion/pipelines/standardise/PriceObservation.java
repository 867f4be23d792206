package org.agrifusion.pipelines.standardise;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createStructField;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructField;

/**
 * The canonical price observation (docs/data-standard.md): one quoted price of one product in one
 * market on one day, with prices in CNY per kg where the unit allows.
 */
public final class PriceObservation {

  /** Bumped when a column changes meaning or type; additive columns keep the version. */
  public static final int SCHEMA_VERSION = 1;

  public static final String RECORD_ID = "record_id";
  public static final String OBSERVED_DATE = "observed_date";
  public static final String MARKET_CODE = "market_code";
  public static final String MARKET_NAME = "market_name";
  public static final String MARKET_REGION_CODE = "market_region_code";
  public static final String CHANNEL = "channel";
  public static final String CATEGORY = "category";
  public static final String SUB_CATEGORY = "sub_category";
  public static final String PRODUCT_NAME = "product_name";
  public static final String SPEC = "spec";
  public static final String ORIGIN_RAW = "origin_raw";
  public static final String UNIT_RAW = "unit_raw";
  public static final String KG_PER_UNIT = "kg_per_unit";
  public static final String PRICE_LOW_ORIG = "price_low_orig";
  public static final String PRICE_AVG_ORIG = "price_avg_orig";
  public static final String PRICE_HIGH_ORIG = "price_high_orig";
  public static final String PRICE_LOW = "price_low";
  public static final String PRICE_AVG = "price_avg";
  public static final String PRICE_HIGH = "price_high";
  public static final String UNIT_CONVERTIBLE = "unit_convertible";
  public static final String REASONS = "reasons";
  public static final String REASON_DETAIL = "reason_detail";
  public static final String SCHEMA_VERSION_COLUMN = "schema_version";

  /** Columns the parser adds to each raw row, in order. */
  static final List<StructField> PARSED_FIELDS = List.of(
      createStructField(OBSERVED_DATE, DateType, true),
      createStructField(MARKET_CODE, StringType, true),
      createStructField(MARKET_NAME, StringType, true),
      createStructField(MARKET_REGION_CODE, StringType, true),
      createStructField(CHANNEL, StringType, true),
      createStructField(CATEGORY, StringType, true),
      createStructField(SUB_CATEGORY, StringType, true),
      createStructField(PRODUCT_NAME, StringType, true),
      createStructField(SPEC, StringType, true),
      createStructField(ORIGIN_RAW, StringType, true),
      createStructField(UNIT_RAW, StringType, true),
      createStructField(KG_PER_UNIT, DoubleType, true),
      createStructField(PRICE_LOW_ORIG, DoubleType, true),
      createStructField(PRICE_AVG_ORIG, DoubleType, true),
      createStructField(PRICE_HIGH_ORIG, DoubleType, true),
      createStructField(PRICE_LOW, DoubleType, true),
      createStructField(PRICE_AVG, DoubleType, true),
      createStructField(PRICE_HIGH, DoubleType, true),
      createStructField(UNIT_CONVERTIBLE, BooleanType, true),
      createStructField(REASONS, createArrayType(StringType, false), false),
      createStructField(REASON_DETAIL, StringType, true));

  /** The published (curated) columns, in order. */
  public static final List<String> CURATED_COLUMNS = List.of(
      RECORD_ID, "business_date", OBSERVED_DATE, MARKET_CODE, MARKET_NAME, MARKET_REGION_CODE, CHANNEL,
      CATEGORY, SUB_CATEGORY, PRODUCT_NAME, SPEC, ORIGIN_RAW, UNIT_RAW, KG_PER_UNIT,
      PRICE_LOW_ORIG, PRICE_AVG_ORIG, PRICE_HIGH_ORIG, PRICE_LOW, PRICE_AVG, PRICE_HIGH, UNIT_CONVERTIBLE,
      "source_id", "source_file", "source_row", "run_id", SCHEMA_VERSION_COLUMN);

  /** Canonical field names as descriptors use them -> the column holding the standardised value. */
  static final Map<String, String> FIELD_COLUMNS = Map.ofEntries(
      Map.entry("observed_date", OBSERVED_DATE),
      Map.entry("market_code", MARKET_CODE),
      Map.entry("market_name", MARKET_NAME),
      Map.entry("market_region_code", MARKET_REGION_CODE),
      Map.entry("channel", CHANNEL),
      Map.entry("category", CATEGORY),
      Map.entry("sub_category", SUB_CATEGORY),
      Map.entry("product_name", PRODUCT_NAME),
      Map.entry("spec", SPEC),
      Map.entry("origin", ORIGIN_RAW),
      Map.entry("unit", UNIT_RAW),
      Map.entry("price_low", PRICE_LOW_ORIG),
      Map.entry("price_avg", PRICE_AVG_ORIG),
      Map.entry("price_high", PRICE_HIGH_ORIG));

  private PriceObservation() {}
}
