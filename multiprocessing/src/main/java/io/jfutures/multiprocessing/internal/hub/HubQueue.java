package io.jfutures.multiprocessing.internal.hub;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A queue as the hub holds it: items as the bytes their producer serialized (the hub never reads
 * them), and who waits for what.
 *
 * <pre>
 * An item's life:  QUEUED (in items) -> SENT (in unacked of the peer it was sent to)
 *                  -> TAKEN (acknowledged: in taken of that peer, joinable queues only)
 *                  -> DONE (taskDone by that peer)
 * SENT -> QUEUED again, at the front, when its peer dies before it acknowledged (it never saw it),
 *         or says it has no heap for it (NACK).
 * TAKEN -> QUEUED again at the front (REQUEUE), or DONE and counted failed (COUNT_AS_DONE), when
 *          its peer dies before taskDone: F14's policy.
 * A waiter (get, put while full, join) is PARKED until served, cancelled, or its peer dies.
 * </pre>
 *
 * Replies to connections are decided under the lock and sent after it (the outbox), so that a write
 * to a process that does not read (frozen, say) never holds up the queue for the others.
 *
 * <p>Invariants, under the lock of this object: a getter is parked only while items is empty; a
 * putter only while the queue is full; {@code unfinished} counts the items put and not yet done
 * (joinable queues); a peer's waiters, unacked and taken items all go when the peer goes. Thread-
 * safe.
 */
final class HubQueue {
  /** What happens to an item a dead consumer took but never marked done. */
  enum DeadConsumerPolicy {
    /** It is put back at the front of the queue, for another consumer: at least once. */
    REQUEUE,
    /** It counts as done, and as failed: {@code join()} is not held up by it. */
    COUNT_AS_DONE
  }

  /** One party waiting on this queue: a request of a connection, or a thread of the hub's JVM. */
  static final class Waiter {
    final Peer peer;
    final long request;
    final byte[] item; // a parked putter's item
    final CompletableFuture<byte[]> local; // for a thread of the hub's JVM; null for a connection

    Waiter(Peer peer, long request, byte[] item, CompletableFuture<byte[]> local) {
      this.peer = peer;
      this.request = request;
      this.item = item;
      this.local = local;
    }
  }

  private static final byte[] NOTHING = new byte[0];

  /** A reply to a connection, sent once this queue's lock is released. */
  private record Reply(Peer peer, byte op, long request, long object, byte[] payload) {
    void send() {
      peer.send(op, request, object, 0, payload);
    }
  }

  /**
   * Replies decided under the lock, sent after it: a write to a peer that does not read (a frozen
   * process) may block, and must not block everyone else's use of this queue. Guarded by this.
   */
  private ArrayList<Reply> outbox = new ArrayList<>();

  /** What a getter gets from a queue whose writers are all gone and whose items are all taken. */
  static final byte[] END = new byte[0];

  final long id;
  private final int maxSize; // 0: unbounded
  private final boolean joinable;
  private final DeadConsumerPolicy policy;

  private final ArrayDeque<byte[]> items = new ArrayDeque<>();
  private final ArrayDeque<Waiter> getters = new ArrayDeque<>();
  private final ArrayDeque<Waiter> putters = new ArrayDeque<>();
  private final List<Waiter> joiners = new ArrayList<>();
  private final Map<Peer, Map<Long, byte[]>> unacked = new HashMap<>();
  private final Map<Peer, ArrayDeque<byte[]>> taken = new HashMap<>();
  private long unfinished;
  private long failed;
  private boolean writersGone; // a pipe direction whose sending end is closed or dead

  HubQueue(long id, int maxSize, boolean joinable, DeadConsumerPolicy policy) {
    this.id = id;
    this.maxSize = maxSize;
    this.joinable = joinable;
    this.policy = policy;
  }

  // ---- put -----------------------------------------------------------------------------------

  /**
   * Puts {@code item}. Returns true if it was accepted now; false if the queue is full and the
   * caller did not want to wait; otherwise parks {@code waiter} and returns null.
   */
  Boolean put(byte[] item, boolean wait, Peer peer, long request, CompletableFuture<byte[]> local) {
    return locked(() -> putLocked(item, wait, peer, request, local));
  }

  /** {@link #put}'s work, holding the lock; its replies go to the outbox. */
  private Boolean putLocked(
      byte[] item, boolean wait, Peer peer, long request, CompletableFuture<byte[]> local) {
    if (maxSize > 0 && items.size() >= maxSize && getters.isEmpty()) {
      if (!wait) {
        return false;
      }
      putters.add(new Waiter(peer, request, item, local));
      return null;
    }
    accept(item);
    return true;
  }

