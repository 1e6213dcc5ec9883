package io.jfutures.multiprocessing.internal.hub;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A lock shared by processes (a {@code ProcessLock}, or with {@code reentrant} a {@code
 * ProcessReentrantLock}), with its conditions. It is held by one thread of one process; requests
 * that wait for it are served first come, first served, so none starves.
 *
 * <pre>
 * States: FREE (owner null) <-> HELD (owner, ownerThread, holds >= 1).
 * FREE -> HELD: a LOCK finds it free, or the first acquirer is granted it as it is freed.
 * HELD -> FREE: the owner's last UNLOCK, its AWAIT on a condition (which gives back every hold),
 * or the owner's process dies (then the next holder is told: ownerDied).
 * Invariants: owner == null iff holds == 0; while FREE, acquirers is empty (grant() hands the lock
 * to the first at once). A condition's waiter is in its condition's queue until signalled or
 * cancelled, then in acquirers with the holds it gave back; its AWAIT is answered only once it
 * holds the lock again: OK if signalled, CANCELLED if it stopped waiting.
 * </pre>
 */
final class HubLock extends HubSync {
  private final boolean reentrant;
  private final Map<Long, ArrayDeque<Parked>> conditions = new HashMap<>();
  private final ArrayDeque<Parked> acquirers = new ArrayDeque<>();
  private Peer owner;
  private long ownerThread;
  private long holds;

  /** Whether the last owner's process died holding it: told to the next holder, then cleared. */
  private boolean ownerDied;

  HubLock(long id, boolean reentrant) {
    super(id);
    this.reentrant = reentrant;
  }

  /** Adds a condition of this lock, whose requests come with {@code conditionId} as object. */
  synchronized void addCondition(long conditionId) {
    conditions.put(conditionId, new ArrayDeque<>());
  }

  @Override
  void onRequest(Peer peer, byte op, long object, long request, long value, byte[] payload) {
    switch (op) {
      case Wire.LOCK:
      case Wire.LOCK_NOW:
        acquire(peer, request, value, op == Wire.LOCK);
        break;
      case Wire.UNLOCK:
        if (!heldBy(peer, value)) {
          notHeld(peer, request, "unlock");
        } else {
          if (--holds == 0) {
            owner = null;
            grant();
          }
          reply(peer, Wire.OK, request, 0);
        }
        break;
      case Wire.LOCK_STATE:
        reply(peer, Wire.VALUE, request, owner == null ? 0 : heldBy(peer, value) ? holds : -1);
        break;
      case Wire.AWAIT:
        if (!heldBy(peer, value)) {
          notHeld(peer, request, "await a condition of");
        } else {
          Parked waiter = new Parked(peer, request, value, holds);
          waiter.awaits = true;
          conditions.get(object).add(waiter);
          owner = null;
          holds = 0;
          grant();
        }
        break;
      case Wire.SIGNAL:
        if (!heldBy(peer, Wire.longs(payload)[0])) {
          notHeld(peer, request, "signal a condition of");
        } else {
          ArrayDeque<Parked> waiters = conditions.get(object);
          long moved = 0;
          while ((value < 0 || moved < value) && !waiters.isEmpty()) {
            acquirers.add(waiters.poll()); // the signaller holds the lock: granted later
            moved++;
          }
          reply(peer, Wire.VALUE, request, moved);
        }
        break;
      default:
        unknown(peer, op, request);
    }
  }

  private void acquire(Peer peer, long request, long thread, boolean wait) {
    if (owner == null) {
      take(peer, thread, 1, request, Wire.OK);
    } else if (heldBy(peer, thread)) {
      if (reentrant) {
        holds++;
        reply(peer, Wire.OK, request, 0);
      } else if (wait) {
        error(
            peer,
            request,
            Wire.ERROR_STATE,
            "this thread holds this ProcessLock already, and it is not reentrant: waiting for it"
                + " would never end. Unlock it first, or use a ProcessReentrantLock");
      } else {
        reply(peer, Wire.EMPTY, request, 0);
      }
    } else if (wait) {
      acquirers.add(new Parked(peer, request, thread, 1));
    } else {
      reply(peer, Wire.EMPTY, request, 0);
    }
  }

  /** Hands the free lock to the first acquirer, if any. */
  private void grant() {
    Parked next = acquirers.poll();
    if (next != null) {
      take(
          next.peer,
          next.thread,
          next.count,
          next.request,
          next.cancelled ? Wire.CANCELLED : Wire.OK);
    }
  }

  private void take(Peer peer, long thread, long count, long request, byte answer) {
    owner = peer;
    ownerThread = thread;
    holds = count;
    reply(peer, answer, request, ownerDied ? 1 : 0);
    ownerDied = false;
  }

  private boolean heldBy(Peer peer, long thread) {
    return owner == peer && ownerThread == thread;
  }

  private void notHeld(Peer peer, long request, String verb) {
    error(
        peer,
        request,
        Wire.ERROR_MONITOR,
        "cannot "
            + verb
            + " a lock this thread does not hold"
            + (owner == null ? " (it is free)" : ""));
  }

  @Override
  void onCancel(Peer peer, long request) {
    for (Parked acquirer : acquirers) {
      if (acquirer.peer == peer && acquirer.request == request) {
        if (!acquirer.awaits) {
          acquirers.remove(acquirer);
          reply(peer, Wire.CANCELLED, request, 0);
        } // else signalled before it stopped waiting: answered OK once it holds the lock
        return;
      }
    }
    for (ArrayDeque<Parked> waiters : conditions.values()) {
      Parked waiter = remove(waiters, peer, request);
      if (waiter != null) {
        waiter.cancelled = true; // answered CANCELLED once it holds the lock again
        acquirers.add(waiter);
        if (owner == null) {
          grant();
        }
        return;
      }
    }
    // answered already: the reply crossed the cancel
  }

  @Override
  void onPeerGone(Peer peer) {
    removeAll(acquirers, peer);
    conditions.values().forEach(waiters -> removeAll(waiters, peer));
    if (owner == peer) {
      owner = null;
      holds = 0;
      ownerDied = true;
      grant();
    }
  }
}
