package org.agrifusion.pipelines.sink.elasticsearch;

import java.io.Serializable;
import java.net.URI;
import java.util.List;

/**
 * How to reach Elasticsearch; serializable so executors can open their own connections. Secrets
 * come from the environment through configuration and are never printed. For HTTPS with a private
 * CA, give the CA certificate file ({@code caFile}, PEM) or the SHA-256 fingerprint of the CA
 * ({@code caFingerprint}, as Elasticsearch prints it at first start).
 */
public record EsConnection(List<String> urls, String username, String password, String apiKey, String caFile,
    String caFingerprint) implements Serializable {

  /** Without TLS trust settings: plain HTTP, or HTTPS with a certificate the JVM already trusts. */
  public EsConnection(List<String> urls, String username, String password, String apiKey) {
    this(urls, username, password, apiKey, null, null);
  }

  public EsConnection {
    if (urls == null || urls.isEmpty()) {
      throw new IllegalArgumentException("at least one Elasticsearch URL is required");
    }
    urls = List.copyOf(urls);
  }

  public List<URI> uris() {
    return urls.stream().map(URI::create).toList();
  }

  @Override
  public String toString() {
    String auth = apiKey != null && !apiKey.isBlank() ? "api-key ****"
        : username != null && !username.isBlank() ? "basic " + username + ":****" : "none";
    return "EsConnection" + urls + " auth=" + auth;
  }
}
