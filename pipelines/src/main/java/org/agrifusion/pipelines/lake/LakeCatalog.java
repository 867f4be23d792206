package org.agrifusion.pipelines.lake;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.SparkSession;

/**
 * The Iceberg catalog that holds the lake's tables, registered in Spark under {@link #name()}.
 *
 * <ul>
 *   <li>{@code jdbc}: the catalog's pointers live in a database (the job repository's H2 file by
 *       default, PostgreSQL in production); a commit is one conditional UPDATE, atomic on any
 *       storage, including S3-compatible object stores.
 *   <li>{@code hadoop}: the pointers are files in the warehouse; a commit is a file rename, atomic
 *       on a local disk and HDFS only. Never use it on s3a: (docs/lake.md, "Catalogs").
 * </ul>
 *
 * @param name the Spark catalog name tables are addressed by ({@code agri.curated.sale})
 * @param type {@code jdbc} or {@code hadoop}
 * @param uri the JDBC URL ({@code jdbc} only)
 * @param warehouse the Hadoop URI under which table folders are created
 */
public record LakeCatalog(String name, String type, String uri, String username, String password, String warehouse)
    implements Serializable {

  public static final String JDBC = "jdbc";
  public static final String HADOOP = "hadoop";

  public LakeCatalog {
    Objects.requireNonNull(name, "catalog name");
    Objects.requireNonNull(warehouse, "warehouse");
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("catalog name '" + name + "' must be lower-case letters, digits and _");
    }
    if (JDBC.equals(type)) {
      if (uri == null || uri.isBlank()) {
        throw new IllegalArgumentException("a jdbc lake catalog needs a JDBC URL");
      }
    } else if (!HADOOP.equals(type)) {
      throw new IllegalArgumentException("lake catalog type '" + type + "' is neither jdbc nor hadoop");
    }
    warehouse = Lake.absolute(warehouse);
  }

  public static LakeCatalog hadoop(String name, String warehouse) {
    return new LakeCatalog(name, HADOOP, null, null, null, warehouse);
  }

  /** The Spark settings that register the catalog. */
  public Map<String, String> sparkConf() {
    String prefix = "spark.sql.catalog." + name;
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put(prefix, "org.apache.iceberg.spark.SparkCatalog");
    icebergProperties().forEach((k, v) -> conf.put(prefix + "." + k, v));
    return conf;
  }

  /**
   * Iceberg's catalog properties ({@code CatalogUtil.buildIcebergCatalog}): what Spark is given, and
   * what a reader without Spark (the portal's charts) builds the same catalog from.
   */
  public Map<String, String> icebergProperties() {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("type", type);
    conf.put("warehouse", warehouse);
    if (JDBC.equals(type)) {
      conf.put("uri", uri);
      conf.put("jdbc.user", username == null ? "" : username);
      conf.put("jdbc.password", password == null ? "" : password);
      // Iceberg creates its two tables (iceberg_tables, iceberg_namespace_properties) on first use; the
      // catalog user needs CREATE. Schema V0 (no views): V1's upgrade check looks for a lower-case column
      // and re-adds it on H2, which folds names to upper case, so every second start would fail.
    }
    return conf;
  }

  /** Registers the catalog in the session; Spark instantiates it on first use. */
  public void register(SparkSession spark) {
    sparkConf().forEach((k, v) -> spark.conf().set(k, v));
  }

  /** Without the password. */
  @Override
  public String toString() {
    return name + " (" + type + (uri == null ? "" : " " + uri) + ", warehouse " + warehouse + ")";
  }
}
