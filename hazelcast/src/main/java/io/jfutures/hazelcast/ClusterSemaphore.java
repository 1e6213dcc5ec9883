package io.jfutures.hazelcast;

import com.hazelcast.map.IMap;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A bounded semaphore shared by every member and client of a cluster, as {@code
 * multiprocessing.BoundedSemaphore} across machines, whose permits come back when their holder
 * dies: each permit is one key of the map {@value ClusterObjects#LOCKS} ({@code semaphore:name#0},
 * {@code semaphore:name#1}, ...), taken with the map's per-key lock, which Hazelcast releases when
 * the holder's member leaves. So a permit is released by the thread that acquired it, and a holder
 * that dies returns its permits: 0.4 s after {@code kill -9} of its member on loopback; a client's,
 * once its {@link ClientLease lease} lapses ({@value ClientLease#LEASE_SECONDS} s), when a waiter
 * finds the permit's value naming a client without one and opens it by force (as a {@link
 * ClusterLock} is).
 *
 * <p>The number of permits is fixed by the first handle made for the name, in the map {@value
 * ClusterObjects#VALUES}; a handle made with another number is refused. A waiter tries the permits
 * in turn, from a random one, waiting a little on each: acquisition is not fair.
 *
 * <pre>
 * Per thread: holding, the stack of permits it holds (keys it locked), released last first.
 * Invariant: a permit is held by at most one thread of the cluster (while no network split).
 * </pre>
 *
 * <p>Thread-safe.
 */
public final class ClusterSemaphore {
  private static final long WAIT_PER_PERMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final IMap<String, String> locks;
  private final String name;
  private final int permits;
  private final Owners owners;
  private final ThreadLocal<ArrayDeque<Integer>> holding = ThreadLocal.withInitial(ArrayDeque::new);

  ClusterSemaphore(
      IMap<String, String> locks,
      IMap<String, Long> values,
      String name,
      int permits,
      Owners owners) {
    if (permits < 1) {
      throw new IllegalArgumentException("a semaphore needs at least 1 permit, was " + permits);
    }
    Long fixed = values.putIfAbsent("semaphore-permits:" + name, (long) permits);
    if (fixed != null && fixed != permits) {
      throw new IllegalArgumentException(
          "cluster semaphore " + name + " has " + fixed + " permits, not " + permits);
    }
    this.locks = locks;
    this.name = name;
    this.permits = permits;
    this.owners = owners;
  }

  private String key(int permit) {
    return "semaphore:" + name + "#" + permit;
  }

  /**
   * Takes a permit, waiting as long as it takes.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void acquire() throws InterruptedException {
    while (!acquire(Duration.ofSeconds(1))) {
      // try again: acquire(Duration) checks for an interrupt
    }
  }

  /**
   * Takes a permit if one is free within {@code timeout}.
   *
   * @param timeout how long to wait at most
   * @return whether a permit was taken
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean acquire(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int first = ThreadLocalRandom.current().nextInt(permits);
    for (int i = 0; i < permits; i++) {
      int p = (first + i) % permits;
      if (!holding.get().contains(p) && locks.tryLock(key(p))) {
        return took(p);
      }
    }
    for (int i = 0; ; i++) {
      if (Thread.interrupted()) {
        throw new InterruptedException("while waiting for cluster semaphore " + name);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      int p = (first + i) % permits;
      if (holding.get().contains(p)) {
        continue;
      }
      if (locks.tryLock(key(p), Math.min(left, WAIT_PER_PERMIT_NANOS), TimeUnit.NANOSECONDS)) {
        return took(p);
      }
      String holder = locks.get(key(p));
      if (holder != null
          && owners.isGone(Owners.tagOf(holder))
          && owners.claim(locks, key(p), holder)) {
        locks.forceUnlock(key(p)); // its holder died, and the permit's lock outlived it
      }
    }
  }

  /** Records permit {@code p} as this thread's, and its holder's member in the permit's value. */
  private boolean took(int p) {
    locks.set(key(p), owners.tag());
    holding.get().push(p);
    return true;
  }

  /**
   * Returns the permit this thread took last.
   *
   * @throws IllegalStateException if this thread holds no permit of this semaphore (a bounded
   *     semaphore is released no more often than it was acquired, as Python's raises ValueError)
   */
  public void release() {
    ArrayDeque<Integer> held = holding.get();
    if (held.isEmpty()) {
      throw new IllegalStateException(
          "cluster semaphore "
              + name
              + " is released more often than "
              + Thread.currentThread().getName()
              + " acquired it");
    }
    String key = key(held.pop());
    locks.remove(key, owners.tag()); // unless a lapsed lease let another take the permit
    locks.unlock(key);
  }

  /** Returns how many permits are free now; a snapshot, as each permit is read in turn. */
  public int availablePermits() {
    int free = 0;
    for (int p = 0; p < permits; p++) {
      if (!locks.isLocked(key(p))) {
        free++;
      }
    }
    return free;
  }

  @Override
  public String toString() {
    return "ClusterSemaphore[" + name + ", " + availablePermits() + " of " + permits + " free]";
  }
}
