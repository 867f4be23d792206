package org.agrifusion.jobs.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

/** The charts' parameters: codes as prefixes, default and bounded periods. */
class ChartQueryTest {

  static final LocalDate LATEST = LocalDate.of(2021, 12, 7);

  @Test
  void aRegionIsTheCodePrefixItsSubRegionsShare() {
    assertThat(ChartQuery.region("14")).isEqualTo("14");
    assertThat(ChartQuery.region("140000")).isEqualTo("14");
    assertThat(ChartQuery.region("140900")).isEqualTo("1409");
    assertThat(ChartQuery.region("140922")).isEqualTo("140922");
    assertThat(ChartQuery.regionCode("1409")).isEqualTo("140900");
    assertThatThrownBy(() -> ChartQuery.region("1")).hasMessage("region must be a GB/T 2260 code or prefix of 2, 4 or 6 digits (digits only)");
    assertThatThrownBy(() -> ChartQuery.region("１４")).as("full-width digits").isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void periodsDefaultToTheDaysOrMonthsUpToTheLatestPublishedDate() {
    assertThat(ChartQuery.days(null, null, LATEST)).isEqualTo(new ChartQuery.Days(LocalDate.of(2021, 11, 8), LATEST));
    assertThat(ChartQuery.days("2021-12-01", null, LATEST)).isEqualTo(new ChartQuery.Days(LocalDate.of(2021, 12, 1), LocalDate.of(2021, 12, 30)));
    assertThat(ChartQuery.days(null, "2021-06-30", LATEST)).isEqualTo(new ChartQuery.Days(LocalDate.of(2021, 6, 1), LocalDate.of(2021, 6, 30)));
    assertThat(ChartQuery.days("2021-01-01", "2021-12-31", LATEST).to()).isEqualTo(LocalDate.of(2021, 12, 31));
    assertThatThrownBy(() -> ChartQuery.days("2020-12-30", "2021-12-31", LATEST)).hasMessage("the period is at most 366 days");

    assertThat(ChartQuery.months(null, null, null, YearMonth.from(LATEST)))
        .isEqualTo(new ChartQuery.Months(YearMonth.of(2021, 1), YearMonth.of(2021, 12)));
    assertThat(ChartQuery.months("2021-11", null, null, YearMonth.from(LATEST)))
        .isEqualTo(new ChartQuery.Months(YearMonth.of(2021, 11), YearMonth.of(2021, 11)));
    assertThatThrownBy(() -> ChartQuery.months("2021-13", null, null, YearMonth.from(LATEST))).hasMessage("month must be a month as yyyy-MM");
  }
}
