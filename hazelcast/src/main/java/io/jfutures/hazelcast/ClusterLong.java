package io.jfutures.hazelcast;

import com.hazelcast.map.IMap;

/**
 * A number shared by every member and client of a cluster, as {@code multiprocessing.Value('q')}
 * across machines, whose updates are atomic without a lock: {@link #addAndGet} and {@link
 * #compareAndSet} are compare-and-set loops on one entry of the map {@value ClusterObjects#VALUES},
 * which Hazelcast changes atomically on its partition owner and copies to one synchronous backup.
 * An update a caller saw return survives one member's death. Thread-safe.
 */
public final class ClusterLong {
  private final IMap<String, Long> values;
  private final String name;

  ClusterLong(IMap<String, Long> values, String name) {
    this.values = values;
    this.name = name;
  }

  /** Returns the value; 0 until first set. */
  public long get() {
    Long v = values.get(name);
    return v == null ? 0 : v;
  }

  /** Sets the value. */
  public void set(long value) {
    values.set(name, value);
  }

  /**
   * Adds {@code delta} atomically.
   *
   * @param delta what to add
   * @return the value after the addition
   */
  public long addAndGet(long delta) {
    while (true) {
      Long old = values.get(name);
      if (old == null) {
        if (values.putIfAbsent(name, delta) == null) {
          return delta;
        }
      } else if (values.replace(name, old, old + delta)) {
        return old + delta;
      }
    }
  }

  /**
   * Sets the value to {@code update} if it is {@code expect}, atomically.
   *
   * @param expect the value expected
   * @param update the new value
   * @return whether the value was {@code expect} and is now {@code update}
   */
  public boolean compareAndSet(long expect, long update) {
    Long old = values.get(name);
    if (old == null) {
      return expect == 0 && values.putIfAbsent(name, update) == null;
    }
    return old == expect && values.replace(name, old, update);
  }

  @Override
  public String toString() {
    return "ClusterLong[" + name + " = " + get() + "]";
  }
}
