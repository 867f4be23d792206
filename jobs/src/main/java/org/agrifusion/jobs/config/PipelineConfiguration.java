package org.agrifusion.jobs.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.lake.LakeCatalog;
import org.agrifusion.pipelines.sink.elasticsearch.EsConnection;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.source.PersonalDataKey;
import org.agrifusion.pipelines.source.SourceDescriptors;
import org.agrifusion.pipelines.spark.SparkSessions;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.apache.spark.sql.SparkSession;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

/** The pipeline's collaborators, built once from {@link AgriProperties}. */
@Configuration(proxyBeanMethods = false)
public class PipelineConfiguration {

  @Bean
  Lake lake(AgriProperties properties, Environment environment) {
    AgriProperties.Catalog c = properties.lake().catalog();
    Lake root = new Lake(properties.dataRoot());
    String warehouse = root.warehouse(c.warehouse());
    // By default the catalog lives in the job repository's database, with its credentials.
    String uri = blank(c.uri()) ? environment.getProperty("spring.datasource.url") : c.uri();
    String username = blank(c.uri()) ? environment.getProperty("spring.datasource.username") : c.username();
    String password = blank(c.uri()) ? environment.getProperty("spring.datasource.password") : c.password();
    return new Lake(properties.dataRoot(), new LakeCatalog(c.name(), c.type(), uri, username, password, warehouse));
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** Loaded at start-up so a broken descriptor stops the process before any work starts. */
  @Bean
  List<SourceDescriptor> sourceDescriptors(AgriProperties properties) {
    return SourceDescriptors.loadAll(properties.sourcesDir());
  }

  /** Loaded at start-up so a broken reference file stops the process before any work starts. */
  @Bean
  ReferenceData referenceData(AgriProperties properties) {
    return ReferenceData.load(properties.referenceDir());
  }

  /** Resolved (read, or generated) when first used to hash, so commands that hash nothing need no key. */
  @Bean
  PersonalDataKey personalDataKey(AgriProperties properties, Lake lake) {
    return new PersonalDataKey(properties.privacy().hashKey(), properties.privacy().hashKeyFile(), lake.root());
  }

  @Bean
  EsConnection esConnection(AgriProperties properties) {
    AgriProperties.Elasticsearch es = properties.elasticsearch();
    return new EsConnection(es.urls(), es.username(), es.password(), es.apiKey(), es.caFile(), es.caFingerprint());
  }

  /** Lazy: commands that only read the job repository do not start Spark. */
  @Bean(destroyMethod = "stop")
  @Lazy
  SparkSession sparkSession(AgriProperties properties, Lake lake) {
    String master = properties.spark().master();
    Map<String, String> conf = new HashMap<>(properties.spark().conf());
    if (SparkSessions.isCluster(master)) {
      // Client mode: this process is the driver; executors load our classes from the shaded jar.
      Path projectDir = properties.confDir().toAbsolutePath().normalize().getParent();
      conf.putIfAbsent("spark.jars", SparkSessions.executorJars(properties.spark().jars(), projectDir));
    }
    SparkSession spark = SparkSessions.create("agri-fusion", master, conf);
    lake.register(spark);
    return spark;
  }
}
