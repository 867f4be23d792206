package org.agrifusion.jobs.es;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrifusion.pipelines.lake.LakeTable;
import org.agrifusion.pipelines.sink.elasticsearch.EsDocuments;

/**
 * One index family of conf/es/families.yml: the published table it mirrors, how its documents are
 * identified (and which field holds the id), which region codes get a hierarchy, and what search shows.
 */
public record IndexFamily(String name, String table, List<String> id, List<String> regions,
    List<String> search, List<String> show, String measure, List<String> facets) {

  private record File(Map<String, IndexFamily> families) {}

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The families in file order, each with its mapping file present. */
  public static Map<String, IndexFamily> load(Path esDir) {
    Path file = esDir.resolve("families.yml");
    try {
      Map<String, IndexFamily> out = new LinkedHashMap<>();
      YAML.readValue(file.toFile(), File.class).families().forEach((name, f) -> {
        if (f.table() == null || f.id() == null || f.id().isEmpty()) {
          throw new IllegalArgumentException(file + ": families." + name + ": table and id are required");
        }
        Path mapping = esDir.resolve(name + ".json");
        if (!Files.exists(mapping)) {
          throw new IllegalArgumentException(file + ": families." + name + ": no mapping " + mapping);
        }
        // loads page on the id field with search_after: it must be in the mapping, with doc values
        String idField = EsDocuments.idField(f.id());
        JsonNode properties = readJson(mapping).path("mappings").path("properties");
        JsonNode idMapping = properties.path(idField);
        if (idMapping.isMissingNode() || !idMapping.path("doc_values").asBoolean(true)) {
          throw new IllegalArgumentException(file + ": families." + name + ": the id field '" + idField
              + "' must be in " + mapping + " with doc values");
        }
        List<String> facets = f.facets() == null ? List.of() : List.copyOf(f.facets());
        for (String facet : facets) {
          if (!properties.path(facet).path("type").asText().equals("keyword")) {
            throw new IllegalArgumentException(file + ": families." + name + ": the facet '" + facet
                + "' must be a keyword field of " + mapping);
          }
        }
        try {
          LakeTable.named(f.table());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + ": families." + name + ": " + e.getMessage());
        }
        out.put(name, new IndexFamily(name, f.table(),
            List.copyOf(f.id()), f.regions() == null ? List.of() : List.copyOf(f.regions()),
            f.search() == null ? List.of() : List.copyOf(f.search()), f.show() == null ? List.of() : List.copyOf(f.show()),
            f.measure(), facets));
      });
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The field holding each document's id (also its {@code _id}), which loads sort and page on. */
  public String idField() {
    return EsDocuments.idField(id);
  }

  public LakeTable lakeTable() {
    return LakeTable.named(table);
  }

  /** The table's partition column: a date's documents are those of the date's partition. */
  public String partition() {
    return lakeTable().partitionColumn();
  }
}
