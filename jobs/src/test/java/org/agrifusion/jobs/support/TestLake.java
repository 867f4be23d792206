package org.agrifusion.jobs.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A throw-away lake, index prefix and job repository (in-memory H2 unless given another database)
 * for one test class, on the real local Elasticsearch node that scripts/test.sh starts (AGRI_ES_URL).
 */
public record TestLake(Path root, String indexPrefix) {

  public static TestLake create(String name) {
    try {
      return new TestLake(Files.createTempDirectory("agri-fusion-" + name), "it-" + UUID.randomUUID().toString().substring(0, 8) + "-");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deletes every index generation of the families and the lake folder. */
  public void drop(org.agrifusion.jobs.es.IndexManager indices, java.util.Collection<String> families) {
    families.forEach(family -> indices.prune(family, 0, null));
    org.springframework.util.FileSystemUtils.deleteRecursively(root.toFile());
  }

  /** Drops (and purges) every table of the lake's catalog, for a test that starts from an empty lake. */
  public static void dropTables(org.apache.spark.sql.SparkSession spark, org.agrifusion.pipelines.lake.Lake lake) {
    String catalog = lake.catalog().name();
    for (org.apache.spark.sql.Row ns : spark.sql("SHOW NAMESPACES IN " + catalog).collectAsList()) {
      for (org.apache.spark.sql.Row t : spark.sql("SHOW TABLES IN " + catalog + "." + ns.getString(0)).collectAsList()) {
        spark.sql("DROP TABLE " + catalog + "." + ns.getString(0) + ".`" + t.getString(1) + "` PURGE");
      }
    }
  }

  /** The lake and index prefix, and an in-memory H2 job repository named {@code name}. */
  public void register(DynamicPropertyRegistry registry, String name) {
    register(registry, "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "");
  }

  /** The lake and index prefix, and the job repository on the given database. */
  public void register(DynamicPropertyRegistry registry, String jdbcUrl, String username, String password) {
    registry.add("agri.data-root", root::toString);
    registry.add("agri.conf-dir", () -> "../conf");
    registry.add("agri.spark.master", () -> "local[2]");
    registry.add("agri.elasticsearch.urls", () -> System.getenv().getOrDefault("AGRI_ES_URL", "http://127.0.0.1:9200"));
    registry.add("agri.elasticsearch.index-prefix", this::indexPrefix);
    // One Spark session serves every test context of the JVM: each lake gets its own catalog name.
    registry.add("agri.lake.catalog.name", () -> indexPrefix.replaceAll("[^a-z0-9]", "_").replaceAll("_+$", ""));
    registry.add("spring.datasource.url", () -> jdbcUrl);
    registry.add("spring.datasource.username", () -> username);
    registry.add("spring.datasource.password", () -> password);
  }
}
