package org.agrifusion.pipelines.reference;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.agrifusion.pipelines.standardise.Text;

/**
 * Resolves a text naming one place to a GB/T 2260 code: a code ("140821", also an older-vintage
 * one), a full or short name ("临猗县", "临猗"), or a chain of names from province down
 * ("山西省运城市临猗县", "运城临猗", "山西临猗"), where each name must lie within the previous one.
 */
public final class RegionResolver implements Serializable {

  private static final int MAX_NAME = 16;

  private final RegionCatalog regions;

  public RegionResolver(RegionCatalog regions) {
    this.regions = regions;
  }

  public Resolution resolve(String text) {
    String n = Text.normalise(text);
    if (n == null) {
      return Resolution.EMPTY;
    }
    n = n.replace(" ", "");
    if (n.matches("\\d{6}")) {
      return regions.byCode(n)
          .map(r -> new Resolution(Resolution.Status.RESOLVED, List.of(r.code()), List.of()))
          .orElse(new Resolution(Resolution.Status.UNRESOLVED, List.of(), List.of(n)));
    }
    Set<String> exact = regions.byName(n);
    Set<String> found = exact.isEmpty() ? chain(n, null) : exact;
    if (found.isEmpty()) {
      return new Resolution(Resolution.Status.UNRESOLVED, List.of(), List.of(n));
    }
    if (found.size() > 1) {
      // 吉林 is both the province and its city 吉林市: the province contains both, so it is no guess.
      String enclosing = enclosing(found);
      return enclosing != null
          ? new Resolution(Resolution.Status.RESOLVED, List.of(enclosing), List.of())
          : new Resolution(Resolution.Status.AMBIGUOUS, List.copyOf(found), List.of());
    }
    return new Resolution(Resolution.Status.RESOLVED, List.copyOf(found), List.of());
  }

  private static String enclosing(Set<String> codes) {
    for (String candidate : codes) {
      if (codes.stream().allMatch(c -> RegionCatalog.within(c, candidate))) {
        return candidate;
      }
    }
    return null;
  }

  /** All regions the text can be read as, as names nested from the largest down. */
  private Set<String> chain(String rest, String within) {
    Set<String> out = new LinkedHashSet<>();
    for (int len = Math.min(rest.length(), MAX_NAME); len >= 2; len--) {
      String prefix = rest.substring(0, len);
      List<String> candidates = new ArrayList<>();
      for (String code : regions.byName(prefix)) {
        if (within == null || (!code.equals(within) && RegionCatalog.within(code, within))) {
          candidates.add(code);
        }
      }
      for (String code : candidates) {
        if (len == rest.length()) {
          out.add(code);
        } else {
          out.addAll(chain(rest.substring(len), code));
        }
      }
    }
    return out;
  }
}
