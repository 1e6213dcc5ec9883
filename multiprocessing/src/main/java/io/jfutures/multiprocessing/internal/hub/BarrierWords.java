package io.jfutures.multiprocessing.internal.hub;

import java.util.concurrent.locks.LockSupport;

/**
 * A barrier's state in shared memory ({@code ProcessBarrier}), so that parties arrive, and learn
 * that their generation tripped, without a message to the hub: the generation and its arrivals, the
 * outcome of each recent generation, and each process's arrivals. {@link HubBarrier} is the hub's
 * side; it allocates the words, parks the waiters that waited long enough, does everything for a
 * process that cannot map them, and breaks the barrier when a waiting party's process dies.
 *
 * <pre>
 * The words (a run of RUN_WORDS, in one block):
 *   STATE     gen << 32 | arrivals << 3 | WAITED (threads are parked at the hub)
 *             | FULL (all arrived: the last runs the action, if any, and decides) | BROKEN
 *   OUTCOMES  RING words: entry gen % RING is gen << 2 | TRIPPED or BROKEN once gen is decided
 *   slot i    (SLOTS of them) gen << 32 | how many threads of process i arrived in gen
 * A generation ends in two steps. First it is decided, once, by a compare-and-set of its outcome
 * entry: TRIPPED by its last arrival (after the action, if any), BROKEN by a waiter that stops
 * waiting, an abort, a reset, or the hub when a waiting party's process dies. Then STATE is
 * settled: to (gen + 1, 0) if it tripped, to (gen, 0, BROKEN) if it broke. Whoever finds a decided
 * generation in STATE settles it, so a process that dies between the two steps stops nobody, and
 * a waiter reads its outcome from its entry, not from STATE. STATE stays BROKEN until a reset
 * settles it to (gen + 1, 0). A thread counts itself in its process's slot before its arrival's
 * compare-and-set, so the hub can tell that a dead process had a party in the undecided
 * generation; a count for a decided generation means nothing. Only the hub sets WAITED; a settle
 * clears it, and the settler then asks the hub to wake its parked threads.
 * </pre>
 */
public final class BarrierWords {
  private static final int STATE = 0;
  private static final int OUTCOMES = 1;
  private static final int RING = 64;
  private static final int HEADER = 72;

  /** The processes that can have a slot; more reach the barrier through the hub. */
  static final int SLOTS = 56;

  /** The words of one barrier. */
  static final int RUN_WORDS = HEADER + SLOTS;

  /** The most parties a barrier counts. */
  public static final int MAX_PARTIES = (1 << 24) - 1;

  static final long BROKEN = 1;
  static final long FULL = 2;
  static final long WAITED = 4;
  private static final long ARRIVAL = 8;
  private static final long ARRIVALS = (long) MAX_PARTIES << 3;

  static final long TRIPPED = 1;
  private static final long BROKE = 2;

  /** How a generation ended, as its waiters learn it. */
  public enum Outcome {
    /** Not decided yet. */
    UNDECIDED,
    /** Every party arrived (and the action, if any, completed). */
    TRIPPED,
    /** It broke. */
    BROKEN,
    /**
     * Its entry was reused: {@value #RING} more generations ended before this waiter looked. Taken
     * as broken.
     */
    FORGOTTEN
  }

  /** What an arrival found. */
  public enum Kind {
    /** Counted in generation {@code gen}, with {@code index}; 0 is the last, which ends it. */
    ARRIVED,
    /** The barrier is broken. */
    BROKEN,
    /** Every party of generation {@code gen} arrived: wait for it to be decided, then arrive. */
    FULL
  }

  /**
   * An arrival: what it found, its generation, its index there, and whether it settled an earlier
   * generation for its decider and found threads parked at the hub, which must then be told.
   */
  public record Arrival(Kind kind, long gen, int index, boolean wake) {}

  private final LockWords.Word[] words;

  /** This process's slot, or -1 for the hub's side, which names a slot per call. */
  private final int slot;

  BarrierWords(LockWords.Word first, int slot) {
    this.words = first.run(RUN_WORDS);
    this.slot = slot;
  }

