package io.jfutures.multiprocessing.internal.hub;

import io.jfutures.multiprocessing.HubUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A synchronization handle's way to its object ({@link HubLock}, {@link HubSemaphore}, {@link
 * HubEvent}, {@link HubBarrier}): straight to the hub in the hub's own JVM, or through a {@link
 * HubClient} from any other. Both speak the same requests and get the same replies, so a handle
 * behaves the same in every process; in the hub's JVM the replies complete futures instead of
 * crossing a socket. Timeouts are in nanoseconds: negative waits for ever, 0 does not wait.
 */
public abstract class SyncBackend {
  SyncBackend() {}

  /** Creates a lock in this JVM's hub; returns its id. */
  public static long newLock() {
    return Hub.local().newLock();
  }

  /** Creates a semaphore in this JVM's hub; returns its id. */
  public static long newSemaphore(long permits, boolean bounded) {
    return Hub.local().newSemaphore(permits, bounded);
  }

  /** Creates an event in this JVM's hub; returns its id. */
  public static long newEvent() {
    return Hub.local().newEvent();
  }

  /** Creates a barrier in this JVM's hub; returns its id. */
  public static long newBarrier(int parties, boolean hasAction) {
    return Hub.local().newBarrier(parties, hasAction);
  }

  /** Creates a condition of lock {@code lock} in {@code hub}, from any process; returns its id. */
  public static long newCondition(HubRef hub, long lock) {
    Hub local = Hub.localIfIs(hub);
    if (local != null) {
      return local.newCondition(lock);
    }
    try {
      return value(HubClient.of(hub).call(Wire.NEW_CONDITION, lock, 0, null, -1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating a condition", e);
    }
  }

  /** Returns the backend of the objects of {@code hub}, for this process. */
  public static SyncBackend of(HubRef hub) {
    Hub local = Hub.localIfIs(hub);
    if (local != null) {
      return new Local(local);
    }
    return new Remote(hub);
  }

  /**
   * Runs {@code step} once this process's connection to {@code hub}, which is being made ahead as a
   * handle is read, is there, on the thread that makes it; returns false, and never runs it, if no
   * connection is being made ahead now. For a handle's words in shared memory, fetched ahead of its
   * first use: a step that throws is forgotten, and the first use fetches them itself.
   */
  public static boolean attachAhead(HubRef hub, Runnable step) {
    return HubClient.afterConnectAhead(hub, step);
  }

  /**
   * Returns the backend a process other than the hub's has: through a {@link HubClient}, even from
   * the hub's own JVM. For the class archive's training ({@link HubTraining}).
   */
  static SyncBackend remote(HubRef hub) {
    return new Remote(hub);
  }

  /**
   * Sends a request for {@code object} and returns its final reply; one that waits is cancelled
   * after {@code timeoutNanos} (unless negative), and then returns CANCELLED or what came first.
   *
   * @throws InterruptedException if interrupted while waiting, and the request was cancelled
   * @throws HubUnavailableException if the object's hub is gone
   */
  public final Reply call(byte op, long object, long value, long[] extra, long timeoutNanos)
      throws InterruptedException {
    return reply(frame(op, object, value, extra, timeoutNanos));
  }

  /**
   * Sends a request for {@code object} whose reply nobody waits for: for a caller that checked
   * already, on its side, everything that could make it fail (a condition's signal by the lock's
   * holder). Requests from one process are handled in the order sent, so a later call of this
   * thread sees its effect.
   *
   * @throws HubUnavailableException if the object's hub is gone
   */
  public abstract void post(byte op, long object, long value, long[] extra);

  /** As {@link #call}, returning the reply as it came. */
  abstract Wire.Frame frame(byte op, long object, long value, long[] extra, long timeoutNanos)
      throws InterruptedException;

  /** Returns the number by which the hub knows this process: its pid, or a TCP client's number. */
  public abstract long process();

  /**
   * Returns the word in shared memory that says who holds lock {@code lock}, or null if this
   * process reaches the hub over TCP (it may be on another machine): then every take and give-back
   * goes through the hub.
   */
  public LockWords.Word lockWord(long lock) {
    Wire.Frame f = wordsFrame(lock);
    return f == null
        ? null
        : LockWords.attach(new String(f.payload(), StandardCharsets.UTF_8), (int) f.value());
  }

  /**
   * Returns this process's view of semaphore {@code semaphore}'s words in shared memory, or null if
   * this process reaches the hub over TCP or the semaphore has no slot left for it: then every take
   * and give-back goes through the hub.
   */
  public SemaphoreWords semaphoreWords(long semaphore) {
    Wire.Frame f = wordsFrame(semaphore);
    if (f == null) {
      return null;
    }
    long v = f.value();
    return SemaphoreWords.attach(
        new String(f.payload(), StandardCharsets.UTF_8),
        (int) (v & 0xFFFF),
        (int) ((v >>> 16) & 0xFFFF),
        v >>> 32);
  }

  /**
   * Returns condition {@code condition}'s waiters' words in shared memory, or null if this process
   * reaches the hub over TCP: then it waits and signals through the hub.
   */
  public ConditionWords conditionWords(long condition) {
    Wire.Frame f = wordsFrame(condition);
    return f == null
        ? null
        : ConditionWords.attach(new String(f.payload(), StandardCharsets.UTF_8), (int) f.value());
  }

  /**
   * Returns this process's view of barrier {@code barrier}'s words in shared memory, or null if
   * this process reaches the hub over TCP or the barrier has no slot left for it: then it arrives
   * through the hub.
   */
  public BarrierWords barrierWords(long barrier) {
    Wire.Frame f = wordsFrame(barrier);
    if (f == null) {
      return null;
    }
    return BarrierWords.attach(
        new String(f.payload(), StandardCharsets.UTF_8),
        (int) (f.value() & 0xFFFF),
        (int) ((f.value() >>> 16) & 0xFFFF));
  }

  /**
   * Asks for the place of object {@code object}'s words in shared memory (LOCK_WORD); returns the
   * VALUE frame, or null if this process reaches the hub over TCP or the object gave it no place.
   */
  private Wire.Frame wordsFrame(long object) {
    if (process() >= LockWords.TCP_PROCESSES) {
      return null;
    }
    try {
      Wire.Frame f = frame(Wire.LOCK_WORD, object, 0, null, -1);
      reply(f); // throws what an error says
      return f.op() == Wire.VALUE ? f : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("cannot be: a request that does not wait was cancelled", e);
    }
  }

  /** A final reply: what it says, and its value. */
  public record Reply(byte op, long value) {
    public boolean ok() {
      return op == Wire.OK;
    }
  }

  // The requests and replies, for the handles in the public package.
  public static final byte LOCK = Wire.LOCK;
  public static final byte LOCK_NOW = Wire.LOCK_NOW;
  public static final byte UNLOCK = Wire.UNLOCK;
  public static final byte LOCK_STATE = Wire.LOCK_STATE;
  public static final byte AWAIT = Wire.AWAIT;
  public static final byte SIGNAL = Wire.SIGNAL;
  public static final byte COND_PARK = Wire.COND_PARK;
  public static final byte COND_WAKE = Wire.COND_WAKE;
  public static final byte ACQUIRE = Wire.ACQUIRE;
  public static final byte ACQUIRE_NOW = Wire.ACQUIRE_NOW;
  public static final byte RELEASE = Wire.RELEASE;
  public static final byte PERMITS = Wire.PERMITS;
  public static final byte SET = Wire.SET;
  public static final byte CLEAR = Wire.CLEAR;
  public static final byte WAIT = Wire.WAIT;
  public static final byte IS_SET = Wire.IS_SET;
  public static final byte ARRIVE = Wire.ARRIVE;
  public static final byte ACTION_DONE = Wire.ACTION_DONE;
  public static final byte ABORT = Wire.ABORT;
  public static final byte RESET = Wire.RESET;
  public static final byte WAITING = Wire.WAITING;
  public static final byte OK = Wire.OK;
  public static final byte EMPTY = Wire.EMPTY;
  public static final byte CANCELLED = Wire.CANCELLED;
  public static final byte BROKEN = Wire.BROKEN;
  public static final byte RUN_ACTION = Wire.RUN_ACTION;

  /** Turns a frame into a reply, or throws what an ERROR frame says. */
  static Reply reply(Wire.Frame f) {
    if (f.op() == Wire.ERROR) {
      String message = new String(f.payload(), StandardCharsets.UTF_8);
      if (f.value() == Wire.ERROR_MONITOR) {
        throw new IllegalMonitorStateException(message);
      }
      throw new IllegalStateException(message);
    }
    return new Reply(f.op(), f.value());
  }

  private static long value(Wire.Frame f) {
    return reply(f).value();
  }

  /** In the hub's own JVM: each reply completes the future of its request. */
  private static final class Local extends SyncBackend {
    private final Hub hub;

    Local(Hub hub) {
      this.hub = hub;
    }

    @Override
    public long process() {
      return LockWords.pid();
    }

    @Override
    public void post(byte op, long object, long value, long[] extra) {
      hub.sync(object)
          .handle(
              LocalPeer.INSTANCE,
              op,
              object,
              LocalPeer.INSTANCE.requests
                  .incrementAndGet(), // never registered: its reply is dropped
              value,
              extra == null ? null : Wire.payload(extra));
    }

    @Override
    Wire.Frame frame(byte op, long object, long value, long[] extra, long timeoutNanos)
        throws InterruptedException {
      HubSync sync = hub.sync(object);
      long request = LocalPeer.INSTANCE.requests.incrementAndGet();
      CompletableFuture<Wire.Frame> reply = new CompletableFuture<>();
      LocalPeer.INSTANCE.pending.put(request, reply);
      sync.handle(
          LocalPeer.INSTANCE,
          op,
          object,
          request,
          value,
          extra == null ? null : Wire.payload(extra));
      try {
        return Replies.await(reply, timeoutNanos, () -> sync.cancel(LocalPeer.INSTANCE, request));
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause()); // never: nothing fails these futures
      } finally {
        LocalPeer.INSTANCE.pending.remove(request);
      }
    }
  }

  /** The threads of the hub's own JVM, as a peer of its synchronization objects. */
  static final class LocalPeer implements Peer {
    static final LocalPeer INSTANCE = new LocalPeer();
    private final AtomicLong requests = new AtomicLong();
    private final Map<Long, CompletableFuture<Wire.Frame>> pending = new ConcurrentHashMap<>();

    @Override
    public void enqueue(byte op, long request, long object, long value, byte[] payload) {
      CompletableFuture<Wire.Frame> waiting = pending.get(request);
      if (waiting != null) {
        waiting.complete(new Wire.Frame(op, request, object, value, payload));
      }
    }

    @Override
    public void flush() {}

    @Override
    public long pid() {
      return ProcessHandle.current().pid();
    }

    /** Registers a request that waits for {@code reply}; returns its number. */
    long register(CompletableFuture<Wire.Frame> reply) {
      long request = requests.incrementAndGet();
      pending.put(request, reply);
      return request;
    }

    /** Forgets a request, answered or not. */
    void forget(long request) {
      pending.remove(request);
    }
  }

  /** In any other process: over the connection to the hub. */
  private static final class Remote extends SyncBackend {
    private final HubRef hub;

    Remote(HubRef hub) {
      this.hub = hub;
    }

    @Override
    public long process() {
      return HubClient.of(hub).process();
    }

    @Override
    public void post(byte op, long object, long value, long[] extra) {
      HubClient.of(hub).send(op, object, value, extra == null ? null : Wire.payload(extra));
    }

    @Override
    Wire.Frame frame(byte op, long object, long value, long[] extra, long timeoutNanos)
        throws InterruptedException {
      return HubClient.of(hub)
          .call(op, object, value, extra == null ? null : Wire.payload(extra), timeoutNanos);
    }
  }
}
