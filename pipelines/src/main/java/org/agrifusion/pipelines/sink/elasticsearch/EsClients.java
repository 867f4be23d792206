package org.agrifusion.pipelines.sink.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.TransportUtils;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one way agri-fusion builds an Elasticsearch client, on the driver and on executors. */
public final class EsClients {

  private EsClients() {}

  public static ElasticsearchClient create(EsConnection connection) {
    return ElasticsearchClient.of(b -> {
      b.hosts(connection.uris());
      if (connection.caFingerprint() != null && !connection.caFingerprint().isBlank()) {
        b.sslContext(TransportUtils.sslContextFromCaFingerprint(connection.caFingerprint()));
      } else if (connection.caFile() != null && !connection.caFile().isBlank()) {
        try {
          b.sslContext(TransportUtils.sslContextFromHttpCaCrt(new File(connection.caFile())));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read the Elasticsearch CA certificate " + connection.caFile(), e);
        }
      }
      if (connection.apiKey() != null && !connection.apiKey().isBlank()) {
        b.apiKey(connection.apiKey());
      } else if (connection.username() != null && !connection.username().isBlank()) {
        b.usernameAndPassword(connection.username(), connection.password());
      }
      return b;
    });
  }
}
