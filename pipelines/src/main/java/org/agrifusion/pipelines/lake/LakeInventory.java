package org.agrifusion.pipelines.lake;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.spark.source.HasIcebergCatalog;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.CatalogPlugin;
import org.apache.spark.sql.connector.catalog.SupportsNamespaces;

/**
 * Every Iceberg table of the lake, found in its catalog (not from a list in code, so a table a
 * feed added yesterday is included), with what its current snapshot holds. Reads metadata only.
 */
public final class LakeInventory {

  /** The namespaces the lake keeps tables in, in pipeline order; other namespaces of a shared catalog are not the lake's. */
  public static final List<String> NAMESPACES =
      List.of(Lake.RAW, Lake.STAGING, Lake.QUARANTINE, Lake.SUPERSEDED, Lake.CURATED, Lake.MARTS);

  /**
   * One table at its current snapshot, figures from the snapshot summary.
   *
   * @param snapshotId the current snapshot, null when the table was created but never written
   * @param committedAt when the current snapshot was committed, null with no snapshot
   * @param records rows in the data files (rows removed by delete files are still counted)
   * @param dataFiles data files of the current snapshot
   * @param bytes their total size
   */
  public record TableState(TableId table, Long snapshotId, Instant committedAt, long records, long dataFiles, long bytes) {}

  private LakeInventory() {}

  /** The lake's tables, by namespace ({@link #NAMESPACES} order) and name. */
  public static List<TableId> tables(SparkSession spark, Lake lake) {
    Catalog catalog = icebergCatalog(spark, lake);
    SupportsNamespaces namespaces = (SupportsNamespaces) sparkCatalog(spark, lake);
    List<TableId> tables = new ArrayList<>();
    for (String namespace : NAMESPACES) {
      if (!namespaces.namespaceExists(new String[] {namespace})) {
        continue;
      }
      catalog.listTables(Namespace.of(namespace)).stream().sorted(Comparator.comparing(TableIdentifier::name)).forEach(id -> tables.add(
          new TableId(lake.catalog().name(), namespace, id.name(), partitionColumn(catalog.loadTable(id)))));
    }
    return tables;
  }

  /** Every table of the lake with its current snapshot's figures. */
  public static List<TableState> list(SparkSession spark, Lake lake) {
    return tables(spark, lake).stream().map(t -> state(t, load(spark, lake, t))).toList();
  }

  static TableState state(TableId id, Table table) {
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      return new TableState(id, null, null, 0, 0, 0);
    }
    Map<String, String> summary = current.summary();
    return new TableState(id, current.snapshotId(), Instant.ofEpochMilli(current.timestampMillis()),
        total(summary, "total-records"), total(summary, "total-data-files"), total(summary, "total-files-size"));
  }

  /** The Iceberg table, refreshed, through the lake's catalog. */
  static Table load(SparkSession spark, Lake lake, TableId table) {
    Table t = icebergCatalog(spark, lake).loadTable(TableIdentifier.of(table.namespace(), table.name()));
    t.refresh();
    return t;
  }

  private static long total(Map<String, String> summary, String key) {
    String value = summary.get(key);
    return value == null ? 0 : Long.parseLong(value);
  }

  /** The column of the table's identity partition (business_date, business_month), null when it has none. */
  private static String partitionColumn(Table table) {
    return table.spec().fields().stream().filter(f -> f.transform().isIdentity()).findFirst()
        .map(PartitionField::sourceId).map(table.schema()::findColumnName).orElse(null);
  }

  private static Catalog icebergCatalog(SparkSession spark, Lake lake) {
    return ((HasIcebergCatalog) sparkCatalog(spark, lake)).icebergCatalog();
  }

  private static CatalogPlugin sparkCatalog(SparkSession spark, Lake lake) {
    lake.register(spark);
    return spark.sessionState().catalogManager().catalog(lake.catalog().name());
  }
}
