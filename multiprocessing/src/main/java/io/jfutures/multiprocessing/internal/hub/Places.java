package io.jfutures.multiprocessing.internal.hub;

/**
 * The places in one bounded queue that its hub granted this process ahead of its puts ({@link
 * HubQueue}'s places): a put that takes one is sent without waiting for a reply, as a put into an
 * unbounded queue is. The room they stand for counts as used until this process's put fills it, a
 * recall gives it back, or this process dies.
 *
 * <pre>
 * States: NOT_ASKED (no put has waited for a reply yet) -> ASKED (the window was asked for, once:
 *         the hub grants places whenever room is free and no putter waits for it).
 * The count: + what the hub grants; - one per put that takes one; to 0 when the hub recalls them.
 * </pre>
 *
 * Thread-safe: guarded by this. A put's frame may reach the hub after a give-back that was counted
 * after it here; the hub only counts its grants down, so it stays exact.
 */
final class Places {
  /**
   * The most places a producer process asks to hold; the hub grants at most a quarter of the room.
   */
  static final int WINDOW = 256;

  private int held;
  private boolean asked;

  /** Takes a place for a put; returns false if none is held. */
  synchronized boolean take() {
    if (held == 0) {
      return false;
    }
    held--;
    return true;
  }

  /** The hub granted {@code places} more. */
  synchronized void add(int places) {
    held += places;
  }

  /** Asks for the window through {@code ask}, unless it was asked for already. */
  synchronized void askOnce(Runnable ask) {
    if (!asked) {
      asked = true;
      ask.run();
    }
  }

  /** The hub recalled them: returns how many were held, now none. */
  synchronized int giveBack() {
    int n = held;
    held = 0;
    return n;
  }
}
