package io.jfutures.multiprocessing.internal.hub;

import io.jfutures.multiprocessing.BrokenPipeException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * A queue handle's way to its queue: straight to the {@link HubQueue} in the hub's own JVM, or
 * through a {@link HubClient} from any other. Timeouts are in nanoseconds: negative waits for ever,
 * 0 does not wait. Items are the bytes the handle serialized.
 */
public abstract class QueueBackend {
  QueueBackend() {}

  /**
   * The puts this process made, into any queue: a get watches for its item, rather than parks, only
   * if one was made since this handle's last get. A process that puts and then gets is likely
   * waiting for the answer to its put (a ping-pong, a worker that returns a result and takes the
   * next task), which its partner is working on; a consumer that only gets would watch while its
   * producers, on the same CPUs, work to fill the queue (Q1, Q3, J1 lost a fifth to a third).
   */
  private static final LongAdder PUTS = new LongAdder();

  /** {@link #PUTS} at this handle's last get. Races between its threads lose a get, harmlessly. */
  private long putsAtLastGet = -1;

  /** Whether this process put since this handle's last get; notes this get. */
  final boolean putSinceLastGet() {
    long now = PUTS.sum();
    boolean put = now != putsAtLastGet;
    putsAtLastGet = now;
    return put;
  }

  /** Creates a queue in this JVM's hub; returns its hub and id. */
  public static long create(int maxSize, boolean joinable, boolean requeueDeadConsumersItems) {
    return Hub.local()
        .newQueue(
            maxSize,
            joinable,
            requeueDeadConsumersItems
                ? HubQueue.DeadConsumerPolicy.REQUEUE
                : HubQueue.DeadConsumerPolicy.COUNT_AS_DONE);
  }

  /** Returns the backend of queue {@code id} in {@code hub}, for this process. */
  public static QueueBackend of(HubRef hub, long id, boolean bounded) {
    return of(hub, id, bounded, false);
  }

  /**
   * Returns the backend of queue {@code id} in {@code hub}, for this process; with {@code leased},
   * a process other than the hub's has items sent ahead of its gets ({@link Leases}).
   */
  public static QueueBackend of(HubRef hub, long id, boolean bounded, boolean leased) {
    Hub local = Hub.localIfIs(hub);
    if (local != null) {
      HubQueue q = local.queue(id);
      if (q == null) {
        throw new IllegalStateException("no queue " + id + " in this JVM's hub");
      }
      return new Local(q);
    }
    return new Remote(hub, id, bounded, leased);
  }

  /**
   * Returns the backend a process other than the hub's has: through a {@link HubClient}, even from
   * the hub's own JVM. For the class archive's training ({@link HubTraining}).
   */
  static QueueBackend remote(HubRef hub, long id, boolean bounded) {
    return new Remote(hub, id, bounded, true);
  }

  /**
   * Puts {@code item}; returns false if the queue stayed full for the whole timeout.
   *
   * @throws IllegalStateException if the hub refused it: its JVM has no heap for an item that
   *     large, say; nothing was queued
   * @throws BrokenPipeException if it is a pipe direction whose receiving end is gone
   */
  public abstract boolean put(byte[] item, long timeoutNanos) throws InterruptedException;

  /**
   * Whether {@link #put} keeps the array it is given (the queue is in this JVM), rather than
   * writing its bytes before it returns.
   */
  public abstract boolean keepsItems();

  /** The largest item or message, in bytes: a frame's length must fit in an int. */
  public static final int MAX_ITEM_BYTES = Wire.MAX_PAYLOAD;

  /**
   * Checks an item's size before any of it is written.
   *
   * @throws IllegalArgumentException if it is larger than {@link #MAX_ITEM_BYTES}
   */
  public static void checkSize(int bytes) {
    if (bytes > MAX_ITEM_BYTES) {
      throw new IllegalArgumentException(
          "a message of "
              + bytes
              + " bytes is larger than "
              + describeLimit(MAX_ITEM_BYTES)
              + "; nothing was sent. Send it in parts: several sendBytes chunks");
    }
  }

  /** Describes a size limit for messages, as "2147483558 bytes (2 GiB), the most ...". */
  public static String describeLimit(long limit) {
    String approx =
        limit >= 1L << 30
            ? Math.round(limit / (double) (1L << 30)) + " GiB"
            : limit >= 1L << 20
                ? Math.round(limit / (double) (1L << 20)) + " MiB"
                : Math.round(limit / (double) (1L << 10)) + " KiB";
    return limit + " bytes (" + approx + "), the most a queue item or pipe message can be";
  }

