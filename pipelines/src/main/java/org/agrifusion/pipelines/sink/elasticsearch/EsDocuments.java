package org.agrifusion.pipelines.sink.elasticsearch;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_entries;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.agrifusion.pipelines.standardise.Standardiser;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;

/**
 * Turns the rows of a published table into the documents of its index family: a deterministic
 * document id, the region hierarchy of each region code (so "everything in 运城" is one term on
 * {@code <name>_city_code}), maps as key/value lists (the node's core mappings have no map type),
 * every market's market_key, and the id of the load that wrote them. Columns only the lake needs are left out.
 */
public final class EsDocuments {

  /**
   * The hashed grain of a family whose id is several columns, kept as a field so search_after can
   * page on it (_id has no doc values). A family whose id is one column pages on that column.
   */
  public static final String HASHED_ID = "doc_id";
  public static final String LOAD_ID = "load_id";
  /** Lake-only columns: the version hash serves de-duplication in the lake, no search. */
  private static final List<String> NOT_INDEXED = List.of(Standardiser.CONTENT_HASH);
  private static final String MARKET_CODE = "market_code";
  private static final String MARKET_KEY = "market_key";

  private EsDocuments() {}

  /** The field that holds a document's id (its {@code _id} too): the id column itself, or the hashed grain. */
  public static String idField(List<String> idColumns) {
    return idColumns.size() == 1 ? idColumns.get(0) : HASHED_ID;
  }

  /**
   * @param idColumns one column holding an id already (record_id), or the grain of a mart, hashed; a grain
   *     column the rows lack (a snapshot written before the column existed) counts as empty, like a null
   * @param regionColumns six-digit region code columns named {@code <name>_code}
   */
  public static Dataset<Row> of(Dataset<Row> rows, List<String> idColumns, List<String> regionColumns, String loadId) {
    Dataset<Row> docs = rows.drop(NOT_INDEXED.toArray(String[]::new)).withColumn(LOAD_ID, lit(loadId));
    List<String> columns = List.of(rows.columns());
    if (columns.contains(MARKET_CODE)) {
      // rows curated before market_key existed: their market was the market code (as in the price_daily mart),
      // so the market facet, on market_key, counts them too
      docs = docs.withColumn(MARKET_KEY, columns.contains(MARKET_KEY) ? coalesce(col(MARKET_KEY), col(MARKET_CODE)) : col(MARKET_CODE));
    }
    if (idColumns.size() > 1) {
      docs = docs.withColumn(HASHED_ID, sha2(concat_ws("\u001f", idColumns.stream()
          .map(c -> columns.contains(c) ? coalesce(col(c).cast("string"), lit("")) : lit("")).toArray(Column[]::new)), 256));
    }
    for (String region : regionColumns) {
      Column code = col(region);
      docs = docs
          .withColumn(levelField(region, "province"), when(code.isNotNull(), concat(substring(code, 1, 2), lit("0000"))))
          .withColumn(levelField(region, "city"), when(code.isNotNull(), concat(substring(code, 1, 4), lit("00"))));
    }
    for (StructField field : rows.schema().fields()) {
      if (field.dataType() instanceof MapType) {
        docs = docs.withColumn(field.name(), map_entries(col(field.name())));
      }
    }
    return docs;
  }

  /** The field holding a region column's province or city code: market_region_code -> market_region_city_code. */
  public static String levelField(String region, String level) {
    String base = region.endsWith("_code") ? region.substring(0, region.length() - 5) : region;
    return base + "_" + level + "_code";
  }
}
