package org.agrifusion.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepMainTest {

  private static final String CONFIG = "../conf/application.yml";

  @Test
  void theProjectsConfigResolvesFromTheEnvironmentAndOverridesWin() {
    StepMain.Invocation in = StepMain.parse(new String[] {"standardise", "--date", "2024-05-01", "--config", CONFIG,
        "--agri.lake.catalog.uri=jdbc:postgresql://db/agri"}, Map.of("AGRI_DATA_ROOT", "hdfs://nn:8020/agri"));

    assertThat(in.step()).isEqualTo("standardise");
    assertThat(in.date()).isEqualTo(LocalDate.of(2024, 5, 1));
    assertThat(in.get("agri.data-root")).isEqualTo("hdfs://nn:8020/agri");
    assertThat(in.get("agri.conf-dir")).isEqualTo("conf");  // the ${AGRI_CONF_DIR:conf} default
    assertThat(in.get("agri.lake.catalog.type")).isEqualTo("jdbc");
    assertThat(in.get("agri.lake.catalog.uri")).isEqualTo("jdbc:postgresql://db/agri");
    assertThat(in.under("agri.fusion.source-priority")).containsEntry("xinfadi-api-dump", "10");
    assertThat(in.get("agri.fusion.lookback-days")).isEqualTo("3");
  }

  @Test
  void theConfigFileDefaultsToAgriConfDirAndDateMayBeJoined(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("application.yml"), "agri:\n  data-root: ${ROOT:file:/x}/lake\n  spark:\n    conf:\n      spark.executor.memory: 2g\n");

    StepMain.Invocation in = StepMain.parse(new String[] {"fuse", "--date=2024-05-02"}, Map.of("AGRI_CONF_DIR", dir.toString()));

    assertThat(in.get("agri.data-root")).isEqualTo("file:/x/lake");
    assertThat(in.under("agri.spark.conf")).containsExactlyEntriesOf(Map.of("spark.executor.memory", "2g"));
    assertThatThrownBy(() -> in.get("agri.fusion.lookback-days")).hasMessageContaining("agri.fusion.lookback-days is not set");
  }

  @Test
  void badArgumentsSayWhatIsWrong() {
    Map<String, String> env = Map.of();
    assertThatThrownBy(() -> StepMain.parse(new String[] {"index", "--date", "2024-05-01"}, env))
        .hasMessageContaining("one of [ingest, standardise, fuse]").hasMessageContaining("'index'");
    assertThatThrownBy(() -> StepMain.parse(new String[] {"fuse", "--config", CONFIG}, env)).hasMessageContaining("--date yyyy-MM-dd is required");
    assertThatThrownBy(() -> StepMain.parse(new String[] {"fuse", "--date", "01/05/2024", "--config", CONFIG}, env))
        .hasMessageContaining("'01/05/2024' is not a date");
    assertThatThrownBy(() -> StepMain.parse(new String[] {"fuse", "--date", "2024-05-01", "--config", CONFIG, "--force"}, env))
        .hasMessageContaining("unknown argument '--force'");
    assertThatThrownBy(() -> StepMain.parse(new String[] {"fuse", "--date"}, env)).hasMessageContaining("--date needs a value");
    assertThatThrownBy(() -> StepMain.parse(new String[] {"fuse", "--date", "2024-05-01", "--config", "nowhere.yml"}, env))
        .hasMessageContaining("no config file nowhere.yml");
  }

  @Test
  void placeholdersResolveInnermostFirstAndAMissingVariableWithoutDefaultIsAnError() {
    assertThat(StepMain.resolve("jdbc:h2:file:${REPO:./data/repo};AUTO_SERVER=TRUE", Map.of("REPO", "/tmp/r")))
        .isEqualTo("jdbc:h2:file:/tmp/r;AUTO_SERVER=TRUE");
    assertThat(StepMain.resolve("${A:${B:b}}", Map.of())).isEqualTo("b");
    assertThat(StepMain.resolve("${A:}", Map.of())).isEmpty();
    assertThatThrownBy(() -> StepMain.resolve("${SECRET}", Map.of())).hasMessageContaining("${SECRET}");
  }

  @Test
  void aJdbcCatalogWithoutUriIsRefusedBeforeSparkStarts() {
    StepMain.Invocation in = StepMain.parse(new String[] {"fuse", "--date", "2024-05-01", "--config", CONFIG}, Map.of());
    assertThatThrownBy(() -> StepMain.run(in)).hasMessageContaining("agri.lake.catalog.uri (AGRI_LAKE_CATALOG_URL) is empty");
  }
}
