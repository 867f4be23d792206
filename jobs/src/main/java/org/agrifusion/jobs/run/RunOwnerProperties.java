package org.agrifusion.jobs.run;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a run proves it is alive ({@code agri.run-owner.*}).
 *
 * @param heartbeat how often the process running a date records that it is alive
 * @param timeout how long without a heartbeat before the owner of a date, on another host, is taken
 *     for dead (on the same host the process id decides at once)
 * @param importWait how long a run waits for a history import that owns its date to end
 */
@ConfigurationProperties("agri.run-owner")
public record RunOwnerProperties(@DefaultValue("15s") Duration heartbeat, @DefaultValue("2m") Duration timeout,
    @DefaultValue("30m") Duration importWait) {
  public RunOwnerProperties {
    if (importWait.isNegative()) {
      throw new IllegalArgumentException("agri.run-owner.import-wait must not be negative, got " + importWait);
    }
    if (heartbeat.isNegative() || heartbeat.isZero() || timeout.compareTo(heartbeat.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("agri.run-owner: timeout (" + timeout + ") must be at least twice the heartbeat ("
          + heartbeat + "), and the heartbeat positive");
    }
  }
}
