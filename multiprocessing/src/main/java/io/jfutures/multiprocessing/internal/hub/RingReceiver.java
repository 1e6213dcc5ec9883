package io.jfutures.multiprocessing.internal.hub;

import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This process's receiving side of one pipe direction: it watches the direction's {@link PipeRing}
 * for a while ({@link AdaptiveSpin}), then asks the hub, which answers with a message queued there,
 * or READ_RING once one is in the ring (the hub marks the ring PARKED, and the sender tells it when
 * it wrote). The ring is mapped on the hub's first READ_RING.
 *
 * <pre>
 * States: UNMAPPED -> MAPPED (the hub said READ_RING). A MAPPED ring is watched while it is not
 * retired; a retired one is passed by (everything goes through the hub, which drained it) until
 * the hub says READ_RING again.
 * </pre>
 *
 * Thread-safe: threads of one process that receive at once each take whole messages, oldest first.
 */
final class RingReceiver {
  private static final Map<DirectionKey, RingReceiver> RECEIVERS = new ConcurrentHashMap<>();

  private final HubRef hub;
  private final long queue;
  private final AdaptiveSpin spin = AdaptiveSpin.probing();
  private volatile PipeRing ring;

  private RingReceiver(HubRef hub, long queue) {
    this.hub = hub;
    this.queue = queue;
  }

  /** This process's receiver of direction {@code queue} of a pipe of {@code hub}. */
  static RingReceiver of(HubRef hub, long queue) {
    DirectionKey key = new DirectionKey(hub, queue);
    RingReceiver r = RECEIVERS.get(key);
    if (r == null) { // no lambda on a child's first receive, as RingSender.of
      RingReceiver made = new RingReceiver(hub, queue);
      r = RECEIVERS.putIfAbsent(key, made);
      r = r == null ? made : r;
    }
    return r;
  }

  /** Forgets the receiver of direction {@code queue}: its end was closed in this process. */
  static void forget(HubRef hub, long queue) {
    RECEIVERS.remove(new DirectionKey(hub, queue));
  }

  /**
   * Takes the next message, from the ring or through {@code backend}; as {@link QueueBackend#get}:
   * null if none came within {@code timeoutNanos} (negative: no limit), {@link QueueBackend#END}
   * once none will.
   *
   * @throws InterruptedException if interrupted while waiting; no message was taken
   */
  byte[] receive(QueueBackend backend, long timeoutNanos) throws InterruptedException {
    long start = System.nanoTime();
    PipeRing r = ring;
    if (r != null && !r.retired()) {
      byte[] m = watch(r, timeoutNanos);
      if (m != null) {
        return m;
      }
    }
    while (true) {
      long left = timeoutNanos < 0 ? -1 : Math.max(0, timeoutNanos - (System.nanoTime() - start));
      byte[] got = backend.get(left);
      if (got != QueueBackend.READ_RING) {
        return got;
      }
      r = mapped();
      byte[] m = r == null ? null : r.receive();
      if (m != null) {
        return m;
      }
      if (left == 0) {
        return null; // another thread of this process took it: a poll finds nothing
      }
      // another thread of this process took it, or the hub drained it: ask again
    }
  }

  /** Watches the ring for a message, as long as the spin allows; null if none came. */
  private byte[] watch(PipeRing r, long timeoutNanos) throws InterruptedException {
    long start = System.nanoTime();
    long budget = spin.budget(timeoutNanos);
    long waited;
    while (true) {
      byte[] m = r.receive();
      waited = System.nanoTime() - start;
      if (m != null) {
        spin.ended(waited);
        return m;
      }
      if (waited >= budget || r.retired()) {
        break;
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      Thread.onSpinWait();
    }
    if (!r.retired() && budget > 0) {
      spin.parked();
    }
    return null;
  }

  /** The ring, mapped here on first use; null if its block is gone (closed since). */
  private PipeRing mapped() {
    PipeRing r = ring;
    if (r != null) {
      return r;
    }
    Hub local = Hub.localIfIs(hub);
    if (local != null) {
      HubQueue q = local.queue(queue);
      r = q == null ? null : q.ring();
    } else {
      try {
        r = PipeRing.attach(PipeRing.blockName(hub.pid(), queue));
      } catch (UncheckedIOException e) {
        return null; // its end is gone: the hub answers from its queue
      }
    }
    ring = r;
    return r;
  }
}
