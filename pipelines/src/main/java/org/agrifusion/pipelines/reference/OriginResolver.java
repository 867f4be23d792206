package org.agrifusion.pipelines.reference;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.agrifusion.pipelines.standardise.Text;

/**
 * Resolves a produce origin (产地) to region and country codes. Market bulletins write one or
 * several origins: province abbreviations run together ("冀甘陕"), names ("新疆", "运城临猗"),
 * countries ("美国", also misspelt), "国产", separated by \ / 、 , or spaces.
 */
public final class OriginResolver implements Serializable {

  /** China itself, for "国产" (domestic, province not given). */
  public static final String CHINA = "CN";
  private static final Set<String> DOMESTIC = Set.of("国产", "国内", "中国");
  /** Not 和/及/与: they start place names (和田, 和顺). */
  private static final Pattern SEPARATORS = Pattern.compile("[\\\\/、,;|+\\s]+");

  private final RegionCatalog regions;
  private final RegionResolver regionResolver;
  private final CountryCatalog countries;
  private final Memo<Resolution> memo = new Memo<>();

  public OriginResolver(RegionCatalog regions, CountryCatalog countries) {
    this.regions = regions;
    this.regionResolver = new RegionResolver(regions);
    this.countries = countries;
  }

  public Resolution resolve(String text) {
    return memo.get(text, this::resolveOnce);
  }

  private Resolution resolveOnce(String text) {
    String n = Text.normalise(text);
    if (n == null) {
      return Resolution.EMPTY;
    }
    Set<String> codes = new LinkedHashSet<>();
    List<String> unresolved = new ArrayList<>();
    boolean ambiguous = false;
    for (String token : SEPARATORS.split(n)) {
      if (token.isEmpty()) {
        continue;
      }
      if (DOMESTIC.contains(token)) {
        codes.add(CHINA);
        continue;
      }
      var country = countries.code(token);
      if (country.isPresent()) {
        codes.add(country.get());
        continue;
      }
      Resolution region = regionResolver.resolve(token);
      if (region.status() == Resolution.Status.RESOLVED) {
        codes.addAll(region.codes());
      } else if (region.status() == Resolution.Status.AMBIGUOUS) {
        ambiguous = true;
        unresolved.add(token);
      } else {
        List<String> provinces = abbreviations(token);
        if (provinces.isEmpty()) {
          unresolved.add(token);
        } else {
          codes.addAll(provinces);
        }
      }
    }
    Resolution.Status status = unresolved.isEmpty() ? Resolution.Status.RESOLVED
        : ambiguous && codes.isEmpty() && unresolved.size() == 1 ? Resolution.Status.AMBIGUOUS
        : codes.isEmpty() ? Resolution.Status.UNRESOLVED : Resolution.Status.PARTIAL;
    return new Resolution(status, List.copyOf(codes), List.copyOf(unresolved));
  }

  /** "冀甘陕" -> the three provinces; empty unless every character is a province abbreviation. */
  private List<String> abbreviations(String token) {
    List<String> provinces = new ArrayList<>();
    for (char c : token.toCharArray()) {
      var province = regions.provinceByAbbreviation(c);
      if (province.isEmpty()) {
        return List.of();
      }
      provinces.add(province.get());
    }
    return provinces;
  }
}
