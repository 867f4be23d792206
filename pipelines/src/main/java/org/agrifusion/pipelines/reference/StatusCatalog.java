package org.agrifusion.pipelines.reference;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Order and waybill statuses of the standard and the words platforms and couriers use for them ({@code statuses.csv}). */
public final class StatusCatalog implements Serializable {

  private final Map<String, NameIndex<String>> byKind;

  private StatusCatalog(Map<String, NameIndex<String>> byKind) {
    this.byKind = byKind;
  }

  public static StatusCatalog load(Path csv) {
    Map<String, NameIndex<String>> byKind = new HashMap<>();
    for (ReferenceCsv.Line line : ReferenceCsv.read(csv, "kind", "status", "aliases")) {
      NameIndex<String> names = byKind.computeIfAbsent(line.get("kind"), k -> new NameIndex<>());
      for (String name : line.names("status", "aliases")) {
        names.put(name, line.get("status"), csv, line);
      }
    }
    return new StatusCatalog(byKind);
  }

  /** The standard status of a record kind ({@code sale}, {@code shipment}) for a status as written. */
  public Optional<String> status(String kind, String written) {
    NameIndex<String> names = byKind.get(kind);
    return names == null ? Optional.empty() : names.get(written);
  }
}
