package org.agrifusion.pipelines.reference;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Remembers a pure function of a name: a province-day has millions of rows but only a few thousand
 * distinct place and product names, so each is resolved once per task instead of once per row.
 * Bounded, so a feed of unique garbage costs time, not memory; past the bound it only computes.
 */
final class Memo<V> {

  private static final int MAX_ENTRIES = 100_000;

  private final ConcurrentHashMap<String, V> values = new ConcurrentHashMap<>();

  V get(String key, Function<String, V> compute) {
    if (key == null) {
      return compute.apply(null);
    }
    V value = values.get(key);
    if (value == null) {
      value = compute.apply(key);
      if (values.size() < MAX_ENTRIES) {
        values.put(key, value);
      }
    }
    return value;
  }
}
