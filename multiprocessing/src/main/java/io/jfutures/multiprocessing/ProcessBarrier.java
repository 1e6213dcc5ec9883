package io.jfutures.multiprocessing;

import io.jfutures.api.SerializableRunnable;
import io.jfutures.multiprocessing.internal.hub.SyncBackend;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

/**
 * A barrier shared by processes: Python's {@code multiprocessing.Barrier}, with the behaviour of
 * {@link java.util.concurrent.CyclicBarrier}. When {@code parties} threads, in any processes, have
 * called {@link #await()}, the last to arrive runs the action (if any), and all go on; then it
 * starts over.
 *
 * <pre>{@code
 * ProcessBarrier start = new ProcessBarrier(3);
 * for (int i = 0; i < 3; i++) {
 *   new JvmProcess(() -> { start.await(); race(); }).start();
 * }
 * }</pre>
 *
 * <p>It breaks, and every waiter gets {@link BrokenBarrierException}, when a waiter times out or is
 * interrupted, when the action throws, on {@link #abort()}, and <b>when the process of a waiting
 * party dies</b> (Python's fault F13: the others wait for ever, or for their timeout). A broken
 * barrier stays broken until {@link #reset()}.
 */
public final class ProcessBarrier extends SyncHandle {
  private static final long serialVersionUID = 1L;

  /** How many parties trip the barrier. */
  private final int parties;

  /** What the last party to arrive runs, or null. */
  private final SerializableRunnable action;

  /**
   * Creates a barrier for {@code parties} parties in this JVM's hub.
   *
   * @param parties the number of parties, at least 1
   * @throws IllegalArgumentException if {@code parties} is less than 1
   */
  public ProcessBarrier(int parties) {
    this(parties, null);
  }

  /**
   * Creates a barrier for {@code parties} parties whose last arrival runs {@code action} (in its
   * own process) before the others go on.
   *
   * @param parties the number of parties, at least 1
   * @param action what the last party to arrive runs, in its own process, before the others go on;
   *     or null
   * @throws IllegalArgumentException if {@code parties} is less than 1
   */
  public ProcessBarrier(int parties, SerializableRunnable action) {
    super(() -> SyncBackend.newBarrier(checked(parties), action != null));
    this.parties = parties;
    this.action = action;
  }

  /** A handle to barrier {@code id} of {@code hub}, which a manager created there. */
  ProcessBarrier(
      io.jfutures.multiprocessing.internal.hub.HubRef hub,
      long id,
      int parties,
      SerializableRunnable action) {
    super(hub, id);
    this.parties = parties;
    this.action = action;
  }

  static int checked(int parties) {
    if (parties < 1) {
      throw new IllegalArgumentException("a barrier needs at least 1 party, not " + parties);
    }
    return parties;
  }

  /**
   * Waits until every party has arrived.
   *
   * @return the arrival index: {@code parties - 1} for the first, 0 for the last
   * @throws BrokenBarrierException if the barrier is or becomes broken while waiting
   * @throws InterruptedException if interrupted while waiting; the barrier breaks for the others
   */
  public int await() throws InterruptedException, BrokenBarrierException {
    try {
      return arrive(-1);
    } catch (TimeoutException e) {
      throw new IllegalStateException("cannot be: no timeout", e);
    }
  }

  /**
   * Waits at most {@code timeout} until every party has arrived.
   *
   * @param timeout how long to wait at most
   * @return the arrival index: {@code parties - 1} for the first, 0 for the last
   * @throws TimeoutException if the time ran out; the barrier breaks for the others
   * @throws BrokenBarrierException if the barrier is or becomes broken while waiting
   * @throws InterruptedException if interrupted while waiting; the barrier breaks for the others
   */
  public int await(Duration timeout)
      throws InterruptedException, BrokenBarrierException, TimeoutException {
    return arrive(nanos(timeout));
  }

  private int arrive(long nanos)
      throws InterruptedException, BrokenBarrierException, TimeoutException {
    SyncBackend.Reply r = call(SyncBackend.ARRIVE, 0, nanos);
    if (r.op() == SyncBackend.RUN_ACTION) {
      try {
        action.run();
      } catch (RuntimeException | Error e) {
        callNow(SyncBackend.ACTION_DONE, 0); // the others get BrokenBarrierException
        throw e;
      }
      r = callNow(SyncBackend.ACTION_DONE, 1);
    }
    if (r.op() == SyncBackend.OK) {
      return (int) r.value();
    }
    if (r.op() == SyncBackend.CANCELLED) {
      throw new TimeoutException(
          "not every party arrived within the timeout; the barrier is broken");
    }
    throw new BrokenBarrierException();
  }

  /** Breaks the barrier: every waiter, and every later arrival until {@link #reset()}, fails. */
  public void abort() {
    callNow(SyncBackend.ABORT, 0);
  }

  /** Breaks the barrier for its waiters, then makes it whole again, with nobody waiting. */
  public void reset() {
    callNow(SyncBackend.RESET, 0);
  }

  /**
   * Whether the barrier is broken.
   *
   * @return whether the barrier is broken
   */
  public boolean isBroken() {
    return callNow(SyncBackend.WAITING, 0).value() < 0;
  }

  /**
   * Returns how many parties are waiting now: Python's {@code n_waiting}.
   *
   * @return the number of parties waiting now
   */
  public int getNumberWaiting() {
    return (int) Math.max(0, callNow(SyncBackend.WAITING, 0).value());
  }

  /**
   * Returns how many parties trip it: Python's {@code parties}.
   *
   * @return the number of parties
   */
  public int getParties() {
    return parties;
  }
}
