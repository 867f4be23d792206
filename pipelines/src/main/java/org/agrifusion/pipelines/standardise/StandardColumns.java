package org.agrifusion.pipelines.standardise;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/** Builds the ordered column list of a canonical record, all columns nullable. */
final class StandardColumns {

  private final List<StructField> fields = new ArrayList<>();

  StandardColumns text(String... names) {
    return add(DataTypes.StringType, names);
  }

  StandardColumns date(String... names) {
    return add(DataTypes.DateType, names);
  }

  StandardColumns timestamp(String... names) {
    return add(DataTypes.TimestampType, names);
  }

  StandardColumns number(String... names) {
    return add(DataTypes.DoubleType, names);
  }

  StandardColumns flag(String... names) {
    return add(DataTypes.BooleanType, names);
  }

  StandardColumns texts(String... names) {
    return add(DataTypes.createArrayType(DataTypes.StringType, false), names);
  }

  private StandardColumns add(DataType type, String... names) {
    for (String name : names) {
      fields.add(DataTypes.createStructField(name, type, true));
    }
    return this;
  }

  List<StructField> build() {
    return List.copyOf(fields);
  }
}
