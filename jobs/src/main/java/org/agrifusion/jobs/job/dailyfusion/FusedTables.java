package org.agrifusion.jobs.job.dailyfusion;

import java.util.List;
import org.agrifusion.pipelines.fuse.Marts;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.source.RecordKind;

/** The tables the fuse step stages and the publish step commits, with where each is published. */
enum FusedTables {
  PRICE_OBSERVATION(RecordKind.PRICE.dataset(), false, Lake.PARTITION_COLUMN),
  SALE(RecordKind.SALE.dataset(), false, Lake.PARTITION_COLUMN),
  SHIPMENT(RecordKind.SHIPMENT.dataset(), false, Lake.PARTITION_COLUMN),
  ORIGIN_ENTITY(RecordKind.ORIGIN.dataset(), false, Lake.PARTITION_COLUMN),
  PARCEL("parcel", false, Lake.PARTITION_COLUMN),
  ORDER_FULFILMENT("order_fulfilment", false, Lake.PARTITION_COLUMN),
  PRICE_DAILY("price_daily", true, Lake.PARTITION_COLUMN),
  FLOW_DAILY("flow_daily", true, Lake.PARTITION_COLUMN),
  DELIVERY_DAILY("delivery_daily", true, Lake.PARTITION_COLUMN),
  SPREAD_DAILY("spread_daily", true, Lake.PARTITION_COLUMN),
  UPBOUND_MONTHLY("upbound_monthly", true, Marts.MONTH);

  final String table;
  final boolean mart;
  final String partitionColumn;

  FusedTables(String table, boolean mart, String partitionColumn) {
    this.table = table;
    this.mart = mart;
    this.partitionColumn = partitionColumn;
  }

  static FusedTables named(String table) {
    return List.of(values()).stream().filter(t -> t.table.equals(table)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no lake table " + table));
  }

  /** The tables extracts may read, each with whether it is kept per month. */
  static java.util.Map<String, Boolean> extractable() {
    java.util.Map<String, Boolean> tables = new java.util.TreeMap<>();
    List.of(values()).forEach(t -> tables.put(t.table, t.monthly()));
    return tables;
  }

  boolean monthly() {
    return partitionColumn.equals(Marts.MONTH);
  }

  static FusedTables of(RecordKind kind) {
    return List.of(values()).stream().filter(t -> t.table.equals(kind.dataset())).findFirst().orElseThrow();
  }

  String published(Lake lake) {
    return mart ? lake.mart(table) : lake.curated(table);
  }

  String staged(Lake lake) {
    return lake.fusedStaging(table);
  }

  /** The partition value for a business date: the date, or its month for monthly marts. */
  String partitionValue(java.time.LocalDate date) {
    return monthly() ? date.toString().substring(0, 7) : date.toString();
  }
}
