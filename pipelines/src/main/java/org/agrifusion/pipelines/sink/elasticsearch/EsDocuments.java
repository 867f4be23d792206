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
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;

/**
 * Turns the rows of a published table into the documents of its index family: a deterministic
 * document id, the region hierarchy of each region code (so "everything in 运城" is one term on
 * {@code <name>_city_code}), maps as key/value lists (the node's core mappings have no map type),
 * and the id of the load that wrote them.
 */
public final class EsDocuments {

  /** The document id, also kept as a field so search_after can page on it (_id has no doc values). */
  public static final String ID = "doc_id";
  public static final String LOAD_ID = "load_id";

  private EsDocuments() {}

  /**
   * @param idColumns one column holding an id already (record_id), or the grain of a mart, hashed
   * @param regionColumns six-digit region code columns named {@code <name>_code}
   */
  public static Dataset<Row> of(Dataset<Row> rows, List<String> idColumns, List<String> regionColumns, String loadId) {
    Column id = idColumns.size() == 1 ? col(idColumns.get(0)).cast("string")
        : sha2(concat_ws("\u001f", idColumns.stream().map(c -> coalesce(col(c).cast("string"), lit(""))).toArray(Column[]::new)), 256);
    Dataset<Row> docs = rows.withColumn(ID, id).withColumn(LOAD_ID, lit(loadId));
    for (String region : regionColumns) {
      String base = region.endsWith("_code") ? region.substring(0, region.length() - 5) : region;
      Column code = col(region);
      docs = docs
          .withColumn(base + "_province_code", when(code.isNotNull(), concat(substring(code, 1, 2), lit("0000"))))
          .withColumn(base + "_city_code", when(code.isNotNull(), concat(substring(code, 1, 4), lit("00"))));
    }
    for (StructField field : rows.schema().fields()) {
      if (field.dataType() instanceof MapType) {
        docs = docs.withColumn(field.name(), map_entries(col(field.name())));
      }
    }
    return docs;
  }
}
