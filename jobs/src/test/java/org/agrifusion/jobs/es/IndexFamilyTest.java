package org.agrifusion.jobs.es;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The id field of an index family: decided once from its id columns, and required in its mapping with doc values. */
class IndexFamilyTest {

  @TempDir Path es;

  void define(String family, String table, String id, String idMapping) throws IOException {
    Files.writeString(es.resolve("families.yml"), "families:\n  " + family + ":\n    table: " + table + "\n    id: " + id + "\n");
    Files.writeString(es.resolve(family + ".json"), "{\"mappings\": {\"dynamic\": \"strict\", \"properties\": {"
        + "\"business_date\": {\"type\": \"date\"}" + (idMapping == null ? "" : ", " + idMapping) + "}}}");
  }

  @Test
  void aRecordFamilyPagesOnItsIdColumnAndAMartOnItsHashedGrain() throws IOException {
    define("sales", "curated.sale", "[record_id]", "\"record_id\": {\"type\": \"keyword\"}");
    assertThat(IndexFamily.load(es).get("sales").idField()).isEqualTo("record_id");

    define("spread-daily", "marts.spread_daily", "[business_date, variety_code]", "\"doc_id\": {\"type\": \"keyword\"}");
    assertThat(IndexFamily.load(es).get("spread-daily").idField()).isEqualTo("doc_id");
  }

  @Test
  void anIdFieldMissingFromTheMappingOrWithoutDocValuesIsRefusedWithTheFamilyNamed() throws IOException {
    define("sales", "curated.sale", "[record_id]", null);
    assertThatThrownBy(() -> IndexFamily.load(es)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(es.resolve("families.yml") + ": families.sales: the id field 'record_id' must be in "
            + es.resolve("sales.json") + " with doc values");

    define("sales", "curated.sale", "[record_id]", "\"record_id\": {\"type\": \"keyword\", \"index\": false, \"doc_values\": false}");
    assertThatThrownBy(() -> IndexFamily.load(es)).hasMessageContaining("the id field 'record_id' must be in");
  }
}
