package io.jfutures.multiprocessing;

import io.jfutures.multiprocessing.internal.hub.HubRef;
import io.jfutures.multiprocessing.internal.hub.LockWords;
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
 * process release a {@code Lock}).
 *
 * <p><b>Cost.</b> Who holds the lock is a word in shared memory: a lock that is free is taken, and
 * one that nobody waits for is given back, with one compare-and-set, as fast as Python's (a POSIX
 * semaphore), with no message to anyone. A thread that finds it held spins briefly, then waits at
 * the hub of the JVM that created the lock, which hands the lock to its waiters first come, first
 * served. As with {@link java.util.concurrent.locks.ReentrantLock}'s default, a thread that comes
 * along as the lock is freed may take it before a waiter.
 *
 * <p><b>When the holder dies.</b> If the process holding the lock dies (Python's fault F3: the lock
 * stays held for ever), the lock is freed at once and the next thread to take it, waiting or not,
 * sees {@link #ownerDied()}: what the lock guards may be half-updated, as a robust mutex's {@code
 * EOWNERDEAD} says. A waiter that dies takes nothing with it. If the JVM that created the lock
 * exits, calls that must wait fail with {@link HubUnavailableException}.
 */
public class ProcessLock extends SyncHandle implements Lock {
  private static final long serialVersionUID = 1L;

  /** How many times a thread that finds the lock held looks again before it asks the hub. */
  private static final int SPINS = 200;

  /** Whether a thread that holds the lock may take it again. */
  private final boolean reentrant;

  /** This lock's entry of {@link #HOLDS}. */
  private transient volatile ThreadLocal<long[]> holdsPerThread;

  /** Creates a lock, free, in this JVM's hub. */
  public ProcessLock() {
    this(false);
  }

  ProcessLock(boolean reentrant) {
    super(SyncBackend::newLock);
    this.reentrant = reentrant;
  }

  /** A handle to lock {@code id} of {@code hub}, which a manager created there. */
  ProcessLock(HubRef hub, long id, boolean reentrant) {
    super(hub, id);
    this.reentrant = reentrant;
  }

  // ---- java.util.concurrent.locks.Lock ---------------------------------------------------------

