package org.agrifusion.jobs.web;

import jakarta.servlet.http.HttpServletResponse;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.agrifusion.jobs.search.SearchCsv;
import org.agrifusion.jobs.search.SearchRequest;
import org.agrifusion.jobs.search.SearchResult;
import org.agrifusion.jobs.search.SearchService;
import org.agrifusion.pipelines.reference.Region;
import org.agrifusion.pipelines.reference.RegionCatalog;
import org.agrifusion.pipelines.reference.ReferenceData;
import org.agrifusion.pipelines.sink.elasticsearch.EsDocuments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The search page: the parameters of {@code agri search} as a GET form, so the URL reproduces the
 * view; hits, facets, the previous and next pages ({@code after} cursors), the CSV of the whole
 * result (capped at agri.portal.csv-row-limit), and the regions of the province, city and county picker.
 */
@Controller
public class SearchController {

  private static final Logger LOG = LoggerFactory.getLogger(SearchController.class);
  private static final Pattern PREFIX = Pattern.compile("\\d{2}|\\d{4}");

  private final SearchService service;
  private final RegionCatalog regions;
  private final MessageSource messages;
  private final long csvRowLimit;

  public SearchController(SearchService service, ReferenceData reference, MessageSource messages,
      @Value("${agri.portal.csv-row-limit:" + SearchCsv.DEFAULT_ROW_LIMIT + "}") long csvRowLimit) {
    this.service = service;
    this.regions = reference.regions();
    this.messages = messages;
    this.csvRowLimit = csvRowLimit;
  }

  /** A link of the result: its label and the URL of the same search with some parameters changed. */
  public record Link(String label, String href, long count) {}

  @GetMapping("/search")
  String search(@RequestParam MultiValueMap<String, String> query, Model model, HttpServletResponse response) {
    model.addAttribute("families", service.families().keySet());
    model.addAttribute("maxSize", SearchRequest.MAX_SIZE);
    Map<String, String> params;
    try {
      params = single(query);
      model.addAttribute("params", params);
      if (params.isEmpty()) {
        return "search";
      }
      SearchRequest request = service.parse(params);
      SearchResult result = service.search(request);
      model.addAttribute("columns", request.fields().family().show());
      model.addAttribute("result", result);
      model.addAttribute("facets", facetLinks(request, result, params));
      model.addAttribute("next", result.next() == null ? null : url("/search", params, Map.of("after", result.next())));
      model.addAttribute("previous", result.previous() == null ? null : url("/search", params, Map.of("after", result.previous())));
      Map<String, String> csv = new LinkedHashMap<>(params);
      csv.remove("after");
      csv.remove("size");
      csv.remove("stats-by");
      model.addAttribute("csv", url("/search.csv", csv, Map.of()));
      model.addAttribute("csvRowLimit", csvRowLimit);
    } catch (IllegalArgumentException e) {
      if (!model.containsAttribute("params")) {
        model.addAttribute("params", Map.of());
      }
      model.addAttribute("error", e.getMessage());
      response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
    } catch (ElasticsearchException | UncheckedIOException e) {
      Unanswered unanswered = Unanswered.of(e);
      model.addAttribute("error", unanswered.message());
      response.setStatus(unanswered.status());
    }
    return "search";
  }

  /**
   * Elasticsearch could not answer: the family has no index yet (no night has loaded it: 404), or
   * the node is down or failing (503). The page says which in words; the cause goes to the log only.
   */
  record Unanswered(int status, String message) {
    static Unanswered of(RuntimeException e) {
      LOG.warn("search not answered: {}", e.getMessage());
      return e instanceof ElasticsearchException es && es.status() == HttpServletResponse.SC_NOT_FOUND
          ? new Unanswered(HttpServletResponse.SC_NOT_FOUND, "尚无索引：还没有夜间运行载入此数据集 No index yet: no nightly run has loaded this family.")
          : new Unanswered(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "搜索暂不可用，请稍后再试 Search is unavailable; try again later.");
    }
  }

