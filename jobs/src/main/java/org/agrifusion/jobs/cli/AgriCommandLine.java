package org.agrifusion.jobs.cli;

import org.agrifusion.jobs.support.Causes;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import org.agrifusion.pipelines.source.PersonalDataKey;
import org.agrifusion.jobs.es.FamilyLoader;
import org.agrifusion.jobs.config.JobRepositoryFailover;
import org.agrifusion.jobs.job.dailyfusion.DependencyUnavailableException;
import org.agrifusion.jobs.schedule.NightlyScheduler;
import org.agrifusion.pipelines.generate.ProvinceDay;
import org.agrifusion.pipelines.generate.SyntheticFeeds;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.standardise.FeedProfile;
import org.apache.spark.sql.SparkSession;
import org.springframework.beans.factory.ObjectProvider;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.stereotype.Component;

/**
 * The {@code agri} command: {@code run} runs the nightly job for one business date and prints what
 * it did; {@code generate} lands synthetic feeds. Exit codes are for cron and systemd: see
 * {@link ExitCodes}.
 */
@Component
public class AgriCommandLine implements CommandLineRunner, ExitCodeGenerator {

  public static final String USAGE = """
      usage: agri run --date yyyy-MM-dd [--force]
             agri backfill --from yyyy-MM-dd --to yyyy-MM-dd
             agri restart --date yyyy-MM-dd
             agri status [--last N | --date yyyy-MM-dd]
             agri import-history --source ID --file PATH [--as-of yyyy-MM-dd]
             agri recover --date yyyy-MM-dd
             agri extract --date yyyy-MM-dd [--id EXTRACT] [--latest]
             agri lake tables | agri lake fingerprint | agri lake maintain
             agri schedule
             agri generate --date yyyy-MM-dd [--orders N | --scale S [--dirt F]] [--seed S]
             agri profile --source ID --file PATH [--date yyyy-MM-dd]
             agri serve [--port N]
        run       run the daily-fusion job for one business date
                  --force  run the date again from its first step, whatever its state (replaces its outputs)
        backfill  run the dates in order, skipping completed ones, stopping at the first failure
        restart   continue a failed date from the step that failed (completed steps are not redone)
        status    the latest runs: date, status, start, duration, rows read / accepted / quarantined,
                  and per step the rows written, quarantined and the duration
                  --date: the date's nightly run and the history imports that filed rows under it
        import-history  a multi-day file of one feed (an archive) into the lake in one pass: every row
                  under its own date, each date's partitions and daily marts written and published,
                  each date recorded with its rows read / accepted / quarantined; --as-of: the day the
                  file was produced (default today, Asia/Shanghai): the year of year-less dates, and
                  nothing dated after it is accepted. Importing a file again replaces what it wrote
        recover   mark a date's run whose process died as failed, without restarting it (run, backfill,
                  restart and schedule do this themselves before they go on)
        extract   write the department extracts (conf/extracts) of the date's day or month again: a
                  period already issued is re-cut byte for byte from the lake snapshots its manifest
                  names; --latest (or a period never issued) cuts it from the date's latest publication
        lake      tables: every lake table with its current snapshot, rows, files and bytes;
                  fingerprint: every table's rows and a digest of its content without run ids and
                  storage paths (the same landed files give the same lines, on any storage or cluster);
                  maintain: expire old snapshots (keeping those recent runs and issued extracts
                  name), remove orphan files, compact small files (agri.lake.maintenance)
        schedule  stay running and run yesterday's date on agri.schedule.cron in agri.schedule.zone
                  (default 02:00 Asia/Shanghai), after restarting the failed or stopped runs of
                  the last agri.schedule.retry-days; a run still going when the next fires is not
                  started twice; on SIGTERM a running job is recorded as STOPPED, to restart
        generate  write a day of synthetic shop orders, courier waybills and origin registry into
                  the landing zone (default 2000 order lines, seed 2023); --scale S writes a
                  province-day instead (1.0: ~3 M waybills in couriers' files, 1 M order lines,
                  50 k quotes of nine markets, 5 k registry entities; --dirt F damaged rows, 0.03)
        profile   what the data standard makes of a feed's file (any dates): rows accepted, product
                  codes, origins resolved, top reasons, unknown products and origins; --date
                  (default today) is the business date year-less dates take their year from
        serve     the web portal (search, charts, extracts, runs) on agri.portal.address:agri.portal.port
                  (default 127.0.0.1:8088) until stopped; users and roles in agri.portal.users
        index     agri index --rebuild [--family F]: reload every published row of a family (all by
                  default) into a new index generation and swap the alias when the counts reconcile
      """ + SearchCommand.USAGE;