  /** This process's view of the run at {@code index} of {@code block}, with slot {@code slot}. */
  static BarrierWords attach(String block, int index, int slot) {
    return new BarrierWords(LockWords.attach(block, index), slot);
  }

  /** The view of a process with slot {@code slot}, of the same words. */
  BarrierWords withSlot(int slot) {
    return new BarrierWords(words[0], slot);
  }

  /** Returns this process's slot's word. */
  public LockWords.Word mySlot() {
    return slot(slot);
  }

  String block() {
    return words[0].block;
  }

  int index() {
    return words[0].index;
  }

  /** Returns slot {@code i}'s word. */
  LockWords.Word slot(int i) {
    return words[HEADER + i];
  }

  long state() {
    return words[STATE].get();
  }

  static long gen(long state) {
    return state >>> 32;
  }

  /** Whether it is broken now. */
  public boolean isBroken() {
    return (state() & BROKEN) != 0;
  }

  /** How many parties wait now (0 if broken). */
  public int waiting() {
    long s = state();
    return (s & BROKEN) != 0 ? 0 : (int) ((s & ARRIVALS) >>> 3);
  }

  /**
   * Arrives in the current generation, counted in {@code slot} (this process's).
   *
   * @param parties how many parties trip it
   */
  public Arrival arrive(LockWords.Word slot, int parties) {
    long counted = -1; // the generation this thread is counted in, in its slot
    boolean wake = false;
    while (true) {
      long s = state();
      long gen = gen(s);
      if ((s & BROKEN) == 0 && outcome(gen) != Outcome.UNDECIDED) {
        wake |= settle(gen); // its decider has not yet: do it for it
        continue;
      }
      if ((s & (BROKEN | FULL)) != 0) {
        if (counted == gen) {
          uncount(slot, gen);
        }
        return new Arrival((s & BROKEN) != 0 ? Kind.BROKEN : Kind.FULL, gen, 0, wake);
      }
      if (counted != gen) {
        count(slot, gen);
        counted = gen;
      }
      int before = (int) ((s & ARRIVALS) >>> 3);
      long next = (s + ARRIVAL) | (before + 1 == parties ? FULL : 0);
      if (words[STATE].compareAndSet(s, next)) {
        return new Arrival(Kind.ARRIVED, gen, parties - 1 - before, wake);
      }
    }
  }

  private static void count(LockWords.Word slot, long gen) {
    while (true) {
      long v = slot.get();
      long n = (v >>> 32) == gen ? (v & 0xFFFF_FFFFL) + 1 : 1;
      if (slot.compareAndSet(v, (gen << 32) | n)) {
        return;
      }
    }
  }

  private static void uncount(LockWords.Word slot, long gen) {
    while (true) {
      long v = slot.get();
      if ((v >>> 32) != gen || slot.compareAndSet(v, v - 1)) {
        return;
      }
    }
  }

  /** Whether slot value {@code v} counts a party in generation {@code gen}. */
  static boolean counts(long v, long gen) {
    return (v >>> 32) == gen && (v & 0xFFFF_FFFFL) > 0;
  }

  /** Returns how generation {@code gen} ended, if it has. */
  public Outcome outcome(long gen) {
    long e = words[OUTCOMES + (int) (gen % RING)].get();
    if ((e >>> 2) != gen || (e & 3) == 0) {
      return (e >>> 2) > gen ? Outcome.FORGOTTEN : Outcome.UNDECIDED;
    }
    return (e & TRIPPED) != 0 ? Outcome.TRIPPED : Outcome.BROKEN;
  }

  /**
   * Decides generation {@code gen}: tripped, or broken; returns whether this call decided it (if
   * not, it was decided already, maybe otherwise).
   */
  public boolean decide(long gen, boolean tripped) {
    LockWords.Word entry = words[OUTCOMES + (int) (gen % RING)];
    while (true) {
      long e = entry.get();
      if ((e >>> 2) >= gen && (e & 3) != 0) {
        return false;
      }
      if (entry.compareAndSet(e, (gen << 2) | (tripped ? TRIPPED : BROKE))) {
        return true;
      }
    }
  }

