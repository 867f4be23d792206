package org.agrifusion.pipelines.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LakeTest {

  @Test
  void relativeLocalRootsBecomeAbsoluteFileUris() {
    String cwd = "file:" + Path.of("").toAbsolutePath();
    assertThat(new Lake("file:./data").root()).isEqualTo(cwd + "/data");
    assertThat(new Lake("data/").root()).isEqualTo(cwd + "/data");
    assertThat(new Lake("数据/湖").root()).isEqualTo(cwd + "/数据/湖");
    assertThat(new Lake("/srv/agri").root()).isEqualTo("file:/srv/agri");
  }

  @Test
  void remoteRootsAreKeptAsGivenAndTablesAreNamedInTheCatalog() {
    assertThat(new Lake("s3a://bucket/agri/").root()).isEqualTo("s3a://bucket/agri");
    Lake lake = new Lake("hdfs://nn:8020/agri", LakeCatalog.hadoop("agri", "hdfs://nn:8020/agri/warehouse"));
    assertThat(lake.table(LakeTable.PRICE_OBSERVATION).identifier()).isEqualTo("agri.curated.price_observation");
    assertThat(lake.raw("courier-waybills").identifier()).isEqualTo("agri.raw.courier_waybills");
    assertThat(lake.table(LakeTable.UPBOUND_MONTHLY).partitionColumn()).isEqualTo(Lake.MONTH_COLUMN);
  }

  @Test
  void aCatalogIsJdbcOrHadoopAndNeverPrintsItsPassword() {
    LakeCatalog jdbc = new LakeCatalog("agri", "jdbc", "jdbc:postgresql://db/agri", "agri", "s3cret", "s3a://lake/agri");
    assertThat(jdbc.sparkConf()).containsEntry("spark.sql.catalog.agri.jdbc.password", "s3cret");
    assertThat(jdbc.toString()).doesNotContain("s3cret");
    assertThatThrownBy(() -> new LakeCatalog("agri", "glue", null, null, null, "/w")).hasMessageContaining("neither jdbc nor hadoop");
    assertThatThrownBy(() -> new LakeCatalog("agri", "jdbc", " ", null, null, "/w")).hasMessageContaining("JDBC URL");
  }
}
