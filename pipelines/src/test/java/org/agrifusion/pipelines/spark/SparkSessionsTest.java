package org.agrifusion.pipelines.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkSessionsTest {

  @Test
  void onlyClusterMastersNeedAnExecutorJar() {
    assertThat(SparkSessions.isCluster("local[*]")).isFalse();
    assertThat(SparkSessions.isCluster("local-cluster[2,1,1024]")).isFalse();
    assertThat(SparkSessions.isCluster(null)).isFalse();
    assertThat(SparkSessions.isCluster("spark://127.0.0.1:7177")).isTrue();
    assertThat(SparkSessions.isCluster("yarn")).isTrue();
    assertThat(SparkSessions.isCluster("k8s://https://api:6443")).isTrue();
  }

  @Test
  void aClusterDriverIsCalledBackAtSparkLocalIp() {
    assertThat(SparkSessions.defaults("spark://127.0.0.1:7177", Map.of("SPARK_LOCAL_IP", "127.0.0.1")))
        .containsEntry("spark.driver.host", "127.0.0.1").containsEntry("spark.driver.bindAddress", "127.0.0.1");
    assertThat(SparkSessions.defaults("yarn", Map.of())).doesNotContainKeys("spark.driver.host", "spark.driver.bindAddress");
    assertThat(SparkSessions.defaults("local[*]", Map.of("SPARK_LOCAL_IP", "10.0.0.5")))
        .containsEntry("spark.driver.host", "127.0.0.1");
  }

  @Test
  void theNewestShadedJarOfTheProjectIsFoundAndAMissingOneNamesWhatToDo(@TempDir Path project) throws Exception {
    assertThatThrownBy(() -> SparkSessions.executorJars("", project))
        .hasMessageContaining("no agri-fusion-pipelines-*-spark.jar in " + project.resolve("pipelines/target"))
        .hasMessageContaining("AGRI_SPARK_JARS");

    Path target = Files.createDirectories(project.resolve("pipelines/target"));
    Path old = Files.writeString(target.resolve("agri-fusion-pipelines-0.1.0-spark.jar"), "x");
    Files.setLastModifiedTime(old, FileTime.fromMillis(1_000_000));
    Path current = Files.writeString(target.resolve("agri-fusion-pipelines-0.2.0-spark.jar"), "x");
    Files.writeString(target.resolve("agri-fusion-pipelines-0.2.0.jar"), "x");

    assertThat(SparkSessions.executorJars(null, project)).isEqualTo(current.toString());
  }

  @Test
  void configuredJarsAreCheckedWhenLocal(@TempDir Path dir) throws Exception {
    Path jar = Files.writeString(dir.resolve("p.jar"), "x");
    assertThat(SparkSessions.executorJars(jar + ",hdfs://nn/jars/q.jar", dir)).isEqualTo(jar + ",hdfs://nn/jars/q.jar");
    assertThatThrownBy(() -> SparkSessions.executorJars(dir.resolve("gone.jar").toString(), dir))
        .hasMessageContaining("agri.spark.jars (AGRI_SPARK_JARS): " + dir.resolve("gone.jar") + " does not exist");
  }
}
