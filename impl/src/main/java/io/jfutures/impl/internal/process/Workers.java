package io.jfutures.impl.internal.process;

import io.jfutures.spi.WorkerHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A pool's workers and their lifecycle: which workers there are, when one is started, and what a
 * worker's own reports (launched, ready, retiring) change. {@link ProcessPool} keeps the verdicts
 * that reach beyond one worker: breaking the pool when a worker cannot launch or its initializer
 * fails, and what becomes of a dead worker's tasks.
 *
 * <pre>
 * A worker, as its lifecycle goes (field state of PoolWorker):
 *   STARTING  added, and its sender thread started, by maybeStart: while more tasks wait than idle
 *             workers can take, and fewer than maxWorkers accept work. A thread that cannot start
 *             takes its worker back out, and no more are tried then. Once launched, it is killed
 *             at once if the pool no longer wants it (onLaunched)
 *   READY     its initializer ran (onReady): the clocks of its timed tasks in flight start now
 *   RETIRING  sent its maxTasksPerChild (onSent), or said it retires (onRetiring, selfRetired):
 *             its replacement is started at once, while it runs its last tasks
 *   DEAD      its launch failed or its channel closed (gone): out of the list; terminal
 * </pre>
 *
 * Invariants: guarded by the pool's lock, which every method is called holding but {@link
 * #onLaunched}, {@link #onReady} and {@link #onRetiring}, which take it themselves; no state of its
 * own but the list. No worker is started while the pool is broken, being killed ({@code
 * shutdownNow}) or terminated. Nothing here completes a future or does I/O; {@link #killAll} only
 * marks the workers and hands back the handles, which the pool kills outside the lock. What the
 * pool is, {@link Pool} says.
 */
final class Workers {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  /** What the lifecycle asks of the pool that owns it; called holding the pool's lock. */
  interface Pool {
    /** Whether the pool is broken: no worker is started any more. */
    boolean broken();

    /** Whether the pool kills its workers ({@code shutdownNow}): no worker is started any more. */
    boolean killing();

    /** Whether the pool has terminated. */
    boolean terminated();

    /** Makes a worker named {@code name}, not started yet; the pool counts as live from now. */
    PoolWorker newWorker(String name);

    /** Starts the clock of {@code task}, a timed task in flight on a worker that became ready. */
    void startClock(Task task);

    /** {@code worker} became ready: its initializer ran. */
    void workerReady(PoolWorker worker);

    /** {@code worker} retires, to be replaced, because {@code why}. */
    void workerRetiring(PoolWorker worker, String why);
  }

  private final ReentrantLock lock;
  private final TaskQueue queue;
  private final int maxWorkers;
  private final int maxTasksPerChild;
  private final Pool pool;

  /** The workers not yet gone, in the order they were started. Guarded by lock. */
  private final List<PoolWorker> workers = new ArrayList<>();

  /**
   * Starts workers for {@code queue}'s tasks, up to {@code maxWorkers} accepting work, and retires
   * each after {@code maxTasksPerChild} tasks (0 for no limit); both guarded by {@code lock}.
   */
  Workers(ReentrantLock lock, TaskQueue queue, int maxWorkers, int maxTasksPerChild, Pool pool) {
    this.lock = lock;
    this.queue = queue;
    this.maxWorkers = maxWorkers;
    this.maxTasksPerChild = maxTasksPerChild;
    this.pool = pool;
  }

  /** The workers not yet gone, for dispatch and the pool, which read it holding lock. */
  List<PoolWorker> list() {
    return workers;
  }

  /**
   * Starts workers while more tasks wait than idle workers can take. Returns null, or the error
   * with which a worker's thread failed to start (no native thread to be had): that worker is
   * forgotten, and no more are tried now. Holds lock.
   */
  Throwable maybeStart() {
    if (pool.broken() || pool.terminated() || pool.killing()) {
      return null;
    }
    int idle = 0;
    int accepting = 0;
    for (PoolWorker w : workers) {
      if (w.acceptsWork()) {
        accepting++;
        if (w.inFlight.isEmpty()) {
          idle++;
        }
      }
    }
    while (queue.waiting() > idle && accepting < maxWorkers) {
      Throwable notStarted = start();
      if (notStarted != null) {
        return notStarted;
      }
      idle++;
      accepting++;
    }
    return null;
  }

  /**
   * Starts one worker, whatever waits; returns null, or the error that kept its thread from
   * starting, in which case the worker is forgotten. Holds lock.
   */
  Throwable start() {
    PoolWorker worker = pool.newWorker("jfutures-worker-" + COUNTER.incrementAndGet());
    workers.add(worker);
    try {
      worker.start();
      return null;
    } catch (Throwable e) { // OutOfMemoryError: unable to create native thread
      workers.remove(worker);
      return e;
    }
  }

  /**
   * Counts the workers: {starting, busy, idle}. A starting worker is launched but not yet ready; a
   * busy one has tasks in flight or is retiring. Holds lock.
   */
  int[] counts() {
    int[] c = new int[3];
    for (PoolWorker w : workers) {
      if (w.state == PoolWorker.State.STARTING) {
        c[0]++;
      } else if (!w.inFlight.isEmpty() || w.state == PoolWorker.State.RETIRING) {
        c[1]++;
      } else {
        c[2]++;
      }
    }
    return c;
  }

  /** Whether no worker is starting or ready to take tasks. Holds lock. */
  boolean noneAcceptsWork() {
    for (PoolWorker w : workers) {
      if (w.acceptsWork()) {
        return false;
      }
    }
    return true;
  }

  /**
   * A worker's launch succeeded; returns false if the pool no longer wants it (it broke, or kills
   * its workers, while the worker started): its sender then kills it.
   */
  boolean onLaunched() {
    lock.lock();
    try {
      return !pool.broken() && !pool.killing();
    } finally {
      lock.unlock();
    }
  }

  /** {@code worker}'s initializer ran: it is ready, and the clocks of its timed tasks start. */
  void onReady(PoolWorker worker) {
    lock.lock();
    try {
      if (worker.state == PoolWorker.State.STARTING) {
        worker.state = PoolWorker.State.READY;
      }
      if (!worker.ready) {
        worker.ready = true;
        pool.workerReady(worker);
        for (Task task : worker.inFlight) {
          if (task.timeoutNanos > 0) {
            pool.startClock(task);
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@code worker} said it retires (heap limit, OutOfMemoryError): its exit is expected, and its
   * replacement starts now. If the replacement's thread cannot start, {@code onWorkerGone} tries
   * again once this worker has retired.
   */
  void onRetiring(PoolWorker worker) {
    lock.lock();
    try {
      worker.selfRetired = true;
      if (worker.state != PoolWorker.State.DEAD) {
        worker.state = PoolWorker.State.RETIRING;
        pool.workerRetiring(worker, "it said so (its heap limit, or an OutOfMemoryError)");
      }
      maybeStart();
    } finally {
      lock.unlock();
    }
  }

  /**
   * A task was just put in flight on {@code worker}: retires the worker once it has been sent its
   * {@code maxTasksPerChild}, and starts its replacement now, while it runs its last tasks. If the
   * replacement's thread cannot start, {@code onWorkerGone} tries again once this worker has
   * retired. Holds lock.
   */
  void onSent(PoolWorker worker) {
    if (maxTasksPerChild > 0 && worker.sent >= maxTasksPerChild) {
      worker.state = PoolWorker.State.RETIRING;
      pool.workerRetiring(worker, "sent its maxTasksPerChild (" + maxTasksPerChild + ")");
      maybeStart();
    }
  }

  /**
   * {@code worker} is gone (its launch failed, or its channel closed): dead, out of the list, and
   * its sender woken to end. Holds lock.
   */
  void gone(PoolWorker worker) {
    worker.state = PoolWorker.State.DEAD;
    workers.remove(worker);
    worker.wake.signal();
  }

  /**
   * Marks every worker killed and wakes its sender to end; returns the handles to kill, those of
   * the workers launched but {@code spared} (null for none). Holds lock.
   */
  List<WorkerHandle> killAll(PoolWorker spared) {
    List<WorkerHandle> toKill = new ArrayList<>();
    for (PoolWorker w : workers) {
      w.killed = true;
      w.wake.signal();
      if (w != spared && w.handle != null) {
        toKill.add(w.handle);
      }
    }
    return toKill;
  }
}
