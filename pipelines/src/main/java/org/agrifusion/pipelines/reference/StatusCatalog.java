package org.agrifusion.pipelines.reference;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.agrifusion.pipelines.standardise.Text;

/** Order and waybill statuses of the standard and the words platforms and couriers use for them ({@code statuses.csv}). */
public final class StatusCatalog implements Serializable {

  private final Map<String, String> byKindAndName;

  private StatusCatalog(Map<String, String> byKindAndName) {
    this.byKindAndName = byKindAndName;
  }

  public static StatusCatalog load(Path csv) {
    Map<String, String> map = new HashMap<>();
    for (ReferenceCsv.Line line : ReferenceCsv.read(csv, "kind", "status", "aliases")) {
      String kind = line.get("kind");
      for (String name : line.names("status", "aliases")) {
        String previous = map.put(kind + "/" + key(name), line.get("status"));
        if (previous != null && !previous.equals(line.get("status"))) {
          throw new IllegalArgumentException(csv + " line " + line.number() + ": '" + name + "' is both " + previous + " and " + line.get("status"));
        }
      }
    }
    return new StatusCatalog(map);
  }

  /** The standard status of a record kind ({@code sale}, {@code shipment}) for a status as written. */
  public Optional<String> status(String kind, String written) {
    String key = key(written);
    return key == null ? Optional.empty() : Optional.ofNullable(byKindAndName.get(kind + "/" + key));
  }

  private static String key(String name) {
    String n = Text.normalise(name);
    return n == null ? null : n.toLowerCase(Locale.ROOT);
  }
}
