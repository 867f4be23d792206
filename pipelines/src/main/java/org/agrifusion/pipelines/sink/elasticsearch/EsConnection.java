package org.agrifusion.pipelines.sink.elasticsearch;

import java.io.Serializable;
import java.net.URI;
import java.util.List;

/**
 * How to reach Elasticsearch; serializable so executors can open their own connections. Secrets
 * come from the environment through configuration and are never printed.
 */
public record EsConnection(List<String> urls, String username, String password, String apiKey)
    implements Serializable {

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
