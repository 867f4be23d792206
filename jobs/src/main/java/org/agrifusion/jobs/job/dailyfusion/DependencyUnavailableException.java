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
}
