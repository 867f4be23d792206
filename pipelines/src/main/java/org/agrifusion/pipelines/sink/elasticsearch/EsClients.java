package org.agrifusion.pipelines.sink.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

/** The one way agri-fusion builds an Elasticsearch client, on the driver and on executors. */
public final class EsClients {

  private EsClients() {}

  public static ElasticsearchClient create(EsConnection connection) {
    return ElasticsearchClient.of(b -> {
      b.hosts(connection.uris());
      if (connection.apiKey() != null && !connection.apiKey().isBlank()) {
        b.apiKey(connection.apiKey());
      } else if (connection.username() != null && !connection.username().isBlank()) {
        b.usernameAndPassword(connection.username(), connection.password());
      }
      return b;
    });
  }
}
