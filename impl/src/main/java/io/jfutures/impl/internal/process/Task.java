package io.jfutures.impl.internal.process;

import io.jfutures.impl.internal.TaskFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BiConsumer;

/**
 * A submitted task on its way through the pool: its future and its serialized form.
 *
 * <pre>
 * Where it is (guarded by the pool's lock):
 *   queued      in the pool's queue and counted as waiting (queued true); a task whose future is
 *               done (cancelled, or completed by hand) while queued stops being counted at once,
 *               and is dropped from the queue when a worker next takes from it
 *   in flight   sent to a worker (worker set), until its outcome is read or the worker is gone
 * </pre>
 *
 * When its future completes, however and wherever, {@link #accept} tells the pool, which lets go of
 * everything the task held: its count in the queue and its pending timer.
 */
final class Task implements BiConsumer<Object, Throwable> {
  final ProcessPool pool;
  final long id;
  final TaskFuture<Object> future;
  final Codec.Payload payload;

  /** The task's time limit in nanoseconds, or 0 for none. */
  final long timeoutNanos;

  /** When it was submitted, for its latency. */
  final long submittedNanos = System.nanoTime();

  /** The worker it was sent to; guarded by the pool's lock. */
  PoolWorker worker;

  /**
   * How many times it has been sent to a worker; guarded by the pool's lock. A task sent to a
   * worker that died before starting it is sent again, and a timer set for an earlier send must
   * then not judge it.
   */
  int sends;

  /** The original callable, kept until the task is sent, for {@code shutdownNow()}. */
  volatile Callable<?> call;

  /**
   * Whether it waits in the pool's queue and counts as waiting; written under the pool's lock, read
   * without it by {@link #accept} first.
   */
  volatile boolean queued;

  /** The timer that will judge its timeout, if one is set; written under the pool's lock. */
  volatile ScheduledFuture<?> timer;

  @SuppressWarnings("unchecked") // the pool completes it with the call's result
  Task(
      ProcessPool pool,
      long id,
      TaskFuture<?> future,
      Codec.Payload payload,
      long timeoutNanos,
      Callable<?> call) {
    this.pool = pool;
    this.id = id;
    this.future = (TaskFuture<Object>) future;
    this.payload = payload;
    this.timeoutNanos = timeoutNanos;
    this.call = call;
  }

  /** Its future completed: see {@link ProcessPool#onTaskDone}. */
  @Override
  public void accept(Object result, Throwable failure) {
    pool.onTaskDone(this);
  }

  @Override
  public String toString() {
    return future.description();
  }
}