  @GetMapping("/search.csv")
  void csv(@RequestParam MultiValueMap<String, String> query, HttpServletResponse response) throws IOException {
    SearchRequest request;
    try {
      Map<String, String> params = single(query);
      params.remove("after");
      params.remove("size");
      request = service.parse(params);
    } catch (IllegalArgumentException e) {
      response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
      response.setContentType("text/plain;charset=UTF-8");
      response.getWriter().println(e.getMessage());
      return;
    }
    response.setContentType("text/csv;charset=UTF-8");
    response.setHeader("Content-Disposition", "attachment; filename=\"" + request.fields().family().name() + ".csv\"");
    try {
      SearchCsv.write(service, request, csvRowLimit, new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      // the browser left the download (Tomcat's ClientAbortException): nothing more to send, nobody to tell
      LOG.info("search.csv of {} stopped, the download was left: {}", request.fields().family().name(), e.getMessage());
    } catch (ElasticsearchException | UncheckedIOException e) {
      Unanswered unanswered = Unanswered.of(e);
      if (response.isCommitted()) {
        throw e; // rows were sent: the connection is cut, so the file is visibly incomplete
      }
      response.reset();
      response.setStatus(unanswered.status());
      response.setContentType("text/plain;charset=UTF-8");
      response.getWriter().println(unanswered.message());
    }
  }

  /** The picker's choices: provinces without a parent, else the cities of a 2-digit or counties of a 4-digit prefix. */
  @GetMapping("/search/regions")
  @ResponseBody
  ResponseEntity<List<Map<String, String>>> regions(@RequestParam(required = false) String parent) {
    if (parent != null && !PREFIX.matcher(parent).matches()) {
      return ResponseEntity.badRequest().build();
    }
    String parentCode = parent == null ? null : (parent + "0000").substring(0, 6);
    List<Map<String, String>> out = regions.all().stream()
        .filter(r -> parent == null ? r.level() == Region.Level.PROVINCE : parentCode.equals(r.parentCode()))
        .map(r -> Map.of("code", prefix(r), "name", r.name())).toList();
    return ResponseEntity.ok(out);
  }

  /** The code prefix the region filter takes: 14 for a province, 1408 for a city, six digits for a county. */
  private static String prefix(Region r) {
    return switch (r.level()) {
      case PROVINCE -> r.code().substring(0, 2);
      case CITY -> r.code().substring(0, 4);
      case COUNTY -> r.code();
    };
  }

  /** Each parameter once: a repeated one is ambiguous, so a usage error. */
  private static Map<String, String> single(MultiValueMap<String, String> query) {
    Map<String, String> out = new LinkedHashMap<>();
    query.forEach((name, values) -> {
      if (values.size() > 1) {
        throw new IllegalArgumentException(name + " is given " + values.size() + " times");
      }
      out.put(name, values.get(0));
    });
    out.values().removeIf(v -> v == null || v.isBlank());
    return out;
  }

  /**
   * The facet values as links narrowing the search to them, where a filter parameter takes the value;
   * a value is named from the catalogues, else by its label value.&lt;field&gt;.&lt;value&gt; in messages.properties.
   */
  private Map<String, List<Link>> facetLinks(SearchRequest request, SearchResult result, Map<String, String> params) {
    Map<String, List<Link>> out = new LinkedHashMap<>();
    result.facets().forEach((field, values) -> out.put(field, values.stream().map(f -> {
      String name = f.label().isEmpty()
          ? messages.getMessage("value." + field + "." + f.value(), null, "", LocaleContextHolder.getLocale()) : f.label();
      String label = name.isEmpty() ? f.value() : f.value() + " " + name;
      Map.Entry<String, String> filter = filter(request, field, f.value());
      return new Link(label, filter == null ? null : url("/search", params, Map.of(filter.getKey(), filter.getValue(), "after", "")), f.count());
    }).toList()));
    return out;
  }

  private static Map.Entry<String, String> filter(SearchRequest request, String field, String value) {
    switch (field) {
      case "product_code", "variety_code", "product_codes" -> {
        return Map.entry("product", value);
      }
      case "market_code", "market_key" -> {
        return Map.entry("market", value);
      }
      case "channel" -> {
        return Map.entry("channel", value);
      }
      case "courier_code" -> {
        return Map.entry("courier", value);
      }
      default -> {
        for (String region : request.fields().family().regions()) {
          if (field.equals(region)) {
            return Map.entry("region", value);
          } else if (field.equals(EsDocuments.levelField(region, "city"))) {
            return Map.entry("region", value.substring(0, 4));
          } else if (field.equals(EsDocuments.levelField(region, "province"))) {
            return Map.entry("region", value.substring(0, 2));
          }
        }
        return null;
      }
    }
  }

  /** The URL of the search with parameters replaced (an empty value drops one), encoded. */
  static String url(String path, Map<String, String> params, Map<String, String> changes) {
    Map<String, String> merged = new LinkedHashMap<>(params);
    changes.forEach((k, v) -> {
      if (v.isEmpty()) {
        merged.remove(k);
      } else {
        merged.put(k, v);
      }
    });
    // values as template variables, so encode() escapes every character that has a meaning in a URL
    UriComponentsBuilder b = UriComponentsBuilder.fromPath(path);
    List<String> values = List.copyOf(merged.values());
    List<String> names = List.copyOf(merged.keySet());
    for (int i = 0; i < names.size(); i++) {
      b.queryParam(names.get(i), "{v" + i + "}");
    }
    return b.encode().buildAndExpand(values.toArray()).toUriString();
  }
}
