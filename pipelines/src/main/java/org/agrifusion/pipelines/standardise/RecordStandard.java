package org.agrifusion.pipelines.standardise;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrifusion.pipelines.reference.CurrencyCatalog;
import org.agrifusion.pipelines.reference.ExchangeRates;
import org.agrifusion.pipelines.reference.PriceBounds;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.reference.Resolution;
import org.agrifusion.pipelines.source.RecordKind;
import org.apache.spark.sql.types.StructField;

/**
 * The data standard of one record kind: the canonical columns it produces and the rules that turn
 * a landed row into them. Plain Java, so each rule is unit-tested without Spark; the
 * {@link Standardiser} runs it on every row.
 */
public abstract class RecordStandard implements Serializable {

  protected final ReferenceData reference;
  private final List<StructField> fields;

  protected RecordStandard(ReferenceData reference, List<StructField> fields) {
    this.reference = reference;
    this.fields = fields;
  }

  public static RecordStandard of(RecordKind kind, ReferenceData reference) {
    return switch (kind) {
      case PRICE -> new PriceStandard(reference);
      case SALE -> new SaleStandard(reference);
      case SHIPMENT -> new ShipmentStandard(reference);
      case ORIGIN -> new OriginEntityStandard(reference);
    };
  }

  public abstract RecordKind kind();

  /**
   * The canonical date column that says which day a record belongs to (the day it was observed,
   * ordered or picked up); empty for kinds without one. A history import files each row under it.
   */
  public abstract java.util.Optional<String> eventDateColumn();

  /** The canonical columns, in order, as the curated table holds them after the record id and date. */
  public final List<StructField> fields() {
    return fields;
  }

  /** Reads one row; problems are recorded on the reader and make the row quarantined. */
  protected abstract Map<String, Object> read(FieldReader row, LocalDate businessDate);

  /** The canonical values of one row in {@link #fields()} order, with the reasons it was rejected, if any. */
  public final Outcome parse(FieldReader row, LocalDate businessDate) {
    Map<String, Object> values = read(row, businessDate);
    Object[] ordered = new Object[fields.size()];
    for (int i = 0; i < ordered.length; i++) {
      ordered[i] = spark(values.get(fields.get(i).name()));
    }
    return new Outcome(this, ordered, row.reasons(), row.details());
  }

  /** Converts Java values to the external types Spark rows hold. */
  private static Object spark(Object value) {
    if (value instanceof BigDecimal d) {
      return d.doubleValue();
    } else if (value instanceof LocalDate d) {
      return Date.valueOf(d);
    } else if (value instanceof Instant i) {
      return Timestamp.from(i);
    } else if (value instanceof Collection<?> c) {
      return c.stream().map(String::valueOf).toArray(String[]::new);
    }
    return value;
  }

  /**
   * Matches the row's product against the catalogue into product_name and the category / product /
   * variety codes; an unknown product quarantines the row.
   */
  protected void product(FieldReader row, Map<String, Object> values, String subCategory) {
    String name = row.required("product_name");
    values.put("product_name", name);
    if (name == null) {
      return;
    }
    var match = reference.products().match(name, subCategory);
    if (match.isEmpty()) {
      row.reject(ReasonCode.UNKNOWN_PRODUCT, "product_name '" + name + "' is not in the catalogue"
          + (subCategory == null ? "" : " (sub-category '" + subCategory + "')"));
      return;
    }
    values.put("category_code", match.get().categoryCode());
    values.put("product_code", match.get().productCode());
    values.put("variety_code", match.get().varietyCode());
  }

  /**
   * Resolves a region field into {@code <field>_raw} and {@code <field>_code}. A required region
   * that is unknown or ambiguous quarantines the row; an optional one only stays uncoded.
   */
  protected void region(FieldReader row, String field, boolean required, Map<String, Object> values) {
    String text = required ? row.required(field) : row.text(field);
    values.put(field + "_raw", text);
    if (text == null) {
      return;
    }
    Resolution resolution = reference.regionResolver().resolve(text);
    if (resolution.resolved()) {
      values.put(field + "_code", resolution.code());
    } else if (required) {
      boolean ambiguous = resolution.status() == Resolution.Status.AMBIGUOUS;
      row.reject(ambiguous ? ReasonCode.AMBIGUOUS_REGION : ReasonCode.UNKNOWN_REGION,
          field + " '" + text + "' " + (ambiguous ? "could be any of " + resolution.codes() : "is not a known region"));
    }
  }

