package org.agrifusion.jobs.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.agrifusion.jobs.config.AgriProperties;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.support.SimpleTriggerContext;

/** When the scheduler's timer fires and which business date each firing runs. */
class NightlySchedulerTest {

  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  static final AgriProperties.Schedule NIGHTLY = new AgriProperties.Schedule("0 0 2 * * *", SHANGHAI, 7);

  @Test
  void aFiringThatCompletesAHairBeforeTheInstantItFiredDoesNotFireItAgain() {
    Instant fired = ZonedDateTime.of(2021, 12, 8, 2, 0, 0, 0, SHANGHAI).toInstant();
    Instant early = fired.minusNanos(300_000);
    NightlyScheduler.Firings firings = new NightlyScheduler.Firings(NIGHTLY);

    // the first firing, computed a hair early, is the instant itself
    assertThat(firings.nextExecution(new SimpleTriggerContext(Clock.fixed(early, SHANGHAI)))).isEqualTo(fired);
    // the timer ran it and the clock read a hair before it at completion: the next firing is a day later
    SimpleTriggerContext afterFiring = new SimpleTriggerContext(Clock.fixed(early, SHANGHAI));
    afterFiring.update(fired, fired.minusNanos(500_000), early);
    assertThat(firings.nextExecution(afterFiring)).isEqualTo(fired.plusSeconds(24 * 3600));
  }

  @Test
  void theNightIsTheConfiguredZonesWhateverTheMachinesZone() {
    // 17:59 UTC on 7 December is 01:59 on the 8th in China: the run is due a minute later
    Instant utc = ZonedDateTime.of(2021, 12, 7, 17, 59, 0, 0, ZoneId.of("UTC")).toInstant();
    NightlyScheduler.Firings firings = new NightlyScheduler.Firings(NIGHTLY);

    Instant next = firings.nextExecution(new SimpleTriggerContext(Clock.fixed(utc, ZoneId.of("UTC"))));

    assertThat(next).isEqualTo(ZonedDateTime.of(2021, 12, 8, 2, 0, 0, 0, SHANGHAI).toInstant());
    assertThat(firings.businessDate()).hasToString("2021-12-07");
  }
}
