package io.jfutures.hazelcast;

import com.hazelcast.map.IMap;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A flag shared by every member and client of a cluster, as {@code multiprocessing.Event} across
 * machines: {@link #set()}, {@link #clear()}, {@link #isSet()} and {@link #await(Duration)}.
 *
 * <p>The flag is one entry of the map {@value ClusterObjects#EVENTS}; a waiter reads it with a
 * growing pause (1 ms doubling to 50 ms), so a wait ends at most about 50 ms after the flag is set.
 * A waiter that dies leaves nothing behind; a setter that dies after {@code set()} returned leaves
 * the flag set. Thread-safe.
 */
public final class ClusterEvent {
  private static final long MAX_PAUSE_NANOS = 50_000_000;

  private final IMap<String, Boolean> events;
  private final String name;

  ClusterEvent(IMap<String, Boolean> events, String name) {
    this.events = events;
    this.name = name;
  }

  /** Sets the flag; waiters return. */
  public void set() {
    events.set(name, Boolean.TRUE);
  }

  /** Clears the flag. */
  public void clear() {
    events.delete(name);
  }

  /** Returns whether the flag is set. */
  public boolean isSet() {
    return Boolean.TRUE.equals(events.get(name));
  }

  /**
   * Waits until the flag is set or the timeout passes, as Python's {@code wait(timeout)}.
   *
   * @param timeout how long to wait at most
   * @return whether the flag is set
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean await(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = 1_000_000;
    while (!isSet()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      LockSupport.parkNanos(Math.min(pause, left));
      if (Thread.interrupted()) {
        throw new InterruptedException("while waiting for cluster event " + name);
      }
      pause = Math.min(2 * pause, MAX_PAUSE_NANOS);
    }
    return true;
  }

  @Override
  public String toString() {
    return "ClusterEvent[" + name + (isSet() ? ", set" : ", clear") + "]";
  }
}
