package io.jfutures.multiprocessing.internal.hub;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Flushes that a connection's reader in the hub puts off while the next frame it will handle is
 * already in its buffer: the frames a queue decides for a burst of puts (an item leased to a
 * consumer for each) then leave in one write per peer, instead of one write each.
 *
 * <pre>
 * States, per thread: IMMEDIATE (every thread, and a reader whose buffer holds no whole frame:
 * a flush writes at once) -> DEFERRING (a reader between frames it already holds: flushes are
 * noted) -> IMMEDIATE (its burst ends: it flushes every peer noted, in the order noted).
 * </pre>
 *
 * A reader defers only while a whole next frame is buffered, so it never waits on its socket with
 * flushes put off (a peer frozen in the middle of a frame holds up nobody else's replies), and at
 * most {@link #MAX_BURST} frames. Deferring delays frames and never reorders them: each peer's
 * frames stay in one queue, in the order decided.
 */
final class DeferredFlushes {
  /** The most frames a reader handles before it flushes what it put off. */
  static final int MAX_BURST = 256;

  private static final ThreadLocal<Set<Peer>> DEFERRED = new ThreadLocal<>();

  private DeferredFlushes() {}

  /** Flushes {@code peers} now, or notes them if this thread defers its flushes. */
  static void flush(Collection<Peer> peers) {
    Set<Peer> deferred = DEFERRED.get();
    if (deferred == null) {
      peers.forEach(Peer::flush);
    } else {
      deferred.addAll(peers);
    }
  }

  /** This thread defers its flushes until {@link #end}. */
  static void begin() {
    if (DEFERRED.get() == null) {
      DEFERRED.set(new LinkedHashSet<>());
    }
  }

  /** This thread flushes at once again, starting with the peers it put off. */
  static void end() {
    Set<Peer> deferred = DEFERRED.get();
    if (deferred != null) {
      DEFERRED.remove();
      deferred.forEach(Peer::flush);
    }
  }
}
