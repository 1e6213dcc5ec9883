package io.jfutures.multiprocessing;

import io.jfutures.multiprocessing.internal.hub.SyncBackend;
import java.time.Duration;

/**
 * An event shared by processes: Python's {@code multiprocessing.Event}, a flag that processes wait
 * for. {@link #set()} wakes every waiter without waiting for any of them (Python's fault F12), and
 * a waiter whose process dies is forgotten.
 *
 * <pre>{@code
 * ProcessEvent go = new ProcessEvent();
 * new JvmProcess(() -> { go.await(); work(); }).start();
 * go.set();
 * }</pre>
 *
 * <p>Python's {@code wait()} is {@link #await()}: {@code Object.wait()} is final in Java.
 */
public final class ProcessEvent extends SyncHandle {
  private static final long serialVersionUID = 1L;

  /** Creates an event, not set, in this JVM's hub. */
  public ProcessEvent() {
    super(SyncBackend::newEvent);
  }

  /** A handle to event {@code id} of {@code hub}, which a manager created there. */
  ProcessEvent(io.jfutures.multiprocessing.internal.hub.HubRef hub, long id) {
    super(hub, id);
  }

  /** Sets the flag, and wakes every waiter. */
  public void set() {
    callNow(SyncBackend.SET, 0);
  }

  /** Clears the flag. */
  public void clear() {
    callNow(SyncBackend.CLEAR, 0);
  }

  /** Whether the flag is set. */
  public boolean isSet() {
    return callNow(SyncBackend.IS_SET, 0).value() == 1;
  }

  /**
   * Waits until the flag is set.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void await() throws InterruptedException {
    call(SyncBackend.WAIT, 0, -1);
  }

  /**
   * Waits at most {@code timeout} until the flag is set: Python's {@code wait(timeout)}.
   *
   * @return whether it is set
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean await(Duration timeout) throws InterruptedException {
    return call(SyncBackend.WAIT, 0, nanos(timeout)).ok();
  }
}