  private static final org.slf4j.Logger DETAILS = org.slf4j.LoggerFactory.getLogger("agri.details");

  private final PrintStream out = System.out;
  private int exitCode = ExitCodes.OK;

  private final Lake lake;
  private final ReferenceData reference;
  private final List<SourceDescriptor> sources;
  private final ObjectProvider<SparkSession> spark;
  private final PersonalDataKey personalDataKey;
  private final SearchCommand search;
  private final FamilyLoader loader;
  private final Operations operations;
  private final NightlyScheduler scheduler;
  private final org.agrifusion.jobs.lake.LakeCommands lakeCommands;

  public AgriCommandLine(Lake lake, ReferenceData reference, List<SourceDescriptor> sources,
      ObjectProvider<SparkSession> spark, PersonalDataKey personalDataKey, SearchCommand search, FamilyLoader loader,
      Operations operations, NightlyScheduler scheduler, org.agrifusion.jobs.lake.LakeCommands lakeCommands) {
    this.lake = lake;
    this.reference = reference;
    this.sources = sources;
    this.spark = spark;
    this.personalDataKey = personalDataKey;
    this.search = search;
    this.loader = loader;
    this.operations = operations;
    this.scheduler = scheduler;
    this.lakeCommands = lakeCommands;
  }

  @Override
  public void run(String... args) {
    if (args.length == 0) {
      return; // started by a test or embedding code, not from the command line
    }
    Deque<String> words = new ArrayDeque<>(java.util.List.of(args));
    String command = words.pop();
    try {
      exitCode = switch (command) {
        case "run" -> run(Options.parse(words));
        case "generate" -> generate(Options.parse(words));
        case "profile" -> profile(Options.parse(words));
        case "index" -> index(Options.parse(words));
        case "backfill" -> {
          Map<String, String> o = Options.parse(words);
          yield operations.backfill(date(o.get("from"), "--from"), date(o.get("to"), "--to"), out);
        }
        case "restart" -> operations.restart(date(Options.parse(words).get("date")), out);
        case "recover" -> operations.recover(date(Options.parse(words).get("date")), out);
        case "extract" -> extract(Options.parse(words));
        case "lake" -> lake(words);
        case "status" -> {
          Map<String, String> o = Options.parse(words);
          yield o.containsKey("date") ? operations.status(date(o.get("date")), out)
              : operations.status(Integer.parseInt(o.getOrDefault("last", "10")), out);
        }
        case "import-history" -> importHistory(Options.parse(words));
        case "schedule" -> {
          Options.parse(words);
          yield scheduler.runUntilStopped(out);
        }
        case "serve" -> {
          Options.parse(words); // --port was read before start-up (web.Serve)
          yield ExitCodes.OK;
        }
        case "search" -> {
          String text = !words.isEmpty() && !words.peek().startsWith("--") ? words.pop() : null;
          yield search.run(text, Options.parse(words), out);
        }
        default -> usage("unknown command '" + command + "'");
      };
    } catch (IllegalArgumentException e) {
      exitCode = usage(e.getMessage());
    } catch (JobExecutionAlreadyRunningException e) {
      System.err.println("agri: " + e.getMessage());
      exitCode = ExitCodes.ALREADY_RUNNING;
    } catch (Exception e) {
      exitCode = failed(command, e);
    }
  }

