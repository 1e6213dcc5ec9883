package io.jfutures.multiprocessing;

import io.jfutures.multiprocessing.internal.hub.HubRef;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;

/**
 * A proxy to a map that a {@link Manager} holds: Python's {@code manager.dict()}, and a {@link
 * ConcurrentMap} for Java code. Every process that holds it (pass it to a {@link JvmProcess} or a
 * pool task) reads and writes the same map, in insertion order, with null keys and values allowed
 * as in Python. Each method is one atomic round trip to the manager; {@link #putAll} and {@link
 * #getAll} move many entries in one. {@code compute}, {@code merge} and the other {@link
 * ConcurrentMap} defaults are atomic too, built on {@link #putIfAbsent} and {@link #replace}.
 *
 * <p>Keys and values are copied: what a process puts is serialized, and what it gets is a copy, so
 * changing an object after {@code put} (or one got from {@code get}) changes nothing in the map, as
 * in Python. {@link #keySet()}, {@link #values()} and {@link #entrySet()} are read-only copies
 * taken at the call, not live views; {@link #copy()} is Python's {@code d.copy()}.
 *
 * @param <K> the type of keys, which must be serializable
 * @param <V> the type of values, which must be serializable
 */
public final class ManagedMap<K, V> extends AbstractMap<K, V>
    implements ConcurrentMap<K, V>, java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private static final Class<?>[] KEY = {Object.class};
  private static final Class<?>[] KEY_VALUE = {Object.class, Object.class};
  private static final Class<?>[] NONE = {};

  private final HostedHandle.Ref handle;

  ManagedMap(HubRef hub, long id) {
    this.handle = new HostedHandle.Ref(hub, id);
  }

  private <T> T call(String method, Class<?>[] types, Object... args) {
    return handle.typed(method, types, args);
  }

  @Override
  public int size() {
    return (Integer) call("size", NONE);
  }

  @Override
  public boolean isEmpty() {
    return size() == 0;
  }

  @Override
  public boolean containsKey(Object key) {
    return (Boolean) call("containsKey", KEY, key);
  }

  @Override
  public boolean containsValue(Object value) {
    return (Boolean) call("containsValue", KEY, value);
  }

  @Override
  public V get(Object key) {
    return call("get", KEY, key);
  }

  @Override
  public V put(K key, V value) {
    return call("put", KEY_VALUE, key, value);
  }

  @Override
  public V remove(Object key) {
    return call("remove", KEY, key);
  }

  /** Puts every entry of {@code entries} in one round trip. */
  @Override
  public void putAll(Map<? extends K, ? extends V> entries) {
    call("putAll", new Class<?>[] {Map.class}, new LinkedHashMap<>(entries));
  }

  /** Returns the values of {@code keys}, in their order (null where absent), in one round trip. */
  public List<V> getAll(Collection<? extends K> keys) {
    return call("getAll", new Class<?>[] {List.class}, new ArrayList<>(keys));
  }

  @Override
  public void clear() {
    call("clear", NONE);
  }

  @Override
  public V putIfAbsent(K key, V value) {
    return call("putIfAbsent", KEY_VALUE, key, value);
  }

  @Override
  public boolean remove(Object key, Object value) {
    return (Boolean) call("remove", KEY_VALUE, key, value);
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    return (Boolean)
        call(
            "replace",
            new Class<?>[] {Object.class, Object.class, Object.class},
            key,
            oldValue,
            newValue);
  }

  @Override
  public V replace(K key, V value) {
    return call("replace", KEY_VALUE, key, value);
  }

  /** Returns a copy of the whole map, in one round trip: Python's {@code d.copy()}. */
  public Map<K, V> copy() {
    return call("copy", NONE);
  }

  /** A read-only copy of the keys, taken now. */
  @Override
  public Set<K> keySet() {
    List<K> keys = call("keys", NONE);
    return Collections.unmodifiableSet(new LinkedHashSet<>(keys));
  }

  /** A read-only copy of the values, taken now. */
  @Override
  public Collection<V> values() {
    List<V> values = call("values", NONE);
    return Collections.unmodifiableList(values);
  }

  /** A read-only copy of the entries, taken now. */
  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    return Collections.unmodifiableMap(copy()).entrySet();
  }

  @Override
  public String toString() {
    return copy().toString();
  }
}