  /** How a put into a pipe direction whose receiving end is gone fails. */
  static BrokenPipeException brokenPipe() {
    return new BrokenPipeException(
        "the pipe's other end is gone (closed, or every process that held it died): nothing sent"
            + " to it can be received, so the message was not sent");
  }

  /**
   * What {@link #get} returns on a pipe direction whose ring holds the next message: read it there
   * ({@link RingReceiver}).
   */
  static final byte[] READ_RING = HubQueue.READ_RING;

  /** What {@link #get} returns at the end of a pipe direction whose sender is gone. */
  public static final byte[] END = HubQueue.END;

  /**
   * Takes the first item; returns null if there was none for the whole timeout, {@link #END} if
   * none will ever come.
   */
  public abstract byte[] get(long timeoutNanos) throws InterruptedException;

  /** Returns the number of items queued. */
  public abstract long size();

  /** Marks the oldest item this process took and has not marked as done, as done. */
  public abstract void taskDone();

  /** Waits until every item put has been marked done; returns false on timeout. */
  public abstract boolean join(long timeoutNanos) throws InterruptedException;

  /** Returns the number of items put and not yet marked done. */
  public abstract long unfinished();

  /** The backend in the hub's own JVM: no socket. */
  private static final class Local extends QueueBackend {
    private final HubQueue q;

    /** How long a get watches the lane of the process that put last before it parks. */
    private final AdaptiveSpin watch = AdaptiveSpin.probing();

    Local(HubQueue q) {
      this.q = q;
    }

    @Override
    public boolean put(byte[] item, long timeoutNanos) throws InterruptedException {
      PUTS.increment();
      CompletableFuture<byte[]> accepted = new CompletableFuture<>();
      Boolean now = q.put(item, timeoutNanos != 0, Peer.LOCAL, 0, accepted);
      // Else parked, or refused at once (a pipe whose receiving end is gone): await says which.
      if (now != null) {
        return now;
      }
      // Parked: a put that would not wait is parked only while places held elsewhere come back.
      return await(accepted, timeoutNanos == 0 ? HubQueue.RECALL_GRACE_NANOS : timeoutNanos)
          != null;
    }

    @Override
    public boolean keepsItems() {
      return true;
    }

    @Override
    public byte[] get(long timeoutNanos) throws InterruptedException {
      CompletableFuture<byte[]> got = new CompletableFuture<>();
      byte[] now = q.get(timeoutNanos != 0, Peer.LOCAL, 0, got);
      if (now != null) {
        if (now == END || now == READ_RING) {
          return now;
        }
        return now.length == 0 ? null : now;
      }
      // Parked: a get that would not wait is parked only while leased items are called back.
      if (timeoutNanos != 0 && putSinceLastGet()) {
        watchLastPutter(got, timeoutNanos);
      }
      return await(got, timeoutNanos == 0 ? HubQueue.RECALL_GRACE_NANOS : timeoutNanos);
    }

    /**
     * Watches the lane of the process that put into this queue last, while this get waits for an
     * item: a process that answers a ping-pong puts its item there, and this thread takes it
     * without the two wake-ups of the hub's reader and of this thread (Q2). Learns how long to
     * watch from its gets' waits, as a pipe's receiver does ({@link AdaptiveSpin}).
     */
    private void watchLastPutter(CompletableFuture<byte[]> got, long timeoutNanos) {
      long budget = watch.budget(timeoutNanos);
      if (budget <= 0) {
        return;
      }
      long start = System.nanoTime();
      if (q.lastPutter().watchLane(got, budget)) {
        if (got.isDone()) {
          watch.ended(System.nanoTime() - start);
        } else {
          watch.parked();
        }
      }
    }

