package io.jfutures.multiprocessing;

import io.jfutures.multiprocessing.internal.hub.AdaptiveSpin;
import io.jfutures.multiprocessing.internal.hub.ConditionWords;
import io.jfutures.multiprocessing.internal.hub.SyncBackend;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * A condition shared by processes: Python's {@code multiprocessing.Condition}, and a {@link
 * Condition} for Java code. Made by {@link ProcessLock#newCondition()}; a waiter must hold the
 * lock, gives it back while it waits (every hold, for a {@link ProcessReentrantLock}), and holds it
 * again when {@code await} returns or throws, as with {@code java.util.concurrent}.
 *
 * <pre>{@code
 * ProcessLock lock = new ProcessLock();
 * ProcessCondition ready = lock.newCondition();
 * // in any process, holding the lock:
 * ready.waitFor(() -> isReady(), Duration.ofSeconds(5));
 * // in another, holding the lock:
 * ready.signalAll();
 * }</pre>
 *
 * <p>Python's {@code notify(n)} is {@link #signal(int)}, and {@code notify_all()} is {@link
 * #signalAll()}: {@code Object.notifyAll()} is final in Java. A signal never waits for the
 * processes it wakes (Python's fault F12: {@code notify} can block on a waiter that died), and a
 * waiter whose process dies is forgotten (and a signal it had not yet taken goes to the next
 * waiter). Waiters are woken in the order they began to wait.
 *
 * <p><b>Cost.</b> Its waiters are in shared memory: a signal marks the longest waiters' places
 * there, with no message to anyone, and a waiter watches its place for a while (learned from its
 * earlier waits, as a lock's or an event's) before it parks at the hub of the JVM that created the
 * lock, which wakes it when it is signalled. A process that reaches that hub over TCP, or a waiter
 * past the 31 that a condition has room for, waits at the hub, and while any does, signals go
 * through the hub.
 */
public final class ProcessCondition extends SyncHandle implements Condition {
  private static final long serialVersionUID = 1L;

  /** The lock this condition belongs to. */
  private final ProcessLock lock;

  /** How long this handle's waiters watch their places before they park at the hub. */
  private transient volatile AdaptiveSpin spin;

  ProcessCondition(ProcessLock lock, long id) {
    super(lock.hub, id);
    this.lock = lock;
  }

  /**
   * Returns the lock this condition belongs to.
   *
   * @return the lock this condition belongs to
   */
  public ProcessLock lock() {
    return lock;
  }

  /**
   * Gives back the lock and waits to be signalled, then takes the lock back.
   *
   * @throws InterruptedException if interrupted while waiting; the lock is held again
   * @throws IllegalMonitorStateException if this thread does not hold the lock
   */
  @Override
  public void await() throws InterruptedException {
    waitNanos(-1);
  }

  /**
   * As {@link #await()}, but an interrupt ends the wait early (a spurious wake-up, which {@link
   * Condition} allows) and stays set.
   */
  @Override
  public void awaitUninterruptibly() {
    try {
      waitNanos(-1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public long awaitNanos(long nanosTimeout) throws InterruptedException {
    if (nanosTimeout <= 0) {
      return nanosTimeout;
    }
    long start = System.nanoTime();
    boolean signalled = waitNanos(nanosTimeout);
    long left = nanosTimeout - (System.nanoTime() - start);
    return signalled ? Math.max(1, left) : Math.min(0, left);
  }

  @Override
  public boolean await(long time, TimeUnit unit) throws InterruptedException {
    return awaitNanos(unit.toNanos(time)) > 0;
  }

  @Override
  public boolean awaitUntil(Date deadline) throws InterruptedException {
    return await(deadline.getTime() - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Wakes the longest waiter, if any. The caller must hold the lock. Sends the hub a message and
   * returns without waiting for its answer (use {@link #signal(int)} to learn whether anyone was
   * woken): the waiter goes on once this thread gives the lock back.
   *
   * @throws IllegalMonitorStateException if this thread does not hold the lock
   */
  @Override
  public void signal() {
    post(1);
  }

  /**
   * Wakes every waiter. The caller must hold the lock. As {@link #signal()}, it does not wait for
   * the hub's answer.
   *
   * @throws IllegalMonitorStateException if this thread does not hold the lock
   */
  @Override
  public void signalAll() {
    post(-1);
  }

  // ---- Python's verbs -------------------------------------------------------------------------

  /**
   * Wakes up to {@code n} waiters, the longest waiting first: Python's {@code notify(n)}. The
   * caller must hold the lock.
   *
   * @param n the most waiters to wake, 0 or more
   * @return how many were woken
   * @throws IllegalArgumentException if {@code n} is negative
   * @throws IllegalMonitorStateException if this thread does not hold the lock
   */
  public int signal(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("cannot wake a negative number of waiters: " + n);
    }
    return wake(n);
  }

  /**
   * Waits at most {@code timeout} to be signalled: Python's {@code wait(timeout)}.
   *
   * @param timeout how long to wait at most
   * @return false if the time ran out first
   * @throws InterruptedException if interrupted while waiting; the lock is held again
   * @throws IllegalMonitorStateException if this thread does not hold the lock
   */
  public boolean await(Duration timeout) throws InterruptedException {
    return awaitNanos(nanos(timeout)) > 0;
  }

  /**
   * Waits until {@code predicate} holds, checking it with the lock held each time the condition is
   * signalled, for at most {@code timeout}: Python's {@code wait_for(predicate, timeout)}.
   *
   * @param predicate what to wait for; checked with the lock held
   * @param timeout how long to wait at most
   * @return the predicate's last answer
   * @throws InterruptedException if interrupted while waiting; the lock is held again
   * @throws IllegalMonitorStateException if this thread does not hold the lock
   */
  public boolean waitFor(BooleanSupplier predicate, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + nanos(timeout);
    boolean ok = predicate.getAsBoolean();
    while (!ok) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      waitNanos(left);
      ok = predicate.getAsBoolean();
    }
    return ok;
  }

  @Override
  Object fetchShared(SyncBackend backend) {
    return backend.conditionWords(id);
  }

  /** Waits to be signalled, at most {@code nanos} unless negative; returns whether it was. */
  private boolean waitNanos(long nanos) throws InterruptedException {
    lock.checkHeld("await a condition");
    ConditionWords words = shared();
    long waiter = words == null ? -1 : words.enqueue(thread());
    return waiter < 0 ? waitAtHub(nanos) : waitInWords(words, waiter, nanos);
  }

  /**
   * Waits in the condition's words as {@code waiter}, in line already: gives the lock back, watches
   * its place, parks at the hub if it must, then takes the lock back. If interrupted and signalled
   * at once, the signal wins and the interrupt stays set.
   */
  private boolean waitInWords(ConditionWords words, long waiter, long nanos)
      throws InterruptedException {
    long had;
    try {
      had = lock.giveBackForAwait();
    } catch (RuntimeException | Error e) {
      words.leave(waiter); // the hub is gone: nothing waits
      throw e;
    }
    InterruptedException interrupted = null;
    boolean signalled;
    try {
      watchThenPark(words, waiter, nanos);
    } catch (InterruptedException e) {
      interrupted = e;
    } finally {
      // Whatever ended the wait (an error from the hub included), the lock is taken back, then the
      // place given up: leave() says whether a signal came, so that none is lost, and a waiter that
      // dies before it has the lock again leaves its signal in its place for the hub to pass on.
      try {
        lock.takeBackAfterAwait(had);
      } finally {
        signalled = words.leave(waiter);
      }
    }
    if (interrupted != null) {
      if (!signalled) {
        Thread.interrupted(); // thrown instead
        throw interrupted;
      }
      Thread.currentThread().interrupt();
    }
    return signalled;
  }

  /** Waits until {@code waiter} is signalled or {@code nanos} (unless negative) have passed. */
  private void watchThenPark(ConditionWords words, long waiter, long nanos)
      throws InterruptedException {
    AdaptiveSpin s = spin;
    if (s == null) {
      s = AdaptiveSpin.probing();
      spin = s;
    }
    long start = System.nanoTime();
    long budget = s.budget(nanos);
    long waited;
    while (true) {
      waited = System.nanoTime() - start;
      if (words.isSignalled(waiter)) {
        s.ended(waited);
        return;
      }
      if (waited >= budget) {
        break;
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      Thread.onSpinWait();
    }
    if (nanos >= 0 && waited >= nanos) {
      return; // timed out while watching
    }
    s.parked();
    if (words.park(waiter)) {
      call(SyncBackend.COND_PARK, id, waiter, null, nanos < 0 ? -1 : Math.max(1, nanos - waited));
    } // else signalled as it was about to park
  }

  /** Waits at the hub, which takes the lock for it, as a waiter without a place in the words. */
  private boolean waitAtHub(long nanos) throws InterruptedException {
    long had = lock.releaseForAwait("await a condition");
    SyncBackend.Reply r = null;
    try {
      r = call(SyncBackend.AWAIT, id, thread(), null, nanos);
      return r.op() == SyncBackend.OK;
    } finally {
      // The hub answers (or cancels) only once the lock is this thread's again.
      lock.heldAgain(had, r != null && r.value() == 1);
    }
  }

  private void post(int n) {
    ConditionWords words = wordsToSignal();
    if (words != null) {
      words.signal(n, new WakeParked(this));
      return;
    }
    backend().post(SyncBackend.SIGNAL, id, n, new long[] {thread()});
    lock.signalledWhileHeld();
  }

  private int wake(int n) {
    ConditionWords words = wordsToSignal();
    if (words != null) {
      return words.signal(n, new WakeParked(this));
    }
    return (int) callNow(SyncBackend.SIGNAL, id, n, new long[] {thread()}).value();
  }

  /**
   * Checks that this thread holds the lock; returns the words a signal marks, or null if it goes
   * through the hub (no words in this process, or the hub has waiters of its own).
   */
  private ConditionWords wordsToSignal() {
    lock.checkHeld("signal a condition");
    ConditionWords words = shared();
    return words != null && !words.hubMode() ? words : null;
  }

  /** Has the hub wake {@code waiter}, signalled in the words, which parked there. */
  private void wakeParked(long waiter) {
    backend().post(SyncBackend.COND_WAKE, id, waiter, null);
  }

  /**
   * {@link #wakeParked} for {@code ConditionWords.signal}: a class, not a method reference, which a
   * cold JVM would link at a child's first signal (about a millisecond, issue 17, session 30).
   */
  private static final class WakeParked implements LongConsumer {
    private final ProcessCondition condition;

    WakeParked(ProcessCondition condition) {
      this.condition = condition;
    }

    @Override
    public void accept(long waiter) {
      condition.wakeParked(waiter);
    }
  }
}
