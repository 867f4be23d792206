package org.agrifusion.jobs.job.dailyfusion;

/**
 * Something the job needs from outside (Elasticsearch, the lake's file system, disk space, the job
 * repository) is not there. The message is one line that names the dependency and the cause; the
 * agri command exits with {@code ExitCodes.DEPENDENCY_UNAVAILABLE}.
 */
public class DependencyUnavailableException extends RuntimeException {

  public DependencyUnavailableException(String dependency, String cause, Throwable error) {
    super("dependency unavailable: " + dependency + ": " + cause, error);
  }

  /**
   * True when the failure is a connection that could not be made or was lost (refused, closed by
   * the peer, timed out), as opposed to an answer the server gave. Failures of Spark tasks arrive
   * as text, so their messages are read too.
   */
  public static boolean lostConnection(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.ConnectException || t instanceof java.net.SocketException
          || t instanceof java.net.SocketTimeoutException || t instanceof java.net.UnknownHostException
          || t instanceof org.apache.hc.core5.http.ConnectionClosedException
          || t instanceof org.apache.hc.core5.http.NoHttpResponseException) {
        return true;
      }
      String message = String.valueOf(t.getMessage());
      if (t instanceof org.apache.spark.SparkException && (message.contains("java.net.ConnectException")
          || message.contains("ConnectionClosedException") || message.contains("NoHttpResponseException"))) {
        return true;
      }
    }
    return false;
  }
}
