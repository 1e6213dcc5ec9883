package io.jfutures.multiprocessing;

import io.jfutures.multiprocessing.internal.hub.HubRef;
import io.jfutures.multiprocessing.internal.hub.SyncBackend;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * A lock shared by processes: Python's {@code multiprocessing.Lock}, and a {@link Lock} for Java
 * code. Pass it to a {@link JvmProcess} or a pool task as an argument (a captured value); it works
 * in whichever process holds it, and it is held by one thread of one process at a time.
 *
 * <pre>{@code
 * ProcessLock lock = new ProcessLock();
 * new JvmProcess(() -> {
 *   lock.lock();
 *   try {
 *     // one process at a time
 *   } finally {
 *     lock.unlock();
 *   }
 * }).start();
 * }</pre>
 *
 * <p>It is not reentrant: a thread that holds it and waits for it again ({@link #lock()}, or {@link
 * #tryLock(long, TimeUnit)}) gets an {@link IllegalStateException} rather than a wait that cannot
 * end (use {@link ProcessReentrantLock}), and {@link #tryLock()} answers false. Only the holding
 * thread may unlock it; any other gets an {@link IllegalMonitorStateException} (Python lets any
 * process release a {@code Lock}). Waiters are served first come, first served.
 *
 * <p><b>When the holder dies.</b> If the process holding the lock dies (Python's fault F3: the lock
 * stays held for ever), the lock is released at once and the next waiter gets it; {@link
 * #ownerDied()} then tells that thread that what the lock guards may be half-updated, as a robust
 * mutex's {@code EOWNERDEAD} does. A waiter that dies takes nothing with it. If the JVM whose hub
 * holds the lock (the one that created it) exits, every call fails at once with {@link
 * HubUnavailableException}.
 *
 * <p>Each call crosses to the hub of the JVM that created the lock (a socket round trip from any
 * other process).
 */
public class ProcessLock extends SyncHandle implements Lock {
  private static final long serialVersionUID = 1L;

  /** Per thread: whether its current hold began when the previous holder's process died. */
  private transient ThreadLocal<Boolean> ownerDied;

  /** Creates a lock, free, in this JVM's hub. */
  public ProcessLock() {
    this(false);
  }

  ProcessLock(boolean reentrant) {
    super(() -> SyncBackend.newLock(reentrant));
  }

  /** A handle to lock {@code id} of {@code hub}, which a manager created there. */
  ProcessLock(HubRef hub, long id) {
    super(hub, id);
  }

  // ---- java.util.concurrent.locks.Lock ---------------------------------------------------------

  /**
   * Waits for the lock, however long, and takes it; an interrupt meanwhile is kept for later, as
   * {@link Lock#lock()} requires.
   *
   * @throws IllegalStateException if this thread holds it already (not reentrant)
   */
  @Override
  public void lock() {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          lockInterruptibly();
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Waits for the lock and takes it.
   *
   * @throws InterruptedException if interrupted while waiting; the lock was not taken
   * @throws IllegalStateException if this thread holds it already (not reentrant)
   */
  @Override
  public void lockInterruptibly() throws InterruptedException {
    took(call(SyncBackend.LOCK, thread(), -1));
  }

  /** Takes the lock if it is free now; returns whether it did. */
  @Override
  public boolean tryLock() {
    return took(callNow(SyncBackend.LOCK_NOW, thread()));
  }

  /**
   * Waits at most {@code time} for the lock; returns whether it took it.
   *
   * @throws InterruptedException if interrupted while waiting; the lock was not taken
   */
  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(time);
    if (nanos <= 0) {
      return tryLock();
    }
    return took(call(SyncBackend.LOCK, thread(), nanos));
  }

  /**
   * Releases one hold of the lock.
   *
   * @throws IllegalMonitorStateException if this thread does not hold it
   */
  @Override
  public void unlock() {
    callNow(SyncBackend.UNLOCK, thread());
  }

  /** Returns a new condition of this lock, shared by processes as the lock is. */
  @Override
  public ProcessCondition newCondition() {
    return new ProcessCondition(this, SyncBackend.newCondition(hub, id));
  }

  // ---- Python's verbs -------------------------------------------------------------------------

  /** Waits for the lock and takes it: Python's {@code acquire()}. As {@link #lock()}. */
  public void acquire() {
    lock();
  }

  /**
   * Waits at most {@code timeout} for the lock: Python's {@code acquire(timeout=t)}; {@link
   * Duration#ZERO} is {@code acquire(block=False)}.
   *
   * @return whether it took the lock
   * @throws InterruptedException if interrupted while waiting; the lock was not taken
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public boolean acquire(Duration timeout) throws InterruptedException {
    return tryLock(nanos(timeout), TimeUnit.NANOSECONDS);
  }

  /**
   * Releases the lock: Python's {@code release()}. As {@link #unlock()}.
   *
   * @throws IllegalMonitorStateException if this thread does not hold it
   */
  public void release() {
    unlock();
  }

  // ---- state ----------------------------------------------------------------------------------

  /** Whether some thread of some process holds the lock. */
  public boolean isLocked() {
    return callNow(SyncBackend.LOCK_STATE, thread()).value() != 0;
  }

  /** Whether the calling thread holds the lock. */
  public boolean isHeldByCurrentThread() {
    return callNow(SyncBackend.LOCK_STATE, thread()).value() > 0;
  }

  /**
   * Whether the calling thread's current hold of the lock began when the process that held it
   * before died holding it: what the lock guards may have been left half-updated, and the holder
   * should check it (or repair it) before going on.
   */
  public boolean ownerDied() {
    return Boolean.TRUE.equals(ownerDiedPerThread().get());
  }

  /** How many holds the calling thread has: 0 if it does not hold the lock. */
  long holds() {
    return Math.max(0, callNow(SyncBackend.LOCK_STATE, thread()).value());
  }

  private boolean took(SyncBackend.Reply reply) {
    if (reply.op() != SyncBackend.OK) {
      return false; // EMPTY (not free now) or CANCELLED (timed out)
    }
    if (reply.value() == 1) {
      ownerDiedPerThread().set(true);
    } else if (ownerDiedPerThread().get() != null) {
      ownerDiedPerThread().set(false);
    }
    return true;
  }

  private ThreadLocal<Boolean> ownerDiedPerThread() {
    ThreadLocal<Boolean> t = ownerDied;
    if (t == null) {
      synchronized (this) {
        t = ownerDied;
        if (t == null) {
          t = new ThreadLocal<>();
          ownerDied = t;
        }
      }
    }
    return t;
  }
}
