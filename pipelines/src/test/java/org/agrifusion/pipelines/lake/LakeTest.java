package org.agrifusion.pipelines.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
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
  void remoteRootsAreKeptAsGiven() {
    assertThat(new Lake("s3a://bucket/agri/").root()).isEqualTo("s3a://bucket/agri");
    assertThat(new Lake("hdfs://nn:8020/agri").curated("price_observation"))
        .isEqualTo("hdfs://nn:8020/agri/curated/price_observation");
  }

  @Test
  void partitionsAreNamedByBusinessDate() {
    Lake lake = new Lake("hdfs://nn/agri");
    assertThat(Lake.partition(lake.raw("xinfadi"), LocalDate.of(2021, 12, 7)))
        .isEqualTo("hdfs://nn/agri/raw/xinfadi/business_date=2021-12-07");
  }
}