  /** The courier's short code into {@code courier_code}; a courier not in the list quarantines the row. */
  protected void courier(String courier, Map<String, Object> values, FieldReader row) {
    if (courier == null) {
      return;
    }
    var code = reference.couriers().code(courier);
    if (code.isEmpty()) {
      row.reject(ReasonCode.UNKNOWN_COURIER, "courier '" + courier + "' is not in the courier list");
    }
    values.put("courier_code", code.orElse(null));
  }

  /** The standard status for the kind, or UNKNOWN_STATUS. */
  protected String status(FieldReader row, boolean required) {
    String written = required ? row.required("status") : row.text("status");
    if (written == null) {
      return null;
    }
    var status = reference.statuses().status(kind().yamlName(), written);
    if (status.isEmpty()) {
      row.reject(ReasonCode.UNKNOWN_STATUS, "status '" + written + "' is not a " + kind().yamlName() + " status");
    }
    return status.orElse(null);
  }

  /**
   * A quantity in kilograms: the value times the weight of its unit (kg when no unit is given).
   * A unit that is not a mass unit quarantines the row rather than losing the value.
   */
  protected BigDecimal kilograms(FieldReader row, String field, String unitField, BigDecimal value) {
    String unit = row.text(unitField);
    if (value == null || unit == null) {
      return value;
    }
    var kg = reference.units().kgPerUnit(unit);
    if (kg.isEmpty()) {
      row.reject(ReasonCode.UNKNOWN_UNIT, unitField + " '" + unit + "' of " + field + " is not a mass unit");
      return null;
    }
    return multiply(value, kg.get());
  }

  /**
   * Rejects the row once as PRICE_OUT_OF_BOUNDS when any of the given CNY/kg price columns of
   * {@code values} lies outside the plausible range of the row's product (its most specific
   * catalogue code, price-bounds.csv). Zero and negative prices are NON_POSITIVE where that is
   * wrong, and prices not convertible to CNY/kg (null) are not compared.
   */
  protected void plausible(FieldReader row, List<String> priceColumns, Map<String, Object> values) {
    Object code = values.get("variety_code") != null ? values.get("variety_code")
        : values.get("product_code") != null ? values.get("product_code") : values.get("category_code");
    PriceBounds.Rule rule = reference.prices().forCode((String) code);
    List<String> outside = new ArrayList<>();
    for (String column : priceColumns) {
      BigDecimal price = (BigDecimal) values.get(column);
      if (price != null && price.signum() > 0 && (price.compareTo(rule.min()) < 0 || price.compareTo(rule.max()) > 0)) {
        // plain digits up to a quadrillion, exponent notation beyond (1E+400 would be 400 digits)
        outside.add(column + " " + (price.precision() - price.scale() <= 16 ? price.toPlainString() : price.toString()));
      }
    }
    if (!outside.isEmpty()) {
      row.reject(ReasonCode.PRICE_OUT_OF_BOUNDS, String.join(", ", outside) + " CNY/kg outside " + rule.min().toPlainString()
          + ".." + rule.max().toPlainString() + " CNY/kg for " + rule.prefix() + " " + rule.name());
    }
  }

  /**
   * The row's currency: the {@code currency} field resolved to its ISO 4217 code (CNY when absent),
   * put into {@code currency}; an unknown one is UNKNOWN_CURRENCY and null. Read before the money, so
   * that a mark written on an amount can be checked against it ({@link #money}).
   */
  protected String currency(FieldReader row, Map<String, Object> values) {
    String written = row.text("currency");
    String code = written == null ? CurrencyCatalog.CNY : reference.currencies().code(written).orElse(null);
    values.put("currency", code);
    if (code == null) {
      row.reject(ReasonCode.UNKNOWN_CURRENCY, "currency '" + written + "' is not in currencies.csv");
    }
    return code;
  }

