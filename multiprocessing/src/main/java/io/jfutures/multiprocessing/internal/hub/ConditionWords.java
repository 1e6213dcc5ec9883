package io.jfutures.multiprocessing.internal.hub;

import java.util.function.LongConsumer;

/**
 * A condition's waiters in shared memory ({@code ProcessCondition}), so that a wait and a signal
 * between processes send no message while both sides are awake: a waiter takes a slot and a ticket
 * (its place in line) and watches its slot; a signal marks the slots of the longest waiters. Only a
 * waiter that watched long enough and parks at the hub is woken through it. {@link HubLock} is the
 * hub's side: it allocates the words, parks those waiters, takes back a dead process's slots, and
 * keeps a line of its own for waiters without a slot (a client over TCP, or one past the slots).
 *
 * <pre>
 * The words (a run of RUN_WORDS, in one block):
 *   MODE     0 | HUB (the hub has waiters of its own in line: every signal goes through the hub)
 *   TICKETS  the next ticket: waiters of both kinds take theirs from it, so tickets are one line
 *   slot i   (SLOTS of them) two words: STATE and OWNER (the waiting thread's token)
 * A slot's STATE: FREE (0) -> ticket|WAITING (its waiter, holding the lock)
 *   -> ticket|WAITING|PARKED (its waiter, when it stops watching and asks the hub to wake it)
 *   -> ticket|SIGNALLED (a signaller, holding the lock; or the hub)
 *   -> FREE (its waiter, once signalled or when it gives up; or the hub, when the owner died).
 * </pre>
 *
 * Invariants: a waiter takes its slot and ticket holding the condition's lock, and a signaller
 * holds it too, so a signal sees every waiter that began to wait before it, and tickets follow the
 * order in which waiters began; every other change is a compare-and-set against the exact value
 * read (ticket included), so a stale change (a waiter that gave up, an owner declared dead) fails
 * rather than touching the slot's next waiter. A waiter writes OWNER before STATE, so whoever reads
 * STATE and then OWNER sees the owner of that state.
 */
public final class ConditionWords {
  private static final int MODE = 0;
  private static final int TICKETS = 1;
  private static final int HEADER = 2;

  /** The waiters that can watch at once; more wait at the hub. */
  static final int SLOTS = 31;

  /** The words of one condition. */
  static final int RUN_WORDS = HEADER + 2 * SLOTS;

  private static final long WAITING = 1;
  private static final long SIGNALLED = 2;
  private static final long PARKED = 4;
  private static final int STATE_BITS = 3;

  /** What {@link #signalOne} did. */
  static final int CHANGED = 0;

  static final int SIGNALLED_ONE = 1;
  static final int SIGNALLED_PARKED = 2;

  private final LockWords.Word[] words;

  ConditionWords(LockWords.Word first) {
    this.words = first.run(RUN_WORDS);
  }

  /** This process's view of the run at {@code index} of {@code block}. */
  static ConditionWords attach(String block, int index) {
    return new ConditionWords(LockWords.attach(block, index));
  }

  /** The block of this run, and its first word's index there: what a process attaches. */
  String block() {
    return words[0].block;
  }

  int index() {
    return words[0].index;
  }

  // A waiter is named by one long: its ticket << 8 | its slot.

  static long ticket(long waiter) {
    return waiter >>> 8;
  }

  private static int slot(long waiter) {
    return (int) (waiter & 0xFF);
  }

  private LockWords.Word state(int slot) {
    return words[HEADER + 2 * slot];
  }

  private LockWords.Word owner(int slot) {
    return words[HEADER + 2 * slot + 1];
  }

  /** Whether the hub has waiters of its own in line: then signals go through the hub. */
  public boolean hubMode() {
    return words[MODE].get() != 0;
  }

  /** The hub has waiters of its own in line, or no longer. */
  void hubMode(boolean on) {
    words[MODE].set(on ? 1 : 0);
  }

  /** Takes the next ticket: for a waiter at the hub, whose place in line it is. */
  long nextTicket() {
    while (true) {
      long t = words[TICKETS].get();
      if (words[TICKETS].compareAndSet(t, t + 1)) {
        return t;
      }
    }
  }

  /**
   * Puts the calling thread in line in a slot, if the hub has no waiters of its own and a slot is
   * free; the caller holds the condition's lock. Returns the waiter (ticket and slot), or -1: then
   * it waits at the hub.
   *
   * @param token the calling thread's token ({@link LockWords#token})
   */
  public long enqueue(long token) {
    if (hubMode()) {
      return -1;
    }
    for (int i = 0; i < SLOTS; i++) {
      if (state(i).get() == 0) {
        owner(i).set(token);
        long ticket = nextTicket();
        state(i).set(ticket << STATE_BITS | WAITING);
        return ticket << 8 | i;
      }
    }
    return -1;
  }

