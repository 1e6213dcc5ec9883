package io.jfutures.multiprocessing.internal.hub;

/**
 * How long a waiter watches shared memory before it parks at the hub, learned from its own waits,
 * as HotSpot's monitors learn theirs: a wait that ended while watching lets the next watch as long
 * as twice that wait, and a wait that had to park halves it. Where waits end within a few
 * milliseconds (parties that meet often), waiters stop paying the hub's wake-ups; where they take
 * longer (parties with work between meetings), they park soon and leave the CPUs to the work.
 *
 * <p>Parking can feed itself: where two parties wait for each other in turn (a condition's
 * ping-pong), a waiter that parked is woken through the hub, later, so the other's wait grows past
 * its watch and it parks too; each round then takes a hub's wake-up on each side, and no wait ever
 * ends while watching again. So a spin made {@link #probing} watches for MAX_NANOS once after
 * PROBE_AFTER parks in a row: if the other side answers within it, the watch grows again. (A
 * barrier's does not: L4, four parties on two CPUs, lost about a tenth with it.)
 *
 * <pre>
 * State: nanos, MIN_NANOS <= nanos <= MAX_NANOS, or 0 on a single CPU (where watching only delays
 * the thread being waited for); parkedInARow, the waits that parked since one ended while
 * watching. Races between threads of one handle lose an update, harmlessly.
 * </pre>
 */
public final class AdaptiveSpin {
  /** The shortest watch, after waits that parked. */
  static final long MIN_NANOS = 20_000;

  /** The longest watch, after waits that ended while watching. */
  public static final long MAX_NANOS = 3_000_000;

  /**
   * The first watch: long, because a new handle's first waits run in a JVM still compiling its
   * code, where a wait that parks costs the most. L4 (four new JVMs, 1,000 rounds): starting at 50
   * us and at most 1 ms, 2.2-4.3k rounds/s; starting at 1 ms and at most 3 ms, 4.9-6.8k.
   */
  static final long START_NANOS = 1_000_000;

  /** After this many waits in a row that parked, one watches for {@link #MAX_NANOS}. */
  public static final int PROBE_AFTER = 8;

  private volatile long nanos = EventWord.SPIN_NANOS > 0 ? START_NANOS : 0;
  private volatile int parkedInARow;
  private final boolean probes;

  /**
   * Pauses between two looks of a watch of a queue's lanes: a yield, not a spin hint, so that the
   * threads that would end the watch run (the hub's reader, the partner's getter, a compiler
   * thread). On two CPUs a watcher that spun held a CPU that one of them needed, and a round that
   * missed its watch waited for a scheduler tick: with spin hints Q2's median round trip was a
   * twentieth of what it had been without watching, and its mean 1.4x; with yields the median is a
   * third and the mean a half (probe Q2T, issue 17 session 33).
   */
  static void pause() {
    Thread.yield();
  }

  /** A spin that never probes. */
  public AdaptiveSpin() {
    this(false);
  }

  private AdaptiveSpin(boolean probes) {
    this.probes = probes;
  }

  /** A spin that probes with a long watch after {@link #PROBE_AFTER} parks in a row. */
  public static AdaptiveSpin probing() {
    return new AdaptiveSpin(true);
  }

  /** Returns how long to watch now, at most {@code limit} (negative: no limit). */
  public long budget(long limit) {
    long n = nanos;
    if (probes && n > 0 && parkedInARow >= PROBE_AFTER) {
      parkedInARow = 0;
      n = MAX_NANOS;
    }
    return limit < 0 ? n : Math.min(n, limit);
  }

  /** The wait ended while watching, after {@code tookNanos}. */
  public void ended(long tookNanos) {
    parkedInARow = 0;
    long n = nanos;
    if (n > 0 && 2 * tookNanos > n) {
      nanos = Math.min(MAX_NANOS, 2 * tookNanos);
    }
  }

  /** The wait had to park. */
  public void parked() {
    parkedInARow++;
    long n = nanos;
    if (n > 0) {
      nanos = Math.max(MIN_NANOS, n / 2);
    }
  }
}
