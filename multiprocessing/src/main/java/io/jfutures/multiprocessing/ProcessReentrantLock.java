package io.jfutures.multiprocessing;

/**
 * A reentrant lock shared by processes: Python's {@code multiprocessing.RLock}. The thread that
 * holds it may take it again, and must release it as many times as it took it; otherwise it is a
 * {@link ProcessLock}, with the same behaviour when its holder's process dies. A {@link
 * ProcessCondition} of it gives back every hold while it waits, and takes them all back after.
 */
public final class ProcessReentrantLock extends ProcessLock {
  private static final long serialVersionUID = 1L;

  /** Creates a lock, free, in this JVM's hub. */
  public ProcessReentrantLock() {
    super(true);
  }

  /** A handle to reentrant lock {@code id} of {@code hub}, which a manager created there. */
  ProcessReentrantLock(io.jfutures.multiprocessing.internal.hub.HubRef hub, long id) {
    super(hub, id, true);
  }

  /**
   * Returns how many holds the calling thread has: 0 if it does not hold the lock.
   *
   * @return the number of holds the calling thread has
   */
  public long getHoldCount() {
    return holdCount();
  }
}
