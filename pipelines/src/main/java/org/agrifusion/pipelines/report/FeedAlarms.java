package org.agrifusion.pipelines.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.agrifusion.pipelines.report.ReportFigures.FileRows;
import org.agrifusion.pipelines.report.ReportFigures.SourceRows;
import org.agrifusion.pipelines.source.LandedFiles;
import org.agrifusion.pipelines.source.SourceDescriptor;

/**
 * What a night's figures say a steward must look at, although the run completed: a feed that
 * quarantined more of its rows than its limit (a renamed column, another encoding, a new date
 * format: every row gets a reason, none is lost, but the feed is missing from the marts), and a
 * landed file that was not read (rejected or empty). A run with alarms publishes what it accepted
 * and ends with its own exit code, so cron and systemd tell the operator instead of staying silent.
 */
public final class FeedAlarms {

  public static final String QUARANTINE_SHARE = "QUARANTINE_SHARE";
  public static final String FILE_NOT_READ = "FILE_NOT_READ";

  /** @param source the feed (landing folder) it concerns; @param type {@link #QUARANTINE_SHARE} or {@link #FILE_NOT_READ} */
  public record Alarm(String source, String type, String message) {}

  private FeedAlarms() {}

  /**
   * @param limits the feeds' descriptors, for their {@code max_quarantine_share}
   * @param defaultLimit the share a feed without its own limit may quarantine
   * @param reasons per source, its most frequent quarantine reasons with their row counts: asked for
   *     only when a feed is above its limit, as it costs a pass over the quarantine tables
   */
  public static List<Alarm> of(List<SourceRows> sources, List<FileRows> files, List<SourceDescriptor> limits,
      double defaultLimit, Supplier<Map<String, Map<String, Long>>> reasons) {
    Map<String, Double> limitBySource = limits.stream().filter(d -> d.maxQuarantineShare() != null)
        .collect(Collectors.toMap(SourceDescriptor::id, SourceDescriptor::maxQuarantineShare));
    List<Alarm> alarms = new ArrayList<>();
    Map<String, Map<String, Long>> reasonsBySource = null;
    for (SourceRows source : sources) {
      double limit = limitBySource.getOrDefault(source.source(), defaultLimit);
      if (source.read() > 0 && source.quarantined() > limit * source.read()) {
        reasonsBySource = reasonsBySource == null ? reasons.get() : reasonsBySource;
        String top = reasonsBySource.getOrDefault(source.source(), Map.of()).entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        alarms.add(new Alarm(source.source(), QUARANTINE_SHARE, String.format(Locale.ROOT,
            "%s: %d of %d rows quarantined (%s), above the feed's limit of %s%s", source.source(), source.quarantined(),
            source.read(), percent((double) source.quarantined() / source.read()), percent(limit),
            top.isEmpty() ? "" : ": " + top)));
      }
    }
    for (FileRows file : files) {
      if (file.status().equals(LandedFiles.REJECTED)) {
        alarms.add(new Alarm(file.source(), FILE_NOT_READ, file.source() + ": file " + file.file() + " was not read: "
            + file.reason() + (file.detail() == null ? "" : " (" + file.detail() + ")")));
      } else if (file.status().equals(LandedFiles.EMPTY)) {
        alarms.add(new Alarm(file.source(), FILE_NOT_READ, file.source() + ": file " + file.file()
            + " holds no data (" + file.bytes() + " bytes, at most whitespace): the sender's export may have failed"));
      }
    }
    return alarms;
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f %%", share * 100);
  }
}
