package io.jfutures.multiprocessing;

import io.jfutures.multiprocessing.internal.MappingWarmUp;
import io.jfutures.multiprocessing.internal.hub.Hub;
import io.jfutures.multiprocessing.internal.hub.HubRef;
import io.jfutures.multiprocessing.internal.hub.LockWords;
import io.jfutures.multiprocessing.internal.hub.SyncBackend;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.time.Duration;

/**
 * What the synchronization handles share ({@link ProcessLock}, {@link ProcessSemaphore}, {@link
 * ProcessEvent}, {@link ProcessBarrier}, {@link ProcessCondition}): the object lives in the hub of
 * the JVM that created it, and a handle, serializable, reaches it from whichever process holds it.
 * A thread is known to the hub by its process and its id.
 */
abstract class SyncHandle implements Serializable {
  private static final long serialVersionUID = 1L;

  final HubRef hub;
  final long id;
  private transient volatile SyncBackend backend;
  private transient volatile Object shared; // what fetchShared() fetched
  private transient volatile boolean unshared; // a client over TCP: everything through the hub

  /** A handle to a new object, made in this JVM's hub by {@code create}. */
  SyncHandle(java.util.function.LongSupplier create) {
    this.hub = Hub.local().ref();
    this.id = create.getAsLong();
  }

  /** A handle to the object {@code id} of {@code hub}. */
  SyncHandle(HubRef hub, long id) {
    this.hub = hub;
    this.id = id;
  }

  /**
   * Arriving in a process on the hub's machine, a handle will be used through shared memory: the
   * process's first map is made ahead ({@link MappingWarmUp}), and, if the process is connecting to
   * the hub ahead (a child reading its launch), the handle's words are fetched and mapped on that
   * connection's thread once it is made, while the process does other things. A child's first
   * {@code lock()} of a lock it was given otherwise waited for that round trip and map: 1.4-1.8 ms
   * of its 2.2-4.4 (issue 17, session 30).
   *
   * @param in the stream the handle is read from
   * @throws IOException if the stream cannot be read
   * @throws ClassNotFoundException if a class of the stream cannot be found
   */
  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    if (!hub.isTcp()) {
      MappingWarmUp.begin();
      SyncBackend.attachAhead(hub, new AttachAhead(this));
    }
  }

  /**
   * Fetches a handle's shared state ahead of its first use ({@link #readObject}): a class, not a
   * lambda, since a cold JVM links each lambda at its first use, on the thread that reads the
   * handle.
   */
  private static final class AttachAhead implements Runnable {
    private final SyncHandle handle;

    AttachAhead(SyncHandle handle) {
      this.handle = handle;
    }

    @Override
    public void run() {
      handle.shared();
    }
  }

  /** Sends a request for this object and returns its final reply. */
  final SyncBackend.Reply call(byte op, long value, long timeoutNanos) throws InterruptedException {
    return call(op, id, value, null, timeoutNanos);
  }

  /** Sends a request for {@code object} (this, or a part of it) and returns its final reply. */
  final SyncBackend.Reply call(byte op, long object, long value, long[] extra, long timeoutNanos)
      throws InterruptedException {
    return backend().call(op, object, value, extra, timeoutNanos);
  }

  final SyncBackend backend() {
    SyncBackend b = backend;
    if (b == null) {
      b = SyncBackend.of(hub);
      backend = b;
    }
    return b;
  }

  /**
   * The object's word in shared memory (a lock's holder, an event's flag), or null for a client
   * that reaches the hub over TCP, which does everything through the hub.
   */
  final LockWords.Word word() {
    return shared();
  }

  /**
   * The object's state in shared memory, fetched by {@link #fetchShared} on first use, or null if
   * there is none for this process: then everything goes through the hub.
   */
  @SuppressWarnings("unchecked")
  final <T> T shared() {
    Object s = shared;
    if (s == null && !unshared) {
      s = fetchShared(backend());
      if (s == null) {
        unshared = true;
      }
      shared = s;
    }
    return (T) s;
  }

  /** Whether the object's state in shared memory was fetched here already: for tests. */
  final boolean sharedFetched() {
    return shared != null;
  }

  /**
   * Fetches the object's state in shared memory from {@code backend}, or returns null if this
   * process has none (a client over TCP): a lock's or an event's word, unless overridden.
   */
  Object fetchShared(SyncBackend backend) {
    return backend.lockWord(id);
  }

  /** As {@link #call(byte, long, long)}, for a request that does not wait. */
  final SyncBackend.Reply callNow(byte op, long value) {
    return callNow(op, id, value, null);
  }

  /** As {@link #call(byte, long, long, long[], long)}, for a request that does not wait. */
  final SyncBackend.Reply callNow(byte op, long object, long value, long[] extra) {
    try {
      return call(op, object, value, extra, -1);
    } catch (InterruptedException e) {
      // A request that does not wait is answered, never cancelled: an interrupt meanwhile stays.
      Thread.currentThread().interrupt();
      throw new IllegalStateException("cannot be: a request that does not wait was cancelled", e);
    }
  }

  /** The calling thread, as the hub knows it: its process and its id. */
  final long thread() {
    return LockWords.token(backend().process(), Thread.currentThread());
  }

  /** A timeout in nanoseconds, checked: negative timeouts are refused. */
  static long nanos(Duration timeout) {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("a timeout cannot be negative: " + timeout);
    }
    try {
      return timeout.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + id + ", " + hub + "]";
  }
}
