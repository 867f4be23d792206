package org.agrifusion.pipelines.reference;

import java.io.Serializable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Remembers a pure function of a name: a province-day has millions of rows but only a few thousand
 * distinct place and product names, so each is resolved once per task instead of once per row.
 * Bounded, so a feed of unique garbage costs time, not memory; past the bound it only computes.
 * Shipped with the reference data to each task, it starts there empty (its entries are not sent).
 */
final class Memo<V> implements Serializable {

  private static final int MAX_ENTRIES = 100_000;

  private transient volatile ConcurrentHashMap<String, V> values;

  V get(String key, Function<String, V> compute) {
    if (key == null) {
      return compute.apply(null);
    }
    ConcurrentHashMap<String, V> map = values;
    if (map == null) {
      values = map = new ConcurrentHashMap<>();  // a race only builds a second, equally valid memo
    }
    V value = map.get(key);
    if (value == null) {
      value = compute.apply(key);
      if (map.size() < MAX_ENTRIES) {
        map.put(key, value);
      }
    }
    return value;
  }
}
