package org.agrifusion.jobs.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.agrifusion.jobs.cli.AgriCommandLine;
import org.agrifusion.jobs.cli.ExitCodes;
import org.agrifusion.jobs.es.FamilyLoader;
import org.agrifusion.jobs.es.IndexManager;
import org.agrifusion.jobs.support.TestLake;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.MessageSource;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Search that knows the catalogue, on price observations indexed into the real local node: product
 * and place names resolved through the catalogues, ranking, paging with search_after, facets, the
 * CSV download, and every bad or hostile parameter; then the portal's search page over them
 * (MockMvc through the security filter chain).
 */
@SpringBootTest
@AutoConfigureMockMvc
class SearchFunctionalTests {

  static final TestLake LAKE = TestLake.create("search-it");
  static final String HOSTILE = "M\"\\{*<script>alert(1)</script>";
  static final int FILLERS = 40;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    LAKE.register(registry, "search-it");
  }

  @Autowired SearchService service;
  @Autowired AgriCommandLine commandLine;
  @Autowired org.agrifusion.jobs.cli.SearchCommand searchCommand;
  @Autowired MockMvc mvc;

  static final RequestPostProcessor ANALYST = user("analyst").roles("ANALYST");

  static Map<String, Object> doc(String id, String name, String variety, String product, String region, String origin, double price) {
    Map<String, Object> d = new HashMap<>();
    d.put("record_id", id);
    d.put("business_date", "2026-11-" + (10 + Math.abs(id.hashCode()) % 20));
    d.put("product_name", name);
    d.put("variety_code", variety);
    d.put("product_code", product);
    d.put("category_code", product == null ? null : product.substring(0, 2));
    d.put("market_code", region.startsWith("11") ? "BJ-XFD" : "SX-" + region);
    d.put("market_name", region.startsWith("11") ? "北京新发地" : "山西市场");
    d.put("market_region_code", region);
    d.put("market_region_province_code", region.substring(0, 2) + "0000");
    d.put("market_region_city_code", region.substring(0, 4) + "00");
    d.put("channel", "wholesale");
    d.put("origin_raw", origin);
    d.put("price_avg", price);
    return d;
  }

  static List<Map<String, Object>> docs() {
    List<Map<String, Object>> docs = new ArrayList<>(List.of(
        doc("fuji", "富士苹果", "020101", "0201", "140802", "山西", 6.5),
        doc("hongfuji", "红富士", "020101", "0201", "110105", "陕西洛川", 7.0),
        doc("hanfu", "寒富苹果", "020110", "0201", "110105", "辽宁", 5.0),
        doc("guoguang", "国光苹果", "020102", "0201", "140821", "山西临猗", 4.0),
        doc("pear", "苹果梨", null, "0202", "110105", "吉林", 3.0),
        doc("uncoded-apple", "苹果脆片", null, null, "110105", "", 20.0),
        doc("millet", "沁州黄小米", "050901", "0509", "140105", "山西沁县", 12.0),
        doc("chili", "小米椒", "014905", "0149", "110105", "云南", 9.0),
        doc("yuncheng-origin", "大白菜", null, "0101", "110105", "山西运城", 1.0),
        doc("yuncheng-city", "大白菜", null, "0101", "140800", "本地", 1.2)));
    Map<String, Object> hostile = doc("hostile", "大白菜", null, "0101", "110105", "", 1.1);
    hostile.put("market_code", HOSTILE);
    hostile.put("market_name", HOSTILE);
    docs.add(hostile);
    for (int i = 0; i < FILLERS; i++) {
      docs.add(doc(String.format("filler-%02d", i), "大白菜", null, "0101", "110105", "河北", 1 + (i % 7) * 0.1));
    }
    return docs;
  }

  @BeforeAll
  static void index(@Autowired IndexManager indices, @Autowired ElasticsearchClient client) throws Exception {
    String index = indices.createGeneration("price-observations", false);
    indices.swapAlias("price-observations", index);
    BulkRequest.Builder bulk = new BulkRequest.Builder().index(index);
    for (Map<String, Object> d : docs()) {
      d.values().removeIf(java.util.Objects::isNull);
      bulk.operations(o -> o.index(i -> i.id((String) d.get("record_id")).document(d)));
    }
    assertThat(client.bulk(bulk.build()).errors()).isFalse();
    indices.refresh(index);
  }

  @AfterAll
  static void drop(@Autowired FamilyLoader loader, @Autowired IndexManager indices) {
    LAKE.drop(indices, loader.families().keySet());
  }

  SearchResult search(Map<String, String> parameters) {
    return service.search(service.parse(parameters));
  }

  static List<String> ids(SearchResult result) {
    return result.hits().stream().map(h -> (String) h.get("record_id")).toList();
  }

  @Test
  void aProductNameFindsEveryVarietyCodedUnderItAndCodedMatchesRankAboveTextOnlyOnes() {
    SearchResult apples = search(Map.of("q", "苹果"));

    assertThat(ids(apples)).containsExactlyInAnyOrder("fuji", "hongfuji", "hanfu", "guoguang", "uncoded-apple");
    // the pear 苹果梨 is coded 0202: its name containing 苹果 does not make it an apple
    assertThat(ids(apples).get(4)).isEqualTo("uncoded-apple");
    assertThat(apples.explanation()).isEqualTo("苹果 → 0201 苹果: 21 varieties");
  }

  @Test
  void aVarietyNameOrAliasFindsThatVariety() {
    SearchResult hongfuji = search(Map.of("q", "红富士"));
    SearchResult alias = search(Map.of("q", "富士"));

    assertThat(ids(hongfuji)).containsExactlyInAnyOrder("fuji", "hongfuji");
    assertThat(ids(alias)).containsExactlyInAnyOrder("fuji", "hongfuji");
    assertThat(hongfuji.explanation()).isEqualTo("红富士 → 020101 红富士 (a variety of 0201 苹果)");
    assertThat(alias.explanation()).isEqualTo("富士 → 020101 红富士 (a variety of 0201 苹果)");
  }

  @Test
  void anExactNameWinsOverANameContainingIt() {
    SearchResult millet = search(Map.of("q", "小米"));

    assertThat(ids(millet)).containsExactly("millet");
    assertThat(millet.explanation()).startsWith("小米 → 0509 小米: ");
  }

  @Test
  void aPlaceFindsItsCountiesRankedAboveDocumentsThatOnlyMentionIt() {
    SearchResult yuncheng = search(Map.of("q", "运城"));

    assertThat(ids(yuncheng)).containsExactlyInAnyOrder("fuji", "guoguang", "yuncheng-city", "yuncheng-origin");
    assertThat(ids(yuncheng).get(3)).isEqualTo("yuncheng-origin");
    assertThat(yuncheng.explanation()).isEqualTo("运城 → 1408 运城市: 13 counties");

    // words are combined: apples of 运城
    assertThat(ids(search(Map.of("q", "苹果 运城")))).containsExactlyInAnyOrder("fuji", "guoguang");
  }

  @Test
  void phraseModeMatchesTheTextOnly() {
    SearchResult phrase = search(Map.of("q", "苹果", "mode", "phrase"));

    assertThat(ids(phrase)).containsExactlyInAnyOrder("fuji", "hanfu", "guoguang", "pear", "uncoded-apple");
    assertThat(phrase.explanation()).isEqualTo("\"苹果\": phrase");
  }

  @Test
  void pagesFollowEachOtherWithoutRepeatsOrGapsInEverySortOrder() {
    for (String sort : new String[] {null, "price_avg:desc", "business_date"}) {
      Map<String, String> parameters = new HashMap<>(Map.of("product", "0101", "size", "7"));
      if (sort != null) {
        parameters.put("sort", sort);
      }
      List<String> seen = new ArrayList<>();
      int pages = 0;
      SearchResult page = search(parameters);
      long total = page.total();
      while (true) {
        pages++;
        seen.addAll(ids(page));
        if (page.next() == null) {
          break;
        }
        parameters.put("after", page.next());
        page = search(parameters);
      }
      assertThat(total).isEqualTo(FILLERS + 3);
      assertThat(seen).as(String.valueOf(sort)).hasSize((int) total).doesNotHaveDuplicates();
      assertThat(pages).isEqualTo((FILLERS + 3 + 6) / 7);
      if ("price_avg:desc".equals(sort)) {
        List<Double> prices = new ArrayList<>();
        parameters.remove("after");
        service.forEachHit(service.parse(parameters), 1000, h -> {
          prices.add(((Number) h.get("price_avg")).doubleValue());
          return true;
        });
        assertThat(prices).hasSize(FILLERS + 3).isSortedAccordingTo(java.util.Comparator.reverseOrder());
      }
    }
  }

  @Test
  void previousPagesAreThePagesSeenBeforeAndTheFirstHasNoPrevious() {
    for (String q : new String[] {null, "大白菜"}) {
      Map<String, String> parameters = new HashMap<>(Map.of("product", "0101", "size", "7"));
      if (q != null) {
        parameters.put("q", q);
      }
      List<SearchResult> pages = new ArrayList<>(List.of(search(parameters)));
      while (pages.get(pages.size() - 1).next() != null) {
        parameters.put("after", pages.get(pages.size() - 1).next());
        pages.add(search(parameters));
      }
      assertThat(pages.get(0).previous()).isNull();
      for (int i = pages.size() - 1; i > 0; i--) {
        parameters.put("after", pages.get(i).previous());
        SearchResult back = search(parameters);
        assertThat(ids(back)).as(q + " page " + i).isEqualTo(ids(pages.get(i - 1)));
        assertThat(back.previous() == null).as(q + " page " + i).isEqualTo(i == 1);
        assertThat(back.next()).isNotNull();
      }
    }
  }

  @Test
  void facetsCountTheMatchesByCodeWithCatalogueNames() {
    SearchResult apples = search(Map.of("q", "苹果", "size", "1"));

    assertThat(apples.facets().get("variety_code")).containsExactly(
        new SearchResult.Facet("020101", "红富士", 2), new SearchResult.Facet("020102", "国光", 1),
        new SearchResult.Facet("020110", "寒富", 1));
    assertThat(apples.facets().get("market_region_city_code")).contains(new SearchResult.Facet("140800", "运城市", 2));
    assertThat(apples.total()).isEqualTo(5);
  }

  @Test
  void theCsvHoldsEveryPageUpToItsLimitAndSaysWhenItWasCut() throws IOException {
    StringWriter all = new StringWriter();
    StringWriter cut = new StringWriter();

    long rows = SearchCsv.write(service, service.parse(Map.of("product", "0101")), 1000, all);
    long cutRows = SearchCsv.write(service, service.parse(Map.of("product", "0101")), 5, cut);

    assertThat(rows).isEqualTo(FILLERS + 3);
    assertThat(all.toString().lines()).hasSize(FILLERS + 4).first().asString().startsWith("business_date,product_name");
    assertThat(cutRows).isEqualTo(5);
    assertThat(cut.toString().lines()).hasSize(7).last().asString().isEqualTo("# cut at 5 rows; narrow the search for the rest");
  }

  /**
   * A download the browser left mid-way: the writer fails after a few kilobytes, and no further page
   * is read from the node (counted by the index's own search statistics), where the whole file reads four.
   */
  @Test
  void aCsvWhoseReaderWentAwayStopsReadingPages(@Autowired ElasticsearchClient client, @Autowired IndexManager indices) throws Exception {
    String index = indices.createGeneration("spread-daily", false);
    indices.swapAlias("spread-daily", index);
    int docs = 3 * SearchRequest.MAX_SIZE + 500;
    BulkRequest.Builder bulk = new BulkRequest.Builder().index(index);
    for (int i = 0; i < docs; i++) {
      Map<String, Object> d = Map.of("doc_id", String.format("spread-%05d", i), "business_date", "2026-11-" + (10 + i % 20),
          "variety_code", "020101", "spread", i * 0.01);
      bulk.operations(o -> o.index(x -> x.id((String) d.get("doc_id")).document(d)));
    }
    assertThat(client.bulk(bulk.build()).errors()).isFalse();
    indices.refresh(index);
    SearchRequest request = service.parse(Map.of("family", "spread-daily"));

    long before = searches(client, index);
    StringWriter whole = new StringWriter();
    assertThat(SearchCsv.write(service, request, SearchCsv.DEFAULT_ROW_LIMIT, whole)).isEqualTo(docs);
    long wholePages = searches(client, index) - before;

    long beforeGone = searches(client, index);
    java.io.Writer gone = new java.io.Writer() {
      long chars;

      @Override
      public void write(char[] buffer, int offset, int length) throws IOException {
        chars += length;
        if (chars > 8192) {
          throw new IOException("Broken pipe");
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
        () -> SearchCsv.write(service, request, SearchCsv.DEFAULT_ROW_LIMIT, gone));
    assertThat(wholePages).isEqualTo(4);
    assertThat(searches(client, index) - beforeGone).isEqualTo(1);
    assertThat(thrown).isInstanceOf(IOException.class).hasMessage("Broken pipe");

    // agri search --format csv | head: System.out swallows the closed pipe, the command still stops
    long beforeHead = searches(client, index);
    java.io.OutputStream pipe = new java.io.OutputStream() {
      long bytes;

      @Override
      public void write(int b) throws IOException {
        if (++bytes > 8192) {
          throw new IOException("Broken pipe");
        }
      }
    };
    assertThat(searchCommand.run(null, Map.of("family", "spread-daily", "format", "csv"), new PrintStream(pipe)))
        .isEqualTo(ExitCodes.OK);
    assertThat(searches(client, index) - beforeHead).isEqualTo(1);
  }

  /** The searches the node has run on an index (one shard: one query per search). */
  static long searches(ElasticsearchClient client, String index) throws IOException {
    return client.indices().stats(s -> s.index(index).metric("search")).indices().get(index).total().search().queryTotal();
  }

  @Test
  void everyColumnAndFacetOfEveryFamilyHasABilingualLabelAndThePageShowsThem(@Autowired MessageSource messages,
      @Autowired ReferenceData reference) throws Exception {
    service.families().forEach((name, family) -> {
      assertThat(messages.getMessage("family." + name, null, null, Locale.ROOT)).as(name).matches("\\p{IsHan}+.* [A-Z].*");
      java.util.stream.Stream.concat(family.family().show().stream(), family.family().facets().stream()).forEach(field ->
          assertThat(messages.getMessage("field." + field, null, null, Locale.ROOT)).as(name + " " + field)
              .matches("\\p{IsHan}+.* [A-Z].*"));
    });
    assertThat(reference.couriers().name("SF")).hasValue("顺丰速运");

    String html = body(page("/search?family=price-observations&size=3"));
    assertThat(html).contains("title=\"business_date\">日期 Date</th>", "title=\"variety_code\">品种 Variety</h2>",
        "title=\"channel\">渠道 Channel</h2>", "wholesale 批发 Wholesale", "<option value=\"sales\">销售订单 Sales</option>")
        .doesNotContain(">business_date<", ">market_code<");
  }

  @Test
  void everyBadValueIsAUsageErrorNamingTheParameterAndValue() {
    Map<Map<String, String>, String> bad = new LinkedHashMap<>();
    bad.put(Map.of("from", "yesterday"), "from 'yesterday' is not a yyyy-MM-dd date");
    bad.put(Map.of("to", "2026-13-01"), "to '2026-13-01' is not a yyyy-MM-dd date");
    bad.put(Map.of("from", "2026-11-20", "to", "2026-11-01"), "to '2026-11-01' is before from 2026-11-20");
    bad.put(Map.of("min-price", "cheap"), "min-price 'cheap' is not a decimal number");
    bad.put(Map.of("max-price", "-1"), "max-price '-1' is negative");
    bad.put(Map.of("min-price", "5", "max-price", "2"), "max-price '2' is below min-price 5");
    bad.put(Map.of("size", "0"), "size '0' is not a number from 1 to 1000");
    bad.put(Map.of("size", "1001"), "size '1001' is not a number from 1 to 1000");
    bad.put(Map.of("size", "ten"), "size 'ten' is not a number from 1 to 1000");
    bad.put(Map.of("sort", "product_name"), "sort 'product_name' is not a keyword, number or date field of price-observations");
    bad.put(Map.of("sort", "price_avg:up"), "sort 'price_avg:up' has an order other than asc or desc");
    bad.put(Map.of("family", "waybills"), "family 'waybills' is not one of");
    bad.put(Map.of("region", "14a"), "region '14a' is not a GB/T 2260 code prefix of 2 to 6 digits");
    bad.put(Map.of("product", "02*"), "product '02*' is not a 2, 4 or 6-digit product code");
    bad.put(Map.of("mode", "fuzzy"), "mode 'fuzzy' is neither catalogue nor phrase");
    bad.put(Map.of("courier", "SF"), "courier 'SF' cannot filter price-observations: it has no courier_code");
    bad.put(Map.of("family", "spread-daily", "region", "14"), "region '14' cannot filter spread-daily: it has no region codes");
    bad.put(Map.of("stats-by", "price_avg"), "stats-by 'price_avg' is not a keyword field of price-observations");
    bad.put(Map.of("after", "not-a-cursor"), "after 'not-a-cursor' is not a cursor of a search page");
    bad.put(Map.of("fromm", "2026-01-01"), "unknown search parameter 'fromm'");
    bad.put(Map.of("q", "x".repeat(101)), "q 'xxxxxxxxxxxxxxxxxxxx…' is longer than 100 characters");
    bad.forEach((parameters, message) -> assertThatThrownBy(() -> search(parameters)).as(parameters.toString())
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message).hasMessageNotContaining("\n"));

    // a cursor is only good for the sort it was written for
    String next = search(Map.of("product", "0101", "size", "3")).next();
    assertThatThrownBy(() -> search(Map.of("product", "0101", "size", "3", "sort", "price_avg", "after", next)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a cursor of this search's sort");
  }

  @Test
  void agriSearchWithABadDateIsAUsageErrorThatNeverReachesElasticsearch() {
    PrintStream stderr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      commandLine.run("search", "--from", "yesterday");
    } finally {
      System.setErr(stderr);
    }
    assertThat(commandLine.getExitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("from 'yesterday' is not a yyyy-MM-dd date");
  }

  @Test
  void hostileTextInTheTextAndEveryFilterMeansThatLiteralText() {
    for (String hostile : List.of("\"", "\\", "{", "*", "<script>alert(1)</script>", "\"}},{\"match_all\":{}}", HOSTILE)) {
      for (String parameter : List.of("q", "market", "channel")) {
        for (String mode : List.of("catalogue", "phrase")) {
          SearchResult result = search(Map.of(parameter, hostile, "mode", mode));
          // the text is a phrase of its words (script alert 1 script is in the hostile market's name), a filter a whole code
          boolean found = parameter.equals("q") ? hostile.contains("<script>") : parameter.equals("market") && hostile.equals(HOSTILE);
          assertThat(ids(result)).as(parameter + "=" + hostile + " " + mode).isEqualTo(found ? List.of("hostile") : List.of());
        }
      }
      for (String parameter : List.of("product", "region", "from", "to", "min-price", "max-price", "sort", "size", "after",
          "family", "mode", "stats-by")) {
        assertThatThrownBy(() -> search(Map.of(parameter, hostile))).as(parameter + "=" + hostile)
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(parameter + " '");
      }
    }
  }

  MvcResult page(String url) throws Exception {
    // the URL as a link carries it, already encoded
    return mvc.perform(get(java.net.URI.create(url)).with(ANALYST)).andReturn();
  }

  static String body(MvcResult result) throws Exception {
    return result.getResponse().getContentAsString(StandardCharsets.UTF_8);
  }

  static String link(String body, String id) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("id=\"" + id + "\" href=\"([^\"]+)\"").matcher(body);
    return m.find() ? org.springframework.web.util.HtmlUtils.htmlUnescape(m.group(1)) : null;
  }

  @Test
  void theSearchPageShowsTheUnderstandingHitsFacetsAndLinksThatReproduceTheView() throws Exception {
    MvcResult apples = page("/search?q=" + java.net.URLEncoder.encode("苹果 运城", StandardCharsets.UTF_8).replace("+", "%20") + "&from=2026-11-01&region=14");
    String html = body(apples);

    assertThat(apples.getResponse().getStatus()).isEqualTo(200);
    assertThat(html).contains("苹果 → 0201 苹果: 21 varieties; 运城 → 1408 运城市: 13 counties")
        .contains("富士苹果", "国光苹果").doesNotContain("寒富苹果", "<script>alert")
        .contains("020101 红富士").contains("/js/search.js").doesNotContain("<script>\n", "style=\"");
    // the CSV link is the same search, whole
    String csv = link(html, "csv");
    assertThat(csv).startsWith("/search.csv?q=").contains("region=14", "from=2026-11-01");
    MvcResult download = page(csv);
    assertThat(download.getResponse().getContentType()).startsWith("text/csv");
    assertThat(body(download).lines().skip(1).toList()).hasSize(2).allMatch(l -> l.contains("苹果"));
  }

  @Test
  void theSearchPagePagesForwardAndBackWithCursorsInTheUrl() throws Exception {
    String first = body(page("/search?product=0101&size=20"));
    String second = body(page(link(first, "next")));
    String third = body(page(link(second, "next")));

    assertThat(link(first, "previous")).isNull();
    assertThat(link(third, "next")).isNull();
    assertThat(third).contains("3 / 43");
    String backToSecond = body(page(link(third, "previous")));
    assertThat(rows(backToSecond)).isEqualTo(rows(second));
    assertThat(rows(body(page(link(backToSecond, "previous"))))).isEqualTo(rows(first));
  }

  static List<String> rows(String html) {
    return html.lines().filter(l -> l.contains("<tr><td>")).toList();
  }

  @Test
  void badAndHostileParametersAreTold400OrMeanTheirLiteralTextAndAreEscaped() throws Exception {
    MvcResult bad = page("/search?from=yesterday");
    assertThat(bad.getResponse().getStatus()).isEqualTo(400);
    assertThat(body(bad)).contains("from &#39;yesterday&#39; is not a yyyy-MM-dd date");
    assertThat(page("/search?size=2&size=3").getResponse().getStatus()).isEqualTo(400);
    assertThat(page("/search.csv?min-price=-1").getResponse().getStatus()).isEqualTo(400);

    for (String hostile : List.of("\"", "\\", "{", "*", "<script>alert(1)</script>", "\"><script>alert(1)</script>")) {
      for (String parameter : List.of("q", "market", "channel", "product", "region", "from", "sort", "after", "family", "mode")) {
        MvcResult result = page("/search?" + parameter + "=" + java.net.URLEncoder.encode(hostile, StandardCharsets.UTF_8).replace("+", "%20"));
        assertThat(result.getResponse().getStatus()).as(parameter + "=" + hostile).isIn(200, 400);
        assertThat(body(result)).as(parameter + "=" + hostile).doesNotContain("<script>alert").doesNotContain("\"><script>");
      }
    }
  }

  @Test
  void theRegionPickerListsProvincesCitiesAndCounties() throws Exception {
    String provinces = body(page("/search/regions"));
    String cities = body(page("/search/regions?parent=14"));
    String counties = body(page("/search/regions?parent=1408"));

    assertThat(provinces).contains("\"14\"", "\"山西省\"");
    assertThat(cities).contains("\"1408\"", "\"运城市\"");
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(counties).size()).isEqualTo(13);
    assertThat(page("/search/regions?parent=14%22").getResponse().getStatus()).isEqualTo(400);
  }

  @Test
  void withoutLoggingInThereIsNoSearch() throws Exception {
    for (String url : List.of("/search?q=x", "/search.csv?q=x", "/search/regions")) {
      assertThat(mvc.perform(get(java.net.URI.create(url))).andReturn().getResponse().getStatus()).as(url).isIn(302, 401);
    }
  }
}
