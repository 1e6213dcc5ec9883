package io.jfutures.impl.internal.process;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A pool's dispatch policy: which worker is handed which task, when a busy worker may be sent
 * another, and which sender is woken. A worker's sender asks it what to do next ({@link
 * #nextAction}); a submitting thread asks it for an idle worker to write a small task to itself
 * ({@link #workerToWriteTo}, {@link #writeDirectly}). {@link ProcessPool} says what its state
 * allows ({@link Pool}) and does what follows a send: the task's clock, the worker's retirement.
 *
 * <pre>
 * A worker, as dispatch sees it (fields of PoolWorker):
 *   IDLE      accepts work, nothing in flight: may be handed the next task
 *   BUSY      accepts work, tasks in flight: may be sent one more only if its mean run time is
 *             known and its tasks in flight are estimated to take under PREFETCH_BUDGET_NANOS in
 *             all, it has fewer than PREFETCH, neither its last task in flight nor the next one
 *             queued is timed (a timed task's clock runs from when it is sent), and no other
 *             started worker that accepts work has fewer in flight (a batch spreads evenly)
 *   RETIRING  is handed nothing; its sender sends STOP once it is idle
 *
 * Its write turn (callerWriting): SENDER -> CALLER (workerToWriteTo hands a waiting worker's turn to a
 *   submitting thread, with the task) -> SENDER (writeDirectly gives it back, and wakes the sender
 *   if it asked for it: senderWantsTurn). The sender neither writes nor flushes meanwhile.
 * Its sender's wait (waiting): set while the sender waits for work and nobody has woken it yet;
 *   a new task wakes one such sender, an idle worker's first, not all of them.
 * </pre>
 *
 * Invariants: guarded by the pool's lock, which every method but {@link #writeDirectly} and {@link
 * #failStrays} is called holding (nextAction takes it itself), and which writeDirectly takes only
 * around the hand-back of the turn; no I/O happens under it, and no future is completed under it. A
 * task taken from the queue is started ({@code future.start}) and put in its worker's in-flight
 * list in one step under the lock, so a worker's in-flight list is in the order its tasks are
 * written.
 */
final class Dispatch {
  /** The most tasks a worker may have in flight. */
  static final int PREFETCH = 32;

  /**
   * A busy worker is sent another task only while the tasks it already has are estimated (from its
   * mean run time) to take less than this: enough to hide the trip back for the next task, short
   * enough that a task never waits long behind another while a different worker frees up.
   */
  static final long PREFETCH_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  /**
   * The largest task a submitting thread writes to an idle worker itself: far below a socket's
   * buffer, so that the write never waits for the worker to read.
   */
  static final int DIRECT_WRITE_MAX_BYTES = 16 * 1024;

  /**
   * A submitting thread writes to a busy worker only while it has fewer tasks in flight than this:
   * at most this many times {@link #DIRECT_WRITE_MAX_BYTES} wait in its socket.
   */
  static final int DIRECT_PREFETCH = 4;

  enum Kind {
    SEND,
    FLUSH,
    STOP,
    EXIT
  }

  /** What a worker's sender does next: write {@code task}, flush, send STOP, or end. */
  record Action(Kind kind, Task task) {
    static final Action FLUSH = new Action(Kind.FLUSH, null);
    static final Action STOP = new Action(Kind.STOP, null);
    static final Action EXIT = new Action(Kind.EXIT, null);
  }

  /** What dispatch asks of the pool that owns it; called holding the pool's lock. */
  interface Pool {
    /** Whether the pool is broken: no task is sent any more, and every worker stops. */
    boolean broken();

    /** Whether the pool runs (is not shut down): if not, a worker stops once nothing waits. */
    boolean running();

    /** Stops {@code task}, sent to a worker, on {@code cancel(true)}; called without the lock. */
    boolean cancelRunning(Task task);

    /** {@code task} was just put in flight on {@code worker}. */
    void sent(PoolWorker worker, Task task);
  }

  private final ReentrantLock lock;
  private final List<PoolWorker> workers;
  private final TaskQueue queue;
  private final Pool pool;

  /**
   * Tasks found in the queue in a state they cannot be in (an internal error), to be failed once
   * the lock is released: see {@link #takeStrays}. Guarded by lock; empty but after a bug.
   */
  private final List<Task> strays = new ArrayList<>();

  /** Dispatches {@code queue}'s tasks to {@code workers}, both guarded by {@code lock}. */
  Dispatch(ReentrantLock lock, List<PoolWorker> workers, TaskQueue queue, Pool pool) {
    this.lock = lock;
    this.workers = workers;
    this.queue = queue;
    this.pool = pool;
  }

  /**
   * Returns what {@code worker}'s sender does next, waiting until there is something. Flushes are
   * asked for only when nothing else is to be sent at once.
   */
  Action nextAction(PoolWorker worker, boolean unflushed) {
    lock.lock();
    try {
      while (true) {
        if (worker.state == PoolWorker.State.DEAD || worker.killed) {
          return Action.EXIT;
        }
        if (worker.callerWriting) {
          worker.senderWantsTurn = true;
          worker.wake.awaitUninterruptibly();
          continue;
        }
        Task task = takeFor(worker);
        List<Task> found = takeStrays();
        if (!found.isEmpty()) {
          // Failed outside the lock, where their callbacks may run; the task taken, if any, is in
          // flight already, and is sent whatever changed meanwhile.
          lock.unlock();
          try {
            failStrays(found);
          } finally {
            lock.lock();
          }
        }
        if (task != null) {
          return new Action(Kind.SEND, task);
        }
        if (worker.inFlight.isEmpty() && mustStop(worker)) {
          worker.stopSent = true;
          worker.state = PoolWorker.State.RETIRING;
          return Action.STOP;
        }
        if (unflushed) {
          return Action.FLUSH;
        }
        worker.waiting = true;
        worker.wake.awaitUninterruptibly();
        worker.waiting = false;
      }
    } finally {
      lock.unlock();
    }
  }

  private boolean mustStop(PoolWorker worker) {
    return worker.state == PoolWorker.State.RETIRING
        || pool.broken()
        || (!pool.running() && queue.waiting() == 0);
  }

  /** Hands {@code worker} its next task if it may take one. Holds lock. */
  private Task takeFor(PoolWorker worker) {
    if (worker.state == PoolWorker.State.RETIRING || pool.broken() || queue.waiting() == 0) {
      return null;
    }
    if (!worker.inFlight.isEmpty()) {
      // A timed task's clock runs from when it is sent, so it never waits behind another.
      boolean shortTasks =
          worker.meanRunNanos >= 0
              && worker.meanRunNanos * worker.inFlight.size() < PREFETCH_BUDGET_NANOS;
      if (!shortTasks
          || worker.inFlight.size() >= PREFETCH
          || worker.inFlight.peekLast().timeoutNanos > 0
          || queue.peek().timeoutNanos > 0
          || worker.inFlight.size() > fewestInFlightElsewhere(worker)) {
        return null;
      }
    }
    Task task;
    while ((task = queue.poll()) != null) {
      Task t = task;
      if (task.future.start(f -> pool.cancelRunning(t))) {
        break;
      }
      // Cancelled (maybe still completing, on the cancelling thread) or completed by hand while
      // queued: never sent. Anything else would be a bug, and must not lose the task silently.
      if (!task.future.isCancelledOrDone()) {
        strays.add(task);
      }
    }
    if (task == null) {
      return null;
    }
    task.worker = worker;
    task.sends++;
    task.call = null;
    worker.inFlight.add(task);
    worker.sent++;
    pool.sent(worker, task);
    wakeOneWithFewerInFlight(worker);
    return task;
  }

  /**
   * Returns the tasks {@link #takeFor} found in a state they cannot be in, and forgets them: the
   * caller fails them with {@link #failStrays} once it has released the lock. Holds lock.
   */
  List<Task> takeStrays() {
    if (strays.isEmpty()) {
      return List.of();
    }
    List<Task> found = List.copyOf(strays);
    strays.clear();
    return found;
  }

  /**
   * Fails tasks found in a state they cannot be in (an internal error), so that none is lost
   * silently. Called without the lock: their callbacks run here.
   */
  static void failStrays(List<Task> found) {
    for (Task task : found) {
      task.future.completeExceptionally(
          new IllegalStateException("internal error: " + task + " found in an unexpected state"));
    }
  }

  /**
   * If {@code task}, alone in the queue and small, can go to a worker whose sender waits, hands it
   * to that worker and the write turn to the calling thread, and returns the worker: the caller
   * then writes it itself ({@link #writeDirectly}), and the task does not wait for the sender to be
   * woken. An idle worker is chosen first; else a busy one that {@link #takeFor}'s prefetch rule
   * lets take it, with fewer than {@link #DIRECT_PREFETCH} tasks in flight, so that what waits in
   * its socket stays far below the socket's buffer and the write never waits for the worker. A
   * wake-up is tens of microseconds on a busy machine, a third of a round trip; and while every
   * core runs a worker's task, a woken sender waits for a core for up to milliseconds (W5's batches
   * of four 0.5 ms tasks went out one at a time, each as the last one's result came back). A task
   * met in a state it cannot be in is left for {@link #takeStrays}. Holds lock.
   */
  PoolWorker workerToWriteTo(Task task) {
    if (queue.waiting() != 1
        || task.payload.size() + task.payload.blobBytes() > DIRECT_WRITE_MAX_BYTES
        || Thread.currentThread().isInterrupted()) {
      return null; // an interrupted thread's write would close the worker's channel
    }
    PoolWorker busy = null;
    for (PoolWorker w : workers) {
      if (w.state == PoolWorker.State.READY && w.waiting && !w.callerWriting && !w.killed) {
        if (w.inFlight.isEmpty()) {
          return handOver(w, task);
        }
        if (w.inFlight.size() < DIRECT_PREFETCH
            && (busy == null || w.inFlight.size() < busy.inFlight.size())) {
          busy = w;
        }
      }
    }
    return busy == null ? null : handOver(busy, task);
  }

  /** Gives {@code task} to {@code w} if dispatch lets it, and the write turn to the caller. */
  private PoolWorker handOver(PoolWorker w, Task task) {
    if (takeFor(w) != task) {
      return null; // cancelled while queued (never sent), or not for this worker yet
    }
    w.callerWriting = true;
    return w;
  }

  /**
   * Writes {@code task} to {@code worker} on the submitting thread, which holds the write turn,
   * then gives the turn back. The worker is idle, and the task small enough for the socket's
   * buffer, so the write does not wait for the worker. A failed write is a worker gone or going, as
   * for the sender: the receiver sees the channel close and reports it. But if the submitting
   * thread was interrupted during the write, the channel closed because of that: the task, which
   * may have reached the worker, is cancelled as {@code cancel(true)} would, and the worker
   * replaced. Called without the lock.
   */
  void writeDirectly(PoolWorker worker, Task task) {
    boolean written = false;
    boolean interrupted = false;
    try {
      worker.writer.write(Frames.TASK, task.id, 0, task.payload);
      worker.writer.flush();
      written = true;
    } catch (ClosedByInterruptException | InterruptedIOException e) {
      interrupted = true; // a socket or NIO pipe closes; another stream may be left half-written
    } catch (IOException e) {
      // handled below
    } finally {
      lock.lock();
      try {
        worker.callerWriting = false;
        if (worker.senderWantsTurn) {
          worker.senderWantsTurn = false;
          worker.wake.signal();
        }
      } finally {
        lock.unlock();
      }
    }
    if (interrupted) {
      task.future.cancel(true);
    } else if (!written) {
      worker.handle.kill(); // set before the worker was ready
    }
  }

  /**
   * Wakes one waiting sender for a new task, an idle worker's first: waking every sender on every
   * submit cost a system call each. Holds lock.
   */
  void wakeOne() {
    PoolWorker chosen = null;
    for (PoolWorker w : workers) {
      if (w.waiting && (chosen == null || (w.inFlight.isEmpty() && !chosen.inFlight.isEmpty()))) {
        chosen = w;
      }
    }
    if (chosen != null) {
      chosen.waiting = false; // the next submit wakes another
      chosen.wake.signal();
    }
  }

  /**
   * Wakes every sender: tasks were put back in the queue, which any worker may take, or the pool
   * shut down. Holds lock.
   */
  void wakeAll() {
    for (PoolWorker w : workers) {
      w.wake.signal();
    }
  }

  /**
   * After {@code worker}'s outcome was taken off it, wakes its sender if it has something to do:
   * take the next task, or stop. (A new task, a requeue and shutdown wake the others themselves.)
   * With nothing for it to do, it sleeps on: a wake-up per outcome cost a context switch per task.
   * Holds lock.
   */
  void wakeAfterOutcome(PoolWorker worker) {
    if (queue.waiting() > 0 || (worker.inFlight.isEmpty() && mustStop(worker))) {
      worker.wake.signal();
    }
  }

  /**
   * After {@code worker} took a task with more still queued, wakes a waiting sender whose worker
   * has fewer in flight: it may have waited only because {@code worker} had fewer still (the
   * balance rule of {@link #takeFor}), and no submit comes to wake it when the whole batch is
   * queued already. Holds lock.
   */
  private void wakeOneWithFewerInFlight(PoolWorker worker) {
    if (queue.waiting() == 0) {
      return;
    }
    for (PoolWorker w : workers) {
      if (w != worker && w.waiting && w.inFlight.size() < worker.inFlight.size()) {
        w.waiting = false;
        w.wake.signal();
        return;
      }
    }
  }

  /**
   * Returns the fewest tasks any other started worker that accepts work has in flight, or
   * Integer.MAX_VALUE if there is none: a worker takes an extra task only if no other has fewer, so
   * a batch of equal tasks spreads evenly. Holds lock.
   */
  private int fewestInFlightElsewhere(PoolWorker worker) {
    int fewest = Integer.MAX_VALUE;
    for (PoolWorker w : workers) {
      if (w != worker && w.acceptsWork() && w.handle != null) {
        fewest = Math.min(fewest, w.inFlight.size());
      }
    }
    return fewest;
  }
}
