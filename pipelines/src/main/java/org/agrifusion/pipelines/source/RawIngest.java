package org.agrifusion.pipelines.source;

import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.spark.SerializableHadoopConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Ingest stage: the landed files of one source and business date, as raw rows with lineage. */
public final class RawIngest {

  private RawIngest() {}

  /**
   * The files the descriptor's pattern matches for the date, and their gzip copies ({@code *.csv}
   * takes {@code a.csv.gz}), sorted by path so line lineage is stable across runs. The nightly job
   * reads the {@link LandedFiles} inventory instead, which also checks and rejects files.
   */
  public static List<String> landedFiles(SparkSession spark, Lake lake, SourceDescriptor source, LocalDate date) {
    return new ArrayList<>(LandedFiles.matching(spark.sparkContext().hadoopConfiguration(), lake, source, date));
  }

  /**
   * Reads the files (one Spark task per file) into the source's raw schema.
   *
   * @param personalDataKey key of the hash applied to the feed's personal-data columns
   */
  public static Dataset<Row> read(SparkSession spark, SourceDescriptor source, List<String> files, String runId,
      LocalDate date, byte[] personalDataKey) {
    StructType parsed = parsedSchema(source);
    SerializableHadoopConf conf = new SerializableHadoopConf(spark.sparkContext().hadoopConfiguration());
    LandedFileReader reader = LandedFileReader.forFormat(source, conf, new PersonalDataGuard(source, personalDataKey));
    return spark.createDataset(files, Encoders.STRING())
        .repartition(Math.max(1, files.size()))
        .flatMap(reader, Encoders.row(parsed))
        .withColumn(RawColumns.SOURCE_ID, lit(source.id()))
        .withColumn(RawColumns.RUN_ID, lit(runId))
        .withColumn(Lake.PARTITION_COLUMN, lit(java.sql.Date.valueOf(date)));
  }

  static StructType parsedSchema(SourceDescriptor source) {
    List<StructField> fields = new ArrayList<>();
    for (String column : source.columns()) {
      fields.add(DataTypes.createStructField(column, DataTypes.StringType, true));
    }
    fields.add(DataTypes.createStructField(RawColumns.SOURCE_FILE, DataTypes.StringType, false));
    fields.add(DataTypes.createStructField(RawColumns.SOURCE_ROW, DataTypes.LongType, false));
    fields.add(DataTypes.createStructField(RawColumns.PARSE_ERROR, DataTypes.StringType, true));
    fields.add(DataTypes.createStructField(RawColumns.RAW_LINE, DataTypes.StringType, true));
    return DataTypes.createStructType(fields);
  }
}
