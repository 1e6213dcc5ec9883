package io.jfutures.hazelcast;

import com.hazelcast.map.IMap;
import io.jfutures.spi.backend.OwnedLock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * A lock shared by every member and client of a cluster, as {@code multiprocessing.Lock} across
 * machines: a Java {@link java.util.concurrent.locks.Lock} (the thread that locks it unlocks it),
 * whose holder may die.
 *
 * <p><b>A holder that dies.</b> The lock is one key of the map {@value ClusterObjects#LOCKS},
 * locked with the map's per-key lock, which Hazelcast releases when the member that holds it leaves
 * the cluster: a member killed with {@code kill -9} is seen within a second (0.4 s measured on
 * loopback), a silent one after the heartbeat timeout. The key's value names the holder while it
 * holds the lock, and is cleared by {@link #unlock()}: the next holder that finds it still there
 * knows that its predecessor died holding the lock, and {@link #ownerDied()} says so, as a robust
 * mutex's {@code EOWNERDEAD} does. What the dead holder was doing under the lock is for that next
 * holder to check or repair. A waiter reads the holder's name too, which starts with its member's
 * or client's tag, and opens the lock by force if the holder is gone but its lock is not: a member
 * that left while its lock outlived it (kept on the replica its death promoted), or a client whose
 * {@link ClientLease lease} lapsed ({@value ClientLease#LEASE_SECONDS} s after it died: Hazelcast
 * itself frees a dead client's locks only when the members clean up after it, which took from 7.5 s
 * to over 90 s in tests). Only the waiter that first claims the dead holder's lock (an entry of its
 * own, made with {@code putIfAbsent}) opens it. A client that is alive but out of reach of its
 * cluster for a whole lease is taken for dead too: its locks go to the next holder, and its own
 * {@code unlock()} then throws {@link IllegalMonitorStateException}.
 *
 * <p><b>Guarantees.</b> Those of Hazelcast's open edition: the lock and its holder's name are kept
 * on a partition owner and one synchronous backup, so one member's death loses neither. There is no
 * consensus: a network split gives each side its own copy, and both sides may hold the lock.
 *
 * <pre>
 * States (per thread, for one handle): FREE (holds = 0) -> HELD (lock: the map's key locked by
 * this thread, the value naming it; holds counts re-entries) -> FREE (the last unlock: the value
 * removed, then the key unlocked). Invariant: the value is present exactly while a holder holds the key or after a
 * holder died holding it, until the next holder takes it.
 * </pre>
 *
 * <p>Thread-safe. Not reentrant across handles of other JVMs; reentrant in one thread, as
 * Hazelcast's per-key lock is.
 */
public final class ClusterLock implements OwnedLock {
  private final IMap<String, String> locks;
  private final String name;
  private final String holderName;
  private final Owners owners;
  private final ThreadLocal<Boolean> ownerDied = ThreadLocal.withInitial(() -> false);
  private final ThreadLocal<int[]> holds = ThreadLocal.withInitial(() -> new int[1]);

  /** The value this thread wrote as the holder, while it holds the lock. */
  private final ThreadLocal<String> holderValue = new ThreadLocal<>();

  ClusterLock(IMap<String, String> locks, String name, String holderName, Owners owners) {
    this.locks = locks;
    this.name = Objects.requireNonNull(name, "name");
    this.holderName = holderName;
    this.owners = owners;
  }

  /** Returns the lock's name, which every handle to it shares. */
  public String name() {
    return name;
  }

  @Override
  public void lock() {
    while (!tryOnce(SLICE_NANOS)) {
      // keep waiting: tryOnce frees a lock whose holder's member has left
    }
    took();
  }

  private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  /**
   * Tries to take the lock for up to {@code nanos}; if that fails and the holder's name says its
   * member has left the cluster while its lock outlived it, unlocks it by force, so that the next
   * try takes it (and sees {@link #ownerDied()}).
   */
  private boolean tryOnce(long nanos) {
    boolean taken;
    try {
      taken = locks.tryLock(name, nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    if (!taken) {
      String holder = locks.get(name);
      if (holder != null
          && owners.isGone(Owners.tagOf(holder))
          && owners.claim(locks, name, holder)) {
        locks.forceUnlock(name); // only the waiter that claimed the dead holder's lock
      }
    }
    return taken;
  }

  /**
   * Acquires the lock unless the thread is interrupted; while it waits it checks for an interrupt
   * every 200 ms (Hazelcast's wait itself is not interruptible).
   */
  @Override
  public void lockInterruptibly() throws InterruptedException {
    while (!tryOnce(SLICE_NANOS)) {
      if (Thread.interrupted()) {
        throw new InterruptedException("while waiting for cluster lock " + name);
      }
    }
    took();
  }

  @Override
  public boolean tryLock() {
    if (!locks.tryLock(name)) {
      return false;
    }
    took();
    return true;
  }

  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(time);
    while (!tryOnce(Math.max(0, Math.min(SLICE_NANOS, deadline - System.nanoTime())))) {
      if (Thread.interrupted()) {
        throw new InterruptedException("while waiting for cluster lock " + name);
      }
      if (deadline - System.nanoTime() <= 0) {
        return false;
      }
    }
    took();
    return true;
  }

  /**
   * As {@link #tryLock(long, TimeUnit)}, with Python's {@code acquire(timeout=...)}.
   *
   * @param timeout how long to wait at most
   * @return whether the lock was acquired
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean acquire(Duration timeout) throws InterruptedException {
    return tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Counts this thread's hold; on its first, records it as the holder and notes whether the last
   * holder died holding the lock (its name was still there).
   */
  private void took() {
    if (holds.get()[0]++ == 0) {
      String mine = holderName + " thread " + Thread.currentThread().getName();
      String previous = locks.put(name, mine);
      holderValue.set(mine);
      ownerDied.set(previous != null);
    }
  }

  /**
   * Releases the lock.
   *
   * @throws IllegalMonitorStateException if this thread does not hold it
   */
  @Override
  public void unlock() {
    int[] held = holds.get();
    if (held[0] == 0) {
      throw new IllegalMonitorStateException(
          "cluster lock " + name + " is not held by " + Thread.currentThread().getName());
    }
    if (--held[0] == 0) {
      // The holder's name goes before the lock (a death between leaves it), and only if it is
      // still this thread's: a holder whose lease lapsed may have been succeeded meanwhile, and
      // then Hazelcast's unlock below says that it no longer holds the lock.
      locks.remove(name, holderValue.get());
      holderValue.remove();
    }
    locks.unlock(name);
  }

  /**
   * Returns whether this thread's last acquisition found that the previous holder had died holding
   * the lock (its member or client left the cluster before it unlocked).
   *
   * @return whether the previous holder died holding the lock
   */
  @Override
  public boolean ownerDied() {
    return ownerDied.get();
  }

  /** Returns whether some thread of some JVM of the cluster holds the lock. */
  public boolean isLocked() {
    return locks.isLocked(name);
  }

  /** Not supported: a cluster lock has no conditions; use a {@link ClusterEvent}. */
  @Override
  public Condition newCondition() {
    throw new UnsupportedOperationException(
        "a cluster lock has no conditions; wait for a ClusterEvent instead");
  }

  @Override
  public String toString() {
    return "ClusterLock[" + name + (isLocked() ? ", locked" : ", free") + "]";
  }
}
