package io.jfutures.multiprocessing.internal.hub;

import java.util.concurrent.locks.LockSupport;

/**
 * A semaphore's state in shared memory ({@code ProcessSemaphore}), so that a permit is taken and
 * given back without a message to the hub while nobody waits there: its count, what each process
 * holds, and a guard that makes a change of both one step even if the process making it dies in the
 * middle. {@link HubSemaphore} is the hub's side; it allocates the words and parks the acquirers
 * that waited long enough.
 *
 * <pre>
 * The words (a run of RUN_WORDS, in one block):
 *   GUARD    FREE (0) | token (a thread changes the state; no journal yet)
 *            | token | JOURNALED (it wrote the journal: the state before its change)
 *   STATE    permits << 1 | WAITED (acquirers are parked at the hub)
 *   J_STATE, J_SLOT, J_HELD   the journal: STATE, the holder's slot and that slot's count before
 *   slot i   (SLOTS of them) the permits process i acquired and has not released
 * Every change of STATE and of a slot is made holding the guard: take it FREE -> token by
 * compare-and-set, write the journal, set token | JOURNALED, change, set FREE. A thread that finds
 * the guard held by a process that no longer runs takes it over, and if JOURNALED puts STATE and
 * the slot back as the journal says: the dead process's call never returned, so it never happened.
 * Only the hub sets or clears WAITED, and it sets it iff it has parked acquirers: while WAITED is
 * set, processes take nothing themselves (no acquirer is overtaken) and give permits back through
 * the hub (which hands them to the first acquirer). A process's slot counts down to 0, not below:
 * a release by a process that acquired nothing (a signal) adds a permit and leaves its slot at 0.
 * </pre>
 *
 * <p>Only processes that map the hub's shared memory have a slot; a client over TCP has none, and
 * the hub counts what it holds itself.
 */
public final class SemaphoreWords {
  private static final int GUARD = 0;
  private static final int STATE = 1;
  private static final int J_STATE = 2;
  private static final int J_SLOT = 3;
  private static final int J_HELD = 4;
  private static final int HEADER = 8; // one cache line: the guard, the state and the journal

  /** The processes that can have a slot; more reach the semaphore through the hub. */
  static final int SLOTS = 56;

  /** The words of one semaphore. */
  static final int RUN_WORDS = HEADER + SLOTS;

  private static final long FREE = 0;
  private static final long JOURNALED = 1;
  static final long WAITED = 1;

  /** What {@link #tryAcquire} and {@link #release} found. */
  public enum Outcome {
    /** Done here. */
    DONE,
    /** Not enough permits, and nobody waits at the hub: the caller may watch the count. */
    NOT_NOW,
    /** Acquirers are parked at the hub: the caller asks the hub. */
    ASK_HUB
  }

  private final LockWords.Word[] words;

  /** This process's slot, or -1 for the hub's side, which names a slot per call. */
  private final int slot;

  /** The permits it started with: a bounded semaphore's bound. */
  private final long initial;

  SemaphoreWords(LockWords.Word first, int slot, long initial) {
    this.words = first.run(RUN_WORDS);
    this.slot = slot;
    this.initial = initial;
  }

  /** Returns the permits it started with: a bounded semaphore's bound. */
  public long initial() {
    return initial;
  }

  /** The block of this run, and its first word's index there: what a process attaches. */
  String block() {
    return words[0].block;
  }

  int index() {
    return words[0].index;
  }

  /** This process's view of the run at {@code index} of {@code block}, with slot {@code slot}. */
  static SemaphoreWords attach(String block, int index, int slot, long initial) {
    return new SemaphoreWords(LockWords.attach(block, index), slot, initial);
  }

  /** The view of a process with slot {@code slot}, of the same words. */
  SemaphoreWords withSlot(int slot) {
    return new SemaphoreWords(words[0], slot, initial);
  }

  /** Sets the permits to the initial ones: for a new semaphore, before anyone sees it. */
  void init() {
    words[STATE].set(initial << 1);
  }

  /** Returns the permits available now. */
  public long permits() {
    return words[STATE].get() >>> 1;
  }

  /** Whether acquirers are parked at the hub. */
  public boolean waited() {
    return (words[STATE].get() & WAITED) != 0;
  }

