package io.jfutures.impl.internal.process;

import io.jfutures.api.TaskTimeoutException;
import io.jfutures.impl.internal.Threads;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The clocks of timed tasks, for every pool: one timer thread fires them, and a separate pool of
 * threads completes the futures of tasks that timed out, so that a callback that blocks never holds
 * up another pool's timeouts. {@link ProcessPool#onTimeout} gives the verdict, under its lock; this
 * class arms the timers, says whether an outcome may still be arriving, and words the failure.
 *
 * <pre>
 * A task's timer: NONE -> ARMED (arm: when it is sent to a ready worker, or when the worker it
 * was sent to becomes ready; or again for a grace period while its outcome may be arriving)
 * -> FIRED or CANCELLED (its future completed: ProcessPool.onTaskDone). Arming replaces and cancels
 * an earlier timer, so at most one is armed per task.
 * </pre>
 */
final class TaskTimers {
  /**
   * How long a worker's receiver must have been back at reading before a timed task of that worker
   * is judged: time enough to read an outcome that was already waiting.
   */
  static final long RECEIVER_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /**
   * How long the bytes of a frame that has begun to arrive may pause before a timed task of that
   * worker is judged anyway: a worker that stops mid-frame (frozen, say) must not hold off the
   * verdict for ever.
   */
  static final long ARRIVAL_STALL_NANOS = TimeUnit.SECONDS.toNanos(1);

  /**
   * Fires task timeouts for every pool, and {@link WorkerReceiver.Watch}'s looks; its work is tiny
   * (a kill, a look), so one thread serves all. The thread ends after a second with nothing
   * scheduled, so that a program that closed its pools leaves no thread of ours behind.
   */
  static final ScheduledExecutorService TIMER = Threads.newTimer("jfutures-task-timeouts");

  /**
   * Completes the futures of timed-out tasks, off {@link #TIMER}: callbacks run on the thread that
   * completes a future, and one that blocks (or closes its pool, which waits for the killed worker
   * to be gone) must not hold up the timeouts of every pool. Its threads end after a second idle.
   */
  private static final ExecutorService COMPLETER =
      new ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          1,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          Threads.daemons("jfutures-timed-out-task-completion"));

  private TaskTimers() {}

  /**
   * Sets {@code task}'s timer, in place of any earlier one, which is cancelled. {@link
   * ProcessPool#onTaskDone} cancels the timer of a task whose future completes, so that it does not
   * keep the task until its deadline; should the future complete while this runs, the check after
   * arming catches it. Called holding the pool's lock.
   */
  static void arm(Task task, Runnable verdict, long delayNanos) {
    ScheduledFuture<?> earlier = task.timer;
    ScheduledFuture<?> timer = TIMER.schedule(verdict, delayNanos, TimeUnit.NANOSECONDS);
    task.timer = timer;
    if (earlier != null) {
      earlier.cancel(false);
    }
    if (task.future.isDone()) {
      timer.cancel(false);
    }
  }

  /**
   * Whether the outcome at the head of {@code worker}'s queue may be on its way in: the receiver is
   * busy with an earlier frame, went back to reading only just now, or is in the middle of reading
   * a frame whose bytes keep coming.
   */
  static boolean outcomeMayBeArriving(PoolWorker worker) {
    long readingSince = worker.receiverReadingSince;
    if (readingSince == PoolWorker.RECEIVER_BUSY) {
      return true;
    }
    long now = System.nanoTime();
    long bytesAt = worker.receiverBytesAt;
    return now - readingSince < RECEIVER_GRACE_NANOS
        || (bytesAt - readingSince > 0 && now - bytesAt < ARRIVAL_STALL_NANOS);
  }

  /**
   * The failure of a task that ran past its timeout, or, if {@code beforeReady}, that never started
   * because its new worker's initializer overran the pool's start timeout and the task's own.
   */
  static TaskTimeoutException timedOut(
      Task task, PoolWorker worker, boolean beforeReady, Duration startTimeout) {
    Duration limit = Duration.ofNanos(task.timeoutNanos);
    String message =
        beforeReady
            ? task
                + " never started: the initializer of its new worker "
                + worker
                + " did not finish within the pool's start timeout ("
                + startTimeout
                + ") and the task's timeout ("
                + limit
                + "); the worker was killed and is replaced"
            : task
                + " ran longer than its timeout of "
                + limit
                + "; its worker "
                + worker
                + " was killed and is replaced";
    return new TaskTimeoutException(message, task.toString(), limit);
  }

  /** Runs {@code completion} on a completer thread, or here if no thread can be had. */
  static void complete(Runnable completion) {
    try {
      COMPLETER.execute(completion);
    } catch (RuntimeException | OutOfMemoryError noThread) {
      completion.run(); // better late timers than a lost future
    }
  }
}
