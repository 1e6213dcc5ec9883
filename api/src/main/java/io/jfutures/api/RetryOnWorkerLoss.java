package io.jfutures.api;

import java.util.Objects;

/**
 * A task marked safe to run again when the worker running it is lost: a killed child JVM, a cluster
 * member that left. An executor that replaces lost workers runs it again on another worker, up to
 * {@link #times()} times, instead of failing it with {@link WorkerDiedException}; after that, it
 * fails as any task does.
 *
 * <pre>{@code
 * executor.submit(RetryOnWorkerLoss.upTo(2, () -> thumbnail(photo)));   // a pure function
 * }</pre>
 *
 * <p>A task whose worker is lost may have run in part or in full: mark only tasks whose effects are
 * harmless to repeat (a pure function, an idempotent write). To declare every task of an executor
 * safe, its builder may have a setting of its own ({@code
 * BackendExecutor.Builder.retryOnWorkerLoss}).
 *
 * <p>Which executors honour the mark: {@code BackendExecutor} with {@code
 * WorkerDeathPolicy.REPLACE_WORKER}, over any backend (a cluster's members, or child JVMs with
 * {@code LocalProcessBackend}). An executor that would only break or fail the task refuses a marked
 * task at {@code submit} with a message that says so ({@code ProcessPoolExecutor}, and a {@code
 * BackendExecutor} under {@code BREAK_POOL}), rather than ignore the mark. A thread pool runs it as
 * any task: its workers are never lost.
 *
 * @param <V> the task's result type
 */
public final class RetryOnWorkerLoss<V> implements SerializableCallable<V> {
  private static final long serialVersionUID = 1L;

  private final int times;
  private final SerializableCallable<V> task;

  private RetryOnWorkerLoss(int times, SerializableCallable<V> task) {
    this.times = times;
    this.task = task;
  }

  /**
   * Marks {@code task} safe to run again, up to {@code times} more times, when its worker is lost.
   *
   * @param <V> the task's result type
   * @param times how many times it may run again, at least 1
   * @param task the task
   * @return the marked task, to submit in its place
   * @throws IllegalArgumentException if {@code times} is less than 1
   */
  public static <V> RetryOnWorkerLoss<V> upTo(int times, SerializableCallable<V> task) {
    if (times < 1) {
      throw new IllegalArgumentException(
          "a task marked to run again on worker loss may run again at least once, not " + times);
    }
    return new RetryOnWorkerLoss<>(times, Objects.requireNonNull(task, "task"));
  }

  /**
   * Returns how many more times the task may run when its worker is lost.
   *
   * @return at least 1
   */
  public int times() {
    return times;
  }

  /**
   * Returns the task that was marked.
   *
   * @return the task
   */
  public SerializableCallable<V> task() {
    return task;
  }

  @Override
  public V call() throws Exception {
    return task.call();
  }

  @Override
  public String toString() {
    return task + " (may run again " + times + " time(s) if its worker is lost)";
  }
}
