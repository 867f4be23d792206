package org.agrifusion.jobs.web;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code agri serve [--port N]}: the only command that starts a web server. Its port must be known
 * before the application context starts, so {@code --port N} becomes the property {@code agri.portal.port}.
 */
public final class Serve {

  public static final String COMMAND = "serve";

  private Serve() {}

  public static boolean isServe(String[] args) {
    return args.length > 0 && COMMAND.equals(args[0]);
  }

  /** The arguments with {@code --port N} (or {@code --port=N}) as {@code --agri.portal.port=N}. */
  public static String[] springArgs(String[] args) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--port") || a.startsWith("--port=")) {
        String value = a.equals("--port") ? (i + 1 < args.length ? args[++i] : "") : a.substring("--port=".length());
        out.add("--agri.portal.port=" + port(value));
      } else {
        out.add(a);
      }
    }
    return out.toArray(String[]::new);
  }

  private static int port(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--port '" + value + "' is not a port number (0-65535)");
  }
}
