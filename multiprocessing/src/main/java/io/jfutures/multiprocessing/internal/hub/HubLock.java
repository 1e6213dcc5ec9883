package io.jfutures.multiprocessing.internal.hub;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
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
 * A condition's waiters are mostly in its words ({@link ConditionWords}), where signals reach them
 * with no message; the hub keeps a line of its own (awaiting) only for waiters without a slot,
 * and while it has any, the words say HUB and every signal comes here, which takes waiters from
 * both lines by ticket. A waiter in the words that parks here is in parkedSlots until signalled.
 * </pre>
 */
final class HubLock extends HubSync {
  private final LockWords.Word word;
  private final Map<Long, Cond> conditions = new HashMap<>();
  private final ArrayDeque<Parked> acquirers = new ArrayDeque<>();

  HubLock(long id, LockWords.Word word) {
    super(id);
    this.word = word;
  }

  /** A condition of this lock: its words, and the waiters the hub holds. */
  private static final class Cond {
    final ConditionWords words;

    /** Waiters without a slot in the words, in ticket order: their AWAITs. */
    final ArrayDeque<Parked> awaiting = new ArrayDeque<>();

    /** Waiters in the words parked here (COND_PARK), by waiter (ticket and slot). */
    final Map<Long, Parked> parkedSlots = new HashMap<>();

    Cond(ConditionWords words) {
      this.words = words;
    }
  }

  @Override
  String kind() {
    return "lock";
  }

  @Override
  Collection<Parked> parkedRequests() {
    List<Parked> all = new ArrayList<>(acquirers);
    for (Cond c : conditions.values()) {
      all.addAll(c.awaiting);
      all.addAll(c.parkedSlots.values());
    }
    return all;
  }

  @Override
  void describeHolders(List<String> parts) {
    long w = word.get();
    long holder = LockWords.holder(w);
    if (w == LockWords.OWNER_DIED) {
      parts.add("its holder died holding it");
    } else if (holder != 0) {
      parts.add(
          "held by "
              + OperatorNames.of(LockWords.pid(holder))
              + ", thread "
              + ((holder >>> 1) & 0x7FFF_FFFFL));
    }
  }

  /**
   * Adds a condition of this lock, whose requests come with {@code conditionId} as object, with its
   * waiters' words.
   */
  synchronized void addCondition(long conditionId, ConditionWords words) {
    conditions.put(conditionId, new Cond(words));
  }

  @Override
  void onRequest(Peer peer, byte op, long object, long request, long value, byte[] payload) {
    if ((op == Wire.AWAIT || op == Wire.SIGNAL || op == Wire.COND_PARK)
        && !conditions.containsKey(object)) {
      unknown(peer, op, request); // a condition's request naming the lock, or no condition of it
      return;
    }
    switch (op) {
      case Wire.LOCK_WORD:
        Cond asked = conditions.get(object);
        if (asked == null) {
          reply(peer, Wire.VALUE, request, word.index, utf8(word.block));
        } else {
          reply(peer, Wire.VALUE, request, asked.words.index(), utf8(asked.words.block()));
        }
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
          Cond c = conditions.get(object);
          Parked waiter = new Parked(peer, request, value, 0);
          waiter.awaits = true;
          waiter.ticket = c.words.nextTicket();
          c.awaiting.add(waiter);
          c.words.hubMode(true); // before the lock is handed on: every later signal comes here
          handOver(false);
        }
        break;
      case Wire.SIGNAL:
        if (LockWords.holder(word.get()) != Wire.longs(payload)[0]) {
          notHeld(peer, request, "signal a condition of");
        } else {
          reply(peer, Wire.VALUE, request, signal(conditions.get(object), value));
        }
        break;
      case Wire.COND_PARK:
        Cond c = conditions.get(object);
        if (c.words.parkedNow(value)) {
          c.parkedSlots.put(value, new Parked(peer, request, 0, 0));
        } else {
          reply(peer, Wire.OK, request, 0); // signalled already: it looks at its slot
        }
        break;
      case Wire.COND_WAKE:
        Cond woken = conditions.get(object);
        if (woken != null) {
          wake(woken, value); // a post: no reply
        }
        break;
      default:
        unknown(peer, op, request);
    }
  }

  /**
   * Signals up to {@code n} waiters of {@code c} (negative: all), by ticket across both lines: a
   * waiter of the hub's own joins the acquirers (the signaller holds the lock: it is granted
   * later), a waiter in the words is marked there, and woken here if it parked. Returns how many.
   */
  private long signal(Cond c, long n) {
    long moved = 0;
    while (n < 0 || moved < n) {
      Parked here = c.awaiting.peek();
      long bound = here == null ? Long.MAX_VALUE : here.ticket;
      if (c.words.signalOldestBefore(bound, waiter -> wake(c, waiter))) {
        moved++;
      } else if (here != null) {
        enqueue(c.awaiting.poll());
        moved++;
      } else {
        break;
      }
    }
    if (c.awaiting.isEmpty()) {
      c.words.hubMode(false);
    }
    return moved;
  }

  /** Answers the park of {@code waiter}, signalled in the words, if it has arrived. */
  private void wake(Cond c, long waiter) {
    Parked p = c.parkedSlots.remove(waiter);
    if (p != null) {
      reply(p.peer, Wire.OK, p.request, 0);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
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
    for (Cond c : conditions.values()) {
      Parked waiter = remove(c.awaiting, peer, request);
      if (waiter != null) {
        waiter.cancelled = true; // answered CANCELLED once it holds the lock again
        if (c.awaiting.isEmpty()) {
          c.words.hubMode(false);
        }
        enqueue(waiter);
        return;
      }
      Parked parked = remove(c.parkedSlots.values(), peer, request);
      if (parked != null) {
        reply(peer, Wire.CANCELLED, request, 0); // it takes its slot back itself
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
    for (Cond c : conditions.values()) {
      removeAll(c.awaiting, peer);
      removeAll(c.parkedSlots.values(), peer);
      // A waiter of the dead process that was signalled and never woke takes no signal with it.
      int lost = peer.pid() < 0 ? 0 : c.words.dropOwnedBy(peer.pid());
      if (lost > 0) {
        signal(c, lost);
      } else if (c.awaiting.isEmpty()) {
        c.words.hubMode(false);
      }
    }
    long holder = LockWords.holder(word.get());
    if (holder != 0 && LockWords.pid(holder) == peer.pid()) {
      holderMayBeGone(peer.pid(), 1);
    } else {
      clearWaitedIfNoneWaits();
    }
  }

  /**
   * A process that exits with its work done closes its connection first (so that its JVM need not
   * wait at exit for its reader), while it still runs: the lock then waited for a second look. Its
   * parent, which has reaped it, says so here, and the lock is handed on at once: its {@code
   * join()} returns after the lock is free, not moments before.
   */
  @Override
  void onProcessExited(long pid) {
    long holder = LockWords.holder(word.get());
    if (holder != 0 && LockWords.pid(holder) == pid) {
      holderMayBeGone(pid, 1); // no longer running: handed on now
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