  /** One line for the user, the stack trace in the log file. */
  public static int failed(String command, Throwable e) {
    DETAILS.error("agri {} failed", command, e);
    String logFile = System.getProperty("LOG_FILE");
    String see = logFile == null ? "" : " (details in " + logFile + ")";
    Optional<DependencyUnavailableException> unavailable = Causes.find(e, DependencyUnavailableException.class);
    if (unavailable.isPresent()) {
      System.err.println("agri: " + unavailable.get().getMessage() + see);
      return ExitCodes.DEPENDENCY_UNAVAILABLE;
    }
    if (JobRepositoryFailover.connectionLost(e)) {
      System.err.println("agri: dependency unavailable: job repository: " + Causes.rootMessage(e) + see);
      return ExitCodes.DEPENDENCY_UNAVAILABLE;
    }
    // A collaborator the configuration cannot build: its cause says why, Spring's wrapping only where.
    String message = Causes.find(e, org.springframework.beans.factory.BeanCreationException.class).isPresent()
        ? Causes.rootMessage(e) : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    System.err.println("agri: " + message + see);
    return ExitCodes.FAILED;
  }

  private int run(Map<String, String> options) {
    try {
      return operations.run(date(options.get("date")), options.containsKey("force"), out);
    } catch (InvalidJobParametersException e) {
      return usage(e.getMessage());
    }
  }

  private int lake(Deque<String> words) {
    String action = words.isEmpty() ? "" : words.poll();
    switch (action) {
      case "tables" -> lakeCommands.tables(out);
      case "fingerprint" -> lakeCommands.fingerprint(out);
      case "maintain" -> lakeCommands.maintain(out);
      default -> throw new IllegalArgumentException("agri lake needs 'tables', 'fingerprint' or 'maintain', not '" + action + "'");
    }
    return ExitCodes.OK;
  }

  private int extract(Map<String, String> options) {
    return operations.reissueExtracts(date(options.get("date")), java.util.Optional.ofNullable(options.get("id")),
        options.containsKey("latest"), out);
  }

  private int generate(Map<String, String> options) {
    LocalDate date = date(options.get("date"));
    if (options.containsKey("scale") && options.containsKey("orders")) {
      throw new IllegalArgumentException("generate takes --orders or --scale, not both");
    }
    if (options.containsKey("scale")) {
      return generateProvinceDay(date, options);
    }
    int orders = Integer.parseInt(options.getOrDefault("orders", "2000"));
    long seed = Long.parseLong(options.getOrDefault("seed", "2023"));
    Path landing = localLanding();
    SyntheticFeeds.Written written = new SyntheticFeeds(reference.regions()).write(landing, date, orders, seed);
    out.printf("generated %d order lines, %d waybills, %d registry entries for %s:%n", written.orderLines(),
        written.waybills(), written.registryEntries(), date);
    written.files().forEach(f -> out.println("  " + f));
    return ExitCodes.OK;
  }

  private int generateProvinceDay(LocalDate date, Map<String, String> options) {
    double scale = Double.parseDouble(options.get("scale"));
    double dirt = Double.parseDouble(options.getOrDefault("dirt", String.valueOf(ProvinceDay.DEFAULT_DIRT)));
    long seed = Long.parseLong(options.getOrDefault("seed", "2023"));
    Path landing = localLanding();
    // The price levels are the real Xinfadi bulletin of the shipped sample.
    Path sample = Path.of("samples/landing/xinfadi-daily-prices/2021-12-07/xinfadi_prices_2021-12-07.csv");
    ProvinceDay.Written w = new ProvinceDay(reference.regions(), sample).write(landing, date, scale, dirt, seed);
    out.printf("generated %d waybills (%d re-sent, %d late), %d order lines, %d price quotes, %d registry entries,"
        + " %d damaged lines for %s:%n", w.waybills(), w.resent(), w.lateWaybills(), w.orderLines(), w.quotes(),
        w.entities(), w.dirtyLines(), date);
    w.files().forEach(f -> out.println("  " + f));
    return ExitCodes.OK;
  }

