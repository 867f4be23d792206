package org.agrifusion.jobs.search;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch._types.query_dsl.TextQueryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.agrifusion.pipelines.reference.ProductCatalog;
import org.agrifusion.pipelines.sink.elasticsearch.EsDocuments;
import org.agrifusion.pipelines.reference.Region;
import org.agrifusion.pipelines.reference.RegionCatalog;

/**
 * The free text {@code q} as a query, and how it was understood. In catalogue mode each word is
 * looked up whole in the product catalogue (names and aliases: 苹果 is the product 0201 and so all
 * its varieties, 红富士 the variety 020101, 小米 millet and never the chili 小米椒) and else in the
 * region catalogue (运城 is the city 140800 and its counties). A catalogue match filters on codes and
 * ranks first; documents without a product code still match the word as a phrase, below them.
 * Words the catalogues do not know, and every word in phrase mode, are phrases of the family's
 * text fields. The text is only ever a term's or a phrase's value, never query syntax.
 */
final class TextQuery {

  /** A catalogue match outranks any phrase match: phrase scores over a few short fields stay far below it. */
  private static final float CATALOGUE_BOOST = 100f;
  private static final int MAX_WORDS = 8;

  record Understood(Query query, String explanation) {}

  private final ProductCatalog products;
  private final RegionCatalog regions;

  TextQuery(ProductCatalog products, RegionCatalog regions) {
    this.products = products;
    this.regions = regions;
  }

  Understood understand(String q, SearchRequest.Mode mode, FamilyFields fields) {
    if (mode == SearchRequest.Mode.PHRASE) {
      return new Understood(phrase(q, fields), "\"" + q + "\": phrase");
    }
    List<String> words = List.of(q.split("\\s+"));
    if (words.size() > MAX_WORDS) {
      throw SearchRequest.bad("q", q, "has more than " + MAX_WORDS + " words");
    }
    BoolQuery.Builder all = new BoolQuery.Builder();
    List<String> explained = new ArrayList<>();
    for (String word : words) {
      all.must(word(word, fields, explained));
    }
    return new Understood(Query.of(x -> x.bool(all.build())), String.join("; ", explained));
  }

  private Query word(String word, FamilyFields fields, List<String> explained) {
    String product = products.codeOfName(word).orElse(null);
    if (product != null && !fields.productFields().isEmpty()) {
      explained.add(word + " → " + describeProduct(product));
      List<String> codeFields = fields.productFields();
      Query coded = Query.of(x -> x.bool(b -> {
        codeFields.forEach(f -> b.should(s -> s.prefix(p -> p.field(f).value(product))));
        return b.minimumShouldMatch("1");
      }));
      // a document the pipeline could not code is judged by its text
      Query uncoded = Query.of(x -> x.bool(b -> {
        b.must(phrase(word, fields));
        codeFields.forEach(f -> b.mustNot(m -> m.exists(e -> e.field(f))));
        return b;
      }));
      return either(boosted(coded), uncoded);
    }
    Set<String> places = regions.byOfficialName(word).isEmpty() ? regions.byName(word) : regions.byOfficialName(word);
    if (!places.isEmpty() && !fields.regionFields().isEmpty()) {
      List<Region> found = places.stream().map(c -> regions.byCode(c).orElseThrow()).toList();
      explained.add(word + " → " + String.join(", ", found.stream().map(this::describeRegion).toList()));
      Query inPlace = Query.of(x -> x.bool(b -> {
        for (Region region : found) {
          for (String base : fields.regionFields()) {
            String field = switch (region.level()) {
              case PROVINCE -> EsDocuments.levelField(base, "province");
              case CITY -> EsDocuments.levelField(base, "city");
              case COUNTY -> base;
            };
            b.should(s -> s.term(t -> t.field(field).value(FieldValue.of(region.code()))));
          }
        }
        return b.minimumShouldMatch("1");
      }));
      return either(boosted(inPlace), phrase(word, fields));
    }
    explained.add(product != null || !places.isEmpty()
        ? word + ": phrase (" + fields.family().name() + " has no " + (product != null ? "product" : "region") + " codes)"
        : word + ": phrase, not in the catalogue");
    return phrase(word, fields);
  }

  private String describeProduct(String code) {
    String name = products.name(code).orElse("");
    if (code.length() == 6) {
      String parent = code.substring(0, 4);
      return code + " " + name + " (a variety of " + parent + " " + products.name(parent).orElse("") + ")";
    }
    int varieties = products.children(code).size();
    return code + " " + name + (varieties == 0 ? "" : ": " + varieties + (varieties == 1 ? " variety" : " varieties"));
  }

  private String describeRegion(Region region) {
    long below = regions.all().stream().filter(r -> region.code().equals(r.parentCode())).count();
    return switch (region.level()) {
      case PROVINCE -> region.code().substring(0, 2) + " " + region.name() + ": " + below + " cities";
      case CITY -> region.code().substring(0, 4) + " " + region.name() + ": " + below + " counties";
      case COUNTY -> region.code() + " " + region.name();
    };
  }

  private static Query boosted(Query filter) {
    return Query.of(x -> x.constantScore(c -> c.filter(filter).boost(CATALOGUE_BOOST)));
  }

  private static Query either(Query first, Query second) {
    return Query.of(x -> x.bool(b -> b.should(first).should(second).minimumShouldMatch("1")));
  }

  /** The words as a phrase of the family's text fields (the node splits Chinese into characters, so 北京 is not 南京). */
  static Query phrase(String text, FamilyFields fields) {
    List<String> searched = fields.family().search().isEmpty() ? List.of("*") : fields.family().search();
    // lenient: a family without text fields searches all of them, and text is no number
    return Query.of(x -> x.multiMatch(m -> m.query(text).type(TextQueryType.Phrase).fields(searched).lenient(true)));
  }
}
