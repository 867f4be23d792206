package org.agrifusion.jobs.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.agrifusion.jobs.job.dailyfusion.DailyFusionJobConfiguration;
import org.agrifusion.jobs.job.dailyfusion.DailyFusionParameters;
import org.agrifusion.jobs.job.dailyfusion.DepartmentExtracts;
import org.agrifusion.jobs.support.TestLake;
import org.agrifusion.pipelines.lake.Snapshots;
import org.agrifusion.pipelines.sink.extract.ExtractSpec;
import org.agrifusion.pipelines.sink.extract.ExtractWriter;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * The portal's access control, extracts and runs pages on a real lake folder and job repository
 * (MockMvc through the whole security filter chain): extracts delivered by ExtractWriter for two
 * departments, a run recorded in the job repository with its report.html.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
class PortalFunctionalTests {

  static final TestLake LAKE = TestLake.create("portal-it");
  static final String PASSWORD = "correct horse battery staple";
  static final String AGRI = "provincial-daily-price-bulletin";   // shanxi-agriculture-department
  static final String POSTAL = "upbound-parcels-monthly";         // shanxi-postal-administration
  static final LocalDate DAY = LocalDate.of(2021, 12, 6);
  static final String[] INJECTIONS = {"\"", "\\", "{", "*", "<script>alert(1)</script>", "..", "%2e%2e", "a\"b{c}*<script>"};

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    LAKE.register(registry, "portal-it");
    PortalUsers.register(registry, PASSWORD);
  }

  @Autowired MockMvc mvc;
  @LocalServerPort int port;

  static ExtractWriter.Manifest agriManifest;

  @BeforeAll
  static void deliver(@Autowired List<ExtractSpec> specs, @Autowired DepartmentExtracts extracts,
      @Autowired JobRepository repository) throws Exception {
    Configuration hadoop = new Configuration();
    for (ExtractSpec spec : specs) {
      if (spec.id().equals(AGRI) || spec.id().equals(POSTAL)) {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
          Object[] cells = new Object[spec.columns().size()];
          for (int c = 0; c < cells.length; c++) {
            cells[c] = c == 0 ? DAY.toString() : "寒富苹果 " + r + "-" + c;
          }
          rows.add(RowFactory.create(cells));
        }
        ExtractWriter.Manifest m = ExtractWriter.write(spec, rows.iterator(), DAY, Snapshots.of(java.util.Map.of()),
            extracts.folder(spec.id()), "portal-it", hadoop);
        if (spec.id().equals(AGRI)) {
          agriManifest = m;
          // a file in the period folder that the manifest does not name is never served
          Files.writeString(Path.of(extracts.folder(spec.id()).replaceFirst("^file:", ""), m.period(), "secret.txt"), "SECRET");
        }
      }
    }
    Files.writeString(LAKE.root().resolve("secret.txt"), "SECRET");
    // a nightly run of DAY in the job repository, with its report
    JobParameters params = new JobParametersBuilder().addString(DailyFusionParameters.BUSINESS_DATE, DAY.toString()).toJobParameters();
    JobInstance instance = repository.createJobInstance(DailyFusionJobConfiguration.JOB_NAME, params);
    JobExecution execution = repository.createJobExecution(instance, params, new ExecutionContext());
    execution.setStartTime(java.time.LocalDateTime.of(2021, 12, 7, 2, 0));
    StepExecution standardise = repository.createStepExecution("standardise", execution);
    standardise.setReadCount(1200);
    standardise.setWriteCount(1190);
    standardise.setFilterCount(10);
    standardise.setStartTime(execution.getStartTime());
    standardise.setEndTime(execution.getStartTime().plusSeconds(42));
    standardise.setStatus(BatchStatus.COMPLETED);
    repository.update(standardise);
    execution.setStatus(BatchStatus.COMPLETED);
    execution.setEndTime(execution.getStartTime().plusSeconds(60));
    repository.update(execution);
    Path report = Files.createDirectories(LAKE.root().resolve("reports/" + DAY)).resolve("report.html");
    Files.writeString(report, "<!DOCTYPE html><html><head><style>h1{color:red}</style></head><body><h1>run report 2021-12-06</h1></body></html>");
  }

  @AfterAll
  static void drop() {
    org.springframework.util.FileSystemUtils.deleteRecursively(LAKE.root().toFile());
  }

  static RequestPostProcessor analyst() {
    return user("analyst").roles("ANALYST");
  }

  static RequestPostProcessor agriDept() {
    return user("agri-dept").roles("DEPT_SHANXI_AGRICULTURE_DEPARTMENT");
  }

  static RequestPostProcessor postalDept() {
    return user("postal-dept").roles("DEPT_SHANXI_POSTAL_ADMINISTRATION");
  }

  String agriFile() {
    return "/extracts/" + AGRI + "/" + agriManifest.period() + "/" + agriManifest.files().get(0).name();
  }

  @Test
  void pagesNeedALoginAndDownloadsAreRefusedWithoutOne() throws Exception {
    for (String page : List.of("/", "/extracts", "/runs", "/search", "/charts/prices")) {
      mvc.perform(get(page)).andExpect(status().isFound()).andExpect(redirectedUrl("/login"));
    }
    mvc.perform(get(agriFile())).andExpect(status().isUnauthorized());
    mvc.perform(get("/runs/" + DAY + "/report.html")).andExpect(status().isUnauthorized());
    String login = mvc.perform(get("/login")).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    assertThat(login).contains("id=\"username\"", "id=\"password\"", "id=\"login\"", "name=\"_csrf\"", "登录 Log in");
  }

  @Test
  void aConfiguredUserLogsInWithTheBcryptHashAndAWrongPasswordIsRefused() throws Exception {
    mvc.perform(formLogin("/login").user("agri-dept").password(PASSWORD)).andExpect(redirectedUrl("/"));
    mvc.perform(formLogin("/login").user("agri-dept").password("wrong")).andExpect(redirectedUrl("/login?error"));
    // the login form without its CSRF token is refused
    mvc.perform(post("/login").param("username", "agri-dept").param("password", PASSWORD)).andExpect(status().isForbidden());
  }

  @Test
  void logoutNeedsTheCsrfToken() throws Exception {
    mvc.perform(post("/logout").with(analyst())).andExpect(status().isForbidden());
    mvc.perform(post("/logout").with(analyst()).with(csrf())).andExpect(redirectedUrl("/login?logout"));
  }

  @Test
  void rolesDecideThePagesAndTheNavigation() throws Exception {
    String home = body(mvc.perform(get("/").with(analyst())).andExpect(status().isOk()).andReturn());
    assertThat(home).contains("id=\"nav-search\"", "id=\"nav-runs\"", "id=\"logout\"").doesNotContain("id=\"nav-extracts\"");
    mvc.perform(get("/extracts").with(analyst())).andExpect(status().isForbidden());
    mvc.perform(get(agriFile()).with(analyst())).andExpect(status().isForbidden());
    String deptHome = body(mvc.perform(get("/").with(agriDept())).andExpect(status().isOk()).andReturn());
    assertThat(deptHome).contains("id=\"nav-extracts\"").doesNotContain("id=\"nav-search\"");
    for (String page : List.of("/runs", "/search", "/charts/prices", "/runs/" + DAY + "/report.html")) {
      mvc.perform(get(page).with(agriDept())).andExpect(status().isForbidden());
    }
  }

  /** Every route the portal has (the handler mappings, not a list that a new page could miss). */
  @Test
  void everyRouteButHomeAndExtractsIsRefusedToADepartment(
      @Autowired @org.springframework.beans.factory.annotation.Qualifier("requestMappingHandlerMapping")
      org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping mappings) throws Exception {
    List<String> routes = mappings.getHandlerMethods().keySet().stream()
        .flatMap(info -> info.getPatternValues().stream())
        .filter(p -> !List.of("/", "/login", "/error").contains(p) && !p.startsWith("/extracts"))
        .map(p -> p.replace("{date}", DAY.toString()).replaceAll("\\{[^}]+}", "x"))
        .distinct().toList();
    assertThat(routes).contains("/search", "/search.csv", "/charts", "/runs");
    for (String route : routes) {
      mvc.perform(get(route).with(agriDept())).andExpect(status().isForbidden());
    }
  }

  @Test
  void aTestServerListensOnItsRandomPortNotTheConfiguredOne(@Autowired org.agrifusion.jobs.config.AgriProperties properties) {
    // agri.portal.port must not override server.port=0: two test contexts in one JVM both took 8088
    assertThat(port).isNotEqualTo(properties.portal().port());
  }

  @Test
  void aSearchBeforeAnyNightHasLoadedTheFamilySaysSoInsteadOfFailing() throws Exception {
    // this test's lake was never indexed: no family has an index yet
    String page = body(mvc.perform(get("/search").param("q", "苹果").with(analyst())).andExpect(status().isNotFound()).andReturn());
    assertThat(page).contains("尚无索引", "No index yet").doesNotContain("index_not_found", "Exception");
    mvc.perform(get("/search.csv").param("q", "苹果").with(analyst())).andExpect(status().isNotFound());
  }

  @Test
  void theChartsNavLandsOnAPageLinkingTheThreeCharts() throws Exception {
    String home = body(mvc.perform(get("/").with(analyst())).andExpect(status().isOk()).andReturn());
    assertThat(home).contains("id=\"nav-charts\" href=\"/charts\"");
    String charts = body(mvc.perform(get("/charts").with(analyst())).andExpect(status().isOk()).andReturn());
    assertThat(charts).contains("id=\"chart-prices\" href=\"/charts/prices\"", "id=\"chart-deliveries\" href=\"/charts/deliveries\"",
        "id=\"chart-upbound\" href=\"/charts/upbound\"", "图表 Charts");
    mvc.perform(get("/charts").with(agriDept())).andExpect(status().isForbidden());
    mvc.perform(get("/charts")).andExpect(redirectedUrl("/login"));
  }

  @Test
  void aDepartmentSeesAndDownloadsItsOwnExtractsWithTheManifestsChecksum() throws Exception {
    String page = body(mvc.perform(get("/extracts").with(agriDept())).andExpect(status().isOk()).andReturn());
    ExtractWriter.FileEntry csv = agriManifest.files().get(0);
    assertThat(page).contains("id=\"extract-" + AGRI + "\"", "data-sha256=\"" + csv.sha256() + "\"", agriFile(),
        "/extracts/" + AGRI + "/" + agriManifest.period() + "/manifest.json", "sha256sum -c")
        .doesNotContain(POSTAL);
    MvcResult download = mvc.perform(get(agriFile()).with(agriDept())).andExpect(status().isOk())
        .andExpect(header().string("Content-Disposition", org.hamcrest.Matchers.startsWith("attachment;")))
        .andReturn();
    byte[] bytes = download.getResponse().getContentAsByteArray();
    assertThat(bytes).hasSize((int) csv.bytes());
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))).isEqualTo(csv.sha256());
    String manifest = body(mvc.perform(get("/extracts/" + AGRI + "/" + agriManifest.period() + "/manifest.json").with(agriDept()))
        .andExpect(status().isOk()).andReturn());
    assertThat(manifest).contains(csv.sha256());
  }

  @Test
  void aDepartmentIsRefusedAnotherDepartmentsFilesAndEveryPathOutsideItsManifests() throws Exception {
    // another department's extract: 403, whatever the period and file
    mvc.perform(get(agriFile()).with(postalDept())).andExpect(status().isForbidden());
    mvc.perform(get("/extracts/" + AGRI + "/" + agriManifest.period() + "/manifest.json").with(postalDept())).andExpect(status().isForbidden());
    String postalPage = body(mvc.perform(get("/extracts").with(postalDept())).andExpect(status().isOk()).andReturn());
    assertThat(postalPage).contains("id=\"extract-" + POSTAL + "\"").doesNotContain(AGRI);
    // unknown ids, periods and files, a file the manifest does not name: 404
    mvc.perform(get("/extracts/no-such-extract/" + agriManifest.period() + "/x.csv").with(agriDept())).andExpect(status().isNotFound());
    mvc.perform(get("/extracts/" + AGRI + "/2020-01-01/x.csv").with(agriDept())).andExpect(status().isNotFound());
    mvc.perform(get("/extracts/" + AGRI + "/" + agriManifest.period() + "/secret.txt").with(agriDept())).andExpect(status().isNotFound());
    // traversal, encoded slashes and absolute paths never reach a file
    String period = agriManifest.period();
    List<String> attempts = List.of(
        "/extracts/" + AGRI + "/" + period + "/../../../secret.txt",
        "/extracts/" + AGRI + "/" + period + "/..%2F..%2F..%2Fsecret.txt",
        "/extracts/" + AGRI + "/" + period + "/%2E%2E%2Fsecret.txt",
        "/extracts/" + AGRI + "/..%2F" + period + "/secret.txt",
        "/extracts/" + AGRI + "/" + period + "/%2Fetc%2Fpasswd",
        "/extracts/" + AGRI + "/" + period + "/..%5Csecret.txt",
        "/extracts/%2E%2E/" + period + "/secret.txt",
        "/extracts/" + AGRI + "/" + period + "/secret.txt%00.csv",
        "/extracts/" + AGRI + "/" + period + "//etc/passwd");
    for (String attempt : attempts) {
      MvcResult r = mvc.perform(get(java.net.URI.create(attempt)).with(agriDept())).andReturn();
      assertThat(r.getResponse().getStatus()).as(attempt).isIn(400, 403, 404);
      assertThat(r.getResponse().getContentAsString()).as(attempt).doesNotContain("SECRET", "root:");
    }
  }

  @Test
  void runsShowTheJobHistoryWithEachRunsReport() throws Exception {
    String page = body(mvc.perform(get("/runs").with(analyst())).andExpect(status().isOk()).andReturn());
    assertThat(page).contains("id=\"runs\"", DAY.toString(), "完成 Completed", "1200", "1190", "standardise 1190 (10 quarantined) 42s",
        "/runs/" + DAY + "/report.html");
    MvcResult report = mvc.perform(get("/runs/" + DAY + "/report.html").with(analyst())).andExpect(status().isOk()).andReturn();
    assertThat(body(report)).contains("run report 2021-12-06");
    // the report's inline styles are allowed on it alone, and no script anywhere
    assertThat(report.getResponse().getHeader("Content-Security-Policy")).isEqualTo(RunsController.REPORT_CSP);
    mvc.perform(get("/runs/2021-12-31/report.html").with(analyst())).andExpect(status().isNotFound());
    mvc.perform(get("/runs/2021-12-06x/report.html").with(analyst())).andExpect(status().isNotFound());
  }

  @Test
  void everyPageCarriesTheSecurityHeaders() throws Exception {
    List<MvcResult> results = List.of(
        mvc.perform(get("/login")).andReturn(),
        mvc.perform(get("/")).andReturn(),
        mvc.perform(get("/").with(analyst())).andReturn(),
        mvc.perform(get("/runs").with(analyst())).andReturn(),
        mvc.perform(get("/extracts").with(agriDept())).andReturn(),
        mvc.perform(get(agriFile()).with(agriDept())).andReturn(),
        mvc.perform(get(agriFile()).with(postalDept())).andReturn(),
        mvc.perform(get("/css/portal.css")).andReturn());
    for (MvcResult r : results) {
      String where = r.getRequest().getRequestURI() + " " + r.getResponse().getStatus();
      if (!r.getRequest().getRequestURI().endsWith("report.html")) {
        assertThat(r.getResponse().getHeader("Content-Security-Policy")).as(where).isEqualTo(PortalSecurity.CSP);
      }
      assertThat(r.getResponse().getHeader("X-Content-Type-Options")).as(where).isEqualTo("nosniff");
      assertThat(r.getResponse().getHeader("X-Frame-Options")).as(where).isEqualTo("DENY");
      assertThat(r.getResponse().getHeader("Referrer-Policy")).as(where).isEqualTo("no-referrer");
    }
    // the pages load no inline script or style (the CSP would block them)
    for (String page : List.of(body(results.get(0)), body(results.get(2)), body(results.get(3)), body(results.get(4)))) {
      assertThat(page).doesNotContain("<script>", "style=\"", "<style");
    }
  }

  @Test
  void injectionCharactersInEveryParameterComeBackEscapedOrRefused() throws Exception {
    for (String bad : INJECTIONS) {
      List<MvcResult> results = List.of(
          mvc.perform(get("/extracts/{id}/{period}/{file}", bad, agriManifest.period(), "x.csv").with(agriDept())).andReturn(),
          mvc.perform(get("/extracts/{id}/{period}/{file}", AGRI, bad, "x.csv").with(agriDept())).andReturn(),
          mvc.perform(get("/extracts/{id}/{period}/{file}", AGRI, agriManifest.period(), bad).with(agriDept())).andReturn(),
          mvc.perform(get("/extracts").param("id", bad).with(agriDept())).andReturn(),
          mvc.perform(get("/runs").param("last", bad).with(analyst())).andReturn(),
          mvc.perform(get("/runs/{date}/report.html", bad).with(analyst())).andReturn(),
          mvc.perform(get("/").param("q", bad).with(analyst())).andReturn(),
          mvc.perform(get("/login").param("error", bad)).andReturn(),
          mvc.perform(get("/login").param("logout", bad)).andReturn());
      for (MvcResult r : results) {
        String where = r.getRequest().getRequestURI() + "?" + r.getRequest().getQueryString() + " " + r.getResponse().getStatus();
        assertThat(r.getResponse().getStatus()).as(where).isIn(200, 400, 403, 404);
        assertThat(body(r)).as(where).doesNotContain("<script>alert(1)", "a\"b{c}*");
      }
    }
  }

  /**
   * On the real server (Tomcat, its error dispatch to error.html, Spring Security's firewall): a
   * browser's session, logged in through the form, sends the injection characters in every path and
   * query parameter; whatever comes back carries the headers and none of it raw.
   */
  @Test
  void theRealServerAnswersInjectionsAndTraversalsWithEscapedPagesOrRefusals() throws Exception {
    java.net.http.HttpClient browser = java.net.http.HttpClient.newBuilder().cookieHandler(new java.net.CookieManager())
        .followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
    String base = "http://127.0.0.1:" + port;
    // anonymous first: the error page of a refused request renders without a user
    List<String> paths = new ArrayList<>(List.of("/extracts/%2e%2e/x/y", "/login?error=%3Cscript%3Ealert(1)%3C%2Fscript%3E"));
    String loginPage = browse(browser, base + "/login").body();
    String token = loginPage.replaceAll("(?s).*name=\"_csrf\" value=\"([^\"]+)\".*", "$1");
    var login = browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("username=agri-dept&password="
            + java.net.URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "&_csrf=" + token)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(login.headers().firstValue("Location")).hasValue(base + "/");
    for (String bad : INJECTIONS) {
      String e = java.net.URLEncoder.encode(bad, StandardCharsets.UTF_8).replace("+", "%20");
      paths.addAll(List.of("/extracts/" + e + "/2021-12-06/x.csv", "/extracts/" + AGRI + "/" + e + "/x.csv",
          "/extracts/" + AGRI + "/" + agriManifest.period() + "/" + e, "/extracts?id=" + e, "/runs/" + e + "/report.html",
          "/runs?last=" + e, "/?q=" + e, "/login?error=" + e));
    }
    paths.add("/extracts/" + AGRI + "/" + agriManifest.period() + "/..%2F..%2F..%2Fsecret.txt");
    for (String path : paths) {
      var r = browse(browser, base + path);
      assertThat(r.statusCode()).as(path).isIn(200, 302, 400, 403, 404);
      assertThat(r.body()).as(path).doesNotContain("<script>alert(1)", "a\"b{c}*", "SECRET");
      if (r.statusCode() != 400 || r.headers().firstValue("Content-Security-Policy").isPresent()) {
        assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).hasValue(PortalSecurity.CSP);
      }
    }
    // the error page itself: bilingual, with the navigation of the logged-in user
    assertThat(browse(browser, base + "/extracts/no-such/2021-12-06/x.csv").body()).contains("id=\"error-status\"", "未找到 Not found", "agri-dept");
  }

  static java.net.http.HttpResponse<String> browse(java.net.http.HttpClient browser, String url) throws Exception {
    return browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).header("Accept", "text/html").GET().build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  static String body(MvcResult result) throws Exception {
    return result.getResponse().getContentAsString(StandardCharsets.UTF_8);
  }
}
