package org.agrifusion.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLNonTransientConnectionException;
import java.util.List;
import java.util.OptionalInt;
import org.agrifusion.jobs.job.dailyfusion.DependencyUnavailableException;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * What the agri command prints when a command fails unexpectedly (one line, never a stack trace), and
 * when it is asked for help or given bad arguments (exit 2, the problem in one line and where the help is).
 */
class AgriCommandLineFailureTest {

  record Told(int code, List<String> lines) {}

  record Ran(int code, String out, List<String> err) {}

  /** The command as the application runs it, with no beans: none of these commands gets as far as using one. */
  static Ran agri(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      AgriCommandLine cli = new AgriCommandLine(null, null, null, null, null, null, null, null, null, null);
      cli.run(args);
      return new Ran(cli.getExitCode(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8).lines().toList());
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  /** What the application answers before it starts its context. */
  static Ran beforeContext(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      OptionalInt code = AgriCommandLine.beforeContext(args);
      return new Ran(code.orElse(-1), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8).lines().toList());
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  @Test
  void helpCompletionAndUsageErrorsAreAnsweredWithoutStartingTheApplication() {
    Ran help = beforeContext("extract", "--help");
    Ran completion = beforeContext("completion");
    Ran bad = beforeContext("run", "--date", "2021-13-01", "--agri.spark.master=local[1]");
    Ran none = beforeContext();
    Ran lake = beforeContext("lake");
    Ran run = beforeContext("run", "--date", "2021-12-07", "--force", "--agri.elasticsearch.index-prefix=cli-",
        "--agri.spark.conf[spark.executor.memory]=1g");
    Ran search = beforeContext("search", "富士", "--region", "1408", "--from", "2021-12-07", "--mode", "phrase", "--format", "csv");

    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("--date", "--id", "--latest");
    assertThat(completion.code()).isZero();
    assertThat(completion.out()).contains("complete -F", "import-history", "--as-of");
    assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err().get(0)).isEqualTo("agri: Invalid value for option '--date': '2021-13-01' is not a yyyy-MM-dd date");
    assertThat(none.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(String.join("\n", none.err())).contains("run", "search");
    assertThat(lake.code()).isEqualTo(ExitCodes.USAGE);
    // a well-formed command, Spring's own --property=value arguments left to the context, needs the application
    assertThat(run.code()).as(run.err().toString()).isEqualTo(-1);
    assertThat(search.code()).as(search.err().toString()).isEqualTo(-1);
  }

  /** The command lines of scripts/ (run.sh, chaos.sh, cluster-test.sh, bench.sh, deploy/), README and docs/. */
  @Test
  void theCommandLinesOfTheScriptsAndDocsStillParse() {
    List<String> lines = List.of(
        "generate --date 2021-12-07 --orders 2000",
        "generate --date 2021-12-07 --scale 0.25",
        "import-history --source xinfadi-daily-prices --file samples/history/xinfadi_prices_2021-11-07_2021-12-06.csv.gz --as-of 2021-12-06",
        "run --date 2021-12-07 --force",
        "run --date 2021-12-07",
        "backfill --from 2021-12-01 --to 2021-12-07",
        "restart --date 2021-12-07",
        "recover --date 2021-12-07",
        "status",
        "status --last 50",
        "status --date 2021-12-07",
        "schedule",
        "extract --date 2021-12-07 --id upbound-parcels-monthly",
        "extract --date 2021-12-07 --latest",
        "lake tables",
        "lake fingerprint",
        "lake maintain",
        "profile --source xinfadi-daily-prices --file 菜价.csv --date 2021-12-07",
        "index --rebuild",
        "index --rebuild --family sales",
        "search 富士 --from 2021-12-07 --to 2021-12-07 --sort price_avg --size 5",
        "search --family delivery-daily --region 1408 --stats-by courier_code --size 5",
        "search --family sales --region 14 --stats-by variety_code --format csv",
        "search --family price-daily --product 0201 --stats-by market_code");

    for (String line : lines) {
      Ran ran = beforeContext(line.split(" "));
      assertThat(ran.code()).as(line + ": " + ran.err()).isEqualTo(-1);
    }
  }

  @Test
  void theHelpOfACommandListsItsOptions() {
    Ran run = agri("run", "--help");
    Ran backfill = agri("backfill", "--help");
    Ran search = agri("search", "--help");

    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("agri run", "--date", "--force");
    assertThat(backfill.code()).isZero();
    assertThat(backfill.out()).contains("--from", "--to");
    assertThat(search.code()).isZero();
    assertThat(search.out()).contains("TEXT", "--family", "--region", "--from", "--min-price", "--stats-by", "--format");
  }

  @Test
  void theTopLevelHelpListsEveryCommand() {
    Ran help = agri("--help");

    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("run", "generate", "profile", "index", "backfill", "restart", "recover", "extract",
        "lake", "status", "import-history", "schedule", "search", "completion");
  }

  @Test
  void anUnknownCommandOrOptionIsAUsageError() {
    Ran command = agri("rn", "--date", "2021-12-07");
    Ran option = agri("run", "--date", "2021-12-07", "--forse");

    assertThat(command.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(command.err().get(0)).startsWith("agri: ").contains("'rn'");
    assertThat(option.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(option.err().get(0)).startsWith("agri: ").contains("--forse");
    assertThat(option.err()).anyMatch(l -> l.contains("agri run --help"));
  }

  @Test
  void aMalformedOrMissingValueIsAUsageErrorNamingIt() {
    Ran from = agri("backfill", "--from", "yesterday", "--to", "2021-12-06");
    Ran last = agri("status", "--last", "x");
    Ran missing = agri("restart");
    Ran scale = agri("generate", "--date", "2021-12-07", "--scale", "big");

    assertThat(from.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(from.err().get(0)).startsWith("agri: ").contains("--from", "'yesterday'");
    assertThat(from.err()).hasSize(2).last().asString().contains("agri backfill --help");
    assertThat(last.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(last.err().get(0)).contains("--last", "'x'");
    assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err().get(0)).contains("--date");
    assertThat(scale.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(scale.err().get(0)).contains("--scale", "'big'");
  }

  static Told fail(Throwable e) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    String logFile = System.getProperty("LOG_FILE");
    System.setProperty("LOG_FILE", "/var/log/agri/agri.log");
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = AgriCommandLine.failed("run", e);
      return new Told(code, err.toString(StandardCharsets.UTF_8).lines().toList());
    } finally {
      System.setErr(stderr);
      if (logFile == null) {
        System.clearProperty("LOG_FILE");
      } else {
        System.setProperty("LOG_FILE", logFile);
      }
    }
  }

  @Test
  void anUnexpectedFailureIsOneLineNamingTheLogFile() {
    Told told = fail(new IllegalStateException("cannot count agri-sales-1 by business_date", new java.io.IOException("reset")));

    assertThat(told.code()).isEqualTo(ExitCodes.FAILED);
    assertThat(told.lines()).containsExactly(
        "agri: cannot count agri-sales-1 by business_date (details in /var/log/agri/agri.log)");
  }

  @Test
  void aLostJobRepositoryOrAnUnavailableDependencyHasItsOwnExitCode() {
    Told repository = fail(new CannotCreateTransactionException("Could not open JDBC Connection for transaction",
        new SQLNonTransientConnectionException("Connection refused", "08001")));
    Told elasticsearch = fail(new IllegalStateException("step failed",
        new DependencyUnavailableException("Elasticsearch http://127.0.0.1:9250", "Connection refused", null)));

    assertThat(repository.code()).isEqualTo(ExitCodes.DEPENDENCY_UNAVAILABLE);
    assertThat(repository.lines()).containsExactly(
        "agri: dependency unavailable: job repository: Connection refused (details in /var/log/agri/agri.log)");
    assertThat(elasticsearch.code()).isEqualTo(ExitCodes.DEPENDENCY_UNAVAILABLE);
    assertThat(elasticsearch.lines()).containsExactly(
        "agri: dependency unavailable: Elasticsearch http://127.0.0.1:9250: Connection refused (details in /var/log/agri/agri.log)");
  }

  /** A collaborator the configuration cannot build (a cluster master without the executors' jar) says why in its own words. */
  @Test
  void aBeanTheConfigurationCannotBuildIsToldByItsCauseNotBySpring() {
    Told told = fail(new org.springframework.beans.factory.BeanCreationException("sparkSession",
        "Failed to instantiate [org.apache.spark.sql.SparkSession]: Factory method 'sparkSession' threw exception",
        new IllegalStateException("agri.spark.jars (AGRI_SPARK_JARS): /opt/agri/x.jar does not exist")));

    assertThat(told.code()).isEqualTo(ExitCodes.FAILED);
    assertThat(told.lines()).containsExactly(
        "agri: agri.spark.jars (AGRI_SPARK_JARS): /opt/agri/x.jar does not exist (details in /var/log/agri/agri.log)");
  }
}
