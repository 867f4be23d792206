package org.agrifusion.pipelines.source;

import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.TableId;
import org.agrifusion.pipelines.lake.Tables;
import org.agrifusion.pipelines.spark.SerializableHadoopConf;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The inventory of a business date's landed files, so a run works on a snapshot of the landing.
 *
 * <p>Ingest takes it once: every file under {@code landing/<folder>/<date>/} and every file a
 * descriptor's pattern matches, with its size, modification time, SHA-256 and whether it can be
 * read ({@link FileInspection}, one Spark task per file). It is stored with the run at
 * the date's partition of the Iceberg table {@code raw._landed_files} (source ids cannot start with {@code _}), so a step
 * restarted in another process compares against the same snapshot. {@link #changes} lists the
 * files that changed, disappeared or appeared since.
 */
public final class LandedFiles {

  /** The inventory's table in the {@code raw} namespace. */
  public static final String TABLE = "_landed_files";
  /** Compressed copies of matched files are matched too: {@code *.csv} takes {@code a.csv.gz}. */
  public static final String GZIP_SUFFIX = ".gz";

  /** To be read by the descriptor's reader. */
  public static final String READY = "ready";
  /** Nothing but whitespace (or zero bytes): not read, counted as processed with no rows. */
  public static final String EMPTY = "empty";
  /** Never read; {@link LandedFile#reason()} says why. */
  public static final String REJECTED = "rejected";

  /** A folder under landing/ that no descriptor names. */
  public static final String NO_DESCRIPTOR = "NO_DESCRIPTOR";
  /** In the source's date folder but not matched by its {@code landing.pattern}. */
  public static final String NOT_MATCHED = "NOT_MATCHED";
  /** A kind of file the descriptor's format cannot read (an .xls or .zip for a csv feed). */
  public static final String UNSUPPORTED_TYPE = "UNSUPPORTED_TYPE";
  /** A gzip or xlsx (zip) archive that is truncated or corrupt. */
  public static final String CORRUPT_ARCHIVE = "CORRUPT_ARCHIVE";

  static final StructType SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField(RawColumns.SOURCE_ID, DataTypes.StringType, false),
      DataTypes.createStructField("file", DataTypes.StringType, false),
      DataTypes.createStructField("bytes", DataTypes.LongType, false),
      DataTypes.createStructField("modified_ms", DataTypes.LongType, false),
      DataTypes.createStructField("sha256", DataTypes.StringType, false),
      DataTypes.createStructField("status", DataTypes.StringType, true),
      DataTypes.createStructField("reason", DataTypes.StringType, true),
      DataTypes.createStructField("detail", DataTypes.StringType, true)));

  /**
   * One landed file.
   *
   * @param source the descriptor's id, or the landing folder's name when no descriptor names it
   * @param file the file's URI, as raw rows carry it in {@link RawColumns#SOURCE_FILE}
   * @param bytes size as landed (compressed)
   * @param modifiedMs modification time, ms since the epoch
   * @param status {@link #READY}, {@link #EMPTY} or {@link #REJECTED}
   * @param reason why rejected ({@link #NO_DESCRIPTOR}, {@link #NOT_MATCHED}, {@link #UNSUPPORTED_TYPE},
   *     {@link #CORRUPT_ARCHIVE}), else null
   * @param detail the reason in words, naming what was found
   */
  public record LandedFile(String source, String file, long bytes, long modifiedMs, String sha256, String status,
      String reason, String detail) implements Serializable {

    public boolean toRead() {
      return READY.equals(status);
    }

    public String modified() {
      return Instant.ofEpochMilli(modifiedMs).toString();
    }

    Row toRow() {
      return RowFactory.create(source, file, bytes, modifiedMs, sha256, status, reason, detail);
    }

    static LandedFile of(Row r) {
      return new LandedFile(r.getString(0), r.getString(1), r.getLong(2), r.getLong(3), r.getString(4), r.getString(5),
          r.getString(6), r.getString(7));
    }
  }

  /** A file found on the landing, before it is inspected. */
  record Listed(String source, String file, String format, boolean matched) {}

  private LandedFiles() {}

  public static TableId table(Lake lake) {
    return lake.raw(TABLE);
  }

  /**
   * Lists, hashes and checks every landed file of the date, stores the inventory with the run and
   * returns it, sorted by path.
   */
  public static List<LandedFile> take(SparkSession spark, Lake lake, List<SourceDescriptor> sources, LocalDate date) {
    List<LandedFile> files = inspect(spark, list(spark, lake, sources, date), true);
    Tables.replace(spark.createDataFrame(files.stream().map(LandedFile::toRow).toList(), SCHEMA)
        .withColumn(Lake.PARTITION_COLUMN, lit(java.sql.Date.valueOf(date))).coalesce(1), table(lake), date);
    return files;
  }

  /** The inventory ingest stored for the date (empty when it found no files), sorted by path. */
  public static List<LandedFile> stored(SparkSession spark, Lake lake, LocalDate date) {
    return stored(spark, lake, date, null);
  }

  /** The inventory at the run's pinned snapshot ({@code pins} null: the current one). */
  public static List<LandedFile> stored(SparkSession spark, Lake lake, LocalDate date, org.agrifusion.pipelines.lake.Snapshots pins) {
    return Tables.read(spark, table(lake), date.toString(), pins)
        .map(d -> d.selectExpr(SCHEMA.fieldNames()).orderBy("file").collectAsList().stream().map(LandedFile::of).toList())
        .orElse(List.of());
  }

  /**
   * One line per landed file whose size, modification time or SHA-256 differs from the stored
   * inventory, or that disappeared or appeared since it was taken; empty when the landing is
   * still the snapshot the run read. Hashes every file again (one Spark task per file).
   */
  public static List<String> changes(SparkSession spark, Lake lake, List<SourceDescriptor> sources, LocalDate date) {
    Map<String, LandedFile> before = byFile(stored(spark, lake, date));
    Map<String, LandedFile> now = byFile(inspect(spark, list(spark, lake, sources, date), false));
    List<String> changes = new ArrayList<>();
    for (LandedFile was : before.values()) {
      LandedFile is = now.get(was.file());
      String name = name(lake, was.file());
      if (is == null) {
        changes.add("landed file " + name + " disappeared during the run");
        continue;
      }
      List<String> diff = new ArrayList<>();
      if (is.bytes() != was.bytes()) {
        diff.add("size " + was.bytes() + " -> " + is.bytes());
      }
      if (is.modifiedMs() != was.modifiedMs()) {
        diff.add("modified " + was.modified() + " -> " + is.modified());
      }
      if (!is.sha256().equals(was.sha256())) {
        diff.add("SHA-256 " + was.sha256().substring(0, 12) + "… -> " + is.sha256().substring(0, 12) + "…");
      }
      if (!diff.isEmpty()) {
        changes.add("landed file " + name + " changed during the run (" + String.join(", ", diff) + ")");
      }
    }
    now.keySet().stream().filter(f -> !before.containsKey(f))
        .forEach(f -> changes.add("landed file " + name(lake, f) + " appeared during the run"));
    return changes;
  }

  /** The failure of a date whose landing changed: the changes and what to do, in one line. */
  public static String changedMessage(List<String> changes, LocalDate date) {
    return String.join("; ", changes) + "; the next run of " + date + " reads it again from ingest (agri run --date " + date + ")";
  }

  /** A landed file's path under the lake root, as people name it. */
  public static String name(Lake lake, String file) {
    return file.startsWith(lake.root() + "/") ? file.substring(lake.root().length() + 1) : file;
  }

  /**
   * The files a descriptor's pattern matches for the date, and their {@value #GZIP_SUFFIX}
   * copies, sorted by path.
   */
  static Set<String> matching(Configuration conf, Lake lake, SourceDescriptor source, LocalDate date) {
    String glob = lake.landing(source.id()) + "/" + source.landing().pattern().replace("{date}", date.toString());
    Set<String> files = new TreeSet<>(glob(conf, glob));
    files.addAll(glob(conf, glob + GZIP_SUFFIX));
    return files;
  }

  /**
   * Every file of the date: each source's matched files and whatever else lies in its date folder,
   * and the date folders of landing folders no descriptor names.
   */
  static List<Listed> list(SparkSession spark, Lake lake, List<SourceDescriptor> sources, LocalDate date) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Map<String, Listed> files = new TreeMap<>();
    Set<String> ids = new HashSet<>();
    for (SourceDescriptor source : sources) {
      ids.add(source.id());
      String format = source.format().type();
      for (String file : filesUnder(conf, lake.landing(source.id()) + "/" + date)) {
        files.put(file, new Listed(source.id(), file, format, false));
      }
      for (String file : matching(conf, lake, source, date)) {
        files.put(file, new Listed(source.id(), file, format, true));
      }
    }
    Path landing = new Path(lake.root() + "/landing");
    try {
      FileSystem fs = landing.getFileSystem(conf);
      if (fs.exists(landing)) {
        for (FileStatus folder : fs.listStatus(landing)) {
          String name = folder.getPath().getName();
          if (folder.isDirectory() && !ids.contains(name)) {
            filesUnder(conf, folder.getPath() + "/" + date).forEach(f -> files.putIfAbsent(f, new Listed(name, f, null, false)));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + landing, e);
    }
    return new ArrayList<>(files.values());
  }

  private static List<LandedFile> inspect(SparkSession spark, List<Listed> listed, boolean verify) {
    if (listed.isEmpty()) {
      return List.of();
    }
    List<Row> rows = listed.stream().map(l -> RowFactory.create(l.source(), l.file(), l.format(), l.matched())).toList();
    StructType in = DataTypes.createStructType(List.of(
        DataTypes.createStructField("source", DataTypes.StringType, false),
        DataTypes.createStructField("file", DataTypes.StringType, false),
        DataTypes.createStructField("format", DataTypes.StringType, true),
        DataTypes.createStructField("matched", DataTypes.BooleanType, false)));
    spark.sparkContext().setJobDescription((verify ? "inventory of " : "check of ") + listed.size() + " landed files");
    FileInspection inspection = new FileInspection(new SerializableHadoopConf(spark.sparkContext().hadoopConfiguration()),
        verify);
    return spark.createDataFrame(rows, in)
        .repartition(listed.size())
        .map(inspection, Encoders.row(SCHEMA))
        .collectAsList().stream()
        .map(LandedFile::of)
        .sorted(java.util.Comparator.comparing(LandedFile::file))
        .toList();
  }

  private static Map<String, LandedFile> byFile(List<LandedFile> files) {
    Map<String, LandedFile> map = new LinkedHashMap<>();
    files.forEach(f -> map.put(f.file(), f));
    return map;
  }

  private static List<String> glob(Configuration conf, String glob) {
    Path pattern = new Path(glob);
    try {
      FileStatus[] matches = pattern.getFileSystem(conf).globStatus(pattern);
      List<String> files = new ArrayList<>();
      if (matches != null) {
        for (FileStatus s : matches) {
          if (s.isFile()) {
            files.add(s.getPath().toString());
          }
        }
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list landing files " + glob, e);
    }
  }

  private static List<String> filesUnder(Configuration conf, String folder) {
    Path path = new Path(folder);
    try {
      FileSystem fs = path.getFileSystem(conf);
      List<String> files = new ArrayList<>();
      if (fs.exists(path)) {
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(path, true);
        while (it.hasNext()) {
          files.add(it.next().getPath().toString());
        }
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
  }
}
