package org.agrifusion.jobs.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium driven through Debian's chromedriver (packages {@code chromium} and
 * {@code chromium-driver}, which scripts/test.sh installs when missing). Selenium Manager is never
 * asked to download a browser: both paths are given. Screenshots go to {@code target/screenshots/},
 * downloads to a folder of the test's own.
 */
final class Browser implements AutoCloseable {

  static final Path SCREENSHOTS = Path.of("target/screenshots");

  private final ChromeDriver driver;
  private final Path downloads;

  Browser(Path downloads) {
    this.downloads = downloads;
    String chromium = executable("AGRI_CHROMIUM", "chromium", "chromium-browser");
    String chromedriver = executable("AGRI_CHROMEDRIVER", "chromedriver");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    // --no-sandbox: CI runs the suite as root, where Chromium's sandbox refuses to start.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000",
        "--lang=zh-CN", "--disable-gpu");
    options.setExperimentalOption("prefs", Map.of(
        "download.default_directory", downloads.toAbsolutePath().toString(),
        "download.prompt_for_download", false));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of(chromedriver).toFile())
        .usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
  }

  ChromeDriver driver() {
    return driver;
  }

  WebDriverWait waiting() {
    return new WebDriverWait(driver, Duration.ofSeconds(30));
  }

  /** Saves what the browser shows as target/screenshots/NAME.png, kept as a test artefact. */
  Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The downloaded file called NAME, once Chromium has finished writing it. */
  Path downloaded(String name) {
    Path file = downloads.resolve(name);
    waiting().until(d -> Files.isRegularFile(file) && !Files.exists(downloads.resolve(name + ".crdownload")));
    return file;
  }

  @Override
  public void close() {
    driver.quit();
  }

  /** The environment variable's path, else the first of the names on PATH; a clear failure when none. */
  private static String executable(String variable, String... names) {
    Optional<String> configured = Optional.ofNullable(System.getenv(variable)).filter(v -> !v.isBlank());
    if (configured.isPresent()) {
      return configured.get();
    }
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin");
    return Stream.of(names)
        .flatMap(n -> Stream.of(path.split(":")).map(dir -> Path.of(dir, n)))
        .filter(Files::isExecutable)
        .findFirst().map(Path::toString)
        .orElseThrow(() -> new IllegalStateException("no " + String.join(" or ", names) + " on PATH (or " + variable
            + "): the browser tests need Debian's chromium and chromium-driver, which scripts/test.sh installs as root"));
  }
}
