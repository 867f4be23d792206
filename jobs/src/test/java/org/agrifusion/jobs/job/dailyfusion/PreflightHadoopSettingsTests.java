package org.agrifusion.jobs.job.dailyfusion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.agrifusion.jobs.support.TestLake;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.LocalFileSystem;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The data-root probe runs with the Hadoop settings given as agri.spark.conf[spark.hadoop.*], as
 * the steps' session does: an s3a endpoint, path style or keys set there must reach it. Here the
 * setting is the file system class of file:, so the probe shows which one it used.
 */
@SpringBootTest(properties = "agri.spark.conf[spark.hadoop.fs.file.impl]=org.agrifusion.jobs.job.dailyfusion.PreflightHadoopSettingsTests$RecordingFileSystem")
class PreflightHadoopSettingsTests {

  static final TestLake LAKE = TestLake.create("preflight-hadoop-it");

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    LAKE.register(registry, "preflight-hadoop-it");
  }

  /** The local file system, recording each instance made. */
  public static class RecordingFileSystem extends LocalFileSystem {
    static final List<URI> INSTANCES = new CopyOnWriteArrayList<>();

    @Override
    public void initialize(URI name, Configuration conf) throws IOException {
      super.initialize(name, conf);
      INSTANCES.add(name);
    }
  }

  @Autowired PreflightCheck preflight;

  @Test
  void theDataRootProbeUsesTheSparkHadoopSettings() {
    preflight.dataRoot(LocalDate.of(2021, 12, 7), 3);

    assertThat(RecordingFileSystem.INSTANCES).isNotEmpty().allMatch(uri -> "file".equals(uri.getScheme()));
  }
}
