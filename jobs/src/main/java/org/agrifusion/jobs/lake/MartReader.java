package org.agrifusion.jobs.lake;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.agrifusion.jobs.config.AgriProperties;
import org.agrifusion.jobs.lake.Publications.Publication;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.LakeTable;
import org.agrifusion.pipelines.lake.TableId;
import org.agrifusion.pipelines.spark.SparkSessions;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;
import org.springframework.stereotype.Component;

/**
 * Small reads of the marts without Spark, for the portal: Iceberg's generic reader on the lake's
 * catalog, at the snapshots of the latest publication (docs/lake.md section 5), so a chart never shows a
 * date half-rewritten by a running job. The filter prunes partitions and is applied to every row; a
 * read stops with a usage error past a row limit, since a chart needs a few thousand rows at most.
 */
@Component
public class MartReader {

  private final Lake lake;
  private final AgriProperties properties;
  private final Publications publications;
  private volatile Catalog catalog;

  public MartReader(Lake lake, AgriProperties properties, Publications publications) {
    this.lake = lake;
    this.properties = properties;
    this.publications = publications;
  }

  /** The latest publication: what the charts read; empty before the first run published. */
  public Optional<Publication> published() {
    return publications.latest();
  }

  /**
   * Calls {@code row} with every row of the mart at the publication that matches the filter, with the
   * given columns (those the table's schema has: a snapshot older than a column lacks it).
   *
   * @throws IllegalArgumentException when more than {@code maxRows} rows match
   */
  public void scan(Publication at, LakeTable mart, Expression filter, List<String> columns, long maxRows, Consumer<Record> row) {
    TableId id = lake.table(mart);
    Optional<Long> snapshot = at.snapshots().of(id);
    if (snapshot.isEmpty()) {
      return;
    }
    Table table;
    try {
      table = catalog().loadTable(TableIdentifier.of(id.namespace(), id.name()));
    } catch (NoSuchTableException e) {
      return;
    }
    if (table.snapshot(snapshot.get()) == null) {
      throw new IllegalStateException("snapshot " + snapshot.get() + " of " + id.qualifiedName()
          + " no longer exists: lake maintenance expired it; publish the date anew to read it again");
    }
    List<String> present = columns.stream().filter(c -> table.schema().findField(c) != null).toList();
    long rows = 0;
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).useSnapshot(snapshot.get()).where(filter)
        .select(present).build()) {
      for (Record r : records) {
        if (++rows > maxRows) {
          throw new IllegalArgumentException("more than " + maxRows + " rows of " + id.qualifiedName()
              + " match: choose a shorter period or a smaller region");
        }
        row.accept(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + id.qualifiedName(), e);
    }
  }

  /** The JDBC catalog keeps a connection pool. */
  @PreDestroy
  void close() throws IOException {
    if (catalog instanceof java.io.Closeable closeable) {
      closeable.close();
    }
  }

  /** Built on first use, so commands that never chart open no catalog connection. */
  private Catalog catalog() {
    Catalog c = catalog;
    if (c == null) {
      synchronized (this) {
        if (catalog == null) {
          catalog = CatalogUtil.buildIcebergCatalog(lake.catalog().name(), lake.catalog().icebergProperties(),
              SparkSessions.hadoopConfiguration(properties.spark().conf()));
        }
        c = catalog;
      }
    }
    return c;
  }
}