  private void accept(byte[] item) {
    if (joinable) {
      unfinished++;
    }
    offer(item, false);
  }

  /** Hands {@code item} to the first getter, or queues it (at the front if {@code front}). */
  private void offer(byte[] item, boolean front) {
    Waiter getter = getters.poll();
    if (getter != null) {
      send(getter, item);
    } else if (front) {
      items.addFirst(item);
    } else {
      items.addLast(item);
    }
  }

  private void send(Waiter getter, byte[] item) {
    if (getter.local != null) {
      taken(getter.peer, item);
      getter.local.complete(item);
    } else {
      unacked.computeIfAbsent(getter.peer, p -> new LinkedHashMap<>()).put(getter.request, item);
      reply(getter.peer, Wire.ITEM, getter.request, item);
    }
  }

  private void taken(Peer peer, byte[] item) {
    if (joinable) {
      taken.computeIfAbsent(peer, p -> new ArrayDeque<>()).add(item);
    }
  }

  // ---- get -----------------------------------------------------------------------------------

  /**
   * Takes the first item for {@code peer}, or parks the getter if the queue is empty and it may
   * wait. An item for a connection is sent to it here.
   *
   * @return the item, for a local getter that got one now; {@link #NOTHING} if the queue is empty
   *     and the getter would not wait; null if the getter was parked, or the item sent
   */
  byte[] get(boolean wait, Peer peer, long request, CompletableFuture<byte[]> local) {
    return locked(() -> getLocked(wait, peer, request, local));
  }

  /** {@link #get}'s work, holding the lock; its replies go to the outbox. */
  private byte[] getLocked(boolean wait, Peer peer, long request, CompletableFuture<byte[]> local) {
    byte[] item = items.poll();
    if (item == null) {
      if (writersGone) {
        return end(peer, request, local);
      }
      if (!wait) {
        return NOTHING;
      }
      getters.add(new Waiter(peer, request, null, local));
      return null;
    }
    admitPutter();
    if (local != null) {
      taken(peer, item);
      return item;
    }
    unacked.computeIfAbsent(peer, p -> new LinkedHashMap<>()).put(request, item);
    reply(peer, Wire.ITEM, request, item);
    return null;
  }

  /** Room was made: the first parked putter's item goes in. */
  private void admitPutter() {
    Waiter putter = putters.poll();
    if (putter != null) {
      accept(putter.item);
      release(putter);
    }
  }

  /**
   * {@code peer} had no heap for the item it asked for with {@code request}: it goes back to the
   * front, as if never sent.
   */
  void nack(Peer peer, long request) {
    locked(
        () -> {
          Map<Long, byte[]> sent = unacked.get(peer);
          byte[] item = sent == null ? null : sent.remove(request);
          if (item != null) {
            offer(item, true);
          }
          return null;
        });
  }

  /** {@code peer} received the item it asked for with {@code request}. */
  synchronized void ack(Peer peer, long request) {
    Map<Long, byte[]> sent = unacked.get(peer);
    byte[] item = sent == null ? null : sent.remove(request);
    if (item != null) {
      taken(peer, item);
    }
  }

  private byte[] end(Peer peer, long request, CompletableFuture<byte[]> local) {
    if (local != null) {
      return END;
    }
    reply(peer, Wire.EOF, request, null);
    return null;
  }

  /**
   * The sending end of this pipe direction is closed, or its holders are dead: getters, once the
   * items are taken, get end-of-file; those waiting now get it at once.
   */
  void writersGone() {
    locked(
        () -> {
          writersGoneLocked();
          return null;
        });
  }

  /** {@link #writersGone}'s work, holding the lock; its replies go to the outbox. */
  private void writersGoneLocked() {
    writersGone = true;
    for (Waiter g : getters) {
      if (g.local != null) {
        g.local.complete(END);
      } else {
        reply(g.peer, Wire.EOF, g.request, null);
      }
    }
    getters.clear();
  }

  // ---- waiting ends --------------------------------------------------------------------------

  /**
   * Withdraws the parked request or local waiter; returns whether it was still parked (then it gets
   * nothing). A remote one is answered CANCELLED here.
   */
  boolean cancel(Peer peer, long request, CompletableFuture<byte[]> local) {
    return locked(() -> cancelLocked(peer, request, local));
  }

