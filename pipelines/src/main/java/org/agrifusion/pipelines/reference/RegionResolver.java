package org.agrifusion.pipelines.reference;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.agrifusion.pipelines.standardise.Text;

/**
 * Resolves a text naming one place to a GB/T 2260 code: a code ("140821", also an older-vintage
 * one), a full or short name ("临猗县", "临猗"), or a chain of names from province down
 * ("山西省运城市临猗县", "运城临猗", "山西临猗"), where each name must lie within the previous one.
 *
 * <p>When a name fits several regions, precedence decides before ambiguity is declared: a full
 * official name outranks an alias, and on equal footing the higher level outranks the lower (河北 is
 * the province, not 天津's 河北区; 西安 is the city, not 辽源's 西安区). Only candidates that tie on
 * both are ambiguous (朝阳区: Beijing or Changchun). The rule is documented in docs/data-standard.md 4.1.
 */
public final class RegionResolver implements Serializable {

  private static final int MAX_NAME = 16;

  private static final java.util.regex.Pattern CODE = java.util.regex.Pattern.compile("\\d{6}");

  private final RegionCatalog regions;
  private final Memo<Resolution> memo = new Memo<>();

  public RegionResolver(RegionCatalog regions) {
    this.regions = regions;
  }

  public Resolution resolve(String text) {
    return memo.get(text, this::resolveOnce);
  }

  private Resolution resolveOnce(String text) {
    String n = Text.normalise(text);
    if (n == null) {
      return Resolution.EMPTY;
    }
    n = n.replace(" ", "");
    if (CODE.matcher(n).matches()) {
      return regions.byCode(n)
          .map(r -> new Resolution(Resolution.Status.RESOLVED, List.of(r.code()), List.of()))
          .orElse(new Resolution(Resolution.Status.UNRESOLVED, List.of(), List.of(n)));
    }
    Set<String> official = regions.byOfficialName(n);
    Set<String> exact = official.isEmpty() ? regions.byName(n) : official;
    Set<String> found = highestLevel(exact.isEmpty() ? chain(n, null) : exact);
    if (found.isEmpty()) {
      return new Resolution(Resolution.Status.UNRESOLVED, List.of(), List.of(n));
    }
    return new Resolution(found.size() == 1 ? Resolution.Status.RESOLVED : Resolution.Status.AMBIGUOUS,
        List.copyOf(found), List.of());
  }

  /**
   * The candidates of the highest level among them. This also settles a province and its
   * namesake city (吉林) and a city and a namesake county inside it (和田) in favour of the larger.
   */
  private Set<String> highestLevel(Set<String> codes) {
    Region.Level top = codes.stream().map(c -> regions.byCode(c).orElseThrow().level()).min(Comparator.naturalOrder()).orElse(null);
    Set<String> out = new LinkedHashSet<>();
    for (String code : codes) {
      if (regions.byCode(code).orElseThrow().level() == top) {
        out.add(code);
      }
    }
    return out;
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
