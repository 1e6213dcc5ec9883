package io.jfutures.multiprocessing;

import io.jfutures.multiprocessing.internal.hub.HubRef;
import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * in Python. {@link #keySet()}, {@link #values()} and {@link #entrySet()} are read-only views whose
 * iterators walk a snapshot taken when each iterator is made, fetched by pages of {@value #PAGE};
 * {@link #copy()} (Python's {@code d.copy()}) takes the whole map in one round trip.
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

  /** The map in the manager: its hub and id. */
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

  /**
   * Returns the values of {@code keys}, in their order (null where absent), in one round trip.
   *
   * @param keys the keys to look up
   * @return the values of {@code keys}, in their order, with null for a key that is absent
   */
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

  /**
   * Returns a copy of the whole map, in one round trip: Python's {@code d.copy()}.
   *
   * @return a copy of the whole map
   */
  public Map<K, V> copy() {
    return call("copy", NONE);
  }

  /**
   * A read-only view of the keys: {@code size} and {@code contains} ask the manager; an iterator
   * walks the keys as they were when it was made, fetched by pages.
   */
  @Override
  public Set<K> keySet() {
    return new View<K>() {
      @Override
      public Iterator<K> iterator() {
        return paged("keyPages", PAGE, PAGE);
      }

      @Override
      public boolean contains(Object key) {
        return containsKey(key);
      }
    };
  }

  /**
   * A read-only view of the values: {@code size} and {@code contains} ask the manager; an iterator
   * walks the values as they were when it was made, fetched by pages.
   */
  @Override
  public Collection<V> values() {
    return new View<V>() {
      @Override
      public Iterator<V> iterator() {
        return paged("valuePages", PAGE, PAGE);
      }

      @Override
      public boolean contains(Object value) {
        return containsValue(value);
      }
    };
  }

  /**
   * A read-only view of the entries: {@code size} asks the manager; an iterator walks the entries
   * as they were when it was made (each a read-only copy), fetched by pages. So {@code forEach},
   * {@code equals} and copying into another map never hold the whole map in one message.
   */
  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    return new View<Map.Entry<K, V>>() {
      @Override
      public Iterator<Map.Entry<K, V>> iterator() {
        Iterator<Object> flat = paged("entryPages", PAGE, 2 * PAGE);
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            return flat.hasNext();
          }

          @Override
          @SuppressWarnings("unchecked")
          public Map.Entry<K, V> next() {
            K key = (K) flat.next();
            return new AbstractMap.SimpleImmutableEntry<>(key, (V) flat.next());
          }
        };
      }

      @Override
      public boolean contains(Object o) {
        return o instanceof Map.Entry<?, ?> e
            && containsKey(e.getKey())
            && Objects.equals(get(e.getKey()), e.getValue());
      }
    };
  }

  /** Entries (or keys, or values) per page of an iteration. */
  static final int PAGE = 1024;

  /** Begins an iteration with {@code method}, whose pages after the first hold {@code elements}. */
  @SuppressWarnings("unchecked")
  private <T> Iterator<T> paged(String method, int first, int elements) {
    List<Object> page = call(method, new Class<?>[] {int.class}, first);
    return (Iterator<T>) new HostedPageIterator(handle, page, elements);
  }

  /** The views: read-only, sized by the manager. */
  private abstract class View<T> extends AbstractCollection<T> implements Set<T> {
    @Override
    public int size() {
      return ManagedMap.this.size();
    }

    @Override
    public boolean isEmpty() {
      return ManagedMap.this.isEmpty();
    }

    @Override
    public boolean remove(Object o) {
      throw readOnly();
    }

    @Override
    public boolean removeAll(Collection<?> c) {
      throw readOnly();
    }

    @Override
    public boolean retainAll(Collection<?> c) {
      throw readOnly();
    }

    @Override
    public void clear() {
      throw readOnly();
    }

    @Override
    public boolean equals(Object o) {
      return o == this
          || (o instanceof Set<?> other && other.size() == size() && containsAll(other));
    }

    @Override
    public int hashCode() {
      int h = 0;
      for (T t : this) {
        h += Objects.hashCode(t);
      }
      return h;
    }

    private UnsupportedOperationException readOnly() {
      return new UnsupportedOperationException(
          "a manager's map views are read-only: change the map with put, remove or clear");
    }
  }

  @Override
  public String toString() {
    return copy().toString();
  }
}