    /**
     * Waits for a parked local request; on timeout or interrupt withdraws it, unless it was served
     * meanwhile, in which case what it got is returned (and an interrupt kept).
     */
    private byte[] await(CompletableFuture<byte[]> served, long timeoutNanos)
        throws InterruptedException {
      try {
        return timeoutNanos < 0 ? served.get() : served.get(timeoutNanos, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return q.cancel(Peer.LOCAL, 0, served) ? null : served.join();
      } catch (InterruptedException e) {
        if (q.cancel(Peer.LOCAL, 0, served)) {
          throw e;
        }
        Thread.currentThread().interrupt();
        return served.join();
      } catch (ExecutionException e) {
        if (e.getCause() == HubQueue.RECEIVER_GONE) {
          throw brokenPipe();
        }
        throw new IllegalStateException(e.getCause()); // never: nothing else fails these futures
      }
    }

    @Override
    public long size() {
      return q.size();
    }

    @Override
    public void taskDone() {
      q.taskDone(Peer.LOCAL);
    }

    @Override
    public boolean join(long timeoutNanos) throws InterruptedException {
      CompletableFuture<byte[]> done = new CompletableFuture<>();
      return q.join(Peer.LOCAL, 0, done) || await(done, timeoutNanos) != null;
    }

    @Override
    public long unfinished() {
      return q.unfinished();
    }
  }

  /** The backend in any other process: one request per call over the hub connection. */
  private static final class Remote extends QueueBackend {
    private final HubRef hub;
    private final long id;
    private final boolean bounded;
    private final boolean leased;

    Remote(HubRef hub, long id, boolean bounded, boolean leased) {
      this.hub = hub;
      this.id = id;
      this.bounded = bounded;
      this.leased = leased;
    }

    @Override
    public boolean put(byte[] item, long timeoutNanos) throws InterruptedException {
      PUTS.increment();
      HubClient client = HubClient.of(hub);
      if (client.broken(id)) {
        throw brokenPipe();
      }
      Places places = bounded ? client.places(id) : null;
      if (item.length <= Wire.ASYNC_PUT_MAX_BYTES
          && (bounded ? places.take() : timeoutNanos == 0 || !client.held(id))) {
        // Never full (or a pipe direction that has room, or a put that may not wait), or into a
        // place held for this process: the item is the hub's once written, so put returns
        // without a round trip (a producer killed after this still has its item delivered: the
        // kernel delivers what was written).
        client.send(Wire.PUT_ASYNC, id, 0, item);
        return true;
      }
      // Places are asked for after this put, so that it comes before them.
      Wire.Frame r =
          request(
              client,
              Wire.PUT,
              item,
              timeoutNanos,
              timeoutNanos,
              bounded ? () -> client.askForPlaces(id, places) : null);
      if (r.op() == Wire.PIPE_BROKEN) {
        throw brokenPipe();
      }
      return expect(r, Wire.OK, Wire.EMPTY, Wire.CANCELLED);
    }

    /**
     * Sends a put or get that may wait at the hub, and waits for its reply {@code leftNanos} if not
     * negative. One that would not wait ({@code timeoutNanos} 0) waits for it a little: the hub
     * parks it only while it calls back what other processes hold (places, or leased items).
     */
    private Wire.Frame request(
        HubClient client,
        byte op,
        byte[] item,
        long timeoutNanos,
        long leftNanos,
        Runnable afterWrite)
        throws InterruptedException {
      return client.call(
          op,
          id,
          timeoutNanos != 0 ? 1 : 0,
          item,
          timeoutNanos == 0 ? HubQueue.RECALL_GRACE_NANOS : leftNanos,
          afterWrite);
    }

    @Override
    public boolean keepsItems() {
      return false;
    }

    @Override
    public byte[] get(long timeoutNanos) throws InterruptedException {
      HubClient client = HubClient.of(hub);
      Leases leases = client.leases(id);
      if (!leased) {
        return counted(
            leases, got(client.call(Wire.GET, id, timeoutNanos != 0 ? 1 : 0, null, timeoutNanos)));
      }
      long now = System.nanoTime();
      long deadline = now + timeoutNanos;
      boolean mayWatch = putSinceLastGet();
      while (true) {
        Leases.Held held = leases.poll(now); // counted, and claimed there if it has a claim word
        if (held == null
            && (client.takeLeased()
                || mayWatch && watch(client, leases, watchLimit(deadline, timeoutNanos)))) {
          held = leases.poll(now); // from the lease lane
        }
        mayWatch = false; // once a get
        if (held != null) {
          if (held.tellNow()) {
            client.claim(id, held.lease());
          }
          return held.item();
        }
        // None held: ask for this item, then for the window (after it, so that the hub serves
        // this get from what is queued before it leases the rest), from the second get on.
        long left = timeoutNanos < 0 ? timeoutNanos : Math.max(1, deadline - System.nanoTime());
        Runnable window = leases.askingForItem() ? new ActivateLeases(client, id, leases) : null;
        Wire.Frame r = request(client, Wire.GET, null, timeoutNanos, left, window);
        if (r.op() != Wire.TAKE_LEASED) {
          return counted(leases, got(r));
        }
        // Items leased to this process were on their way: they are held now, and come first.
      }
    }

