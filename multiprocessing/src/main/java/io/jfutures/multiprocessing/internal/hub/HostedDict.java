package io.jfutures.multiprocessing.internal.hub;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A manager's dict, as its hub holds it: a map in insertion order, as Python's dict, that allows
 * null keys and values; each method is atomic. Proxies call its public methods by name. Views come
 * back as copies ({@link #copy}, {@link #keys}, {@link #values}, {@link #entries}).
 */
public final class HostedDict {
  private final Map<Object, Object> map;

  HostedDict(Map<?, ?> initial) {
    this.map = new LinkedHashMap<>(initial);
  }

  public synchronized int size() {
    return map.size();
  }

  public synchronized boolean containsKey(Object key) {
    return map.containsKey(key);
  }

  public synchronized boolean containsValue(Object value) {
    return map.containsValue(value);
  }

  public synchronized Object get(Object key) {
    return map.get(key);
  }

  public synchronized Object put(Object key, Object value) {
    return map.put(key, value);
  }

  public synchronized Object remove(Object key) {
    return map.remove(key);
  }

  public synchronized void putAll(Map<?, ?> entries) {
    map.putAll(entries);
  }

  public synchronized void clear() {
    map.clear();
  }

  public synchronized Object putIfAbsent(Object key, Object value) {
    return map.putIfAbsent(key, value);
  }

  public synchronized boolean remove(Object key, Object value) {
    return map.remove(key, value);
  }

  public synchronized boolean replace(Object key, Object expected, Object value) {
    return map.replace(key, expected, value);
  }

  public synchronized Object replace(Object key, Object value) {
    return map.replace(key, value);
  }

  /** The whole map, copied. */
  public synchronized LinkedHashMap<Object, Object> copy() {
    return new LinkedHashMap<>(map);
  }

  /** The keys, copied, in order. */
  public synchronized ArrayList<Object> keys() {
    return new ArrayList<>(map.keySet());
  }

  /** The values, copied, in order. */
  public synchronized ArrayList<Object> values() {
    return new ArrayList<>(map.values());
  }

  /** The entries, copied, in order: keys and values alternating. */
  public synchronized ArrayList<Object> entries() {
    ArrayList<Object> flat = new ArrayList<>(2 * map.size());
    map.forEach(
        (k, v) -> {
          flat.add(k);
          flat.add(v);
        });
    return flat;
  }

  /**
   * Begins an iteration over the entries (keys and values alternating) by pages of {@code entries};
   * see {@link HostedPages}.
   */
  public synchronized ArrayList<Object> entryPages(int entries) {
    return HostedPages.open(entries(), 2 * entries);
  }

  /** Begins an iteration over the keys by pages of {@code size}. */
  public synchronized ArrayList<Object> keyPages(int size) {
    return HostedPages.open(keys(), size);
  }

  /** Begins an iteration over the values by pages of {@code size}. */
  public synchronized ArrayList<Object> valuePages(int size) {
    return HostedPages.open(values(), size);
  }

  /** The next page of an iteration: up to {@code size} elements (twice the entries). */
  public ArrayList<Object> nextPage(long cursor, int size) {
    return HostedPages.next(cursor, size);
  }

  /** The values of {@code keys}, in their order (null where absent): a bulk get. */
  public synchronized ArrayList<Object> getAll(List<?> keys) {
    ArrayList<Object> found = new ArrayList<>(keys.size());
    for (Object k : keys) {
      found.add(map.get(k));
    }
    return found;
  }

  @Override
  public synchronized String toString() {
    return Objects.toString(map);
  }
}
