package io.jfutures.multiprocessing.internal.hub;

/**
 * An event's flag as a word in shared memory ({@code ProcessEvent}), the side of the processes that
 * use it: set, cleared and read with no message to anyone, and waited for by watching the word
 * before parking at the hub. {@link HubEvent} is the hub's side.
 *
 * <pre>
 * The word: bit SET (the flag) | bit WAITED (threads are parked at the hub).
 * A process flips SET by compare-and-set; only the hub changes WAITED, under its monitor, and
 * WAITED is set iff the hub has parked waiters. A waiter parks only by a compare-and-set that
 * finds SET clear, and a setter that finds WAITED set tells the hub, which wakes every parked
 * waiter: so a set either is seen by the waiter's compare-and-set, or sees the waiter's bit.
 * </pre>
 */
public final class EventWord {
  /** The flag. */
  static final long SET = 1;

  /** Threads are parked at the hub, waiting for the flag. */
  static final long WAITED = 2;

  /**
   * How long a waiter watches the word before it parks at the hub: about what one wake-up through
   * the kernel costs, so that a set coming that soon is seen without one. Only with more than one
   * CPU, where the setter can run meanwhile.
   */
  public static final long SPIN_NANOS = Runtime.getRuntime().availableProcessors() > 1 ? 50_000 : 0;

  private EventWord() {}

  /** Whether the flag is set in word value {@code w}. */
  public static boolean isSet(long w) {
    return (w & SET) != 0;
  }

  /**
   * Sets the flag; returns whether threads are parked at the hub, which must then be told ({@link
   * Wire#SET} with value 1) to wake them.
   */
  public static boolean set(LockWords.Word word) {
    while (true) {
      long w = word.get();
      if ((w & SET) != 0) {
        return false; // set already: whoever set it woke the parked threads
      }
      if (word.compareAndSet(w, w | SET)) {
        return (w & WAITED) != 0;
      }
    }
  }

  /** Clears the flag. */
  public static void clear(LockWords.Word word) {
    while (true) {
      long w = word.get();
      if ((w & SET) == 0 || word.compareAndSet(w, w & ~SET)) {
        return;
      }
    }
  }

  /**
   * Watches the word at most {@code nanos}, or until the calling thread is interrupted; returns
   * whether the flag was seen set.
   */
  public static boolean spinUntilSet(LockWords.Word word, long nanos) {
    if (isSet(word.get())) {
      return true;
    }
    long deadline = System.nanoTime() + nanos;
    while (System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted()) {
      Thread.onSpinWait();
      if (isSet(word.get())) {
        return true;
      }
    }
    return false;
  }
}
