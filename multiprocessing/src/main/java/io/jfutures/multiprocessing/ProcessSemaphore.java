package io.jfutures.multiprocessing;

import io.jfutures.multiprocessing.internal.hub.EventWord;
import io.jfutures.multiprocessing.internal.hub.SemaphoreWords;
import io.jfutures.multiprocessing.internal.hub.SyncBackend;
import java.time.Duration;

/**
 * A counting semaphore shared by processes: Python's {@code multiprocessing.Semaphore}, or with
 * {@link #bounded} its {@code BoundedSemaphore}, with the verbs of {@link
 * java.util.concurrent.Semaphore}. Waiters are served first come, first served (a large request is
 * not overtaken by smaller ones) once they wait at the hub, and the count is exact on every OS
 * (Python's fault F15: {@code get_value()} is not implemented on macOS).
 *
 * <pre>{@code
 * ProcessSemaphore slots = new ProcessSemaphore(2);   // two processes at a time
 * new JvmProcess(() -> {
 *   slots.acquire();
 *   try { work(); } finally { slots.release(); }
 * }).start();
 * }</pre>
 *
 * <p><b>When a process dies,</b> the permits it acquired and did not release come back at once (for
 * a bounded semaphore, up to its bound), and its waits are dropped. A release by a process that
 * acquired nothing (a semaphore used as a signal) adds a permit as usual; note that a permit
 * acquired by a process that then dies comes back even if someone else meant to consume it.
 *
 * <p><b>Cost.</b> The count, and what each process holds, are words in shared memory: while nobody
 * waits at the hub, {@link #tryAcquire()}, {@link #release()} and {@link #availablePermits()} send
 * no message, and a thread that must wait watches the count for about 50 microseconds (on a machine
 * with more than one CPU) before it waits at the hub of the JVM that created the semaphore; those
 * that wait there are served in order, and while any does every acquire and release goes through
 * the hub. A process that reaches that hub over TCP, or one past the 56 processes a semaphore has
 * room for, does everything through it.
 */
public final class ProcessSemaphore extends SyncHandle {
  private static final long serialVersionUID = 1L;

  /** Whether releases past the initial permits are refused. */
  private final boolean bounded;

  /**
   * Creates a semaphore with {@code permits} permits in this JVM's hub.
   *
   * @param permits the permits to start with, 0 or more
   * @throws IllegalArgumentException if {@code permits} is negative
   */
  public ProcessSemaphore(int permits) {
    this(checked(permits), false);
  }

  private ProcessSemaphore(int permits, boolean bounded) {
    super(() -> SyncBackend.newSemaphore(permits, bounded));
    this.bounded = bounded;
  }

  /** A handle to semaphore {@code id} of {@code hub}, which a manager created there. */
  ProcessSemaphore(io.jfutures.multiprocessing.internal.hub.HubRef hub, long id, boolean bounded) {
    super(hub, id);
    this.bounded = bounded;
  }

  /**
   * Creates a semaphore of {@code permits} permits that cannot be released beyond them: Python's
   * {@code BoundedSemaphore}. A release past the bound fails with {@link IllegalStateException}.
   *
   * @param permits the permits to start with, and the most it may hold; 0 or more
   * @return the new semaphore
   * @throws IllegalArgumentException if {@code permits} is negative
   */
  public static ProcessSemaphore bounded(int permits) {
    return new ProcessSemaphore(checked(permits), true);
  }

  static int checked(int permits) {
    if (permits < 0) {
      throw new IllegalArgumentException(
          "a semaphore cannot start with negative permits: " + permits);
    }
    return permits;
  }

  /**
   * Whether releases past the initial permits are refused.
   *
   * @return whether releases past the initial permits are refused
   */
  public boolean isBounded() {
    return bounded;
  }

  /**
   * Waits for a permit and takes it.
   *
   * @throws InterruptedException if interrupted while waiting; nothing was taken
   */
  public void acquire() throws InterruptedException {
    acquire(1);
  }

  /**
   * Waits for {@code permits} permits and takes them together.
   *
   * @param permits how many permits to take, 0 or more
   * @throws InterruptedException if interrupted while waiting; nothing was taken
   * @throws IllegalArgumentException if {@code permits} is negative
   */
  public void acquire(int permits) throws InterruptedException {
    acquireNanos(count(permits), -1);
  }

