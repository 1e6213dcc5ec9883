package io.jfutures.multiprocessing.internal.hub;

import java.util.NoSuchElementException;
import java.util.TreeMap;

/** A manager's namespace, as its hub holds it: named values; each method is atomic. */
public final class HostedNamespace {
  private final TreeMap<String, Object> attributes = new TreeMap<>();

  /**
   * Returns the value of {@code name}.
   *
   * @throws NoSuchElementException if it has none (Python's {@code AttributeError})
   */
  public synchronized Object get(String name) {
    if (!attributes.containsKey(name)) {
      throw new NoSuchElementException(
          "the namespace has no '" + name + "'; it has " + attributes.keySet());
    }
    return attributes.get(name);
  }

  public synchronized void set(String name, Object value) {
    attributes.put(name, value);
  }

  public synchronized boolean has(String name) {
    return attributes.containsKey(name);
  }

  public synchronized Object delete(String name) {
    return attributes.remove(name);
  }

  /** The names and values, copied. */
  public synchronized TreeMap<String, Object> copy() {
    return new TreeMap<>(attributes);
  }
}
