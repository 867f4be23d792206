package org.agrifusion.pipelines.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.agrifusion.pipelines.support.TestReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The province-day generator at a small scale: deterministic, the planned volumes and shares, re-sends that match. */
class ProvinceDayTest {

  static final LocalDate DAY = LocalDate.of(2021, 12, 7);
  static final double SCALE = 0.002;
  static final Path SAMPLE = Path.of("../samples/landing/xinfadi-daily-prices/2021-12-07/xinfadi_prices_2021-12-07.csv");
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path root;

  static ProvinceDay generator() {
    return new ProvinceDay(TestReference.SHIPPED.regions(), SAMPLE);
  }

  @Test
  void theSameSeedWritesTheSameBytes() throws Exception {
    ProvinceDay.Written first = generator().write(root.resolve("a"), DAY, SCALE, 0.03, 7);
    Thread.sleep(1100); // a clock-stamped file (the workbook's creation time) would differ
    ProvinceDay.Written second = generator().write(root.resolve("b"), DAY, SCALE, 0.03, 7);
    assertThat(second).isEqualTo(new ProvinceDay.Written(first.waybills(), first.resent(), first.lateWaybills(),
        first.orderLines(), first.quotes(), first.entities(), first.waybillsByCourier(), first.dirtyLines(),
        first.files().stream().map(f -> root.resolve("b").resolve(root.resolve("a").relativize(f))).toList()));
    for (Path a : first.files()) {
      Path b = root.resolve("b").resolve(root.resolve("a").relativize(a));
      assertThat(Files.mismatch(a, b)).as(a.toString()).isEqualTo(-1L);
    }
    ProvinceDay.Written other = generator().write(root.resolve("c"), DAY, SCALE, 0.03, 8);
    assertThat(Files.mismatch(first.files().get(0), other.files().get(0))).isNotEqualTo(-1L);
  }

  @Test
  void volumesAndCourierSharesAreThePlannedOnes() throws IOException {
    ProvinceDay.Written w = generator().write(root, DAY, SCALE, 0.03, 2023);
    assertThat((double) w.waybills()).isCloseTo(3_000_000 * SCALE, within(3_000_000 * SCALE * 0.1));
    assertThat((double) w.orderLines()).isCloseTo(1_000_000 * SCALE, within(1_000_000 * SCALE * 0.05));
    assertThat((double) w.quotes()).isCloseTo(50_000 * SCALE, within(50_000 * SCALE * 0.1));
    assertThat(w.entities()).isEqualTo(10);
    assertThat(w.resent()).isGreaterThan(w.waybills() / 3);

    // What the files hold, read back: lines per courier (by its own files) against the planned share.
    Map<String, Long> lines = new HashMap<>();
    long total = 0;
    for (Path f : w.files()) {
      if (f.toString().contains("courier-waybills")) {
        String courier = f.getFileName().toString().split("_")[0];
        long n = read(f).size();
        lines.merge(courier, n, Long::sum);
        total += n;
      }
    }
    assertThat(total).isEqualTo(w.waybills());
    for (ProvinceDay.Courier c : ProvinceDay.COURIERS) {
      double share = 100.0 * lines.get(c.file()) / total;
      // Half the JD platform's parcels go by 京东物流: its share is some 3 points above the national one.
      double planned = c.share() * 100 / 98 + (c.file().equals("jd") ? 3 : 0);
      assertThat(share).as(c.name()).isCloseTo(planned, within(2.0));
    }
    assertThat(w.files()).anyMatch(f -> f.toString().endsWith(".jsonl.gz")).anyMatch(f -> f.toString().endsWith(".csv.gz"));
    assertThat(w.files().stream().filter(f -> f.toString().contains("market-bulletins"))).hasSizeGreaterThanOrEqualTo(5);
  }

  @Test
  void theNextDayReSendsInTransitParcelsAsSignedWithTheirTrackingNumbers() throws IOException {
    ProvinceDay.Written d = generator().write(root, DAY, SCALE, 0.03, 2023);
    ProvinceDay.Written next = generator().write(root, DAY.plusDays(1), SCALE, 0.03, 2023);
    Map<String, JsonNode> inTransit = new HashMap<>();
    Set<String> all = new HashSet<>();
    for (JsonNode n : waybills(d)) {
      all.add(n.get("mailNo").asText());
      if (n.get("status").asText().equals("运输中")) {
        inTransit.put(n.get("mailNo").asText(), n);
      }
    }
    List<JsonNode> pickedUpOnD = waybills(next).stream()
        .filter(n -> n.get("acceptTime").asText().startsWith(DAY.toString())).toList();
    List<JsonNode> known = pickedUpOnD.stream().filter(n -> all.contains(n.get("mailNo").asText())).toList();
    // The rest are D's parcels pushed a day late.
    assertThat(known.size()).isGreaterThan(pickedUpOnD.size() * 9 / 10);
    assertThat(known).allSatisfy(n -> {
      JsonNode before = inTransit.get(n.get("mailNo").asText());
      assertThat(before).as(n.toString()).isNotNull();
      assertThat(n.get("status").asText()).isEqualTo("已签收");
      assertThat(n.get("signTime").asText()).startsWith(DAY.plusDays(1).toString());
      assertThat(n.get("acceptTime")).isEqualTo(before.get("acceptTime"));
    });
    assertThat(new HashSet<>(known.stream().map(n -> n.get("mailNo").asText()).toList()).size())
        .isGreaterThan(inTransit.size() / 3);
  }

  static List<JsonNode> waybills(ProvinceDay.Written w) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (Path f : w.files()) {
      if (f.toString().contains("courier-waybills")) {
        for (String line : read(f)) {
          try {
            JsonNode n = JSON.readTree(line);
            if (n.has("status") && n.has("acceptTime")) {
              out.add(n);
            }
          } catch (IOException malformed) {
            // a damaged line, on purpose
          }
        }
      }
    }
    return out;
  }

  static List<String> read(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        Stream<String> lines = reader.lines()) {
      return lines.toList();
    }
  }
}
