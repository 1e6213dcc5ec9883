package io.jfutures.multiprocessing;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The result of a {@link Pool}'s asynchronous call: Python's {@code AsyncResult}. It is ready once
 * the task has finished and its callback, if any, has run. {@link #toCompletableFuture()} gives the
 * same outcome to {@code CompletableFuture} code. Thread-safe.
 *
 * @param <T> the result's type
 */
public final class AsyncResult<T> {
  private final CompletableFuture<T> future;

  /**
   * Whether the calling thread is the one this result waits for (its pool's callback thread, as its
   * callback runs there); null if it waits for none.
   */
  private final BooleanSupplier onCallbackThread;

  AsyncResult(CompletableFuture<T> future, BooleanSupplier onCallbackThread) {
    this.future = future;
    this.onCallbackThread = onCallbackThread;
  }

  /**
   * Waits for the result and returns it.
   *
   * @return the result
   * @throws ExecutionException with the task's exception as its cause, if it failed
   * @throws java.util.concurrent.CancellationException if the pool was terminated first
   * @throws InterruptedException if interrupted while waiting
   * @throws IllegalStateException if called in a callback of its pool while it is not ready and has
   *     a callback: it would wait for itself
   */
  public T get() throws InterruptedException, ExecutionException {
    if (!future.isDone() && onCallbackThread != null && onCallbackThread.getAsBoolean()) {
      throw new IllegalStateException(
          "cannot wait for this result in a callback of its pool: it is ready once its own"
              + " callback has run, on the same thread, after this one returns. Wait from another"
              + " thread, or go on from toCompletableFuture()");
    }
    return future.get();
  }

  /**
   * Waits at most {@code timeout} for the result and returns it.
   *
   * @param timeout how long to wait at most
   * @return the result
   * @throws TimeoutException if it is not ready in time; the task goes on
   * @throws ExecutionException with the task's exception as its cause, if it failed
   * @throws java.util.concurrent.CancellationException if the pool was terminated first
   * @throws InterruptedException if interrupted while waiting
   */
  public T get(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
    return future.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
  }

  /**
   * Waits at most {@code timeout} for the result to be ready; returns whether it is. Python's
   * {@code wait(timeout)}.
   *
   * @param timeout how long to wait at most
   * @return whether the result is ready
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean waitFor(Duration timeout) throws InterruptedException {
    try {
      future.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | java.util.concurrent.CancellationException e) {
      return true;
    } catch (TimeoutException e) {
      return false;
    }
    return true;
  }

  /**
   * Whether the call has finished, however it finished.
   *
   * @return whether the call has finished
   */
  public boolean ready() {
    return future.isDone();
  }

  /**
   * Whether the call finished without an exception.
   *
   * @return whether the call finished without an exception
   * @throws IllegalStateException if it is not ready yet, as Python raises {@code ValueError}
   */
  public boolean successful() {
    if (!future.isDone()) {
      throw new IllegalStateException("the result is not ready yet: wait for it first");
    }
    return !future.isCompletedExceptionally();
  }

  /**
   * Returns a future of the same outcome. Completing it does not change this result, nor stop the
   * task.
   *
   * @return a new future of the same outcome
   */
  public CompletableFuture<T> toCompletableFuture() {
    return future.copy();
  }

  @Override
  public String toString() {
    return "AsyncResult["
        + (future.isDone() ? (successful() ? "successful" : "failed") : "pending")
        + "]";
  }
}