  /**
   * Moves STATE past decided generation {@code gen}, if it is still there; returns whether threads
   * were parked at the hub, which must then be told ({@link Wire#SET}) to wake them.
   */
  public boolean settle(long gen) {
    boolean tripped = outcome(gen) == Outcome.TRIPPED;
    while (true) {
      long s = state();
      if (gen(s) != gen || (!tripped && (s & BROKEN) != 0)) {
        return false; // settled already
      }
      long next = tripped ? (gen + 1) << 32 : (gen << 32) | BROKEN;
      if (words[STATE].compareAndSet(s, next)) {
        return (s & WAITED) != 0;
      }
    }
  }

  /**
   * Breaks the current generation, if it is not decided; returns whether threads were parked at the
   * hub ({@link #settle}).
   */
  public boolean abort() {
    long gen = gen(state());
    decide(gen, false);
    return settle(gen);
  }

  /**
   * Breaks the current generation for its waiters, then starts a new one with nobody waiting;
   * returns whether threads were parked at the hub ({@link #settle}).
   */
  public boolean reset() {
    boolean wake = abort();
    while (true) {
      long s = state();
      if ((s & BROKEN) == 0) {
        return wake; // reset by another meanwhile
      }
      if (words[STATE].compareAndSet(s, (gen(s) + 1) << 32)) {
        return wake | (s & WAITED) != 0;
      }
    }
  }

  /** How many looks a crowded watch makes before it sleeps between them. */
  private static final int CROWDED_LOOKS = 32;

  /**
   * How long a crowded watch sleeps between looks: in fact about 50 us more, Linux's timer slack
   * for a thread that has not set its own.
   */
  private static final long CROWDED_SLEEP_NANOS = 10_000;

  /**
   * Watches generation {@code gen}'s outcome at most {@code nanos}, or until the calling thread is
   * interrupted; returns it. A {@code crowded} barrier has more parties than this machine has CPUs:
   * after a few looks its watch sleeps between looks, so that a party still to arrive gets a CPU.
   * (L4, four processes on two CPUs, alternating runs: looking all the time and yielding every 4th
   * look, 2.1k to 13.3k rounds a second, slow in about one run of three; sleeping, 12.2k to 14.7k,
   * and 5.1k once.)
   */
  public Outcome spinUntilDecided(long gen, long nanos, boolean crowded) {
    long deadline = System.nanoTime() + nanos;
    for (int spins = 0; ; spins++) {
      Outcome o = outcome(gen);
      if (o != Outcome.UNDECIDED
          || System.nanoTime() - deadline >= 0
          || Thread.currentThread().isInterrupted()) {
        return o;
      }
      if (crowded && spins >= CROWDED_LOOKS) {
        LockSupport.parkNanos(CROWDED_SLEEP_NANOS);
      } else if ((spins & 3) == 3) {
        Thread.yield(); // another thread of this CPU may be a party still to arrive
      } else {
        Thread.onSpinWait();
      }
    }
  }

  // ---- the hub's side ------------------------------------------------------------------------

  /**
   * Marks STATE as waited for, unless generation {@code gen} is decided or no longer current;
   * returns whether it did (the waiter parks). Under the hub object's monitor.
   */
  boolean park(long gen) {
    while (true) {
      long s = state();
      if (gen(s) != gen || (s & BROKEN) != 0 || outcome(gen) != Outcome.UNDECIDED) {
        return false;
      }
      if ((s & WAITED) != 0 || words[STATE].compareAndSet(s, s | WAITED)) {
        return outcome(gen) == Outcome.UNDECIDED; // decided meanwhile: its settle tells the hub
      }
    }
  }

  /** Clears WAITED: the hub has no parked thread left. */
  void unparkedAll() {
    while (true) {
      long s = state();
      if ((s & WAITED) == 0 || words[STATE].compareAndSet(s, s & ~WAITED)) {
        return;
      }
    }
  }
}