  /**
   * Takes a permit if one is available now; returns whether it did.
   *
   * @return whether it took a permit
   */
  public boolean tryAcquire() {
    return tryAcquire(1);
  }

  /**
   * Takes {@code permits} permits if they are available now; returns whether it did.
   *
   * @param permits how many permits to take, 0 or more
   * @return whether it took them
   * @throws IllegalArgumentException if {@code permits} is negative
   */
  public boolean tryAcquire(int permits) {
    int n = count(permits);
    SemaphoreWords w = words();
    if (w != null) {
      SemaphoreWords.Outcome o = w.tryAcquire(n, thread());
      if (o != SemaphoreWords.Outcome.ASK_HUB) {
        return o == SemaphoreWords.Outcome.DONE;
      }
    }
    return callNow(SyncBackend.ACQUIRE_NOW, n).ok();
  }

  /**
   * Waits at most {@code timeout} for a permit: Python's {@code acquire(timeout=t)}.
   *
   * @param timeout how long to wait at most
   * @return whether it took one
   * @throws InterruptedException if interrupted while waiting; nothing was taken
   */
  public boolean tryAcquire(Duration timeout) throws InterruptedException {
    return tryAcquire(1, timeout);
  }

  /**
   * Waits at most {@code timeout} for {@code permits} permits.
   *
   * @param permits how many permits to take, 0 or more
   * @param timeout how long to wait at most
   * @return whether it took them
   * @throws InterruptedException if interrupted while waiting; nothing was taken
   * @throws IllegalArgumentException if {@code permits} is negative
   */
  public boolean tryAcquire(int permits, Duration timeout) throws InterruptedException {
    long nanos = nanos(timeout);
    if (nanos == 0) {
      return tryAcquire(permits);
    }
    return acquireNanos(count(permits), nanos);
  }

  /**
   * Waits at most {@code nanos} (negative: however long) for {@code n} permits: watches the count
   * for a while, then waits at the hub; returns whether it took them.
   */
  private boolean acquireNanos(int n, long nanos) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    SemaphoreWords w = words();
    if (w != null) {
      long token = thread();
      long start = System.nanoTime();
      long spin = nanos < 0 ? EventWord.SPIN_NANOS : Math.min(nanos, EventWord.SPIN_NANOS);
      while (true) {
        SemaphoreWords.Outcome o = w.tryAcquire(n, token);
        if (o == SemaphoreWords.Outcome.DONE) {
          return true;
        }
        long left = spin - (System.nanoTime() - start);
        if (o == SemaphoreWords.Outcome.ASK_HUB || left <= 0 || !w.spinUntilWorthTrying(n, left)) {
          break;
        }
      }
      if (nanos >= 0) {
        nanos -= System.nanoTime() - start;
        if (nanos <= 0) {
          return callNow(SyncBackend.ACQUIRE_NOW, n).ok();
        }
      }
    }
    return call(SyncBackend.ACQUIRE, n, nanos).ok();
  }

  /**
   * Returns a permit.
   *
   * @throws IllegalStateException if it is bounded and the permit would pass its bound
   */
  public void release() {
    release(1);
  }

  /**
   * Returns {@code permits} permits.
   *
   * @param permits how many permits to return, 0 or more
   * @throws IllegalStateException if it is bounded and the permits would pass its bound
   * @throws IllegalArgumentException if {@code permits} is negative
   */
  public void release(int permits) {
    int n = count(permits);
    SemaphoreWords w = words();
    if (w == null
        || w.release(n, bounded ? w.initial() : -1, thread()) == SemaphoreWords.Outcome.ASK_HUB) {
      callNow(SyncBackend.RELEASE, n);
    }
  }

  /**
   * Returns how many permits are available now: Python's {@code get_value()}.
   *
   * @return the number of permits available now
   */
  public int availablePermits() {
    SemaphoreWords w = words();
    return (int) (w == null ? callNow(SyncBackend.PERMITS, 0).value() : w.permits());
  }

  /** The count's words in shared memory, or null if everything goes through the hub. */
  private SemaphoreWords words() {
    return shared();
  }

  @Override
  Object fetchShared(SyncBackend backend) {
    return backend.semaphoreWords(id);
  }

  private static int count(int permits) {
    if (permits < 0) {
      throw new IllegalArgumentException(
          "cannot take or give a negative number of permits: " + permits);
    }
    return permits;
  }
}
