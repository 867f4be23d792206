package org.agrifusion.pipelines.sink.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.standardise.RecordStandard;
import org.agrifusion.pipelines.support.TestReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The record families index whole curated rows into "dynamic": "strict" mappings, so a canonical
 * column the mapping lacks (a new currency column, say) makes Elasticsearch refuse every document.
 */
class CanonicalColumnsMappedTest {

  @ParameterizedTest
  @CsvSource({"PRICE, price-observations", "SALE, sales"})
  void everyCanonicalColumnIsInTheStrictMapping(RecordKind kind, String family) throws IOException {
    JsonNode mappings = new ObjectMapper().readTree(Path.of("../conf/es/" + family + ".json").toFile()).path("mappings");
    assertThat(mappings.path("dynamic").asText()).isEqualTo("strict");
    RecordStandard standard = RecordStandard.of(kind, TestReference.SHIPPED);
    standard.fields().forEach(f -> assertThat(mappings.path("properties").has(f.name())).as(family + " maps " + f.name()).isTrue());
  }
}
