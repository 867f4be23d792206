package org.agrifusion.jobs.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import org.agrifusion.jobs.cli.ExitCodes;
import org.agrifusion.jobs.cli.Operations;
import org.agrifusion.jobs.es.FamilyLoader;
import org.agrifusion.jobs.es.IndexManager;
import org.agrifusion.jobs.job.dailyfusion.DailyFusionParameters;
import org.agrifusion.jobs.support.TestLake;
import org.agrifusion.pipelines.generate.SyntheticFeeds;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The portal in a real browser (headless Chromium) on a real night: the sample day (real Xinfadi
 * prices, generated shop orders, waybills and registry) run by the job into a lake, the index and
 * the department folders, then used the way an analyst and a department do. Each step leaves a
 * screenshot in target/screenshots/ (the README's two come from here).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalBrowserTests {

  static final TestLake LAKE = TestLake.create("browser-it");
  static final LocalDate DAY = LocalDate.of(2021, 12, 7);
  static final Path SAMPLE = Path.of("../samples/landing/xinfadi-daily-prices/2021-12-07/xinfadi_prices_2021-12-07.csv");
  static final Path HISTORY = Path.of("../samples/history/xinfadi_prices_2021-11-07_2021-12-06.csv.gz");
  static final String PASSWORD = "browser-test-password";
  static final String AGRI_EXTRACT = "provincial-daily-price-bulletin"; // shanxi-agriculture-department
  static final String POSTAL_EXTRACT = "upbound-parcels-monthly";       // shanxi-postal-administration

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    LAKE.register(registry, "portal-browser-it");
    PortalUsers.register(registry, PASSWORD);
  }

  @LocalServerPort int port;

  Browser browser;
  Path downloads;
  final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeAll
  void runTheDayAndOpenTheBrowser(@Autowired JobOperator jobOperator, @Autowired Job dailyFusionJob,
      @Autowired ReferenceData reference, @Autowired Operations operations) throws Exception {
    // the month before, as run.sh imports it: the price chart then has a month of real prices
    assertThat(operations.importHistory("xinfadi-daily-prices", HISTORY.toString(), DAY.minusDays(1), System.out))
        .isEqualTo(ExitCodes.OK);
    Path prices = Files.createDirectories(LAKE.root().resolve("landing/xinfadi-daily-prices/" + DAY));
    Files.copy(SAMPLE, prices.resolve(SAMPLE.getFileName()));
    new SyntheticFeeds(reference.regions()).write(LAKE.root().resolve("landing"), DAY, 300, 7);
    assertThat(jobOperator.start(dailyFusionJob, DailyFusionParameters.of(DAY)).getStatus()).isEqualTo(BatchStatus.COMPLETED);
    downloads = Files.createDirectories(LAKE.root().resolve("browser-downloads"));
    browser = new Browser(downloads);
  }

  @AfterAll
  void close(@Autowired FamilyLoader loader, @Autowired IndexManager indices) {
    if (browser != null) {
      browser.close();
    }
    LAKE.drop(indices, loader.families().keySet());
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  ChromeDriver driver() {
    return browser.driver();
  }

  void logIn(String user) {
    driver().get(url("/login"));
    driver().findElement(By.id("username")).sendKeys(user);
    driver().findElement(By.id("password")).sendKeys(PASSWORD);
    driver().findElement(By.id("login")).click();
    browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("nav-user")));
    assertThat(driver().findElement(By.id("nav-user")).getText()).contains(user);
  }

  void logOut() {
    driver().findElement(By.id("logout")).click();
    browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("logged-out")));
  }

  HttpResponse<byte[]> get(String path, String cookie) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  String sessionCookie() {
    return "JSESSIONID=" + driver().manage().getCookieNamed("JSESSIONID").getValue();
  }

  /** The first file of the extract's latest period on the extracts page, as a path of the portal. */
  static String anyFileOf(String extract) throws Exception {
    Path folder = LAKE.root().resolve("extracts");
    try (var files = Files.walk(folder)) {
      Path file = files.filter(f -> f.toString().contains("/" + extract + "/") && f.toString().endsWith(".csv"))
          .findFirst().orElseThrow();
      return "/extracts/" + extract + "/" + file.getParent().getFileName() + "/" + file.getFileName();
    }
  }

  @Test
  @Order(1)
  void withoutLoggingInNoPageOrFileIsServed() throws Exception {
    driver().get(url("/search?q=%E5%AF%8C%E5%A3%AB"));
    assertThat(driver().getCurrentUrl()).endsWith("/login");
    assertThat(driver().findElement(By.id("login-form")).isDisplayed()).isTrue();
    browser.screenshot("01-login");

    String file = anyFileOf(AGRI_EXTRACT);
    assertThat(get(file, null).statusCode()).isEqualTo(401);
    assertThat(get("/charts/data/prices?product=020101", null).statusCode()).isIn(302, 401);
  }

  @Test
  @Order(2)
  void anAnalystSearchesFujiInACountyAndPeriodAndPagesThroughTheResults() {
    logIn("analyst");
    driver().get(url("/search"));
    new Select(driver().findElement(By.id("family"))).selectByValue("sales");
    driver().findElement(By.id("q")).sendKeys("富士");
    // the region picker: province, then city, from the GB/T 2260 reference
    browser.waiting().until(d -> new Select(d.findElement(By.id("region-province"))).getOptions().size() > 30);
    new Select(driver().findElement(By.id("region-province"))).selectByValue("14");
    browser.waiting().until(d -> d.findElement(By.id("region-city")).isDisplayed()
        && new Select(d.findElement(By.id("region-city"))).getOptions().size() > 5);
    new Select(driver().findElement(By.id("region-city"))).selectByValue("1408");
    assertThat(driver().findElement(By.id("region")).getAttribute("value")).isEqualTo("1408");
    // a date input's typed form follows the browser's locale; the value it submits is ISO
    driver().executeScript("arguments[0].value = arguments[2]; arguments[1].value = arguments[2];",
        driver().findElement(By.id("from")), driver().findElement(By.id("to")), DAY.toString());
    driver().findElement(By.id("size")).sendKeys("5");
    driver().findElement(By.id("search-submit")).click();

    browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("hits")));
    assertThat(driver().getCurrentUrl()).contains("q=").contains("region=1408").contains("from=" + DAY);
    assertThat(driver().findElement(By.id("explanation")).getText()).contains("富士").contains("020101");
    List<List<String>> first = rows();
    assertThat(first).hasSize(5).allSatisfy(row -> assertThat(String.join(" ", row)).contains("1408").contains(DAY.toString()));
    assertThat(facetCount()).isGreaterThan(0);
    browser.screenshot("02-search");

    // the URL reproduces the view
    String shared = driver().getCurrentUrl();
    driver().findElement(By.id("next")).click();
    browser.waiting().until(ExpectedConditions.urlContains("after="));
    List<List<String>> second = rows();
    assertThat(second).isNotEmpty().doesNotContainAnyElementsOf(first)
        .allSatisfy(row -> assertThat(String.join(" ", row)).contains("1408"));
    driver().findElement(By.id("previous")).click();
    browser.waiting().until(d -> !rows().equals(second));
    assertThat(rows()).isEqualTo(first);
    driver().get(shared);
    assertThat(rows()).isEqualTo(first);
  }

  List<List<String>> rows() {
    return driver().findElements(By.cssSelector("#hits tbody tr")).stream()
        .map(tr -> tr.findElements(By.tagName("td")).stream().map(WebElement::getText).toList())
        .toList();
  }

  int facetCount() {
    return driver().findElements(By.cssSelector("#facets li")).size();
  }

  @Test
  @Order(3)
  void theAnalystOpensThePriceChartOfAVarietyOverAMonth() throws Exception {
    String period = "product=020101&from=" + DAY.minusDays(30) + "&to=" + DAY;
    driver().get(url("/charts/prices?" + period));
    browser.waiting().until(d -> "true".equals(d.findElement(By.id("price-chart")).getAttribute("data-rendered")));
    assertThat(driver().findElement(By.id("chart-subject")).getText()).contains("富士");
    assertThat(driver().findElements(By.cssSelector("#price-chart canvas"))).isNotEmpty();
    assertThat(driver().findElement(By.id("price-chart-status")).getText()).isEmpty();
    // what it drew: a price band on most days of the month (Xinfadi quotes 富士 nearly every day)
    String json = new String(get("/charts/data/prices?" + period, sessionCookie()).body(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("days").size()).isGreaterThan(20);
    browser.screenshot("03-price-chart");
    logOut();
  }

  @Test
  @Order(4)
  void aDepartmentDownloadsItsExtractAndItsSha256IsTheOneShown() throws Exception {
    logIn("agri-dept");
    driver().get(url("/extracts"));
    WebElement file = driver().findElement(By.cssSelector("#extract-" + AGRI_EXTRACT + " div.file[data-file$='.csv']"));
    String name = file.getAttribute("data-file");
    String shown = file.findElement(By.cssSelector("div.sha256")).getAttribute("data-sha256");
    assertThat(driver().findElements(By.id("extract-" + POSTAL_EXTRACT))).isEmpty();
    browser.screenshot("04-extracts");
    file.findElement(By.cssSelector("a.download")).click();
    Path downloaded = browser.downloaded(name);
    String got = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(downloaded)));
    assertThat(got).isEqualTo(shown).matches("[0-9a-f]{64}");
  }

  @Test
  @Order(5)
  void aDepartmentIsRefusedAnotherDepartmentsExtract() throws Exception {
    String other = anyFileOf(POSTAL_EXTRACT);
    driver().get(url(other));
    assertThat(driver().findElement(By.id("error-status")).getText()).contains("403");
    browser.screenshot("05-refused");
    assertThat(get(other, sessionCookie()).statusCode()).isEqualTo(403);
    // its own file with the same session: served
    assertThat(get(anyFileOf(AGRI_EXTRACT), sessionCookie()).statusCode()).isEqualTo(200);
    logOut();
  }
}