  private Path localLanding() {
    String root = lake.root();
    if (!root.startsWith("file:")) {
      throw new IllegalArgumentException("generate writes to a local lake only, not " + root);
    }
    return Path.of(URI.create(root)).resolve("landing");
  }

  private int index(Map<String, String> options) {
    if (!options.containsKey("rebuild")) {
      throw new IllegalArgumentException("index needs --rebuild (daily loading is the job's index step)");
    }
    List<String> names = options.containsKey("family") ? List.of(options.get("family")) : List.copyOf(loader.families().keySet());
    String loadId = "rebuild-" + java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
    for (String name : names) {
      FamilyLoader.Outcome o = loader.rebuild(name, loadId);
      out.printf("%-20s %-50s %8d documents (reconciled with the lake)%n", name, o.index(), o.inIndex());
    }
    return ExitCodes.OK;
  }

  private int importHistory(Map<String, String> options) throws Exception {
    SourceDescriptor source = source(options);
    String uri = fileUri(options);
    LocalDate asOf = options.containsKey("as-of") ? date(options.get("as-of"), "--as-of")
        : LocalDate.now(java.time.ZoneId.of("Asia/Shanghai"));
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
    if (!path.getFileSystem(spark.getObject().sparkContext().hadoopConfiguration()).exists(path)) {
      throw new IllegalArgumentException("--file " + options.get("file") + " does not exist");
    }
    return operations.importHistory(source.id(), uri, asOf, out);
  }

  private SourceDescriptor source(Map<String, String> options) {
    String id = options.get("source");
    return sources.stream().filter(s -> s.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("--source '" + id + "' is not one of "
            + sources.stream().map(SourceDescriptor::id).toList()));
  }

  /** --file as a Hadoop URI: as given when it has a scheme, else the absolute local path. */
  private static String fileUri(Map<String, String> options) {
    String file = options.get("file");
    if (file == null) {
      throw new IllegalArgumentException("--file PATH is required");
    }
    // Hadoop paths take file names as they are, so no URI percent-encoding of Chinese names.
    return file.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") ? file : "file:" + Path.of(file).toAbsolutePath().normalize();
  }

  private int profile(Map<String, String> options) {
    SourceDescriptor source = source(options);
    String file = options.get("file");
    String uri = fileUri(options);
    // the business date only gives year-less dates their year (the window is not applied)
    LocalDate asOf = options.containsKey("date") ? date(options.get("date")) : LocalDate.now();
    FeedProfile.Figures f = FeedProfile.profile(spark.getObject(), source, java.util.List.of(uri), reference, personalDataKey.get(), asOf);
    out.printf("profile of %s with %s as of %s (every rule but the date window)%n", file, source.id(), asOf);
    out.printf("  rows %d, accepted %d (%s), quarantined %d%n", f.rows(), f.accepted(), share(f.accepted(), f.rows()), f.quarantined());
    out.printf("  product coded %d (%s of rows)%n", f.productCoded(), share(f.productCoded(), f.rows()));
    out.printf("  origins given %d, resolved to at least one code %d (%s)%n", f.originGiven(), f.originResolved(),
        share(f.originResolved(), f.originGiven()));
    out.println("  reasons: " + f.reasons());
    out.println("  unknown products: " + f.unknownProducts());
    out.println("  unresolved origins: " + f.unresolvedOrigins());
    return ExitCodes.OK;
  }

  private static String share(long part, long whole) {
    return whole == 0 ? "-" : String.format("%.2f %%", 100.0 * part / whole);
  }

  private static LocalDate date(String value) {
    return date(value, "--date");
  }

  private static LocalDate date(String value, String option) {
    if (value == null) {
      throw new IllegalArgumentException(option + " yyyy-MM-dd is required");
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(option + " '" + value + "' is not a yyyy-MM-dd date");
    }
  }

  private static int usage(String problem) {
    System.err.println("agri: " + problem);
    System.err.println(USAGE);
    return ExitCodes.USAGE;
  }

  @Override
  public int getExitCode() {
    return exitCode;
  }
}