  /** Whether {@code waiter} has been signalled. */
  public boolean isSignalled(long waiter) {
    return state(slot(waiter)).get() == (ticket(waiter) << STATE_BITS | SIGNALLED);
  }

  /**
   * Marks {@code waiter} as parked at the hub, to be woken through it; returns false if it was
   * signalled already (then it need not park).
   */
  public boolean park(long waiter) {
    long waiting = ticket(waiter) << STATE_BITS | WAITING;
    return state(slot(waiter)).compareAndSet(waiting, waiting | PARKED);
  }

  /** Whether {@code waiter} still waits parked at the hub: the hub parks its request only then. */
  boolean parkedNow(long waiter) {
    return state(slot(waiter)).get() == (ticket(waiter) << STATE_BITS | WAITING | PARKED);
  }

  /**
   * Frees {@code waiter}'s slot, however its wait ended; returns whether it was signalled (a signal
   * that crossed a timeout counts: it is not lost).
   */
  public boolean leave(long waiter) {
    LockWords.Word s = state(slot(waiter));
    long ticket = ticket(waiter);
    while (true) {
      long v = s.get();
      if (v >>> STATE_BITS != ticket || v == 0) {
        return false; // taken back by the hub: its owner was declared dead
      }
      if (s.compareAndSet(v, 0)) {
        return (v & SIGNALLED) != 0;
      }
    }
  }

  /**
   * Signals up to {@code n} waiters (negative: all), the longest waiting first; the caller holds
   * the condition's lock, and the hub has no waiters of its own. Calls {@code parkedWoken} with
   * each signalled waiter that had parked at the hub, which must wake it. Returns how many.
   */
  public int signal(long n, LongConsumer parkedWoken) {
    int moved = 0;
    while ((n < 0 || moved < n) && signalOldestBefore(Long.MAX_VALUE, parkedWoken)) {
      moved++;
    }
    return moved;
  }

  /**
   * Signals the waiter in a slot with the lowest ticket, if that ticket is below {@code bound} (the
   * hub's own oldest waiter's, when it has one); returns whether it signalled one. A waiter that
   * gives up or parks while it is being signalled is looked at again. Calls {@code parkedWoken}
   * with the waiter if it had parked at the hub.
   */
  boolean signalOldestBefore(long bound, LongConsumer parkedWoken) {
    while (true) {
      long w = oldestWaiting();
      if (w < 0 || ticket(w) >= bound) {
        return false;
      }
      int r = signalOne(w);
      if (r == SIGNALLED_PARKED) {
        parkedWoken.accept(w);
      }
      if (r != CHANGED) {
        return true;
      }
    }
  }

  /** The waiter in a slot with the lowest ticket that is not yet signalled, or -1. */
  long oldestWaiting() {
    long oldest = -1;
    long lowest = Long.MAX_VALUE;
    for (int i = 0; i < SLOTS; i++) {
      long v = state(i).get();
      if ((v & WAITING) != 0 && v >>> STATE_BITS < lowest) {
        lowest = v >>> STATE_BITS;
        oldest = lowest << 8 | i;
      }
    }
    return oldest;
  }

  /**
   * Signals {@code waiter} if it still waits: returns {@link #SIGNALLED_ONE}, {@link
   * #SIGNALLED_PARKED} if it had parked at the hub, or {@link #CHANGED} if its state changed since
   * it was read (it gave up, or parked: read again).
   */
  int signalOne(long waiter) {
    LockWords.Word s = state(slot(waiter));
    long waiting = ticket(waiter) << STATE_BITS | WAITING;
    long signalled = ticket(waiter) << STATE_BITS | SIGNALLED;
    if (s.compareAndSet(waiting, signalled)) {
      return SIGNALLED_ONE;
    }
    if (s.compareAndSet(waiting | PARKED, signalled)) {
      return SIGNALLED_PARKED;
    }
    return CHANGED;
  }

  /**
   * Frees the slots of process {@code pid}, which died: its waiters are forgotten. Returns how many
   * of them had been signalled and had not yet taken it: the hub signals as many others, so that no
   * signal is lost with a dead waiter.
   */
  int dropOwnedBy(long pid) {
    int signalled = 0;
    for (int i = 0; i < SLOTS; i++) {
      long v = state(i).get();
      if (v != 0 && LockWords.pid(owner(i).get()) == pid && state(i).compareAndSet(v, 0)) {
        if ((v & SIGNALLED) != 0) {
          signalled++;
        }
      }
    }
    return signalled;
  }

  /** How many waiters are in slots now, signalled or not. */
  int occupied() {
    int n = 0;
    for (int i = 0; i < SLOTS; i++) {
      if (state(i).get() != 0) {
        n++;
      }
    }
    return n;
  }
}