    /** How long a get may still watch: negative for no limit, 0 for a get that would not wait. */
    private static long watchLimit(long deadline, long timeoutNanos) {
      return timeoutNanos <= 0 ? timeoutNanos : Math.max(1, deadline - System.nanoTime());
    }

    /**
     * Watches this process's lease lane for a while, as a pipe's receiver watches its ring, when
     * the hub may lease this queue's items here: an item put while this get watches reaches it
     * without a frame either way (Q2). Returns whether an item came.
     */
    private static boolean watch(HubClient client, Leases leases, long timeoutNanos) {
      if (timeoutNanos == 0 || !client.hasLeaseLane() || !leases.active()) {
        return false;
      }
      long budget = leases.watch.budget(timeoutNanos);
      long start = System.nanoTime();
      client.watchLeases(true);
      try {
        for (long waited = 0; waited < budget; waited = System.nanoTime() - start) {
          AdaptiveSpin.pause();
          client.takeLeased();
          if (leases.holdsAny()) { // from the lane, or from a frame the reader took
            leases.watch.ended(System.nanoTime() - start);
            return true;
          }
        }
      } finally {
        client.watchLeases(false);
      }
      leases.watch.parked();
      return false;
    }

    /** Asks for a window of leases once a get is written: a class, not a lambda (coldStart). */
    private static final class ActivateLeases implements Runnable {
      private final HubClient client;
      private final long queue;
      private final Leases leases;

      ActivateLeases(HubClient client, long queue, Leases leases) {
        this.client = client;
        this.queue = queue;
        this.leases = leases;
      }

      @Override
      public void run() {
        client.activateLeases(queue, leases);
      }
    }

    /** Counts an item this process took as a GET's reply, for {@link #taskDone}. */
    private static byte[] counted(Leases leases, byte[] item) {
      if (item != null && item != END && item != READ_RING) {
        leases.took(System.nanoTime());
      }
      return item;
    }

    private static byte[] got(Wire.Frame r) {
      if (r.op() == Wire.EOF) {
        return END;
      }
      if (r.op() == Wire.READ_RING) {
        return READ_RING;
      }
      return expect(r, Wire.ITEM, Wire.EMPTY, Wire.CANCELLED) ? r.payload() : null;
    }

    @Override
    public long size() {
      return value(Wire.SIZE);
    }

    @Override
    public long unfinished() {
      return value(Wire.UNFINISHED);
    }

    private long value(byte op) {
      try {
        Wire.Frame r = HubClient.of(hub).call(op, id, 0, null, -1);
        expect(r, Wire.VALUE);
        return r.value();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while asking the " + hub, e);
      }
    }

    @Override
    public void taskDone() {
      // This process counts the items it took, so a taskDone too many fails here, and the others
      // need no reply: the hub sees them, in order, before anything this process sends later.
      HubClient client = HubClient.of(hub);
      Leases.Done done = client.leases(id).done();
      if (done == Leases.Done.TOO_MANY) {
        throw new IllegalStateException(
            "taskDone() called more times than this process got items from the queue");
      }
      if (done == Leases.Done.BY_FRAME) {
        client.send(Wire.TASK_DONE, id, 1, null);
      }
    }

    @Override
    public boolean join(long timeoutNanos) throws InterruptedException {
      return expect(
          HubClient.of(hub).call(Wire.JOIN, id, 0, null, timeoutNanos), Wire.OK, Wire.CANCELLED);
    }

    /**
     * Returns true if the reply is {@code yes}, false if it is one of {@code no}; throws the hub's
     * error otherwise.
     */
    private static boolean expect(Wire.Frame r, byte yes, byte... no) {
      if (r.op() == yes) {
        return true;
      }
      for (byte n : no) {
        if (r.op() == n) {
          return false;
        }
      }
      if (r.op() == Wire.ERROR) {
        throw new IllegalStateException(new String(r.payload(), StandardCharsets.UTF_8));
      }
      throw new IllegalStateException("unexpected reply " + r.op() + " from the hub");
    }
  }
}
