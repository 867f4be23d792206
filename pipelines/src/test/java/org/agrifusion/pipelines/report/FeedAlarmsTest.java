package org.agrifusion.pipelines.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrifusion.pipelines.report.FeedAlarms.Alarm;
import org.agrifusion.pipelines.report.ReportFigures.FileRows;
import org.agrifusion.pipelines.report.ReportFigures.SourceRows;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.source.SourceDescriptors;
import org.junit.jupiter.api.Test;

class FeedAlarmsTest {

  static final List<SourceDescriptor> SHIPPED = SourceDescriptors.loadAll(Path.of("../conf/sources"));

  static SourceRows rows(String source, long read, long quarantined) {
    return new SourceRows(source, "price_observation", 1, 1, 0, read, read - quarantined, quarantined);
  }

  static FileRows file(String source, String name, String status, String reason, String detail, long bytes) {
    return new FileRows(source, name, status, reason, detail, bytes, "2021-12-07T18:00:00Z", "ab", 0, 0, 0);
  }

  static SourceDescriptor limited(String id, double share) {
    SourceDescriptor d = SHIPPED.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    return new SourceDescriptor(d.id(), d.kind(), d.description(), d.landing(), d.format(), d.columns(), d.fields(),
        d.constants(), d.dateFormats(), d.timezone(), d.dateYear(), d.naturalKey(), d.dateWindow(), d.personalData(),
        d.missingValues(), d.valueMaps(), share);
  }

  @Test
  void aFeedAboveItsLimitIsNamedWithItsFiguresAndTopReasons() {
    Map<String, Long> reasons = new LinkedHashMap<>();
    reasons.put("HEADER_MISMATCH", 443L);
    reasons.put("BAD_DATE", 2L);
    List<Alarm> alarms = FeedAlarms.of(List.of(rows("xinfadi-daily-prices", 443, 443), rows("shop-orders", 2006, 31)),
        List.of(), SHIPPED, 0.5, () -> Map.of("xinfadi-daily-prices", reasons, "shop-orders", Map.of("BAD_DATE", 31L)));
    assertThat(alarms).containsExactly(new Alarm("xinfadi-daily-prices", FeedAlarms.QUARANTINE_SHARE,
        "xinfadi-daily-prices: 443 of 443 rows quarantined (100.0 %), above the feed's limit of 50.0 %: HEADER_MISMATCH 443, BAD_DATE 2"));
  }

  @Test
  void aDescriptorsOwnLimitWinsOverTheDefaultInBothDirections() {
    // 20 % quarantined: within the default 50 %, above a strict feed's 10 %
    List<SourceRows> sources = List.of(rows("agmarknet-mandi-prices", 1000, 200), rows("lade-deliveries", 100, 60));
    List<SourceDescriptor> descriptors = List.of(limited("agmarknet-mandi-prices", 0.1), limited("lade-deliveries", 0.8));
    assertThat(FeedAlarms.of(sources, List.of(), descriptors, 0.5, Map::of))
        .extracting(Alarm::message)
        .containsExactly("agmarknet-mandi-prices: 200 of 1000 rows quarantined (20.0 %), above the feed's limit of 10.0 %");
  }

  @Test
  void exactlyAtTheLimitOrNothingReadIsNoAlarm() {
    // and the quarantine tables are not read for the reasons: nothing is above its limit
    assertThat(FeedAlarms.of(List.of(rows("shop-orders", 10, 5), rows("courier-waybills", 0, 0)), List.of(), SHIPPED, 0.5,
        () -> { throw new AssertionError("reasons read for no alarm"); })).isEmpty();
    // a limit of 0: any quarantined row is an alarm
    assertThat(FeedAlarms.of(List.of(rows("shop-orders", 2006, 1)), List.of(), SHIPPED, 0.0, Map::of)).hasSize(1);
  }

  @Test
  void aRejectedOrEmptyFileIsAnAlarmAReadOrHeaderOnlyOneIsNot() {
    List<FileRows> files = List.of(
        file("shop-orders", "orders_1.csv", "processed", null, null, 5000),
        file("shop-orders", "orders_header.csv", "header-only", null, null, 80),
        file("shop-orders", "orders_2.csv", "empty", null, null, 0),
        file("courier-waybills", "sf.zip", "rejected", "UNSUPPORTED_TYPE", "'.zip' files are not read", 1200),
        file("unknown-feed", "x.csv", "rejected", "NO_DESCRIPTOR", null, 10));
    assertThat(FeedAlarms.of(List.of(), files, SHIPPED, 0.5, Map::of)).extracting(Alarm::message).containsExactly(
        "shop-orders: file orders_2.csv holds no data (0 bytes, at most whitespace): the sender's export may have failed",
        "courier-waybills: file sf.zip was not read: UNSUPPORTED_TYPE ('.zip' files are not read)",
        "unknown-feed: file x.csv was not read: NO_DESCRIPTOR");
  }
}
