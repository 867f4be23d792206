package org.agrifusion.jobs.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.support.CronExpression;

class NightlySchedulerTest {

  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  static final CronExpression NIGHTLY = CronExpression.parse("0 0 2 * * *");

  @Test
  void aLoopThatComesRoundAHairBeforeTheInstantItFiredDoesNotFireItAgain() {
    ZonedDateTime fired = ZonedDateTime.of(2021, 12, 8, 2, 0, 0, 0, SHANGHAI);
    ZonedDateTime early = fired.minusNanos(300_000);

    assertThat(NightlyScheduler.nextFiring(NIGHTLY, early, null)).isEqualTo(fired);
    assertThat(NightlyScheduler.nextFiring(NIGHTLY, early, fired)).isEqualTo(fired.plusDays(1));
  }

  @Test
  void theNightIsTheConfiguredZonesWhateverTheMachinesZone() {
    // 17:59 UTC on 7 December is 01:59 on the 8th in China: the run is due a minute later
    ZonedDateTime utc = ZonedDateTime.of(2021, 12, 7, 17, 59, 0, 0, ZoneId.of("UTC"));

    ZonedDateTime next = NightlyScheduler.nextFiring(NIGHTLY, utc.withZoneSameInstant(SHANGHAI), null);

    assertThat(next).isEqualTo(ZonedDateTime.of(2021, 12, 8, 2, 0, 0, 0, SHANGHAI));
    assertThat(next.toLocalDate().minusDays(1)).hasToString("2021-12-07");
  }
}