  /** A money field in the row's {@code currency} (from {@link #currency}), as {@link FieldReader#money} reads it. */
  protected BigDecimal money(FieldReader row, String field, boolean required, boolean positive, String currency) {
    return row.money(field, required, positive, reference.currencies(), currency);
  }

  /**
   * When the row has money to convert, the rate of its {@code currency} to CNY on {@code day} into
   * {@code fx_rate} (CNY per unit; 1 for CNY) and {@code fx_rate_date}. A currency without a rate for
   * the day is NO_EXCHANGE_RATE, naming the days the table covers; that and an unknown currency (null)
   * return null, so nothing is converted.
   */
  protected ToCny toCny(FieldReader row, String currency, LocalDate day, boolean hasMoney, Map<String, Object> values) {
    if (currency == null) {
      return null;
    }
    if (currency.equals(CurrencyCatalog.CNY)) {
      values.put("fx_rate", BigDecimal.ONE);
      return ToCny.IDENTITY;
    }
    if (!hasMoney || day == null) {
      return null; // nothing to convert, or the date is already a reason of its own
    }
    var rate = reference.exchangeRates().on(currency, day);
    if (rate.isEmpty()) {
      row.reject(ReasonCode.NO_EXCHANGE_RATE, "no " + currency + " rate to CNY for " + day + " or the " + ExchangeRates.MAX_DAYS_BACK
          + " days before (exchange-rates.csv has " + currency + " " + reference.exchangeRates().coverage(currency) + ")");
      return null;
    }
    values.put("fx_rate", rate.get().cnyPerUnit());
    values.put("fx_rate_date", rate.get().date());
    return new ToCny(rate.get().cnyPerUnit());
  }

  /** Converts amounts of the row's currency to CNY; {@code fx} null (no rate) converts everything to null. */
  protected record ToCny(BigDecimal cnyPerUnit) {
    static final ToCny IDENTITY = new ToCny(null);

    /** Exact, for a price that is divided per kg next (rounded once, there). CNY stays as it is. */
    static BigDecimal cny(ToCny fx, BigDecimal amount) {
      if (fx == null || amount == null) {
        return null;
      }
      return fx.cnyPerUnit == null ? amount : amount.multiply(fx.cnyPerUnit);
    }

    /** An amount kept in CNY: converted to four decimals; CNY stays as it is. */
    static BigDecimal amount(ToCny fx, BigDecimal amount) {
      return fx == null || fx.cnyPerUnit == null ? cny(fx, amount) : multiply(amount, fx.cnyPerUnit);
    }
  }

  /** value / divisor to four decimals, or null. */
  protected static BigDecimal divide(BigDecimal value, BigDecimal divisor) {
    if (value == null || divisor == null || divisor.signum() == 0) {
      return null;
    }
    return value.divide(divisor, 4, RoundingMode.HALF_UP).stripTrailingZeros();
  }

  protected static BigDecimal multiply(BigDecimal a, BigDecimal b) {
    return a == null || b == null ? null : a.multiply(b).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros();
  }

  /** An insertion-ordered map for {@link #read}. */
  protected static Map<String, Object> values() {
    return new LinkedHashMap<>();
  }

  /** The result of one row. */
  public record Outcome(RecordStandard standard, Object[] values, List<ReasonCode> reasons, List<String> details) {
    public boolean accepted() {
      return reasons.isEmpty();
    }

    /** The value of a canonical column (in Spark's external type), for tests and diagnostics. */
    public Object value(String column) {
      List<StructField> fields = standard.fields();
      for (int i = 0; i < fields.size(); i++) {
        if (fields.get(i).name().equals(column)) {
          return values[i];
        }
      }
      throw new IllegalArgumentException("no column " + column + " in " + standard.kind());
    }
  }
}
