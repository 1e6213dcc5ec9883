package io.jfutures.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.transaction.TransactionException;
import com.hazelcast.transaction.TransactionalMap;
import com.hazelcast.transaction.TransactionalQueue;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * A joinable queue shared by every member and client of a cluster, as {@code
 * multiprocessing.JoinableQueue} across machines: {@link #put}, {@link #get(Duration)}, {@link
 * #taskDone()} and {@link #join(Duration)}, which returns once every item put has been taken and
 * marked done.
 *
 * <p><b>A consumer that dies.</b> Python's {@code join()} waits for ever for an item whose consumer
 * died before {@code task_done()}. Here a consumer thread holds a per-key lock of the map {@value
 * ClusterObjects#LOCKS} (its presence) from its first {@code get}, which Hazelcast releases when
 * its member leaves, and whose key names its member or client (a client is gone once its {@link
 * ClientLease lease} lapses, {@value ClientLease#LEASE_SECONDS} s after it died); each item it
 * takes is moved, in one transaction, from the queue to the queue's map of taken items under its
 * presence. An item whose taker's presence is gone is put back at the tail, still unfinished, by
 * whoever looks first (also when its member has left and the lock outlived it: the presence names
 * its member) ({@code join()}, or a {@code get} that finds the queue empty): another consumer takes
 * it, and {@code join()} returns once that one marks it done. So an item is done once, or taken
 * again, never forgotten.
 *
 * <p><b>A limit.</b> A {@code get} takes its item in a Hazelcast transaction. If the member that
 * coordinates that transaction dies while it runs, the {@code get} fails, and the item it polled
 * may stay reserved inside the queue, seen by no consumer and counted as unfinished, until
 * Hazelcast lets it go (about two minutes in tests); meanwhile {@code join(timeout)} may return
 * false at its timeout.
 *
 * <pre>
 * State (names from the queue's): the items (an IQueue), the taken items (an IMap from
 * "presence#n" to the item), the unfinished count (an entry of jfutures.values). Invariant:
 * unfinished = items + taken, kept by transactions: put (item in, count + 1), get (item out of
 * the queue, into taken), taskDone (out of taken, count - 1), recovery (out of taken, into the
 * queue). Per thread: its presence and the keys of what it took, oldest first.
 * </pre>
 *
 * <p>A waiting {@code get} or {@code join} looks again with a growing pause (1 ms doubling to 50
 * ms); a {@code get} or {@code taskDone} whose transaction a member's death broke tries again (both
 * are safe to repeat: a take is looked for under its own key, a done item is counted once). A
 * {@code put} under which a member dies throws Hazelcast's exception: it may or may not have
 * happened, and is not repeated for you. Thread-safe.
 */
public final class ClusterJoinableQueue<E> {
  private static final long MAX_PAUSE_NANOS = 50_000_000;
  private static final long RETRY_NANOS = 30_000_000_000L;

  private final HazelcastInstance hz;
  private final String name;
  private final String items;
  private final String taken;
  private final String unfinishedKey;
  private final IMap<String, String> locks;
  private final IMap<String, Long> values;
  private final ItemCodec codec;
  private final Owners owners;
  private final ThreadLocal<Consumer> consumer = new ThreadLocal<>();

  /** A consumer thread's presence and what it has taken and not marked done, oldest first. */
  private static final class Consumer {
    final String presence;
    final ArrayDeque<String> taken = new ArrayDeque<>();
    // Keys of takes whose transaction failed: it may have committed even so (a member died during
    // the commit); the next get claims such an item if it is there.
    final ArrayDeque<String> uncertain = new ArrayDeque<>();
    long next;

    Consumer(String presence) {
      this.presence = presence;
    }
  }

  ClusterJoinableQueue(
      HazelcastInstance hz,
      IMap<String, String> locks,
      IMap<String, Long> values,
      String name,
      ItemCodec codec,
      Owners owners) {
    this.hz = hz;
    this.name = name;
    this.items = "jfutures.joinable." + name;
    this.taken = "jfutures.joinable." + name + ".taken";
    this.unfinishedKey = "joinable-unfinished:" + name;
    this.locks = locks;
    this.values = values;
    this.codec = codec;
    this.owners = owners;
  }

  /**
   * Puts an item; it counts as unfinished until a consumer marks it done.
   *
   * @param item the item, serializable and not null
   */
  public void put(E item) {
    byte[] bytes = codec.encode(item);
    hz.executeTransaction(
        ctx -> {
          TransactionalMap<String, Long> counts = ctx.getMap(ClusterObjects.VALUES);
          Long unfinished = counts.getForUpdate(unfinishedKey);
          counts.put(unfinishedKey, (unfinished == null ? 0 : unfinished) + 1);
          ctx.<byte[]>getQueue(items).offer(bytes);
          return null;
        });
  }

  /**
   * Takes the next item, waiting up to {@code timeout}; the caller marks it done with {@link
   * #taskDone()} once it has handled it.
   *
   * @param timeout how long to wait at most
   * @return the item, or null if none came in time
   * @throws InterruptedException if interrupted while waiting
   */
  public E get(Duration timeout) throws InterruptedException {
    Consumer me = consumer();
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = 1_000_000;
    while (true) {
      byte[] claimed = claimUncertain(me);
      if (claimed != null) {
        return codec.decode(claimed);
      }
      String key = me.presence + "#" + me.next;
      byte[] bytes;
      try {
        bytes =
            hz.executeTransaction(
                ctx -> {
                  byte[] b = ctx.<byte[]>getQueue(items).poll();
                  if (b != null) {
                    ctx.<String, byte[]>getMap(taken).put(key, b);
                  }
                  return b;
                });
      } catch (TransactionException | TargetDisconnectedException e) {
        // A member died under the transaction: most often it rolled back and nothing was taken,
        // but a commit under way may still land. The key is not used again, and is looked for.
        bytes = null;
        me.next++;
        me.uncertain.add(key);
      }
      if (bytes != null) {
        me.next++;
        me.taken.add(key);
        return codec.decode(bytes);
      }
      recoverQuietly();
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      LockSupport.parkNanos(Math.min(pause, left));
      if (Thread.interrupted()) {
        throw new InterruptedException("while waiting on cluster joinable queue " + name);
      }
      pause = Math.min(2 * pause, MAX_PAUSE_NANOS);
    }
  }

  /** Returns an item a failed take did commit after all, now this thread's to mark done. */
  private byte[] claimUncertain(Consumer me) {
    if (me.uncertain.isEmpty()) {
      return null;
    }
    IMap<String, byte[]> takenItems = hz.getMap(taken);
    for (java.util.Iterator<String> it = me.uncertain.iterator(); it.hasNext(); ) {
      String key = it.next();
      byte[] bytes;
      try {
        bytes = takenItems.get(key);
      } catch (TargetDisconnectedException e) {
        return null; // a member died under the look: the next get looks again
      }
      if (bytes != null) {
        it.remove();
        me.taken.add(key);
        return bytes;
      }
    }
    return null;
  }

  /**
   * Marks done the oldest item this thread took and has not marked done.
   *
   * @throws IllegalStateException if this thread has no such item, as Python's {@code task_done()}
   *     raises ValueError when called more times than there were items
   */
  public void taskDone() {
    Consumer me = consumer.get();
    if (me == null || me.taken.isEmpty()) {
      throw new IllegalStateException(
          "taskDone() on cluster joinable queue "
              + name
              + " called more times than "
              + Thread.currentThread().getName()
              + " took items");
    }
    String key = me.taken.peek();
    // Repeated if a member dies under it: it counts the item done only if it is still among the
    // taken, so a transaction that did commit is not counted twice.
    long deadline = System.nanoTime() + RETRY_NANOS;
    while (true) {
      try {
        hz.executeTransaction(
            ctx -> {
              if (ctx.<String, byte[]>getMap(taken).remove(key) != null) {
                TransactionalMap<String, Long> counts = ctx.getMap(ClusterObjects.VALUES);
                Long unfinished = counts.getForUpdate(unfinishedKey);
                counts.put(unfinishedKey, Math.max(0, (unfinished == null ? 0 : unfinished) - 1));
              }
              return null;
            });
        break;
      } catch (TransactionException | TargetDisconnectedException e) {
        if (System.nanoTime() - deadline > 0) {
          throw e;
        }
        LockSupport.parkNanos(MAX_PAUSE_NANOS);
      }
    }
    me.taken.poll();
  }

  /**
   * Waits until every item put has been marked done, up to {@code timeout}; items whose consumer
   * died are put back for another meanwhile.
   *
   * @param timeout how long to wait at most
   * @return whether every item is done
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean join(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = 1_000_000;
    while (unfinished() > 0) {
      recoverQuietly();
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      LockSupport.parkNanos(Math.min(pause, left));
      if (Thread.interrupted()) {
        throw new InterruptedException("while joining cluster joinable queue " + name);
      }
      pause = Math.min(2 * pause, MAX_PAUSE_NANOS);
    }
    return true;
  }

  /** Returns how many items were put and not yet marked done. */
  public long unfinished() {
    Long n = values.get(unfinishedKey);
    return n == null ? 0 : n;
  }

  /** Returns how many items wait to be taken. */
  public int qsize() {
    return hz.getQueue(items).size();
  }

  /**
   * Describes the items taken and not done, for a diagnosis: each one's key, whether its consumer's
   * presence is locked, whether that consumer is judged gone, and whether the item's own key is
   * locked (by a transaction).
   */
  String describeTaken() {
    IMap<String, byte[]> takenItems = hz.getMap(taken);
    StringBuilder sb = new StringBuilder("[");
    for (String key : takenItems.keySet()) {
      String presence = key.substring(0, key.lastIndexOf('#'));
      sb.append(sb.length() > 1 ? ", " : "")
          .append(key)
          .append(": presence ")
          .append(locks.isLocked(presence) ? "locked" : "free")
          .append(owners.isGone(presence.split(":", 3)[1]) ? ", owner gone" : ", owner alive")
          .append(takenItems.isLocked(key) ? ", item key locked" : "");
    }
    return sb.append("]").toString();
  }

  /** As {@link #recoverTheDeads()}; a member's death under it only delays it to the next look. */
  private void recoverQuietly() {
    try {
      recoverTheDeads();
    } catch (TransactionException | TargetDisconnectedException e) {
      // rolled back: the next look tries again
    }
  }

  /** Puts back, at the tail, each taken item whose consumer's presence is gone. */
  private void recoverTheDeads() {
    IMap<String, byte[]> takenItems = hz.getMap(taken);
    for (String key : takenItems.keySet()) {
      String presence = key.substring(0, key.lastIndexOf('#'));
      String owner = presence.split(":", 3)[1];
      boolean gone = owners.isGone(owner);
      if (gone && locks.isLocked(presence)) {
        locks.forceUnlock(presence); // it died, and its lock outlived it (its own key: no race)
      }
      if (gone || !locks.isLocked(presence)) {
        hz.executeTransaction(
            ctx -> {
              byte[] b = ctx.<String, byte[]>getMap(taken).remove(key);
              if (b != null) {
                TransactionalQueue<byte[]> q = ctx.getQueue(items);
                q.offer(b);
              }
              return null;
            });
      }
    }
  }

  /** This thread's consumer: its presence is locked by its first get, until its JVM ends. */
  private Consumer consumer() {
    Consumer me = consumer.get();
    if (me == null) {
      me = new Consumer("joinable:" + owners.tag() + ":" + UUID.randomUUID() + ":" + name);
      locks.lock(me.presence);
      consumer.set(me);
    }
    return me;
  }

  @Override
  public String toString() {
    return "ClusterJoinableQueue[" + name + ", unfinished=" + unfinished() + "]";
  }
}
