package org.agrifusion.pipelines.lake;

import java.io.Serializable;

/**
 * One Iceberg table of the lake: {@code <catalog>.<namespace>.<name>}, partitioned by one column
 * (business_date, or business_month for monthly marts).
 */
public record TableId(String catalog, String namespace, String name, String partitionColumn) implements Serializable {

  /** {@code catalog.namespace.name}, as Spark SQL addresses it. */
  public String identifier() {
    return catalog + "." + namespace + "." + name;
  }

  /** {@code namespace.name}, as the Iceberg catalog and outside readers name it. */
  public String qualifiedName() {
    return namespace + "." + name;
  }

  @Override
  public String toString() {
    return identifier();
  }
}