  /** {@link #cancel}'s work, holding the lock; its replies go to the outbox. */
  private boolean cancelLocked(Peer peer, long request, CompletableFuture<byte[]> local) {
    for (ArrayDeque<Waiter> parked : List.of(getters, putters)) {
      if (removeWaiter(parked.iterator(), peer, request, local)) {
        return true;
      }
    }
    return removeWaiter(joiners.iterator(), peer, request, local);
  }

  private boolean removeWaiter(
      Iterator<Waiter> it, Peer peer, long request, CompletableFuture<byte[]> local) {
    while (it.hasNext()) {
      Waiter w = it.next();
      if (local != null ? w.local == local : (w.peer == peer && w.request == request)) {
        it.remove();
        if (local == null) {
          reply(peer, Wire.CANCELLED, request, null);
        }
        return true;
      }
    }
    return false;
  }

  /**
   * {@code peer}'s process is gone: its parked requests go; the items sent to it and never
   * acknowledged go back to the front, in order; the items it took and never marked done follow the
   * policy.
   */
  void peerGone(Peer peer) {
    locked(
        () -> {
          peerGoneLocked(peer);
          return null;
        });
  }

  /** {@link #peerGone}'s work, holding the lock; its replies go to the outbox. */
  private void peerGoneLocked(Peer peer) {
    getters.removeIf(w -> w.peer == peer);
    putters.removeIf(w -> w.peer == peer); // a put that never returned: its item was never in
    joiners.removeIf(w -> w.peer == peer);
    List<byte[]> back = new ArrayList<>();
    Map<Long, byte[]> sent = unacked.remove(peer);
    if (sent != null) {
      back.addAll(sent.values());
    }
    ArrayDeque<byte[]> notDone = taken.remove(peer);
    if (notDone != null) {
      if (policy == DeadConsumerPolicy.REQUEUE) {
        back.addAll(0, notDone);
      } else {
        unfinished -= notDone.size();
        failed += notDone.size();
        releaseJoinersIfDone();
      }
    }
    for (int i = back.size() - 1; i >= 0; i--) {
      offer(back.get(i), true);
    }
  }

  // ---- joinable ------------------------------------------------------------------------------

  /**
   * Marks the oldest item {@code peer} took as done.
   *
   * @throws IllegalStateException if {@code peer} has no item it took and has not marked done
   */
  void taskDone(Peer peer) {
    locked(
        () -> {
          taskDoneLocked(peer);
          return null;
        });
  }

  /** {@link #taskDone}'s work, holding the lock; its replies go to the outbox. */
  private void taskDoneLocked(Peer peer) {
    ArrayDeque<byte[]> notDone = taken.get(peer);
    if (notDone == null || notDone.isEmpty()) {
      throw new IllegalStateException(
          "taskDone() called more times than this process got items from the queue");
    }
    notDone.poll();
    unfinished--;
    releaseJoinersIfDone();
  }

  /** Returns true if nothing is unfinished; else parks the joiner and returns false. */
  boolean join(Peer peer, long request, CompletableFuture<byte[]> local) {
    return locked(() -> joinLocked(peer, request, local));
  }

  /** {@link #join}'s work, holding the lock; its replies go to the outbox. */
  private boolean joinLocked(Peer peer, long request, CompletableFuture<byte[]> local) {
    if (unfinished == 0) {
      return true;
    }
    joiners.add(new Waiter(peer, request, null, local));
    return false;
  }

  private void releaseJoinersIfDone() {
    if (unfinished == 0) {
      joiners.forEach(this::release);
      joiners.clear();
    }
  }

  /** Tells a parked putter or joiner that it may go on. */
  private void release(Waiter w) {
    if (w.local != null) {
      w.local.complete(NOTHING);
    } else {
      reply(w.peer, Wire.OK, w.request, null);
    }
  }

  /** Runs {@code work} holding the lock, then sends the replies it decided, without the lock. */
  private <T> T locked(Supplier<T> work) {
    T result;
    List<Reply> sends;
    synchronized (this) {
      result = work.get();
      sends = takeOutbox();
    }
    sends.forEach(Reply::send);
    return result;
  }

  private void reply(Peer peer, byte op, long request, byte[] payload) {
    outbox.add(new Reply(peer, op, request, id, payload));
  }

  private List<Reply> takeOutbox() {
    if (outbox.isEmpty()) {
      return List.of();
    }
    List<Reply> taken = outbox;
    outbox = new ArrayList<>();
    return taken;
  }

  synchronized long size() {
    return items.size();
  }

  synchronized long unfinished() {
    return unfinished;
  }

  synchronized long failed() {
    return failed;
  }
}
