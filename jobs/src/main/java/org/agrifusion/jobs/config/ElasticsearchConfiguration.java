package org.agrifusion.jobs.config;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import org.agrifusion.pipelines.sink.elasticsearch.EsClients;
import org.agrifusion.pipelines.sink.elasticsearch.EsConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/** One Elasticsearch client for the driver side (index management, reconciliation, search). */
@Configuration(proxyBeanMethods = false)
public class ElasticsearchConfiguration {

  @Bean(destroyMethod = "close")
  @Lazy
  ElasticsearchClient elasticsearchClient(EsConnection connection) {
    return EsClients.create(connection);
  }
}