  /**
   * Waits for the lock, however long, and takes it; an interrupt meanwhile is kept for later, as
   * {@link Lock#lock()} requires.
   *
   * @throws IllegalStateException if this thread holds it already and it is not reentrant
   */
  @Override
  public void lock() {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          acquire(-1, false);
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
   * @throws IllegalStateException if this thread holds it already and it is not reentrant
   */
  @Override
  public void lockInterruptibly() throws InterruptedException {
    acquire(-1, true);
  }

  /** Takes the lock if it is free now; returns whether it did. */
  @Override
  public boolean tryLock() {
    try {
      return acquire(0, false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("cannot be: a request that does not wait was cancelled", e);
    }
  }

  /**
   * Waits at most {@code time} for the lock; returns whether it took it.
   *
   * @throws InterruptedException if interrupted while waiting; the lock was not taken
   * @throws IllegalStateException if this thread holds it already and it is not reentrant
   */
  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    return acquire(Math.max(0, unit.toNanos(time)), true);
  }

  /**
   * Gives back one hold of the lock.
   *
   * @throws IllegalMonitorStateException if this thread does not hold it
   */
  @Override
  public void unlock() {
    long[] h = holds();
    if (h[0] == 0) {
      throw new IllegalMonitorStateException(
          "cannot unlock a lock this thread does not hold" + (isLocked() ? "" : " (it is free)"));
    }
    if (--h[0] > 0) {
      return;
    }
    giveBack(h);
  }

  /** Gives the lock back, which this thread held with {@code h} holds, now 0. */
  private void giveBack(long[] h) {
    h[1] = 0;
    boolean signalled = h[2] == 1;
    h[2] = 0;
    long me = thread();
    LockWords.Word w = word();
    // After a condition's signal sent to the hub, which did not wait for it, the lock goes back
    // through the hub too: behind the signal on the same connection, so that the hub handles the
    // signal while this thread still holds the lock, and wakes the threads waiting when it was
    // sent.
    if (w == null || signalled || !w.compareAndSet(me, 0)) {
      callNow(SyncBackend.UNLOCK, me); // someone waits, or no word here: the hub hands it over
    }
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
   * @param timeout how long to wait at most; {@link Duration#ZERO} not to wait
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

  /**
   * Whether some thread of some process holds the lock.
   *
   * @return whether some thread of some process holds the lock
   */
  public boolean isLocked() {
    LockWords.Word w = word();
    return w == null
        ? callNow(SyncBackend.LOCK_STATE, 0).value() != 0
        : LockWords.holder(w.get()) != 0;
  }

  /**
   * Whether the calling thread holds the lock.
   *
   * @return whether the calling thread holds the lock
   */
  public boolean isHeldByCurrentThread() {
    return holds()[0] > 0;
  }

  /**
   * Whether the calling thread's current hold of the lock began when the process that held it
   * before died holding it: what the lock guards may have been left half-updated, and the holder
   * should check it (or repair it) before going on.
   *
   * @return whether the previous holder died holding the lock
   */
  public boolean ownerDied() {
    long[] h = holds();
    return h[0] > 0 && h[1] == 1;
  }

  /** How many holds the calling thread has: 0 if it does not hold the lock. */
  long holdCount() {
    return holds()[0];
  }

  // ---- the way to take it ---------------------------------------------------------------------

  /**
   * Takes the lock, waiting at most {@code nanos} (negative: however long; 0: not at all); if
   * {@code interruptible}, an interrupt before or while it waits throws, as {@link
   * Lock#lockInterruptibly()} requires.
   *
   * @return whether it took it
   */
  private boolean acquire(long nanos, boolean interruptible) throws InterruptedException {
    if (interruptible && Thread.interrupted()) {
      throw new InterruptedException();
    }
    long[] h = holds();
    if (h[0] > 0) {
      if (reentrant) {
        h[0]++;
        return true;
      }
      if (nanos == 0) {
        return false;
      }
      throw new IllegalStateException(
          "this thread holds this ProcessLock already, and it is not reentrant: waiting for it"
              + " would never end. Unlock it first, or use a ProcessReentrantLock");
    }
    long me = thread();
    LockWords.Word w = word();
    if (w == null) { // a client over TCP: the hub does it all
      return took(
          h, nanos == 0 ? callNow(SyncBackend.LOCK_NOW, me) : call(SyncBackend.LOCK, me, nanos));
    }
    // Free: one compare-and-set. Held: look again a little (critical sections are often short),
    // unless this is tryLock(). Freed by a holder that died: only the hub hands it over.
    for (int i = 0; i < (nanos == 0 ? 1 : SPINS); i++) {
      if (interruptible && Thread.interrupted()) {
        throw new InterruptedException();
      }
      if (w.get() == 0 && w.compareAndSet(0, me)) {
        h[0] = 1;
        h[1] = 0;
        return true;
      }
      Thread.onSpinWait();
    }
    if (nanos == 0 && w.get() != LockWords.OWNER_DIED) {
      return false;
    }
    return took(
        h, nanos == 0 ? callNow(SyncBackend.LOCK_NOW, me) : call(SyncBackend.LOCK, me, nanos));
  }

  private static boolean took(long[] h, SyncBackend.Reply r) {
    if (r.op() != SyncBackend.OK) {
      return false; // EMPTY (held now) or CANCELLED (timed out)
    }
    h[0] = 1;
    h[1] = r.value();
    return true;
  }

  /**
   * Gives back every hold for a condition's wait, which the hub hands over; returns the holds.
   *
   * @throws IllegalMonitorStateException if this thread does not hold the lock
   */
  long releaseForAwait(String verb) {
    long[] h = holds();
    if (h[0] == 0) {
      throw new IllegalMonitorStateException("cannot " + verb + " without holding its lock");
    }
    long had = h[0];
    h[0] = 0;
    h[2] = 0; // the await goes through the hub, behind any signal
    return had;
  }

  /**
   * Gives back every hold for a condition's wait in its words ({@code ConditionWords}), which the
   * waiter takes back itself ({@link #takeBackAfterAwait}); returns the holds. The caller checked
   * that this thread holds the lock.
   */
  long giveBackForAwait() {
    long[] h = holds();
    long had = h[0];
    h[0] = 0;
    giveBack(h);
    return had;
  }

  /**
   * Takes the lock back after a condition's wait in its words, however long that takes (an
   * interrupt meanwhile stays set), with {@code had} holds.
   */
  void takeBackAfterAwait(long had) {
    lock();
    holds()[0] = had;
  }

  /** The lock is this thread's again after a condition's wait, with {@code had} holds. */
  void heldAgain(long had, boolean ownerDied) {
    long[] h = holds();
    h[0] = had;
    h[1] = ownerDied ? 1 : 0;
    h[2] = 0;
  }

  /**
   * Notes that the calling thread, which holds the lock, sent a condition's signal without waiting
   * for the hub: its unlock then goes through the hub.
   */
  void signalledWhileHeld() {
    holds()[2] = 1;
  }

  /** Checks that the calling thread holds the lock. */
  void checkHeld(String verb) {
    if (holds()[0] == 0) {
      throw new IllegalMonitorStateException("cannot " + verb + " without holding its lock");
    }
  }

  /**
   * Per lock (its hub and id) and thread of this process: the thread's holds, whether its hold
   * began when the previous holder died, and whether it sent a condition's signal during the hold.
   * Kept per lock, not per handle, since a process may hold several copies of one lock's handle
   * (each argument that carries it is one).
   */
  private static final java.util.Map<String, ThreadLocal<long[]>> HOLDS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private long[] holds() {
    ThreadLocal<long[]> t = holdsPerThread;
    if (t == null) {
      String key = hub.socket() + "#" + id;
      t = HOLDS.get(key);
      if (t == null) {
        ThreadLocal<long[]> made = new Holds();
        t = HOLDS.putIfAbsent(key, made);
        t = t == null ? made : t;
      }
      holdsPerThread = t;
    }
    return t.get();
  }

  /**
   * One lock's holds, per thread: a class, not {@code ThreadLocal.withInitial} of a lambda, since a
   * cold JVM links each lambda at its first use (a child's first {@code lock()}).
   */
  private static final class Holds extends ThreadLocal<long[]> {
    @Override
    protected long[] initialValue() {
      return new long[3];
    }
  }
}
