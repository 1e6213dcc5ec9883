package io.jfutures.api;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Stream;

/**
 * An {@link ExecutorService} with the verbs of Python's {@code concurrent.futures.Executor}: {@code
 * submit} returns a {@link CompletableFuture}, {@link #map} yields results lazily and in input
 * order, and {@link #shutdown(boolean, boolean)} can cancel what has not started.
 *
 * <p>Every future an executor returns completes: with the task's result, with the task's exception
 * (as the cause of {@link java.util.concurrent.ExecutionException} from {@code get()}), with a
 * {@link java.util.concurrent.CancellationException}, or with a {@link BrokenExecutorException}
 * when the executor can no longer run it.
 *
 * <p><b>Cancellation.</b> {@code cancel(false)} on a returned future succeeds only while its task
 * has not started, and a task cancelled that way never runs. A future whose task is running is not
 * cancelled by {@code cancel(false)}, which returns {@code false}. Completing a returned future by
 * hand (for example with {@code complete}) does not disturb the executor: a task whose future is
 * already complete is not run, and a task's outcome that arrives after the future was completed is
 * dropped.
 *
 * <p><b>Memory effects.</b> Actions in a thread before submitting a task happen-before the task
 * runs (in a child JVM: before its serialized form is taken); the task's completion happens-before
 * the return from {@code get()} or {@code join()} on its future.
 *
 * <p>With a pool from {@code jfutures-impl} (a {@code ProcessPoolExecutor} runs the same code in
 * child JVMs):
 *
 * <pre>{@code
 * try (Executor pool = ThreadPoolExecutor.newBuilder().maxWorkers(4).build()) {
 *   CompletableFuture<Integer> answer = pool.submit(() -> 6 * 7);   // a serializable lambda
 *   try (Stream<Integer> squares = pool.map((Integer x) -> x * x, List.of(1, 2, 3))) {
 *     squares.forEach(System.out::println);                        // 1, 4, 9: in input order
 *   }
 *   System.out.println(answer.join());                             // 42
 * }                                                                // waits for the tasks
 * }</pre>
 *
 * <p>Implementations are thread-safe.
 */
public interface Executor extends ExecutorService, AutoCloseable {

  /**
   * Submits a value-returning task.
   *
   * @throws RejectedExecutionException if the executor is shut down or broken; the message says
   *     which
   * @throws NullPointerException if {@code task} is null
   */
  @Override
  <T> CompletableFuture<T> submit(Callable<T> task);

  /**
   * Submits a value-returning task written as a lambda; the lambda is serializable, so the same
   * code runs on a thread pool and a process pool.
   *
   * @param <T> the type of the task's result
   * @param task the task to run
   * @return a future that completes with the task's result or exception
   */
  default <T> CompletableFuture<T> submit(SerializableCallable<T> task) {
    return submit((Callable<T>) task);
  }

  /**
   * Submits a task; its future completes with {@code null} when the task has run.
   *
   * <p>A process pool refuses a task that cannot be serialized with a {@link
   * RejectedExecutionException}, at this call: a plain {@code Runnable} variable is not
   * serializable. Write the lambda in the call ({@code pool.submit(() -> ...)} picks {@link
   * #submit(SerializableRunnable)}), or type it as {@link SerializableRunnable}.
   *
   * @throws RejectedExecutionException if the executor is shut down or broken, or (a process pool)
   *     if the task cannot be serialized
   */
  @Override
  CompletableFuture<?> submit(Runnable task);

  /**
   * Submits a void task written as a lambda; the lambda is serializable, so the same code runs on a
   * thread pool and a process pool, and it may throw a checked exception, which becomes the
   * future's exception as a {@code Callable}'s would: {@code pool.submit(() -> Thread.sleep(100))}
   * compiles. Its future completes with {@code null} when the task has run.
   *
   * @param task the task to run
   * @return a future that completes with {@code null} when the task has run, or with its exception
   * @throws RejectedExecutionException as {@link #submit(Runnable)}
   */
  @SuppressWarnings("unchecked") // a Runnable's future completes with null, a Void
  default CompletableFuture<Void> submit(SerializableRunnable task) {
    return (CompletableFuture<Void>) submit((Runnable) task);
  }

  /**
   * Runs {@code command} some time in the future, as {@link java.util.concurrent.Executor#execute}:
   * what it throws goes to the uncaught-exception handler of the thread that ran it (in a thread
   * pool) or that received its outcome (in a process pool), as {@code
   * java.util.concurrent.ThreadPoolExecutor} does; it never vanishes. {@code CompletableFuture}'s
   * {@code supplyAsync}, {@code runAsync} and {@code *Async} stages call this method.
   *
   * <p>A process pool refuses, at this call, a command that cannot be serialized, with a {@link
   * RejectedExecutionException} that names its class: the wrappers that {@code CompletableFuture},
   * {@code ExecutorCompletionService} or Guava's {@code listeningDecorator} hand to {@code execute}
   * are not serializable. Use {@link Futures#supplyAsync} and {@link Futures#runAsync}, or {@link
   * #submit(SerializableCallable)}, which return a {@code CompletableFuture} of their own.
   *
   * @throws RejectedExecutionException if the executor is shut down or broken, or (a process pool)
   *     if the command cannot be serialized
   */
  @Override
  void execute(Runnable command);

