package org.agrifusion.jobs.job.historyimport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.agrifusion.jobs.cli.ExitCodes;
import org.agrifusion.jobs.cli.Operations;
import org.agrifusion.jobs.es.FamilyLoader;
import org.agrifusion.jobs.es.IndexManager;
import org.agrifusion.jobs.lake.Publications;
import org.agrifusion.jobs.support.TestLake;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** agri import-history on the real job repository, Spark and Iceberg: one execution, every date recorded and published. */
@SpringBootTest
class HistoryImportFunctionalTests {

  static final TestLake LAKE = TestLake.create("history-it");
  static final Path SAMPLE = Path.of("../samples/landing/xinfadi-daily-prices/2021-12-07/xinfadi_prices_2021-12-07.csv");
  static final List<LocalDate> DAYS = List.of(LocalDate.of(2021, 12, 5), LocalDate.of(2021, 12, 6), LocalDate.of(2021, 12, 7));

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    LAKE.register(registry, "history-it");
  }

  @Autowired Operations operations;
  @Autowired ImportedDates importedDates;
  @Autowired Publications publications;

  @AfterAll
  static void drop(@Autowired FamilyLoader loader, @Autowired IndexManager indices) {
    LAKE.drop(indices, loader.families().keySet());
  }

  @Test
  void aThreeDayFileIsOneExecutionWithEveryDateRecordedAndPublished() throws Exception {
    // the real 443-row sample day (3 crawler repeats) as three days of one archive file
    List<String> lines = Files.readAllLines(SAMPLE);
    String archive = Stream.concat(Stream.of(lines.get(0)), DAYS.stream()
            .flatMap(d -> lines.subList(1, lines.size()).stream().map(l -> l.replace("2021-12-07", d.toString()))))
        .collect(Collectors.joining("\n", "", "\n"));
    Path file = Files.writeString(LAKE.root().resolve("xinfadi-3-days.csv"), archive);
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    int exit = operations.importHistory("xinfadi-daily-prices", "file:" + file, DAYS.get(2), out);

    String printed = buffer.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(printed).isEqualTo(ExitCodes.OK);
    assertThat(printed).contains("COMPLETED, rows read 1329, accepted 1320, quarantined 9")
        .contains("3 dates, 2021-12-05..2021-12-07");
    for (LocalDate day : DAYS) {
      assertThat(importedDates.of(day)).extracting(ImportedDates.ImportedDate::source, ImportedDates.ImportedDate::read,
          ImportedDates.ImportedDate::accepted, ImportedDates.ImportedDate::quarantined)
          .containsExactly(tuple("xinfadi-daily-prices", 443L, 440L, 3L));
      assertThat(publications.latestFor(day)).hasValueSatisfying(p -> assertThat(p.dates()).containsAll(DAYS));
    }

    buffer.reset();
    operations.status(DAYS.get(0), out);
    assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("2021-12-05: no nightly run")
        .containsPattern("history-import \\d+ COMPLETED of xinfadi-daily-prices \\(file:.*xinfadi-3-days.csv\\): 443 read, 440 accepted, 3 quarantined");
    buffer.reset();
    operations.status(10, out);
    assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("import ")
        .contains("xinfadi-daily-prices file:").contains(": 3 dates 2021-12-05..2021-12-07");
  }
}
