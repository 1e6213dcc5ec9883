package io.jfutures.impl.internal.process;

import io.jfutures.impl.internal.TaskFuture;
import java.util.concurrent.Callable;

/** A submitted task on its way through the pool: its future and its serialized form. */
final class Task {
  final long id;
  final TaskFuture<Object> future;
  final Codec.Payload payload;

  /** The task's time limit in nanoseconds, or 0 for none. */
  final long timeoutNanos;

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

  @SuppressWarnings("unchecked") // the pool completes it with the call's result
  Task(long id, TaskFuture<?> future, Codec.Payload payload, long timeoutNanos, Callable<?> call) {
    this.id = id;
    this.future = (TaskFuture<Object>) future;
    this.payload = payload;
    this.timeoutNanos = timeoutNanos;
    this.call = call;
  }

  @Override
  public String toString() {
    return future.description();
  }
}
