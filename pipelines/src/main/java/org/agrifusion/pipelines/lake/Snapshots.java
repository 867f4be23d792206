package org.agrifusion.pipelines.lake;

import java.io.Serializable;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The snapshot of each table a reader is pinned to, by qualified name ({@code curated.sale}): what a
 * run published, what an extract was cut from. A table absent from the map did not exist then.
 */
public record Snapshots(Map<String, Long> ids) implements Serializable {

  public Snapshots {
    ids = Map.copyOf(ids);
  }

  public static Snapshots of(Map<String, Long> ids) {
    return new Snapshots(ids);
  }

  public Optional<Long> of(TableId table) {
    return Optional.ofNullable(ids.get(table.qualifiedName()));
  }

  public boolean pins(TableId table) {
    return ids.containsKey(table.qualifiedName());
  }

  /** Sorted by table, for reports and manifests. */
  public Map<String, Long> sorted() {
    return new TreeMap<>(ids);
  }
}
