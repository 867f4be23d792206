package org.agrifusion.pipelines.lake;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.agrifusion.pipelines.source.RecordKind;

/**
 * The published tables: what index families (conf/es/families.yml), extracts (conf/extracts) and
 * the run report name, by {@link #qualifiedName()} such as {@code curated.sale}. The internal
 * tables (raw, staging, quarantine, superseded) are named by {@link Lake}.
 */
public enum LakeTable {
  PRICE_OBSERVATION(Lake.CURATED, RecordKind.PRICE.dataset()),
  SALE(Lake.CURATED, RecordKind.SALE.dataset()),
  SHIPMENT(Lake.CURATED, RecordKind.SHIPMENT.dataset()),
  ORIGIN_ENTITY(Lake.CURATED, RecordKind.ORIGIN.dataset()),
  PARCEL(Lake.CURATED, "parcel"),
  ORDER_FULFILMENT(Lake.CURATED, "order_fulfilment"),
  PRICE_DAILY(Lake.MARTS, "price_daily"),
  FLOW_DAILY(Lake.MARTS, "flow_daily"),
  DELIVERY_DAILY(Lake.MARTS, "delivery_daily"),
  SPREAD_DAILY(Lake.MARTS, "spread_daily"),
  /** Up-bound agricultural parcels per county and day: what {@link #UPBOUND_MONTHLY} is summed from. */
  UPBOUND_DAILY(Lake.MARTS, "upbound_daily"),
  UPBOUND_MONTHLY(Lake.MARTS, "upbound_monthly", Lake.MONTH_COLUMN);

  private final String namespace;
  private final String table;
  private final String partitionColumn;

  LakeTable(String namespace, String table) {
    this(namespace, table, Lake.PARTITION_COLUMN);
  }

  LakeTable(String namespace, String table, String partitionColumn) {
    this.namespace = namespace;
    this.table = table;
    this.partitionColumn = partitionColumn;
  }

  /** {@code curated.sale}, {@code marts.price_daily}. */
  public String qualifiedName() {
    return namespace + "." + table;
  }

  public String table() {
    return table;
  }

  public boolean mart() {
    return Lake.MARTS.equals(namespace);
  }

  /** Partitioned by month ({@link Lake#MONTH_COLUMN}) rather than by business date. */
  public boolean monthly() {
    return Lake.MONTH_COLUMN.equals(partitionColumn);
  }

  public String partitionColumn() {
    return partitionColumn;
  }

  /** The partition a business date falls in: the date, or its month. */
  public String partitionValue(java.time.LocalDate date) {
    return monthly() ? date.toString().substring(0, 7) : date.toString();
  }

  public TableId in(String catalog) {
    return new TableId(catalog, namespace, table, partitionColumn);
  }

  /** The curated table of a record kind. */
  public static LakeTable of(RecordKind kind) {
    return named(Lake.CURATED + "." + kind.dataset());
  }

  /** By qualified name ({@code curated.sale}). */
  public static LakeTable named(String qualifiedName) {
    return Arrays.stream(values()).filter(t -> t.qualifiedName().equals(qualifiedName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no lake table '" + qualifiedName + "'; known: "
            + Arrays.stream(values()).map(LakeTable::qualifiedName).collect(Collectors.joining(", "))));
  }
}
