package org.agrifusion.pipelines.sink.extract;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_entries;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.agrifusion.pipelines.reference.ProductCatalog;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.reference.Region;
import org.agrifusion.pipelines.reference.RegionCatalog;
import org.agrifusion.pipelines.spark.Exact;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;

/**
 * Turns an extract definition and its source rows into the extract's rows: filtered, shaped, sorted.
 * The order is total (the definition's sort keys, then every output column), so rows come out in the
 * same order however the source is partitioned, and the files written from them are reproducible.
 */
public final class ExtractQuery {

  /** The SQL functions extracts use to name a GB/T 2260 code and a product catalogue code. */
  public static final String REGION_NAME = "region_name";
  public static final String PRODUCT_NAME = "product_name";

  private ExtractQuery() {}

  public static Dataset<Row> rows(ExtractSpec spec, Dataset<Row> source, ReferenceData reference) {
    RegionCatalog regions = reference.regions();
    ProductCatalog products = reference.products();
    source.sparkSession().udf().register(REGION_NAME,
        (UDF1<String, String>) code -> code == null ? null : regions.byCode(code).map(Region::name).orElse(null),
        DataTypes.StringType);
    source.sparkSession().udf().register(PRODUCT_NAME,
        (UDF1<String, String>) code -> products.name(code).orElse(null), DataTypes.StringType);
    Dataset<Row> filtered = source;
    for (ExtractSpec.Condition c : ExtractSpecs.list(spec.filter())) {
      if (!source.schema().getFieldIndex(c.column()).isDefined()) {
        throw new IllegalArgumentException("extract " + spec.id() + ": filter column " + c.column() + " is not in "
            + spec.dataset() + " " + java.util.List.of(source.schema().fieldNames()));
      }
      filtered = filtered.where(condition(filtered, c));
    }
    String view = "extract_" + spec.id().replace('-', '_');
    // measures as exact decimals, so a sum or mean does not depend on the order rows arrive in
    Exact.decimals(filtered).createOrReplaceTempView(view);
    // Each fragment was checked alone (ExtractSpecs); parentheses keep it alone in the statement, so a
    // trailing comment or clause cannot reach the text around it.
    String select = spec.columns().stream()
        .map(c -> "(" + c.expression() + ") AS `" + c.name() + "`")
        .collect(Collectors.joining(", "));
    List<String> groupBy = ExtractSpecs.list(spec.groupBy()).stream().map(g -> "(" + g + ")").toList();
    String sql = "SELECT " + select + " FROM " + view + (groupBy.isEmpty() ? "" : " GROUP BY " + String.join(", ", groupBy));
    Dataset<Row> shaped;
    try {
      shaped = Exact.doubles(source.sparkSession().sql(sql));
    } catch (Exception e) { // an AnalysisException, which Scala does not declare
      throw new IllegalArgumentException("extract " + spec.id() + " cannot be computed from " + spec.dataset() + ": "
          + e.getMessage().lines().findFirst().orElse(""), e);
    }
    List<Column> order = new ArrayList<>();
    for (String key : ExtractSpecs.list(spec.sort())) {
      Column column = col(ExtractSpecs.sortColumn(key));
      order.add(ExtractSpecs.descending(key) ? column.desc_nulls_last() : column.asc_nulls_last());
    }
    for (StructField field : shaped.schema().fields()) {
      order.add(orderable(field).asc_nulls_last());
    }
    return shaped.orderBy(order.toArray(Column[]::new));
  }

  /** A column as Spark can order it: a map (not orderable) by its entries sorted, as the files show it. */
  private static Column orderable(StructField field) {
    Column column = col("`" + field.name() + "`");
    return field.dataType() instanceof MapType ? array_sort(map_entries(column)) : column;
  }

  /**
   * A condition on a column; on an array column it holds when any element satisfies it. Values are
   * written as text in YAML and compared as the column's type.
   */
  private static Column condition(Dataset<Row> rows, ExtractSpec.Condition c) {
    DataType type = rows.schema().apply(c.column()).dataType();
    boolean array = type instanceof ArrayType;
    DataType valueType = array ? ((ArrayType) type).elementType() : type;
    UnaryOperator<Column> test;
    if (c.prefix() != null) {
      test = v -> v.cast(DataTypes.StringType).startsWith(c.prefix());
    } else if (c.equals() != null) {
      test = v -> v.equalTo(lit(c.equals()).cast(valueType));
    } else {
      test = v -> v.isin(c.in().stream().map(value -> lit(value).cast(valueType)).toArray());
    }
    return array ? exists(col(c.column()), test::apply) : test.apply(col(c.column()));
  }
}
