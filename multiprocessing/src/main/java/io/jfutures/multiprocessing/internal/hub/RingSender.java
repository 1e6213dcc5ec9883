package io.jfutures.multiprocessing.internal.hub;

import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * This process's sending side of one pipe direction's {@link PipeRing}: a send that fits goes into
 * the ring, without a message to the hub, while the hub grants it; any other goes through the hub
 * queue as before ({@code Connection}).
 *
 * <pre>
 * States: NO_RING (untilAsk counts sends through the hub down to the next ask) -> RING (granted:
 * sends claim records) -> NO_RING (found retired or full, or a message too long for it: a full
 * ring or a long message is retired first, so that what it holds comes before the message).
 * Asks back off: after each refusal, or a ring found retired or full within MAX_BACKOFF sends,
 * the sends through the hub before the next ask double, up to MAX_BACKOFF. A long message is no
 * failure of the ring: the next short one asks again.
 * </pre>
 *
 * After a commit, the sender reads the ring's flags: PARKED (a receiver waits at the hub) is
 * cleared and the hub told (RING_WAKE); RETIRED means the hub may have drained the ring before the
 * record was in, and is told to drain again (RING_DRAIN). Either post travels on this process's
 * connection, in order before its later puts. Thread-safe.
 */
final class RingSender {
  /** The most sends through the hub between two asks. */
  static final int MAX_BACKOFF = 1024;

  private static final long ASK_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

  private record Key(HubRef hub, long pipe, int end) {}

  private static final Map<Key, RingSender> SENDERS = new ConcurrentHashMap<>();

  private final HubRef hub;
  private final long pipe;
  private final int end;
  private final long queue;

  private volatile PipeRing ring; // RING while not null
  private PipeRing mapped; // the ring as mapped here, kept for the next grant; guarded by this
  private int untilAsk; // guarded by this
  private int backoff; // guarded by this
  private volatile long sentInRing; // since the last grant; updates racing between threads may lose

  // one, harmlessly

  private RingSender(HubRef hub, long pipe, int end) {
    this.hub = hub;
    this.pipe = pipe;
    this.end = end;
    this.queue = pipe + 2 - end;
  }

  /** This process's sender into the direction {@code end} of {@code pipe} sends into. */
  static RingSender of(HubRef hub, long pipe, int end) {
    Key key = new Key(hub, pipe, end);
    RingSender s = SENDERS.get(key);
    return s != null ? s : SENDERS.computeIfAbsent(key, k -> new RingSender(hub, pipe, end));
  }

  /** Forgets the sender of {@code end}: it was closed in this process. */
  static void forget(HubRef hub, long pipe, int end) {
    SENDERS.remove(new Key(hub, pipe, end));
  }

  /**
   * Sends {@code length} bytes of {@code buffer} from {@code offset} through the ring, if this
   * process holds it; returns false if the message must go through the hub instead.
   */
  boolean trySend(byte[] buffer, int offset, int length) {
    PipeRing r = ring;
    if (length > PipeRing.MAX_MESSAGE) {
      if (r != null) {
        lose(r, true); // what the ring holds goes before this message
        askAgainSoon(); // not the ring's failing: the next short message asks for it again
      }
      return false;
    }
    if (r == null && (r = askIfDue()) == null) {
      return false;
    }
    if (!hubReachable()) {
      return false; // through the hub, which says what became of it
    }
    long at = r.claim(length);
    if (at < 0) {
      lose(r, at == PipeRing.CLAIM_FULL);
      return false;
    }
    long flags = r.commit(at, buffer, offset, length);
    sentInRing++;
    if ((flags & PipeRing.RETIRED) != 0) {
      post(Wire.RING_DRAIN); // the hub may have drained before this record was in
      lose(r, false);
    } else if ((flags & PipeRing.PARKED) != 0 && r.clearParked()) {
      post(Wire.RING_WAKE);
    }
    return true;
  }

  /** Returns the ring, asking the hub for it if this send is due to ask; null if not granted. */
  private synchronized PipeRing askIfDue() {
    if (ring != null) {
      return ring;
    }
    if (untilAsk > 0) {
      untilAsk--;
      return null;
    }
    PipeRing granted = ask();
    if (granted == null) {
      backOff();
    } else {
      sentInRing = 0;
      ring = granted;
    }
    return granted;
  }

  private PipeRing ask() {
    Hub local = Hub.localIfIs(hub);
    if (local != null) {
      HubPipe p = local.pipe(pipe);
      return p == null ? null : p.openRing(end, Peer.LOCAL);
    }
    if (hub.isTcp() || hub.pid() <= 0) {
      untilAsk = Integer.MAX_VALUE; // its hub cannot share memory with this process
      return null;
    }
    try {
      Wire.Frame r = HubClient.of(hub).call(Wire.RING_OPEN, pipe, end, null, ASK_TIMEOUT_NANOS);
      if (r.op() != Wire.VALUE) {
        return null;
      }
      if (mapped == null) {
        mapped = PipeRing.attach(PipeRing.blockName(hub.pid(), queue));
      }
      return mapped;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the send goes on through the hub
      return null;
    } catch (UncheckedIOException e) {
      post(Wire.RING_RETIRE); // granted, but not to be mapped here: give it back
      untilAsk = Integer.MAX_VALUE;
      return null;
    }
  }

  /**
   * The ring {@code r} is no longer this process's to send into: retired by the hub, full, or (if
   * {@code retire}) to be retired before a message that does not fit.
   */
  private synchronized void lose(PipeRing r, boolean retire) {
    if (ring != r) {
      return; // another thread lost it first
    }
    ring = null;
    if (retire) {
      post(Wire.RING_RETIRE);
    }
    if (sentInRing >= MAX_BACKOFF) {
      backoff = 0;
      untilAsk = 0;
    } else {
      backOff();
    }
  }

  /** The next send asks for the ring again, and a refusal then backs off from the start. */
  private synchronized void askAgainSoon() {
    if (untilAsk != Integer.MAX_VALUE) {
      backoff = 0;
      untilAsk = 0;
    }
  }

  private void backOff() {
    if (untilAsk != Integer.MAX_VALUE) {
      backoff = Math.min(2 * backoff + 1, MAX_BACKOFF);
      untilAsk = backoff;
    }
  }

  /** Whether the hub is there: a send through a ring it no longer drains would vanish. */
  private boolean hubReachable() {
    return Hub.localIfIs(hub) != null || HubClient.connected(hub);
  }

  /** Tells the hub about this direction's ring: in this JVM, a call; else a frame. */
  private void post(byte op) {
    Hub local = Hub.localIfIs(hub);
    if (local != null) {
      HubQueue q = local.queue(queue);
      if (q != null) {
        switch (op) {
          case Wire.RING_RETIRE -> q.retireRing();
          case Wire.RING_WAKE -> q.ringWake();
          default -> q.ringDrain();
        }
      }
    } else {
      HubClient.of(hub).send(op, queue, 0, null);
    }
  }
}
