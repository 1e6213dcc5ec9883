package io.jfutures.multiprocessing.internal.hub;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A counting semaphore shared by processes ({@code ProcessSemaphore}), optionally bounded by its
 * initial count (Python's {@code BoundedSemaphore}): the hub's side. The count and what each
 * process holds are words in shared memory ({@link SemaphoreWords}) that processes change
 * themselves while nobody waits; the hub parks the acquirers that waited long enough, serves them
 * first come, first served (a large request at the head is not overtaken by smaller ones), and
 * gives back what a dead process held.
 *
 * <pre>
 * State: the words (permits, WAITED, a slot per process that maps them); slots, the process of
 * each slot; heldHere, what each process without a slot (a TCP client, or one past the slots)
 * holds; acquirers, parked in order.
 * Invariants: WAITED is set iff acquirers is not empty, so while anyone is parked every take and
 * give-back comes here; while the first acquirer asks for more than permits, it and all behind it
 * wait; bounded implies permits <= initial. What a process holds never goes below 0: a release by
 * a process that acquired nothing (a signal) adds a permit without changing it. When a process
 * dies, what it held comes back (for a bounded one, up to the bound), and its slot is reused once
 * its process no longer runs. Every change of the words is made holding their guard.
 * </pre>
 */
final class HubSemaphore extends HubSync {
  private final SemaphoreWords words;
  private final long initial;
  private final boolean bounded;
  private final ProcessSlots slots = new ProcessSlots(SemaphoreWords.SLOTS);
  private final Map<Peer, Long> heldHere = new HashMap<>();
  private final ArrayDeque<Parked> acquirers = new ArrayDeque<>();

  /** A semaphore of {@code initial} permits whose words begin at {@code run}. */
  HubSemaphore(long id, LockWords.Word run, long initial, boolean bounded) {
    super(id);
    this.words = new SemaphoreWords(run, -1, initial);
    this.initial = initial;
    this.bounded = bounded;
    words.init();
  }

  /** A semaphore whose words are in memory of this JVM only: for tests of the hub's side. */
  HubSemaphore(long id, long initial, boolean bounded) {
    this(id, LockWords.detached(SemaphoreWords.RUN_WORDS), initial, bounded);
  }

  /** The words, as the processes that map them see them: for tests. */
  SemaphoreWords words() {
    return words;
  }

  @Override
  void onRequest(Peer peer, byte op, long object, long request, long value, byte[] payload) {
    if (op == Wire.LOCK_WORD) {
      int slot = slots.give(peer);
      if (slot < 0) {
        reply(peer, Wire.EMPTY, request, 0); // no slot left: it comes here for everything
      } else {
        reply(
            peer,
            Wire.VALUE,
            request,
            (initial << 32) | ((long) slot << 16) | words.index(),
            words.block().getBytes(StandardCharsets.UTF_8));
      }
      return;
    }
    if (op == Wire.PERMITS) {
      reply(peer, Wire.VALUE, request, words.permits());
      return;
    }
    words.lock(token());
    try {
      switch (op) {
        case Wire.ACQUIRE:
        case Wire.ACQUIRE_NOW:
          if (acquirers.isEmpty() && words.permits() >= value) {
            take(peer, value, request);
          } else if (op == Wire.ACQUIRE) {
            acquirers.add(new Parked(peer, request, 0, value));
            words.setState(words.state() | SemaphoreWords.WAITED);
          } else {
            reply(peer, Wire.EMPTY, request, 0);
          }
          break;
        case Wire.RELEASE:
          try {
            SemaphoreWords.checkBound(words.permits(), value, bounded ? initial : -1);
          } catch (IllegalStateException e) {
            error(peer, request, Wire.ERROR_STATE, e.getMessage());
            break;
          }
          setHeld(peer, Math.max(0, held(peer) - value));
          words.setState(words.state() + (value << 1));
          grant();
          reply(peer, Wire.OK, request, 0);
          break;
        default:
          unknown(peer, op, request);
      }
    } finally {
      words.unlock();
    }
  }

  /** The hub's token at the guard: its own process, and the calling thread. */
  private static long token() {
    return LockWords.token(LockWords.pid(), Thread.currentThread());
  }

  private long held(Peer peer) {
    int slot = slots.of(peer);
    return slot >= 0 ? words.held(slot) : heldHere.getOrDefault(peer, 0L);
  }

  private void setHeld(Peer peer, long n) {
    int slot = slots.of(peer);
    if (slot >= 0) {
      words.setHeld(slot, n);
    } else if (n == 0) {
      heldHere.remove(peer);
    } else {
      heldHere.put(peer, n);
    }
  }

  /** Gives {@code count} permits to {@code peer} and answers its request. Holds the guard. */
  private void take(Peer peer, long count, long request) {
    words.setState(words.state() - (count << 1));
    setHeld(peer, held(peer) + count);
    reply(peer, Wire.OK, request, 0);
  }

  /**
   * Serves the acquirers at the head whose requests the permits now cover, and clears WAITED if
   * none is left. Holds the guard.
   */
  private void grant() {
    while (!acquirers.isEmpty() && acquirers.peek().count <= words.permits()) {
      Parked next = acquirers.poll();
      take(next.peer, next.count, next.request);
    }
    if (acquirers.isEmpty()) {
      words.setState(words.state() & ~SemaphoreWords.WAITED);
    }
  }

  @Override
  void onCancel(Peer peer, long request) {
    if (remove(acquirers, peer, request) != null) {
      reply(peer, Wire.CANCELLED, request, 0);
      words.lock(token());
      try {
        grant(); // the head may have been the one that asked for too many
      } finally {
        words.unlock();
      }
    }
  }

  @Override
  void onPeerGone(Peer peer) {
    removeAll(acquirers, peer);
    words.lock(token()); // taken over, and put right, if the dead process held it
    try {
      long had = held(peer);
      setHeld(peer, 0);
      long permits = words.permits() + had;
      if (bounded) {
        permits = Math.min(initial, permits);
      }
      words.setState((permits << 1) | (words.state() & SemaphoreWords.WAITED));
      grant();
    } finally {
      words.unlock();
    }
    slots.takeBack(peer); // given again once its process no longer runs
    heldHere.remove(peer);
  }

  @Override
  String kind() {
    return bounded ? "bounded semaphore" : "semaphore";
  }

  @Override
  Collection<Parked> parkedRequests() {
    return acquirers;
  }

  @Override
  void describeHolders(List<String> parts) {
    if (!acquirers.isEmpty()) {
      parts.add(words.permits() + " permits free");
    }
  }
}
