package org.agrifusion.jobs.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A port on 127.0.0.1 that is closed (connection refused) until {@link #open} forwards it to a
 * real server: a dependency that is down, then back, at the same address.
 */
public final class TcpForwarder implements AutoCloseable {

  private final int port;
  private ServerSocket server;

  public TcpForwarder() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  /** Accepts connections on the port and forwards each to {@code host:targetPort}. */
  public void open(String host, int targetPort) throws IOException {
    server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          Socket target = new Socket(host, targetPort);
          pipe(client.getInputStream(), target.getOutputStream(), target);
          pipe(target.getInputStream(), client.getOutputStream(), client);
        } catch (IOException e) {
          // closed, or the target refused: the client sees its connection dropped
        }
      }
    }, "forwarder-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private static void pipe(InputStream in, OutputStream out, Socket closeWhenDone) {
    Thread t = new Thread(() -> {
      try (closeWhenDone) {
        in.transferTo(out);
      } catch (IOException e) {
        // the other side closed
      }
    });
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    if (server != null) {
      server.close();
    }
  }
}
