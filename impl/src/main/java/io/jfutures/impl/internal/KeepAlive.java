package io.jfutures.impl.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Keeps the JVM alive while an executor has unfinished tasks, so that its own threads can be
 * daemons: a program that forgets to shut an executor down still exits once its work is done, and
 * never exits while a submitted task is unfinished.
 *
 * <p>While the count of unfinished tasks is above zero, one non-daemon thread, the keeper, is
 * alive. It looks at the count every {@link #POLL_MILLIS} ms and exits once it has found it at zero
 * twice running, so it lingers 100 to 200 ms after the last task: a loop of submit-then-get does
 * not start a thread per task. The count is two {@link LongAdder}s, tasks started and tasks
 * finished, changed with neither lock nor signal: the submitting thread and the threads finishing
 * tasks do not contend for one counter. Both only grow, so reading finished, then started, never
 * finds them equal while a task is unfinished (a sum read while others add is between the values
 * before and after), though it may miss a task that finished meanwhile. (The keeper used to be
 * signalled whenever the count reached zero; when threads kept up with a submitter, that was a
 * lock, a wake-up and a context switch for almost every task.) An owner that counts its tasks
 * anyway may give its own counts instead ({@link #KeepAlive(String, LongSupplier, LongSupplier)}),
 * under the same rule: both only grow, and a task is counted finished only after it was counted
 * started. A thread pool does: its task number and its per-thread outcome counts serve, and the two
 * {@code LongAdder} updates per task were a tenth or more of a tiny task's cost (JMH
 * ThreadPoolBenchmark, ns per task with them and without: 265 and 216 on JDK 17, 227 and 211 on JDK
 * 25). This class is thread-safe.
 *
 * <pre>
 * Keeper handshake: a submitter adds to the count, then reads keeperRunning; a keeper that found
 * the count at zero twice clears keeperRunning, then reads the count again. Both are volatile
 * writes followed by reads, so at least one of the two sees the other's write: either the keeper
 * sees the task and stays, or the submitter sees no keeper and starts one (under the lock, so that
 * two submitters start one between them). At worst two keepers live for a while.
 * </pre>
 */
public final class KeepAlive {
  /** How often the keeper looks at the count. */
  static final long POLL_MILLIS = 100;

  private final String threadName;
  private final ReentrantLock lock = new ReentrantLock();

  /** Tasks counted, and tasks finished; unfinished ones are the difference. */
  private final LongSupplier started;

  private final LongSupplier finished;

  /** The counts, if this object keeps them; null if its owner does. */
  private final LongAdder ownStarted;

  private final LongAdder ownFinished;

  /** Whether a keeper is alive; written under the lock, read without it. */
  private volatile boolean keeperRunning;

  /**
   * Creates a keeper whose thread is named {@code threadName}, which counts tasks itself: through
   * {@link #taskStarted()} and {@link #taskFinished()}.
   */
  public KeepAlive(String threadName) {
    this.threadName = threadName;
    this.ownStarted = new LongAdder();
    this.ownFinished = new LongAdder();
    this.started = ownStarted::sum;
    this.finished = ownFinished::sum;
  }

  /**
   * Creates a keeper whose thread is named {@code threadName}, which reads its owner's counts of
   * tasks {@code started} and {@code finished}: both only grow, and the owner calls {@link
   * #afterTaskCounted()} each time it has counted a task started, never {@link #taskStarted()} or
   * {@link #taskFinished()}.
   */
  public KeepAlive(String threadName, LongSupplier started, LongSupplier finished) {
    this.threadName = threadName;
    this.ownStarted = null;
    this.ownFinished = null;
    this.started = started;
    this.finished = finished;
  }

  /**
   * Counts one more unfinished task. Lock-free while a keeper runs. If the keeper cannot be started
   * (no native thread to be had), the task is not counted and the error is thrown.
   */
  public void taskStarted() {
    checkOwnCounts();
    ownStarted.increment();
    try {
      afterTaskCounted();
    } catch (Throwable e) {
      ownFinished.increment(); // not counted after all
      throw e;
    }
  }

  /**
   * Makes sure a keeper runs, the owner having counted a task started. Lock-free while a keeper
   * runs. If the keeper cannot be started (no native thread to be had), the error is thrown, and
   * the owner counts the task finished.
   */
  public void afterTaskCounted() {
    if (!keeperRunning) {
      lock.lock();
      try {
        if (!keeperRunning) {
          Thread keeper = new Thread(this::keep, threadName);
          keeper.setDaemon(false);
          keeper.start();
          keeperRunning = true;
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /** Counts one task fewer. Lock-free. */
  public void taskFinished() {
    checkOwnCounts();
    ownFinished.increment();
  }

  private void checkOwnCounts() {
    if (ownStarted == null) {
      throw new IllegalStateException(
          "this KeepAlive reads its owner's counts: count there, then call afterTaskCounted()");
    }
  }

  private void keep() {
    boolean zeroBefore = false;
    while (true) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS);
      for (long left = POLL_MILLIS; left > 0; left = deadline - System.nanoTime()) {
        LockSupport.parkNanos(deadline - System.nanoTime());
        // An interrupt ends one park early and nothing more: the JVM stays up while tasks run.
        Thread.interrupted();
      }
      boolean zero = noneUnfinished();
      if (zero && zeroBefore) {
        lock.lock();
        try {
          keeperRunning = false;
          if (noneUnfinished()) {
            return; // a task counted from now on sees keeperRunning false and starts a keeper
          }
          keeperRunning = true; // a task came in meanwhile: stay
        } finally {
          lock.unlock();
        }
      }
      zeroBefore = zero;
    }
  }

  /** Whether every task counted has finished; read in this order, never true while one has not. */
  private boolean noneUnfinished() {
    long f = finished.getAsLong();
    return started.getAsLong() == f;
  }
}