  /**
   * Takes {@code n} permits for this process if they are there and nobody waits at the hub.
   *
   * @param token the calling thread's token ({@link LockWords#token})
   */
  public Outcome tryAcquire(long n, long token) {
    long s = words[STATE].get();
    if ((s & WAITED) != 0) {
      return Outcome.ASK_HUB;
    }
    if ((s >>> 1) < n) {
      return Outcome.NOT_NOW;
    }
    lock(token);
    try {
      s = words[STATE].get();
      if ((s & WAITED) != 0) {
        return Outcome.ASK_HUB;
      }
      if ((s >>> 1) < n) {
        return Outcome.NOT_NOW;
      }
      journal(token, s, slot);
      words[STATE].set(s - (n << 1));
      words[HEADER + slot].set(words[HEADER + slot].get() + n);
      return Outcome.DONE;
    } finally {
      unlock();
    }
  }

  /**
   * Gives back {@code n} permits from this process, unless acquirers are parked at the hub.
   *
   * @param bound the most permits it may hold, or -1 for no bound
   * @throws IllegalStateException if the permits would pass the bound
   */
  public Outcome release(long n, long bound, long token) {
    lock(token);
    try {
      long s = words[STATE].get();
      if ((s & WAITED) != 0) {
        return Outcome.ASK_HUB;
      }
      checkBound(s >>> 1, n, bound);
      journal(token, s, slot);
      words[STATE].set(s + (n << 1));
      LockWords.Word held = words[HEADER + slot];
      held.set(Math.max(0, held.get() - n));
      return Outcome.DONE;
    } finally {
      unlock();
    }
  }

  /**
   * Watches the count at most {@code nanos}, or until the calling thread is interrupted; returns
   * whether it saw {@code n} permits or acquirers parked at the hub (either way: try again).
   */
  public boolean spinUntilWorthTrying(long n, long nanos) {
    long deadline = System.nanoTime() + nanos;
    while (true) {
      long s = words[STATE].get();
      if ((s & WAITED) != 0 || (s >>> 1) >= n) {
        return true;
      }
      if (System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
        return false;
      }
      Thread.onSpinWait();
    }
  }

  static void checkBound(long permits, long n, long bound) {
    if (bound >= 0 && permits + n > bound) {
      throw new IllegalStateException(
          "a bounded semaphore of "
              + bound
              + " permits cannot be released more often than it was acquired: it has "
              + permits
              + " available, and releasing "
              + n
              + " would pass its bound");
    }
  }

  // ---- the hub's side: it holds the guard around each of these --------------------------------

  /** Returns the state word: permits << 1 | WAITED. Hold the guard. */
  long state() {
    return words[STATE].get();
  }

  /** Sets the state word. Hold the guard. */
  void setState(long s) {
    words[STATE].set(s);
  }

  /** Returns what slot {@code i}'s process holds. */
  long held(int i) {
    return words[HEADER + i].get();
  }

  /** Sets what slot {@code i}'s process holds. Hold the guard. */
  void setHeld(int i, long n) {
    words[HEADER + i].set(n);
  }

  // ---- the guard ------------------------------------------------------------------------------

  /**
   * Takes the guard for {@code token}: spins, then yields, then parks briefly, and takes it over
   * from a holder whose process no longer runs.
   */
  void lock(long token) {
    LockWords.Word guard = words[GUARD];
    for (int tries = 0; ; tries++) {
      long g = guard.get();
      if (g == FREE) {
        if (guard.compareAndSet(FREE, token)) {
          return;
        }
      } else if (tries < 64) {
        Thread.onSpinWait();
      } else if (tries < 128) {
        Thread.yield();
      } else if (!LockWords.running(LockWords.pid(g)) && takeOver(g, token)) {
        return;
      } else {
        LockSupport.parkNanos(100_000); // a holder that lost its CPU: give it one
      }
    }
  }

  /** Gives the guard back. */
  void unlock() {
    words[GUARD].set(FREE);
  }

  /** Records the state before a change by the guard's holder {@code token}. */
  void journal(long token, long state, int slot) {
    words[J_STATE].set(state);
    words[J_SLOT].set(slot);
    words[J_HELD].set(words[HEADER + slot].get());
    words[GUARD].set(token | JOURNALED);
  }

  /** Takes the guard from a dead holder whose value was {@code g}, undoing its change. */
  private boolean takeOver(long g, long token) {
    if (!words[GUARD].compareAndSet(g, token)) {
      return false; // given back, or taken over by another
    }
    if ((g & JOURNALED) != 0) {
      words[STATE].set(words[J_STATE].get());
      words[HEADER + (int) words[J_SLOT].get()].set(words[J_HELD].get());
    }
    return true;
  }
}
