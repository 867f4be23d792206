package org.agrifusion.jobs.config;

import java.util.List;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.sink.elasticsearch.EsConnection;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.source.SourceDescriptors;
import org.agrifusion.pipelines.spark.SparkSessions;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.apache.spark.sql.SparkSession;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/** The pipeline's collaborators, built once from {@link AgriProperties}. */
@Configuration(proxyBeanMethods = false)
public class PipelineConfiguration {

  @Bean
  Lake lake(AgriProperties properties) {
    return new Lake(properties.dataRoot());
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
  SparkSession sparkSession(AgriProperties properties) {
    return SparkSessions.create("agri-fusion", properties.spark().master(), properties.spark().conf());
  }
}
