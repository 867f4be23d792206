package org.agrifusion.jobs.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.agrifusion.jobs.config.JobRepositoryFailover;
import org.agrifusion.jobs.es.FamilyLoader;
import org.agrifusion.jobs.job.dailyfusion.DependencyUnavailableException;
import org.agrifusion.jobs.lake.LakeCommands;
import org.agrifusion.jobs.schedule.NightlyScheduler;
import org.agrifusion.jobs.support.Causes;
import org.agrifusion.pipelines.generate.ProvinceDay;
import org.agrifusion.pipelines.generate.SyntheticFeeds;
import org.agrifusion.pipelines.lake.Lake;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.source.PersonalDataKey;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.standardise.FeedProfile;
import org.apache.spark.sql.SparkSession;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.stereotype.Component;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code agri} command (picocli): one subcommand per operation, each with generated {@code --help}.
 * Help, {@code --version}, {@code completion} and usage errors are answered before the application
 * context starts ({@link #beforeContext}); the other commands run here once it has. Exit codes are for
 * cron and systemd: see {@link ExitCodes}.
 */
@Component
public class AgriCommandLine implements CommandLineRunner, ExitCodeGenerator {

  private static final org.slf4j.Logger DETAILS = org.slf4j.LoggerFactory.getLogger("agri.details");

  /** Spring Boot's own arguments ({@code --agri.data-root=...}, {@code --spring.x=...}) are for the context, not a command. */
  private static final Pattern PROPERTY = Pattern.compile("--[^=]*[.\\[][^=]*=.*");

  private static final int NEEDS_CONTEXT = Integer.MIN_VALUE;

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
  private final LakeCommands lakeCommands;

  public AgriCommandLine(Lake lake, ReferenceData reference, List<SourceDescriptor> sources,
      ObjectProvider<SparkSession> spark, PersonalDataKey personalDataKey, SearchCommand search, FamilyLoader loader,
      Operations operations, NightlyScheduler scheduler, LakeCommands lakeCommands) {
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
    exitCode = execute(commandLine(), args);
  }

  /**
   * The exit code of what needs no application context (help, version, completion, usage errors, a
   * command without its subcommand), empty when the command needs it.
   */
  public static OptionalInt beforeContext(String... args) {
    CommandLine cli = new AgriCommandLine(null, null, null, null, null, null, null, null, null, null).commandLine();
    cli.setExecutionStrategy(parsed -> {
      List<CommandLine> chain = parsed.asCommandLineList();
      CommandLine last = chain.get(chain.size() - 1);
      boolean help = chain.stream().anyMatch(c -> c.isUsageHelpRequested() || c.isVersionHelpRequested());
      boolean needsContext = !help && last.getSubcommands().isEmpty() && !(last.getCommand() instanceof WithoutContext);
      return needsContext ? NEEDS_CONTEXT : new CommandLine.RunLast().execute(parsed);
    });
    int code = execute(cli, args);
    return code == NEEDS_CONTEXT ? OptionalInt.empty() : OptionalInt.of(code);
  }

  private static int execute(CommandLine cli, String... args) {
    cli.setOut(new PrintWriter(System.out, true));
    cli.setErr(new PrintWriter(System.err, true));
    String[] commandArgs = Arrays.stream(args).filter(a -> !PROPERTY.matcher(a).matches()).toArray(String[]::new);
    if (commandArgs.length == 0) {
      cli.usage(cli.getErr());
      return ExitCodes.USAGE;
    }
    return cli.execute(commandArgs);
  }

  private CommandLine commandLine() {
    CommandLine lakeCommand = new CommandLine(new LakeCommand());
    CommandLine searchCommand = new CommandLine(new Search());
    SEARCH_OPTIONS.forEach((name, help) -> searchCommand.getCommandSpec().addOption(OptionSpec.builder("--" + name)
        .paramLabel(help[0]).description(help[1]).type(String.class).build()));
    CommandLine cli = new CommandLine(new Agri())
        .addSubcommand(new Run())
        .addSubcommand(new Backfill())
        .addSubcommand(new Restart())
        .addSubcommand(new Recover())
        .addSubcommand(new Status())
        .addSubcommand(new ImportHistory())
        .addSubcommand(new Extract())
        .addSubcommand(lakeCommand)
        .addSubcommand(new Schedule())
        .addSubcommand(new Generate())
        .addSubcommand(new Profile())
        .addSubcommand(new Index())
        .addSubcommand(searchCommand)
        .addSubcommand(new Serve())
        .addSubcommand(new HashPassword())
        .addSubcommand(new Completion());
    cli.setExpandAtFiles(false); // a search text may start with @
    cli.registerConverter(LocalDate.class, AgriCommandLine::date);
    cli.setParameterExceptionHandler((e, args) -> usage(e.getCommandLine(), problem(e)));
    cli.setExecutionExceptionHandler((e, command, parsed) -> {
      if (e instanceof IllegalArgumentException) {
        return usage(command, e.getMessage());
      }
      if (e instanceof JobExecutionAlreadyRunningException) {
        System.err.println("agri: " + e.getMessage());
        return ExitCodes.ALREADY_RUNNING;
      }
      String name = command.getCommandSpec().qualifiedName();
      return failed(name.substring(name.indexOf(' ') + 1), e);
    });
    return cli;
  }

  private static String problem(ParameterException e) {
    if (e instanceof UnmatchedArgumentException u && e.getCommandLine().getParent() == null && !u.isUnknownOption()
        && !u.getUnmatched().isEmpty()) {
      return "unknown command '" + u.getUnmatched().get(0) + "'";
    }
    return e.getMessage();
  }

  /** A usage error: the problem in one line, and where the help is. */
  private static int usage(CommandLine command, String problem) {
    command.getErr().println("agri: " + problem);
    command.getErr().println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
    return ExitCodes.USAGE;
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

  private static LocalDate date(String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new TypeConversionException("'" + value + "' is not a yyyy-MM-dd date");
    }
  }

  @Override
  public int getExitCode() {
    return exitCode;
  }

  @Command(name = "agri", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, sortOptions = false,
      versionProvider = Version.class, usageHelpAutoWidth = true,
      description = "Runs, backfills and restarts the nightly daily-fusion job, lands and profiles feeds, and searches the index.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
          "0:done (or already done)",
          "1:the job failed; restart the date once the cause is fixed",
          "2:invalid command or arguments",
          "3:a live process is running the date",
          "4:the configuration cannot be used",
          "5:a dependency (Elasticsearch, the data root, disk space, the job repository) is unavailable; no step ran",
          "6:done, with alarms: a feed quarantined more than its limit or a landed file was not read (see the report)"})
  static class Agri {}

  static class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = AgriCommandLine.class.getPackage().getImplementationVersion();
      return new String[] {"agri-fusion " + (version == null ? "(not packaged)" : version)};
    }
  }

  /** The business date most commands take. */
  static class BusinessDate {
    @Option(names = "--date", required = true, paramLabel = "yyyy-MM-dd", description = "the business date")
    LocalDate value;
  }

  @Command(name = "run", description = {"Run the daily-fusion job for one business date.",
      "A completed date is not run twice; a failed or stopped one continues from the step that failed."})
  class Run implements Callable<Integer> {
    @Mixin BusinessDate date;

    @Option(names = "--force", description = "run the date again from its first step, whatever its state (replaces its outputs)")
    boolean force;

    @Override
    public Integer call() throws Exception {
      try {
        return operations.run(date.value, force, out);
      } catch (InvalidJobParametersException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }
  }

  @Command(name = "backfill", description = "Run the dates in order, skipping completed ones, stopping at the first failure.")
  class Backfill implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "yyyy-MM-dd", description = "the first date")
    LocalDate from;

    @Option(names = "--to", required = true, paramLabel = "yyyy-MM-dd", description = "the last date")
    LocalDate to;

    @Override
    public Integer call() throws Exception {
      return operations.backfill(from, to, out);
    }
  }

  @Command(name = "restart", description = "Continue a failed date from the step that failed (completed steps are not redone).")
  class Restart implements Callable<Integer> {
    @Mixin BusinessDate date;

    @Override
    public Integer call() throws Exception {
      return operations.restart(date.value, out);
    }
  }

  @Command(name = "recover", description = {"Mark a date's run whose process died as failed, without restarting it.",
      "run, backfill, restart and schedule do this themselves before they go on."})
  class Recover implements Callable<Integer> {
    @Mixin BusinessDate date;

    @Override
    public Integer call() throws Exception {
      return operations.recover(date.value, out);
    }
  }

  @Command(name = "status", description = {"The latest runs and the rows they read, accepted and quarantined.",
      "Per run its date, status, start, duration, rows read / accepted / quarantined, and per step the rows written, "
          + "quarantined and the duration."})
  class Status implements Callable<Integer> {
    @Option(names = "--last", paramLabel = "N", defaultValue = "10", description = "how many runs (default ${DEFAULT-VALUE})")
    int last;

    @Option(names = "--date", paramLabel = "yyyy-MM-dd",
        description = "instead: the date's nightly run and the history imports that filed rows under it")
    LocalDate date;

    @Override
    public Integer call() {
      return date != null ? operations.status(date, out) : operations.status(last, out);
    }
  }

  @Command(name = "import-history", description = {"Import a multi-day file of one feed (an archive) into the lake in one pass.",
      "Every row goes under its own date; each date's partitions and daily marts are written and published, and each date is "
          + "recorded with its rows read / accepted / quarantined. Importing a file again replaces what it wrote."})
  class ImportHistory implements Callable<Integer> {
    @Option(names = "--source", required = true, paramLabel = "ID", description = "the feed's descriptor (conf/sources)")
    String source;

    @Option(names = "--file", required = true, paramLabel = "PATH", description = "a local path or a Hadoop URI (hdfs:, s3a:)")
    String file;

    @Option(names = "--as-of", paramLabel = "yyyy-MM-dd", description = "the day the file was produced (default today, "
        + "Asia/Shanghai): the year of year-less dates; nothing dated after it is accepted")
    LocalDate asOf;

    @Override
    public Integer call() throws Exception {
      SourceDescriptor descriptor = source(source);
      String uri = fileUri(file);
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
      if (!path.getFileSystem(spark.getObject().sparkContext().hadoopConfiguration()).exists(path)) {
        throw new IllegalArgumentException("--file " + file + " does not exist");
      }
      LocalDate day = asOf != null ? asOf : LocalDate.now(java.time.ZoneId.of("Asia/Shanghai"));
      return operations.importHistory(descriptor.id(), uri, day, out);
    }
  }

  @Command(name = "extract", description = {"Write the department extracts (conf/extracts) of the date's day or month again.",
      "A period already issued is re-cut byte for byte from the lake snapshots its manifest names; --latest (or a period "
          + "never issued) cuts it from the date's latest publication."})
  class Extract implements Callable<Integer> {
    @Mixin BusinessDate date;

    @Option(names = "--id", paramLabel = "EXTRACT", description = "one extract (default: every extract of the period)")
    String id;

    @Option(names = "--latest", description = "cut from the date's latest publication")
    boolean latest;

    @Override
    public Integer call() {
      return operations.reissueExtracts(date.value, Optional.ofNullable(id), latest, out);
    }
  }

  @Command(name = "lake", description = "The lake's tables: list, fingerprint, maintain.")
  class LakeCommand {
    @Command(name = "tables", description = "Every lake table with its current snapshot, rows, files and bytes.")
    int tables() {
      lakeCommands.tables(out);
      return ExitCodes.OK;
    }

    @Command(name = "fingerprint", description = {"Every table's rows and a digest of its content without run ids and storage paths.",
        "The same landed files give the same lines, on any storage or cluster."})
    int fingerprint() {
      lakeCommands.fingerprint(out);
      return ExitCodes.OK;
    }

    @Command(name = "maintain", description = {"Expire old snapshots, remove orphan files, compact small files (agri.lake.maintenance).",
        "The snapshots recent runs and issued extracts name are kept."})
    int maintain() {
      lakeCommands.maintain(out);
      return ExitCodes.OK;
    }
  }

  @Command(name = "schedule", description = {"Stay running and run yesterday's date on agri.schedule.cron in agri.schedule.zone "
      + "(default 02:00 Asia/Shanghai).",
      "First restarts the failed or stopped runs of the last agri.schedule.retry-days; a run still going when the next fires is "
          + "not started twice; on SIGTERM a running job is recorded as STOPPED, to restart."})
  class Schedule implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      return scheduler.runUntilStopped(out);
    }
  }

  @Command(name = "generate", description = {"Write a day of synthetic shop orders, courier waybills and origin registry into the "
      + "landing zone (a local lake only).",
      "--scale writes a province-day instead (1.0: ~3 M waybills in couriers' files, 1 M order lines, 50 k quotes of nine "
          + "markets, 5 k registry entities)."})
  class Generate implements Callable<Integer> {
    @Mixin BusinessDate date;

    @Option(names = "--orders", paramLabel = "N", description = "order lines (default 2000)")
    Integer orders;

    @Option(names = "--scale", paramLabel = "S", description = "a province-day at this scale, instead of --orders")
    Double scale;

    @Option(names = "--dirt", paramLabel = "F", description = "with --scale: the share of damaged rows (default "
        + ProvinceDay.DEFAULT_DIRT + ")")
    Double dirt;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "2023", description = "the random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() {
      if (scale != null && orders != null) {
        throw new IllegalArgumentException("generate takes --orders or --scale, not both");
      }
      Path landing = localLanding();
      if (scale != null) {
        // The price levels are the real Xinfadi bulletin of the shipped sample.
        Path sample = Path.of("samples/landing/xinfadi-daily-prices/2021-12-07/xinfadi_prices_2021-12-07.csv");
        ProvinceDay.Written w = new ProvinceDay(reference.regions(), sample)
            .write(landing, date.value, scale, dirt == null ? ProvinceDay.DEFAULT_DIRT : dirt, seed);
        out.printf("generated %d waybills (%d re-sent, %d late), %d order lines, %d price quotes, %d registry entries,"
            + " %d damaged lines for %s:%n", w.waybills(), w.resent(), w.lateWaybills(), w.orderLines(), w.quotes(),
            w.entities(), w.dirtyLines(), date.value);
        w.files().forEach(f -> out.println("  " + f));
        return ExitCodes.OK;
      }
      SyntheticFeeds.Written written = new SyntheticFeeds(reference.regions())
          .write(landing, date.value, orders == null ? 2000 : orders, seed);
      out.printf("generated %d order lines, %d waybills, %d registry entries for %s:%n", written.orderLines(),
          written.waybills(), written.registryEntries(), date.value);
      written.files().forEach(f -> out.println("  " + f));
      return ExitCodes.OK;
    }

    private Path localLanding() {
      String root = lake.root();
      if (!root.startsWith("file:")) {
        throw new IllegalArgumentException("generate writes to a local lake only, not " + root);
      }
      return Path.of(URI.create(root)).resolve("landing");
    }
  }

  @Command(name = "profile", description = {"What the data standard makes of a feed's file (any dates): rows accepted, product codes, "
      + "origins resolved, top reasons, unknown products and origins."})
  class Profile implements Callable<Integer> {
    @Option(names = "--source", required = true, paramLabel = "ID", description = "the feed's descriptor (conf/sources)")
    String source;

    @Option(names = "--file", required = true, paramLabel = "PATH", description = "a local path or a Hadoop URI")
    String file;

    @Option(names = "--date", paramLabel = "yyyy-MM-dd",
        description = "the business date year-less dates take their year from (default today; the date window is not applied)")
    LocalDate date;

    @Override
    public Integer call() {
      SourceDescriptor descriptor = source(source);
      LocalDate asOf = date != null ? date : LocalDate.now();
      FeedProfile.Figures f = FeedProfile.profile(spark.getObject(), descriptor, List.of(fileUri(file)), reference,
          personalDataKey.get(), asOf);
      out.printf("profile of %s with %s as of %s (every rule but the date window)%n", file, descriptor.id(), asOf);
      out.printf("  rows %d, accepted %d (%s), quarantined %d%n", f.rows(), f.accepted(), share(f.accepted(), f.rows()), f.quarantined());
      out.printf("  product coded %d (%s of rows)%n", f.productCoded(), share(f.productCoded(), f.rows()));
      out.printf("  origins given %d, resolved to at least one code %d (%s)%n", f.originGiven(), f.originResolved(),
          share(f.originResolved(), f.originGiven()));
      out.println("  reasons: " + f.reasons());
      out.println("  unknown products: " + f.unknownProducts());
      out.println("  unresolved origins: " + f.unresolvedOrigins());
      return ExitCodes.OK;
    }
  }

  @Command(name = "index", description = {"Reload every published row of a family (all by default) into a new index generation "
      + "and swap the alias when the counts reconcile.", "Daily loading is the job's index step."})
  class Index implements Callable<Integer> {
    @Option(names = "--rebuild", description = "required: rebuild from the lake")
    boolean rebuild;

    @Option(names = "--family", paramLabel = "F", description = "one index family (conf/es/families.yml)")
    String family;

    @Override
    public Integer call() {
      if (!rebuild) {
        throw new IllegalArgumentException("index needs --rebuild (daily loading is the job's index step)");
      }
      List<String> names = family != null ? List.of(family) : List.copyOf(loader.families().keySet());
      String loadId = "rebuild-" + java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
      for (String name : names) {
        FamilyLoader.Outcome o = loader.rebuild(name, loadId);
        out.printf("%-20s %-50s %8d documents (reconciled with the lake)%n", name, o.index(), o.inIndex());
      }
      return ExitCodes.OK;
    }
  }

  /** The search options, named as the portal's URL parameters: label and help of each. */
  private static final Map<String, String[]> SEARCH_OPTIONS = searchOptions(
      "family", "F", "the index family: price-observations (default), sales, origin-entities, price-daily, flow-daily, "
          + "delivery-daily, upbound-monthly, spread-daily",
      "product", "CODE", "a product or variety code (0201 apples, 020101 Fuji)",
      "region", "PREFIX", "a region code prefix: 14 Shanxi, 1408 运城",
      "market", "CODE", "a market code, or the market key of a market without one (IN/IN-GJ/Amreli/Damnagar)",
      "channel", "C", "a sales channel",
      "courier", "C", "a courier code",
      "from", "yyyy-MM-dd", "the first date",
      "to", "yyyy-MM-dd", "the last date",
      "min-price", "X", "at least this value of the family's measure (a price in CNY/kg)",
      "max-price", "X", "at most this value of the family's measure",
      "sort", "FIELD[:asc|desc]", "the sort order",
      "size", "N", "how many documents (or groups with --stats-by); default 20",
      "after", "KEY", "the page after this one (the key the previous page ended with)",
      "mode", "catalogue|phrase", "catalogue (default): the text through the product and region catalogues; phrase: as typed",
      "stats-by", "FIELD", "instead of documents, statistics of the family's measure by this keyword field",
      "format", "table|json|csv", "the output (default table)");

  private static Map<String, String[]> searchOptions(String... triples) {
    Map<String, String[]> options = new LinkedHashMap<>();
    for (int i = 0; i < triples.length; i += 3) {
      options.put(triples[i], new String[] {triples[i + 1], triples[i + 2]});
    }
    return options;
  }

  @Command(name = "search", description = {"Free text and filters over one index family, as a table, JSON or CSV, with optional "
      + "statistics of the family's measure by any keyword field."})
  class Search implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "TEXT", description = "free text (a product, place or market name)")
    String text;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Map<String, String> options = new LinkedHashMap<>();
      SEARCH_OPTIONS.keySet().forEach(name -> {
        String value = spec.findOption("--" + name).getValue();
        if (value != null) {
          options.put(name, value);
        }
      });
      return search.run(text, options, out);
    }
  }

  /** A command answered before the application context starts: it needs no configuration, lake or job repository. */
  interface WithoutContext {}

  @Command(name = "serve", description = {"The web portal (search, charts, extracts, runs) on agri.portal.address:agri.portal.port "
      + "(default 127.0.0.1:8088) until stopped; users and roles in agri.portal.users (README, \"Portal\")."})
  static class Serve implements Callable<Integer> {
    // Read before start-up (web.Serve turns it into agri.portal.port); declared here for parsing and --help.
    @Option(names = "--port", paramLabel = "N", description = "the port, instead of agri.portal.port")
    Integer port;

    @Override
    public Integer call() {
      return ExitCodes.OK; // the context started the web server; it runs until SIGTERM
    }
  }

  @Command(name = "hash-password", description = {"Print the agri.portal.users[].password-hash of a password typed at the prompt "
      + "(or one line of stdin), never taken from the command line, where the shell's history would keep it."})
  static class HashPassword implements Callable<Integer>, WithoutContext {
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws java.io.IOException {
      java.io.Console console = System.console();
      String password = console != null ? new String(console.readPassword("password: "))
          : new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8)).readLine();
      if (password == null || password.isBlank()) {
        return usage(spec.commandLine(), "no password given");
      }
      spec.commandLine().getOut().println(
          org.springframework.security.crypto.factory.PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(password));
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  @Command(name = "completion", description = {"Print a bash completion script of agri's commands and options.",
      "In bash: source <(agri completion)"})
  static class Completion implements Callable<Integer>, WithoutContext {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter writer = spec.commandLine().getOut();
      writer.print(AutoComplete.bash("agri", spec.root().commandLine()));
      writer.flush();
      return ExitCodes.OK;
    }
  }

  private SourceDescriptor source(String id) {
    return sources.stream().filter(s -> s.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("--source '" + id + "' is not one of "
            + sources.stream().map(SourceDescriptor::id).toList()));
  }

  /** --file as a Hadoop URI: as given when it has a scheme, else the absolute local path. */
  private static String fileUri(String file) {
    // Hadoop paths take file names as they are, so no URI percent-encoding of Chinese names.
    return file.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") ? file : "file:" + Path.of(file).toAbsolutePath().normalize();
  }

  private static String share(long part, long whole) {
    return whole == 0 ? "-" : String.format("%.2f %%", 100.0 * part / whole);
  }
}
