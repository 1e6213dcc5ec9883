package io.jfutures.multiprocessing.internal.hub;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A lock shared by processes ({@code ProcessLock}, {@code ProcessReentrantLock}), with its
 * conditions: the hub's side. Who holds the lock is written in its {@link LockWords.Word}, in
 * shared memory, which a thread takes and gives back by compare-and-set while nobody waits; the hub
 * is asked only to wait for it, to hand it over, and for the conditions. Waiters are served first
 * come, first served, so none starves. Holds of a reentrant lock are counted by the holding thread
 * itself.
 *
 * <pre>
 * The word: FREE -> HELD (a compare-and-set by a thread, or the hub granting it);
 * HELD -> HELD_WAITED (the hub, parking a waiter); HELD -> FREE (a compare-and-set by the holder);
 * HELD_WAITED -> HELD or HELD_WAITED of the first waiter, or FREE (the hub, at UNLOCK, at an
 * AWAIT, or at the holder's death: then OWNER_DIED if nobody waits, else the first waiter is told).
 * Invariants: bit WAITED is set iff acquirers is not empty (the hub sets it before parking one and
 * clears it as the last leaves); so a holder's compare-and-set to FREE fails while anyone waits,
 * and it gives the lock back through the hub, which hands it to the first waiter: no waiter is
 * overtaken. A condition's waiter is in its condition's queue until signalled or cancelled, then
 * among the acquirers; its AWAIT is answered once it holds the lock again: OK if signalled,
 * CANCELLED if it stopped waiting.
 * </pre>
 */
final class HubLock extends HubSync {
  private final LockWords.Word word;
  private final Map<Long, ArrayDeque<Parked>> conditions = new HashMap<>();
  private final ArrayDeque<Parked> acquirers = new ArrayDeque<>();

  HubLock(long id, LockWords.Word word) {
    super(id);
    this.word = word;
  }

  @Override
  int parked() {
    int n = acquirers.size();
    for (ArrayDeque<Parked> waiters : conditions.values()) {
      n += waiters.size();
    }
    return n;
  }

  /** Adds a condition of this lock, whose requests come with {@code conditionId} as object. */
  synchronized void addCondition(long conditionId) {
    conditions.put(conditionId, new ArrayDeque<>());
  }

  @Override
  void onRequest(Peer peer, byte op, long object, long request, long value, byte[] payload) {
    switch (op) {
      case Wire.LOCK_WORD:
        reply(
            peer,
            Wire.VALUE,
            request,
            word.index,
            word.block.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        break;
      case Wire.LOCK:
      case Wire.LOCK_NOW:
        acquire(new Parked(peer, request, value, 0), op == Wire.LOCK);
        break;
      case Wire.LOCK_STATE:
        reply(peer, Wire.VALUE, request, LockWords.holder(word.get()) == 0 ? 0 : 1);
        break;
      case Wire.UNLOCK:
        if (LockWords.holder(word.get()) != value) {
          notHeld(peer, request, "unlock");
        } else {
          handOver(false);
          reply(peer, Wire.OK, request, 0);
        }
        break;
      case Wire.AWAIT:
        if (LockWords.holder(word.get()) != value) {
          notHeld(peer, request, "await a condition of");
        } else {
          Parked waiter = new Parked(peer, request, value, 0);
          waiter.awaits = true;
          conditions.get(object).add(waiter);
          handOver(false);
        }
        break;
      case Wire.SIGNAL:
        if (LockWords.holder(word.get()) != Wire.longs(payload)[0]) {
          notHeld(peer, request, "signal a condition of");
        } else {
          ArrayDeque<Parked> waiters = conditions.get(object);
          long moved = 0;
          while ((value < 0 || moved < value) && !waiters.isEmpty()) {
            enqueue(waiters.poll()); // the signaller holds the lock: granted later
            moved++;
          }
          reply(peer, Wire.VALUE, request, moved);
        }
        break;
      default:
        unknown(peer, op, request);
    }
  }

  private void acquire(Parked a, boolean wait) {
    while (true) {
      long w = word.get();
      if (w == LockWords.FREE || w == LockWords.OWNER_DIED) {
        if (word.compareAndSet(w, a.thread | (acquirers.isEmpty() ? 0 : LockWords.WAITED))) {
          reply(a.peer, Wire.OK, a.request, w == LockWords.OWNER_DIED ? 1 : 0);
          return;
        }
      } else if (LockWords.holder(w) == a.thread) {
        // The holder counts its own holds: asking again means a lock that is not reentrant.
        if (wait) {
          error(
              a.peer,
              a.request,
              Wire.ERROR_STATE,
              "this thread holds this ProcessLock already, and it is not reentrant: waiting for it"
                  + " would never end. Unlock it first, or use a ProcessReentrantLock");
        } else {
          reply(a.peer, Wire.EMPTY, a.request, 0);
        }
        return;
      } else if (!wait) {
        reply(a.peer, Wire.EMPTY, a.request, 0);
        return;
      } else if ((w & LockWords.WAITED) != 0 || word.compareAndSet(w, w | LockWords.WAITED)) {
        acquirers.add(a);
        return;
      }
      // the word changed under us (its holder gave it back): look again
    }
  }

  /** Parks {@code a} among the acquirers, marking the word as waited for. */
  private void enqueue(Parked a) {
    acquirers.add(a);
    while (true) {
      long w = word.get();
      if (w == LockWords.FREE || w == LockWords.OWNER_DIED) {
        handOver(w == LockWords.OWNER_DIED); // freed meanwhile: the first acquirer takes it
        return;
      }
      if ((w & LockWords.WAITED) != 0 || word.compareAndSet(w, w | LockWords.WAITED)) {
        return;
      }
    }
  }

  /**
   * Gives the lock to the first acquirer, or frees it ({@link LockWords#OWNER_DIED} if its holder
   * died and nobody waits). Called when the holder gives it back through the hub, or died.
   */
  private void handOver(boolean ownerDied) {
    Parked next = acquirers.poll();
    if (next == null) {
      word.set(ownerDied ? LockWords.OWNER_DIED : LockWords.FREE);
      return;
    }
    word.set(next.thread | (acquirers.isEmpty() ? 0 : LockWords.WAITED));
    reply(next.peer, next.cancelled ? Wire.CANCELLED : Wire.OK, next.request, ownerDied ? 1 : 0);
  }

  private void notHeld(Peer peer, long request, String verb) {
    long w = word.get();
    error(
        peer,
        request,
        Wire.ERROR_MONITOR,
        "cannot "
            + verb
            + " a lock this thread does not hold"
            + (LockWords.holder(w) == 0 ? " (it is free)" : ""));
  }

  @Override
  void onCancel(Peer peer, long request) {
    for (Parked acquirer : acquirers) {
      if (acquirer.peer == peer && acquirer.request == request) {
        if (!acquirer.awaits) {
          acquirers.remove(acquirer);
          reply(peer, Wire.CANCELLED, request, 0);
          clearWaitedIfNoneWaits();
        } // else signalled before it stopped waiting: answered OK once it holds the lock
        return;
      }
    }
    for (ArrayDeque<Parked> waiters : conditions.values()) {
      Parked waiter = remove(waiters, peer, request);
      if (waiter != null) {
        waiter.cancelled = true; // answered CANCELLED once it holds the lock again
        enqueue(waiter);
        return;
      }
    }
    // answered already: the reply crossed the cancel
  }

  private void clearWaitedIfNoneWaits() {
    while (acquirers.isEmpty()) {
      long w = word.get();
      if ((w & LockWords.WAITED) == 0 || word.compareAndSet(w, w & ~LockWords.WAITED)) {
        return;
      }
    }
  }

  @Override
  void onPeerGone(Peer peer) {
    removeAll(acquirers, peer);
    conditions.values().forEach(waiters -> removeAll(waiters, peer));
    long holder = LockWords.holder(word.get());
    if (holder != 0 && LockWords.pid(holder) == peer.pid()) {
      holderMayBeGone(peer.pid(), 1);
    } else {
      clearWaitedIfNoneWaits();
    }
  }

  /**
   * The connection of process {@code pid}, which holds the lock, ended. A process killed with
   * SIGKILL closes its sockets before it is counted dead, so it may still look alive for a moment:
   * it is looked at again, sooner first, until it is gone (then the lock is handed on, with
   * ownerDied) or it has given the lock back (a connection that broke while its process lives).
   */
  private void holderMayBeGone(long pid, long delayMillis) {
    long holder = LockWords.holder(word.get());
    if (holder == 0 || LockWords.pid(holder) != pid) {
      clearWaitedIfNoneWaits();
      return; // given back meanwhile
    }
    if (!LockWords.running(pid)) {
      handOver(true);
      return;
    }
    RECHECKS.schedule(
        () -> act(() -> holderMayBeGone(pid, Math.min(1000, 2 * delayMillis))),
        delayMillis,
        java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** Runs the second looks at holders that seemed alive when their connections ended. */
  private static final java.util.concurrent.ScheduledExecutorService RECHECKS =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          r ->
              io.jfutures.impl.internal.Threads.newDaemonInRootGroup(
                  r, "jfutures-hub-lock-recheck"));
}
