package org.agrifusion.jobs.run;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

/**
 * The process that runs a business date: where it runs, what it was asked to do and since when, and
 * when it last said it was alive (the database's clock).
 */
public record RunOwner(String host, long pid, String action, OffsetDateTime since, OffsetDateTime heartbeat) {

  /** This machine's name as owners record it. */
  public static String thisHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return System.getenv().getOrDefault("HOSTNAME", "unknown-host");
    }
  }

  /** host:pid */
  public String process() {
    return host + ":" + pid;
  }

  @Override
  public String toString() {
    return process() + " (" + action + " since " + since.truncatedTo(ChronoUnit.SECONDS) + ")";
  }
}