  /**
   * As {@link #execute(Runnable)}, for a lambda written in the call: it is serializable, so it can
   * run in a process pool, and it may throw a checked exception, which goes to the
   * uncaught-exception handler as an unchecked one would.
   *
   * @param command the command to run
   */
  default void execute(SerializableRunnable command) {
    execute((Runnable) command);
  }

  /** Submits a task; its future completes with {@code result} when the task has run. */
  @Override
  <T> CompletableFuture<T> submit(Runnable task, T result);

  /**
   * Submits {@code fn.apply(arg)}, as Python's {@code submit(fn, arg)}. In a process pool, {@code
   * fn} and {@code arg} are serialized separately, so a failure names which one could not be.
   *
   * @param <T> the type of the argument
   * @param <R> the type of the result
   * @param fn the function to apply
   * @param arg the argument to pass to {@code fn}
   * @return a future that completes with {@code fn.apply(arg)}, or with its exception
   */
  <T, R> CompletableFuture<R> submit(SerializableFunction<? super T, ? extends R> fn, T arg);

  /**
   * Returns {@code fn} applied to each item, in input order, as {@link #map(SerializableFunction,
   * Iterable, int, Duration)} with a chunk size of 1 and no deadline.
   *
   * @param <T> the type of the items
   * @param <R> the type of the results
   * @param fn the function to apply to each item
   * @param items the items, read lazily
   * @return a lazy stream of the results, in input order
   */
  default <T, R> Stream<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<T> items) {
    return map(fn, items, 1, null);
  }

  /**
   * Returns {@code fn} applied to each item, in input order, lazily.
   *
   * <p>The input is read as results are consumed: at most a bounded number of chunks (a few per
   * worker) are in flight at a time, so an infinite input works. Items travel to workers in chunks
   * of {@code chunkSize}, one task per chunk. The first chunks are submitted before this method
   * returns.
   *
   * <p>The stream throws {@link CompletionException} with the task's exception as its cause at the
   * first failed item, and {@link UncheckedTimeoutException} when {@code timeout}, counted from
   * this call, passes before the next result is ready. On either, and when the stream is closed,
   * the chunks not yet started are cancelled. Close the stream (try-with-resources) when you stop
   * reading it early.
   *
   * <p>Being lazy, a map needs its executor until its input is all read: read the stream before
   * shutting the executor down (Python's map, which is eager, can be read after). If the executor
   * is shut down first, the results of the chunks already submitted are still yielded, then the
   * stream throws the {@link RejectedExecutionException} that refused the next chunk. An exception
   * from the input's own iterator comes the same way, after the results before it.
   *
   * @param <T> the type of the items
   * @param <R> the type of the results
   * @param fn the function to apply to each item
   * @param items the items, read lazily
   * @param chunkSize items per task, at least 1
   * @param timeout the deadline for the whole map, counted from this call, or {@code null} for none
   * @return a lazy stream of the results, in input order; close it when you stop reading early
   * @throws IllegalArgumentException if {@code chunkSize} is less than 1 or {@code timeout} is
   *     negative
   * @throws RejectedExecutionException if the executor is shut down or broken
   */
  <T, R> Stream<R> map(
      SerializableFunction<? super T, ? extends R> fn,
      Iterable<T> items,
      int chunkSize,
      Duration timeout);

  /**
   * As {@link #map(SerializableFunction, Iterable, int, Duration)}, but yields each chunk's results
   * as soon as the chunk completes, in completion order.
   *
   * @param <T> the type of the items
   * @param <R> the type of the results
   * @param fn the function to apply to each item
   * @param items the items, read lazily
   * @param chunkSize items per task, at least 1
   * @param timeout the deadline for the whole map, counted from this call, or {@code null} for none
   * @return a lazy stream of the results, in completion order; close it when you stop reading early
   * @throws IllegalArgumentException if {@code chunkSize} is less than 1 or {@code timeout} is
   *     negative
   * @throws RejectedExecutionException if the executor is shut down or broken
   */
  <T, R> Stream<R> mapUnordered(
      SerializableFunction<? super T, ? extends R> fn,
      Iterable<T> items,
      int chunkSize,
      Duration timeout);

  /**
   * Stops accepting tasks, as Python's {@code shutdown(wait, cancel_futures)}. Idempotent.
   *
   * <p>A thread that waits and is interrupted stops the running tasks, as {@link #shutdownNow()}
   * does, waits for them to end, and returns with its interrupt status set, as {@code
   * ExecutorService.close()} does since JDK 19.
   *
   * @param wait whether to return only once every task has finished and every worker has stopped
   * @param cancelFutures whether to cancel the tasks that have not started; running tasks finish
   */
  void shutdown(boolean wait, boolean cancelFutures);

  /** Stops accepting tasks and lets the submitted ones finish; does not wait. */
  @Override
  default void shutdown() {
    shutdown(false, false);
  }

  /**
   * Shuts down and waits for every submitted task to finish and every worker to stop, as {@code
   * shutdown(true, false)}: an interrupt while it waits stops the running tasks.
   */
  @Override
  default void close() {
    shutdown(true, false);
  }
}
