package io.jfutures.multiprocessing.internal.hub;

import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;

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
 * the sends through the hub before the next ask double, up to MAX_BACKOFF. A message too long for
 * the ring's area is no failure of the ring: the next shorter one asks again.
 * The area for long messages ({@link BulkArea}): UNASKED -> GRANTED (kept for the pipe's life) or
 * REFUSED (long messages go through the hub, as messages too long for the area always do).
 * </pre>
 *
 * A long message waits for room in the area while the receiver takes what is there, up to {@link
 * #ROOM_WAIT_NANOS}; then, as when interrupted, the ring is retired and the message goes through
 * the hub, which makes the sender wait as long as its receiver does not take.
 *
 * <p>After a commit, the sender reads the ring's flags: PARKED (a receiver waits at the hub) is
 * cleared and the hub told (RING_WAKE); RETIRED means the hub may have drained the ring before the
 * record was in, and is told to drain again (RING_DRAIN). Either post travels on this process's
 * connection, in order before its later puts.
 *
 * <p>Invariant: a retire this process asks for is written to the hub before any of its threads can
 * find the ring gone (RING -> NO_RING), so every send through the hub that follows reaches the hub
 * after it. Thread-safe.
 */
final class RingSender {
  /** The most sends through the hub between two asks. */
  static final int MAX_BACKOFF = 1024;

  private static final long ASK_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** The longest a long message waits for room in the area before it goes through the hub. */
  static final long ROOM_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /** The longest sleep between two looks for room in the area. */
  private static final long MAX_ROOM_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private static final Map<DirectionKey, RingSender> SENDERS = new ConcurrentHashMap<>();

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

  private volatile BulkArea area; // GRANTED while not null
  private volatile boolean areaRefused; // REFUSED

  /** Orders long messages' places in the area as their records in the ring. */
  private final Object placing = new Object();

  /**
   * Read-held by each send from its start until its message is in the ring or the hub has it
   * (written to the connection, or in the hub's queue here); write-held by an ask. A send that went
   * through the hub while an ask was on its way could otherwise reach the hub after the grant, and
   * its thread's next message, through the ring, pass it.
   */
  private final ReentrantReadWriteLock sending = new ReentrantReadWriteLock();

  private RingSender(HubRef hub, long pipe, int end) {
    this.hub = hub;
    this.pipe = pipe;
    this.end = end;
    this.queue = sendsInto(pipe, end);
  }

  /** The queue of the direction that end {@code end} of {@code pipe} sends into. */
  private static long sendsInto(long pipe, int end) {
    return pipe + 2 - end;
  }

  /** This process's sender into the direction {@code end} of {@code pipe} sends into. */
  static RingSender of(HubRef hub, long pipe, int end) {
    DirectionKey key = new DirectionKey(hub, sendsInto(pipe, end));
    RingSender s = SENDERS.get(key);
    if (s == null) { // no lambda on a child's first send: a cold JVM links each at its first use
      RingSender made = new RingSender(hub, pipe, end);
      s = SENDERS.putIfAbsent(key, made);
      s = s == null ? made : s;
    }
    return s;
  }

  /** Forgets the sender of {@code end}: it was closed in this process. */
  static void forget(HubRef hub, long pipe, int end) {
    SENDERS.remove(new DirectionKey(hub, sendsInto(pipe, end)));
  }

  /**
   * Sends {@code length} bytes of {@code buffer} from {@code offset} through the ring, if this
   * process holds it; returns false if the message must go through the hub instead.
   */
  boolean trySend(byte[] buffer, int offset, int length) {
    PipeRing r = ring;
    if (length > BulkArea.MAX_MESSAGE) {
      tooLong(r);
      return false;
    }
    if (r == null) {
      return false;
    }
    if (!hubReachable()) {
      // Its connection is gone (this JVM exits, say): the grant went with it, and a later message
      // must not pass this one, which goes through the hub on a new connection, by the ring.
      lose(r, false);
      return false; // through the hub, which says what became of it
    }
    long flags;
    if (length > PipeRing.MAX_MESSAGE) {
      flags = sendLong(r, buffer, offset, length);
      if (flags < 0) {
        return false;
      }
    } else {
      long at = r.claim(length);
      if (at < 0) {
        lose(r, at == PipeRing.CLAIM_FULL);
        return false;
      }
      try {
        flags = r.commit(at, buffer, offset, length);
      } catch (RuntimeException | Error e) {
        r.commitPad(at, length); // the message is not sent; the ring goes on
        throw e;
      }
    }
    sentInRing++;
    if ((flags & PipeRing.RETIRED) != 0) {
      post(Wire.RING_DRAIN); // the hub may have drained before this record was in
      lose(r, false);
    } else if ((flags & PipeRing.PARKED) != 0 && r.clearParked()) {
      post(Wire.RING_WAKE);
    }
    return true;
  }

  /**
   * Begins a send (see {@link PipeBackend#beginSend}): asks for the ring first if this send is due
   * to ask and no other send of this process is on its way, then holds off asks until {@link
   * #endSend}.
   */
  void beginSend() {
    if (ring == null && sending.writeLock().tryLock()) {
      try {
        askIfDue();
      } finally {
        sending.writeLock().unlock();
      }
    }
    sending.readLock().lock();
  }

  /** Ends a send begun by {@link #beginSend}: its message is in the ring, or the hub has it. */
  void endSend() {
    sending.readLock().unlock();
  }

  /** A message the ring cannot carry: what the ring holds goes before it, through the hub. */
  private void tooLong(PipeRing r) {
    if (r != null) {
      lose(r, true);
      askAgainSoon(); // not the ring's failing: the next shorter message asks for it again
    }
  }

  /**
   * Sends a long message through the ring's area: its bytes there, and a record in the ring that
   * says where; returns TAIL's flags after the commit, as {@link PipeRing#commit}, or -1 if it was
   * not sent (the area refused, or without room for too long; full ring; interrupted).
   */
  private long sendLong(PipeRing r, byte[] buffer, int offset, int length) {
    BulkArea a = area(r);
    if (a == null) {
      tooLong(r);
      return -1;
    }
    long at;
    long place;
    synchronized (placing) {
      place = awaitRoom(r, a, length);
      if (place < 0) {
        lose(r, true); // the hub takes what the area holds, and makes this send wait its turn
        return -1;
      }
      at = r.claim(PipeRing.BULK_RECORD);
      if (at < 0) {
        lose(r, at == PipeRing.CLAIM_FULL);
        return -1;
      }
      a.allocated(place, length);
    }
    try {
      a.write(place, buffer, offset, length);
      return r.commitBulk(at, place, length);
    } catch (RuntimeException | Error e) {
      r.commitPad(at, PipeRing.BULK_RECORD); // the message is not sent; the ring goes on
      throw e;
    }
  }

  /**
   * Where a long message goes in the area, once the receiver took enough of what is there; -1 if
   * that did not happen within {@link #ROOM_WAIT_NANOS}, or the ring was retired, or this thread is
   * interrupted.
   */
  private static long awaitRoom(PipeRing r, BulkArea a, int length) {
    long place = a.place(length);
    if (place >= 0) {
      return place;
    }
    long start = System.nanoTime();
    long nap = 1_000;
    for (int looks = 0; ; looks++) {
      if (r.retired()
          || Thread.currentThread().isInterrupted()
          || System.nanoTime() - start > ROOM_WAIT_NANOS) {
        return -1;
      }
      if (looks < 100) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(nap);
        nap = Math.min(2 * nap, MAX_ROOM_NAP_NANOS);
      }
      if ((place = a.place(length)) >= 0) {
        return place;
      }
    }
  }

  /** The ring's area for long messages, asked for at the first; null if refused. */
  private BulkArea area(PipeRing r) {
    BulkArea a = area;
    if (a != null || areaRefused) {
      return a;
    }
    synchronized (this) {
      if (area == null && !areaRefused) {
        area = askArea(r);
        // interrupted while asking: the next long message asks again
        areaRefused = area == null && !Thread.currentThread().isInterrupted();
      }
      return area;
    }
  }

  private BulkArea askArea(PipeRing r) {
    Hub local = Hub.localIfIs(hub);
    if (local != null) {
      HubQueue q = local.queue(queue);
      return q == null ? null : q.openBulk();
    }
    try {
      Wire.Frame f = HubClient.of(hub).call(Wire.BULK_OPEN, queue, 0, null, ASK_TIMEOUT_NANOS);
      if (f.op() != Wire.VALUE) {
        return null;
      }
      BulkArea a = BulkArea.attach(BulkArea.blockName(r.name()));
      r.bulk(a);
      return a;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // this message goes through the hub
      return null;
    } catch (RuntimeException e) {
      return null; // not to be mapped here: long messages go through the hub
    }
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
   * {@code retire}) to be retired before a message that does not fit. The retire is posted before
   * the ring is dropped here: another thread that then finds no ring sends through the hub, and its
   * message must reach the hub after the retire, not while the ring is open there, ahead of the
   * records committed before it.
   */
  private synchronized void lose(PipeRing r, boolean retire) {
    if (ring != r) {
      return; // another thread lost it first
    }
    if (retire) {
      post(Wire.RING_RETIRE);
    }
    ring = null;
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
