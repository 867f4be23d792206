package org.agrifusion.pipelines.standardise;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.agrifusion.pipelines.reference.CurrencyCatalog;
import org.agrifusion.pipelines.source.PersonalDataDetector;
import org.agrifusion.pipelines.source.RawColumns;
import org.agrifusion.pipelines.source.SourceDescriptor;

/**
 * Reads the canonical fields of one landed row through its descriptor (mapped column or constant),
 * normalised and typed, and collects every problem as a reason code with a readable detail.
 */
public final class FieldReader {

  private final SourceDescriptor source;
  private final DateParsers dates;
  private final LocalDate referenceDate;
  private final UnaryOperator<String> column;
  private final List<ReasonCode> reasons = new ArrayList<>();
  private final List<String> details = new ArrayList<>();

  /** @param referenceDate the date year-less dates take their year from: the business date (or import-history's as-of date) */
  FieldReader(SourceDescriptor source, DateParsers dates, LocalDate referenceDate, UnaryOperator<String> column, String parseError) {
    this.source = source;
    this.dates = dates;
    this.referenceDate = referenceDate;
    this.column = column;
    if (parseError != null) {
      reject(RawColumns.parseErrorCode(parseError), RawColumns.parseErrorDetail(parseError));
    }
    for (String name : source.columns()) {
      PersonalDataDetector.Kind masked = PersonalDataDetector.maskedKind(column.apply(name));
      if (masked != null) {
        reject(ReasonCode.PERSONAL_DATA_IN_FIELD, fieldOf(name) + " held " + masked.description() + " (masked on reading)");
      }
    }
  }

  /** The canonical field a column feeds, with the column: {@code buyer_region (收货地区)}. */
  private String fieldOf(String column) {
    return source.fields().entrySet().stream().filter(e -> e.getValue().equals(column)).map(java.util.Map.Entry::getKey)
        .findFirst().map(field -> field + " (" + column + ")").orElse(column);
  }

  public SourceDescriptor source() {
    return source;
  }

  /**
   * The normalised text after the descriptor's {@code value_maps}, or null when empty, one of the
   * feed's missing_values, or not mapped.
   */
  public String text(String field) {
    String value = Text.normalise(source.valueOf(field, column));
    return value != null && source.missingValues().contains(value) ? null : source.mapValue(field, value);
  }

  /** Like {@link #text} but records MISSING_FIELD when empty. */
  public String required(String field) {
    String value = text(field);
    if (value == null) {
      reject(ReasonCode.MISSING_FIELD, field + " is empty");
    }
    return value;
  }

  public LocalDate date(String field, boolean required) {
    String value = required ? required(field) : text(field);
    if (value == null) {
      return null;
    }
    try {
      return dates.date(value, referenceDate);
    } catch (DateTimeParseException e) {
      reject(ReasonCode.BAD_DATE, field + " " + e.getMessage());
      return null;
    }
  }

  public Instant timestamp(String field, boolean required) {
    String value = required ? required(field) : text(field);
    if (value == null) {
      return null;
    }
    try {
      return dates.instant(value, referenceDate);
    } catch (DateTimeParseException e) {
      reject(ReasonCode.BAD_DATE, field + " " + e.getMessage());
      return null;
    }
  }

  /**
   * A decimal that is not money; with {@code positive}, zero and negatives are rejected as
   * NON_POSITIVE. A mark beside it (¥5.5, 3元) is BAD_NUMBER: only money takes a currency's mark.
   */
  public BigDecimal decimal(String field, boolean required, boolean positive) {
    String value = required ? required(field) : text(field);
    if (value == null) {
      return null;
    }
    Numbers.Marked written = Numbers.marked(value).orElse(null);
    if (written != null && written.mark() != null) {
      reject(ReasonCode.BAD_NUMBER, field + " '" + value + "' is not a number ('" + written.mark()
          + "' beside it: only money takes a currency mark)");
      return null;
    }
    return checked(field, value, written == null ? null : written.number(), positive);
  }

  /**
   * A money amount in the row's {@code currency}, bare or with a mark of currencies.csv before or
   * after it ({@code ₹4,350}, {@code Rs. 4350}, {@code 4350 INR}, {@code 2.6元}). A mark of another
   * currency is CURRENCY_MISMATCH and gives no amount: money is never converted on a mark's word. A
   * mark naming no currency ({@code $}) is BAD_NUMBER. With {@code currency} null (the row's own is
   * unknown, a reason already) any currency's mark passes.
   */
  public BigDecimal money(String field, boolean required, boolean positive, CurrencyCatalog currencies, String currency) {
    String value = required ? required(field) : text(field);
    if (value == null) {
      return null;
    }
    Numbers.Marked written = Numbers.marked(value).orElse(null);
    if (written != null && written.mark() != null) {
      String marked = currencies.code(written.mark()).orElse(null);
      if (marked == null) {
        reject(ReasonCode.BAD_NUMBER, field + " '" + value + "' is not a number: '" + written.mark()
            + "' names no currency of currencies.csv");
        return null;
      }
      if (currency != null && !marked.equals(currency)) {
        reject(ReasonCode.CURRENCY_MISMATCH, field + " '" + value + "' is marked " + marked + " ('" + written.mark()
            + "'), but the row's currency is " + currency);
        return null;
      }
    }
    return checked(field, value, written == null ? null : written.number(), positive);
  }

  /**
   * The number of a value (null when the value is none), read in the feed's
   * {@code format.decimal_separator}, as a double column can hold it.
   */
  private BigDecimal checked(String field, String value, String number, boolean positive) {
    BigDecimal parsed;
    try {
      parsed = Numbers.parseDecimal(number == null ? value : number, source.format().decimalChar());
    } catch (NumberFormatException e) {
      reject(ReasonCode.BAD_NUMBER, field + " " + e.getMessage()); // "'2,6' is not a number: ',' is not a thousands separator here ..."
      return null;
    }
    double stored = parsed.doubleValue();
    if (Double.isInfinite(stored) || (stored == 0 && parsed.signum() != 0)) {
      // 1e400 or 1e-400: nothing a double column can hold, and no arithmetic on a huge exponent
      reject(ReasonCode.BAD_NUMBER, field + " '" + value + "' is out of range");
      return null;
    }
    if (positive && parsed.signum() <= 0) {
      reject(ReasonCode.NON_POSITIVE, field + " is " + parsed.toPlainString());
    }
    return parsed;
  }

  /** The business day of an instant: the data standard counts days in Asia/Shanghai, whatever the feed's zone. */
  public LocalDate localDate(Instant instant) {
    return instant == null ? null : instant.atZone(STANDARD_ZONE).toLocalDate();
  }

  public static final ZoneId STANDARD_ZONE = ZoneId.of("Asia/Shanghai");

  /** Rejects the row when the event day lies outside the descriptor's window around the business date. */
  public void checkWindow(String field, LocalDate day, LocalDate businessDate) {
    if (day == null) {
      return;
    }
    LocalDate from = businessDate.minusDays(source.dateWindow().daysBefore());
    LocalDate to = businessDate.plusDays(source.dateWindow().daysAfter());
    if (day.isBefore(from) || day.isAfter(to)) {
      reject(ReasonCode.DATE_OUTSIDE_WINDOW, field + " " + day + " is outside " + from + ".." + to
          + " for business date " + businessDate);
    }
  }

  public void reject(ReasonCode reason, String detail) {
    reasons.add(reason);
    details.add(detail);
  }

  List<ReasonCode> reasons() {
    return List.copyOf(reasons);
  }

  List<String> details() {
    return List.copyOf(details);
  }
}
