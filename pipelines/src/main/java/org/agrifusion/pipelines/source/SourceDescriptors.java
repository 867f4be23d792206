package org.agrifusion.pipelines.source;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.agrifusion.pipelines.standardise.DateParsers;
import org.agrifusion.pipelines.standardise.Text;

/** Loads {@code conf/sources/*.yml} and rejects any descriptor that could not be run as written. */
public final class SourceDescriptors {

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]*");
  private static final Set<String> FORMATS = Set.of("csv", "tsv", "jsonl", "xlsx");

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private SourceDescriptors() {}

  /** Every {@code *.yml} / {@code *.yaml} in the folder, sorted by id; ids must be unique. */
  public static List<SourceDescriptor> loadAll(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new SourceDescriptorException(folder.toString(), "folder", "source descriptor folder does not exist");
    }
    List<SourceDescriptor> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(SourceDescriptors::isYaml).sorted().toList()) {
        all.add(load(file));
      }
    } catch (IOException e) {
      throw new SourceDescriptorException(folder.toString(), "cannot list descriptors", e);
    }
    Set<String> seen = new HashSet<>();
    for (SourceDescriptor d : all) {
      if (!seen.add(d.id())) {
        throw new SourceDescriptorException(folder.toString(), "id", "'" + d.id() + "' is used by more than one descriptor");
      }
    }
    return all;
  }

  public static SourceDescriptor load(Path file) {
    String name = file.toString();
    SourceDescriptor raw;
    try {
      raw = YAML.readValue(file.toFile(), SourceDescriptor.class);
    } catch (UnrecognizedPropertyException e) {
      throw new SourceDescriptorException(name, path(e), "unknown key '" + e.getPropertyName()
          + "'; known keys: " + e.getKnownPropertyIds());
    } catch (JsonMappingException e) {
      throw new SourceDescriptorException(name, path(e), e.getOriginalMessage());
    } catch (IOException e) {
      throw new SourceDescriptorException(name, "cannot read descriptor: " + e.getMessage(), e);
    }
    if (raw == null) {
      throw new SourceDescriptorException(name, "(file)", "descriptor is empty");
    }
    return validate(name, raw);
  }

  static SourceDescriptor validate(String file, SourceDescriptor d) {
    require(file, "id", d.id() != null && ID.matcher(d.id()).matches(),
        "must be lower-case letters, digits and dashes, got '" + d.id() + "'");
    require(file, "kind", d.kind() != null, "is required (one of " + kinds() + ")");
    require(file, "landing.pattern", d.landing() != null && d.landing().pattern() != null
        && d.landing().pattern().contains("{date}"), "is required and must contain {date}");
    require(file, "landing.pattern", confined(d.landing().pattern()),
        "must stay under landing/" + d.id() + "/: no '..', absolute path, scheme or backslash; got '" + d.landing().pattern() + "'");
    require(file, "format", d.format() != null, "is required");
    require(file, "format.type", FORMATS.contains(d.format().type()), "must be one of " + FORMATS
        + ", got '" + d.format().type() + "'");
    if (!d.format().type().equals("xlsx")) {
      checkCharset(file, d.format().encoding());
    }
    require(file, "format.header", d.format().type().equals("jsonl") || d.format().header() != null,
        "is required for " + d.format().type() + " (true when the first line is a header row)");
    require(file, "format.multiline_records", d.format().multilineRecords() == null
        || Set.of("csv", "tsv").contains(d.format().type()), "applies to csv and tsv only");
    require(file, "format.decimal_separator", d.format().decimalSeparator() == null
        || Set.of(".", ",").contains(d.format().decimalSeparator()),
        "must be \".\" or \",\" (how the feed writes 2.6), got '" + d.format().decimalSeparator() + "'");
    require(file, "columns", d.columns() != null && !d.columns().isEmpty(), "must list the file's columns in order");
    Set<String> columns = new HashSet<>();
    for (String column : d.columns()) {
      require(file, "columns", columns.add(column), "column '" + column + "' is listed twice");
      require(file, "columns", !RawColumns.RESERVED.contains(column),
          "column name '" + column + "' is reserved for lineage " + RawColumns.RESERVED);
    }
    Map<String, String> fields = d.fields() == null ? Map.of() : d.fields();
    Map<String, String> constants = d.constants() == null ? Map.of() : d.constants();
    fields.forEach((field, column) -> {
      require(file, "fields." + field, d.kind().knownFields().contains(field),
          "is not a canonical field of kind " + d.kind().yamlName() + "; known: " + sorted(d.kind().knownFields()));
      require(file, "fields." + field, columns.contains(column),
          "column '" + column + "' is not in columns " + d.columns());
    });
    constants.forEach((field, value) -> {
      require(file, "constants." + field, d.kind().knownFields().contains(field),
          "is not a canonical field of kind " + d.kind().yamlName() + "; known: " + sorted(d.kind().knownFields()));
      require(file, "constants." + field, !fields.containsKey(field), "is also mapped in fields; choose one");
    });
    for (String field : d.kind().requiredFields()) {
      require(file, "fields." + field, fields.containsKey(field) || constants.containsKey(field),
          "is required for kind " + d.kind().yamlName() + " (map a column or give a constant)");
    }
    List<String> dateFormats = d.dateFormats() == null || d.dateFormats().isEmpty()
        ? List.of("yyyy-MM-dd") : d.dateFormats();
    for (String pattern : dateFormats) {
      if (pattern.equals(DateParsers.EXCEL_SERIAL)) {
        continue;
      }
      try {
        DateTimeFormatter.ofPattern(pattern);
      } catch (IllegalArgumentException e) {
        throw new SourceDescriptorException(file, "date_formats", "'" + pattern + "' is not a date pattern: " + e.getMessage());
      }
    }
    String timezone = d.timezone() == null ? "Asia/Shanghai" : d.timezone();
    try {
      ZoneId.of(timezone);
    } catch (RuntimeException e) {
      throw new SourceDescriptorException(file, "timezone", "'" + timezone + "' is not a time zone");
    }
    List<String> naturalKey = d.naturalKey() == null ? List.of() : d.naturalKey();
    require(file, "natural_key", !naturalKey.isEmpty(), "must name the canonical fields that identify a record");
    for (String key : naturalKey) {
      require(file, "natural_key", fields.containsKey(key) || constants.containsKey(key),
          "'" + key + "' is neither mapped in fields nor given in constants");
    }
    for (String field : fields.keySet()) {
      require(file, "fields." + field, !(d.personalData() != null && d.personalData().drop() != null
          && d.personalData().drop().contains(fields.get(field))), "maps column '" + fields.get(field) + "', which personal_data drops");
    }
    SourceDescriptor.DateWindow window = d.dateWindow() == null ? SourceDescriptor.DateWindow.SAME_DAY : d.dateWindow();
    require(file, "date_window", window.daysBefore() >= 0 && window.daysAfter() >= 0, "days_before and days_after must not be negative");
    SourceDescriptor.PersonalData personal = personalData(file, d.personalData(), columns);
    SourceDescriptor.DateYear dateYear = dateYear(file, d.dateYear(), dateFormats, window);
    List<String> missing = d.missingValues() == null ? List.of() : d.missingValues().stream().map(Text::normalise).toList();
    require(file, "missing_values", missing.stream().allMatch(java.util.Objects::nonNull),
        "must not contain a blank value (blank is always missing)");
    Double share = d.maxQuarantineShare();
    require(file, "max_quarantine_share", share == null || (share >= 0 && share <= 1),
        "must be a share between 0 and 1 (0.2 = 20 % of the night's rows), got " + share);
    return new SourceDescriptor(d.id(), d.kind(), d.description(), d.landing(), d.format(),
        List.copyOf(d.columns()), Map.copyOf(fields), Map.copyOf(constants), List.copyOf(dateFormats),
        timezone, dateYear, List.copyOf(naturalKey), window, personal, missing, valueMaps(file, d), share);
  }

  /**
   * A pattern without a year needs {@code date_year}, which takes the window's days_after as the
   * descriptor writes it (see {@link SourceDescriptor.DateYear}).
   */
  private static SourceDescriptor.DateYear dateYear(String file, SourceDescriptor.DateYear given, List<String> patterns,
      SourceDescriptor.DateWindow window) {
    if (given == null) {
      for (String pattern : patterns) {
        require(file, "date_formats", DateParsers.hasYear(pattern), "'" + pattern
            + "' has no year: add date_year: " + SourceDescriptor.DateYear.BUSINESS_DATE + " to take it from the business date");
      }
      return null;
    }
    require(file, "date_year", SourceDescriptor.DateYear.BUSINESS_DATE.equals(given.from()),
        "must be " + SourceDescriptor.DateYear.BUSINESS_DATE + ", got '" + given.from() + "'");
    return new SourceDescriptor.DateYear(given.from(), window.daysAfter());
  }

  /** value_maps of canonical fields only, keyed by the normalised lower-case feed value, each listed once. */
  private static Map<String, Map<String, String>> valueMaps(String file, SourceDescriptor d) {
    Map<String, Map<String, String>> out = new HashMap<>();
    if (d.valueMaps() == null) {
      return Map.of();
    }
    d.valueMaps().forEach((field, map) -> {
      require(file, "value_maps." + field, d.kind().knownFields().contains(field),
          "is not a canonical field of kind " + d.kind().yamlName() + "; known: " + sorted(d.kind().knownFields()));
      Map<String, String> keyed = new HashMap<>();
      (map == null ? Map.<String, String>of() : map).forEach((from, to) -> {
        String key = SourceDescriptor.valueMapKey(from);
        require(file, "value_maps." + field, key != null, "maps an empty value; list the feed's values as written");
        require(file, "value_maps." + field, Text.normalise(to) != null, "'" + from + "' maps to nothing; give the standard value");
        require(file, "value_maps." + field, keyed.put(key, Text.normalise(to)) == null,
            "'" + from + "' is listed twice (values are compared normalised, in any case)");
      });
      out.put(field, Map.copyOf(keyed));
    });
    return Map.copyOf(out);
  }

  private static SourceDescriptor.PersonalData personalData(String file, SourceDescriptor.PersonalData p, Set<String> columns) {
    if (p == null) {
      return SourceDescriptor.PersonalData.NONE;
    }
    List<String> drop = p.drop() == null ? List.of() : List.copyOf(p.drop());
    List<String> hash = p.hash() == null ? List.of() : List.copyOf(p.hash());
    for (String column : drop) {
      require(file, "personal_data.drop", columns.contains(column), "column '" + column + "' is not in columns");
    }
    for (String column : hash) {
      require(file, "personal_data.hash", columns.contains(column), "column '" + column + "' is not in columns");
      require(file, "personal_data.hash", !drop.contains(column), "column '" + column + "' is both dropped and hashed");
    }
    return new SourceDescriptor.PersonalData(drop, hash);
  }

  /**
   * A glob that cannot leave the source's landing folder: no parent step, root, drive or URI scheme,
   * and no backslash (a glob escape could spell a parent step the check does not see).
   */
  private static boolean confined(String pattern) {
    return !pattern.contains("..") && !pattern.startsWith("/") && !pattern.contains("\\")
        && !pattern.contains(":") && !pattern.startsWith("~") && pattern.indexOf('\0') < 0;
  }

  private static void checkCharset(String file, String encoding) {
    require(file, "format.encoding", encoding != null, "is required (UTF-8, GBK, GB18030, ...)");
    try {
      Charset.forName(encoding);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      throw new SourceDescriptorException(file, "format.encoding", "'" + encoding + "' is not a known charset");
    }
  }

  private static void require(String file, String field, boolean ok, String problem) {
    if (!ok) {
      throw new SourceDescriptorException(file, field, problem);
    }
  }

  private static boolean isYaml(Path p) {
    String n = p.getFileName().toString();
    return n.endsWith(".yml") || n.endsWith(".yaml");
  }

  private static String path(JsonMappingException e) {
    String p = e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."));
    return p.isEmpty() ? "(document)" : p;
  }

  private static List<String> kinds() {
    return Stream.of(RecordKind.values()).map(RecordKind::yamlName).toList();
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }
}
