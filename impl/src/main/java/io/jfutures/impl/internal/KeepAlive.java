package io.jfutures.impl.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps the JVM alive while an executor has unfinished tasks, so that its own threads can be
 * daemons: a program that forgets to shut an executor down still exits once its work is done, and
 * never exits while a submitted task is unfinished.
 *
 * <p>While the count of unfinished tasks is above zero, one non-daemon thread waits; it lingers
 * {@link #LINGER_MILLIS} after the count reaches zero, so a loop of submit-then-get does not start
 * a thread per task. This class is thread-safe.
 */
public final class KeepAlive {
  /** How long the keeper waits for new work before it lets the JVM exit. */
  private static final long LINGER_MILLIS = 200;

  private final String threadName;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  /** Unfinished tasks; changed without the lock, read by the keeper under it. */
  private final AtomicLong count = new AtomicLong();

  // Guarded by lock.
  private boolean keeperRunning;

  /** Creates a keeper whose thread is named {@code threadName}. */
  public KeepAlive(String threadName) {
    this.threadName = threadName;
  }

  /** Counts one more unfinished task. Lock-free unless the count leaves zero. */
  public void taskStarted() {
    if (count.getAndIncrement() == 0) {
      lock.lock();
      try {
        if (keeperRunning) {
          changed.signal();
        } else {
          keeperRunning = true;
          Thread keeper = new Thread(this::keep, threadName);
          keeper.setDaemon(false);
          keeper.start();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /** Counts one task fewer. Lock-free unless the count reaches zero. */
  public void taskFinished() {
    if (count.decrementAndGet() == 0) {
      lock.lock();
      try {
        changed.signal();
      } finally {
        lock.unlock();
      }
    }
  }

  private void keep() {
    lock.lock();
    try {
      while (true) {
        while (count.get() > 0) {
          // bounded: a change of count made without the lock may miss this wait's signal
          changed.awaitNanos(TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS));
        }
        long linger = TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
        while (count.get() == 0 && linger > 0) {
          linger = changed.awaitNanos(linger);
        }
        if (count.get() == 0) {
          keeperRunning = false;
          return;
        }
      }
    } catch (InterruptedException e) {
      keeperRunning = false;
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }
}
