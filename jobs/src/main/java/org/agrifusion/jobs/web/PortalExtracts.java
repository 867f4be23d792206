package org.agrifusion.jobs.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.agrifusion.jobs.config.AgriProperties;
import org.agrifusion.jobs.job.dailyfusion.DepartmentExtracts;
import org.agrifusion.pipelines.sink.extract.ExtractSpec;
import org.agrifusion.pipelines.sink.extract.ExtractWriter;
import org.agrifusion.pipelines.spark.SparkSessions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/**
 * The delivered extracts as the portal shows them: per extract of conf/extracts, its issued periods
 * (the folders under its destination that hold a manifest.json), read through Hadoop's file system
 * (the data root may be hdfs: or s3a:) without Spark. A file is only ever found by name in its
 * period's manifest, so no request path reaches the file system.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class PortalExtracts {

  /** A period folder's name: a day (yyyy-MM-dd) or a month (yyyy-MM). */
  private static final Pattern PERIOD = Pattern.compile("\\d{4}-\\d{2}(-\\d{2})?");

  public record Issued(String period, ExtractWriter.Manifest manifest) {}

  public record Delivered(ExtractSpec spec, String department, List<Issued> periods) {}

  /** A file of an issued period: what to stream and under which name. */
  public record DeliveredFile(Path path, String name, long bytes, Optional<String> sha256) {}

  private final List<ExtractSpec> specs;
  private final DepartmentExtracts extracts;
  private final Configuration hadoop;

  PortalExtracts(List<ExtractSpec> specs, DepartmentExtracts extracts, AgriProperties properties) {
    this.specs = specs;
    this.extracts = extracts;
    this.hadoop = SparkSessions.hadoopConfiguration(properties.spark().conf());
  }

  /** The extracts of the departments whose roles the user holds, each with its issued periods, newest first. */
  public List<Delivered> visibleTo(Set<String> departments) {
    return specs.stream()
        .filter(s -> departments.contains(Departments.role(s.destination())))
        .sorted(Comparator.comparing(ExtractSpec::id))
        .map(s -> new Delivered(s, Departments.role(s.destination()), issued(s)))
        .toList();
  }

  /**
   * The file of a period of an extract, for a user of these departments: 404 for an extract, period
   * or file that does not exist (or is no extract file), 403 for another department's extract.
   */
  public DeliveredFile file(String id, String period, String name, Set<String> departments) {
    ExtractSpec spec = specs.stream().filter(s -> s.id().equals(id)).findFirst()
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no such extract"));
    if (!departments.contains(Departments.role(spec.destination()))) {
      throw new ResponseStatusException(HttpStatus.FORBIDDEN, "this extract is another department's");
    }
    if (!PERIOD.matcher(period).matches()) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such period");
    }
    ExtractWriter.Manifest manifest = ExtractWriter.readManifest(extracts.folder(id), period, hadoop)
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no such period"));
    Path folder = new Path(new Path(extracts.folder(id)), period);
    if (name.equals(ExtractWriter.MANIFEST)) {
      Path path = new Path(folder, ExtractWriter.MANIFEST);
      return new DeliveredFile(path, name, length(path), Optional.empty());
    }
    return manifest.files().stream().filter(f -> f.name().equals(name)).findFirst()
        .map(f -> new DeliveredFile(new Path(folder, f.name()), f.name(), f.bytes(), Optional.of(f.sha256())))
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no such file"));
  }

  public FileSystem fileSystem(Path path) throws IOException {
    return path.getFileSystem(hadoop);
  }

  private long length(Path path) {
    try {
      return fileSystem(path).getFileStatus(path).getLen();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  private List<Issued> issued(ExtractSpec spec) {
    String folder = extracts.folder(spec.id());
    Path dir = new Path(folder);
    List<Issued> periods = new ArrayList<>();
    try {
      FileSystem fs = dir.getFileSystem(hadoop);
      if (!fs.exists(dir)) {
        return periods;
      }
      for (FileStatus status : fs.listStatus(dir)) {
        String name = status.getPath().getName();
        // folders being written start with "." (ExtractWriter's pending folder), and hold no manifest yet
        if (status.isDirectory() && PERIOD.matcher(name).matches()) {
          ExtractWriter.readManifest(folder, name, hadoop).ifPresent(m -> periods.add(new Issued(name, m)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the periods of " + folder, e);
    }
    periods.sort(Comparator.comparing(Issued::period).reversed());
    return periods;
  }
}
