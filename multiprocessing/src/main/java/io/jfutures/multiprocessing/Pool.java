package io.jfutures.multiprocessing;

import io.jfutures.api.SerializableBiFunction;
import io.jfutures.api.SerializableCallable;
import io.jfutures.api.SerializableFunction;
import io.jfutures.api.SerializableRunnable;
import io.jfutures.impl.ProcessPoolExecutor;
import io.jfutures.impl.WorkerDeathPolicy;
import io.jfutures.impl.internal.Calls;
import io.jfutures.impl.internal.Threads;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Python's classic {@code multiprocessing.Pool}: a facade over a {@link ProcessPoolExecutor} with
 * the verbs Python users know, and the executor's robustness. A worker that dies (SIGKILL, {@code
 * System.exit}, the OOM killer) fails only the task it was running, with its pid and exit code or
 * signal, and is replaced; a task that throws an {@code Error}, or returns what cannot be
 * serialized, fails only its own result; a callback that throws is reported on standard error (the
 * callback thread's uncaught-exception handler) and harms nothing else.
 *
 * <pre>{@code
 * try (Pool pool = Pool.create(4)) {
 *   AsyncResult<Integer> r = pool.applyAsync(() -> f(10), x -> System.out.println(x), null);
 *   System.out.println(pool.map(Main::square, List.of(1, 2, 3)));   // [1, 4, 9]
 *   pool.imapUnordered(Main::square, inputs, 100).forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Callbacks run on a thread of the pool's own, one at a time in completion order, as in Python;
 * a callback that blocks delays only the callbacks behind it (and the results they belong to),
 * never the reading of results, a timeout, or a result that has no callback. An {@link AsyncResult}
 * with a callback is ready once its callback has run. So a callback cannot wait for such a result
 * of its pool, nor close or join its pool (Python's would hang there): those calls throw {@code
 * IllegalStateException} in a callback.
 *
 * <pre>
 * States: RUNNING -> CLOSED (close() or terminate(): no new tasks) -> JOINED (join() returned)
 * </pre>
 *
 * Thread-safe.
 */
public final class Pool implements AutoCloseable {
  private static final AtomicInteger COUNT = new AtomicInteger();

  /** How long {@link #terminate()} lets workers run their shutdown hooks before SIGKILL. */
  public static final java.time.Duration TERMINATE_GRACE = java.time.Duration.ofSeconds(1);

  private final ProcessPoolExecutor executor;
  private final int processes;

  /** Runs callbacks, one at a time; its one thread ends after a second idle. */
  private final java.util.concurrent.ThreadPoolExecutor callbacks;

  /** The thread {@link #callbacks} made last: the one that runs them now, if any. */
  private volatile Thread callbackThread;

  /**
   * Results not yet ready (their task's outcome not yet in them, or their callback not yet run):
   * join() waits until none is left. A count, not a set of them, as a submit's cost is a few
   * microseconds.
   */
  private final AtomicLong unready = new AtomicLong();

  /** Notified when {@link #unready} falls to 0. */
  private final Object allReady = new Object();

  private volatile boolean closed;

  private Pool(Builder builder) {
    this.processes = builder.processes;
    ProcessPoolExecutor.Builder b =
        ProcessPoolExecutor.newBuilder()
            .maxWorkers(processes)
            .workerDeathPolicy(WorkerDeathPolicy.REPLACE_WORKER)
            .jvmOptions(builder.jvmOptions);
    if (builder.initializer != null) {
      b.initializer(builder.initializer);
    }
    if (builder.maxTasksPerChild > 0) {
      b.maxTasksPerChild(builder.maxTasksPerChild);
    }
    this.executor = b.build();
    this.callbacks =
        new java.util.concurrent.ThreadPoolExecutor(
            1,
            1,
            1,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            callbackThreads(
                Threads.daemons("jfutures-pool-" + COUNT.incrementAndGet() + "-callbacks")));
    callbacks.allowCoreThreadTimeOut(true);
  }

  /**
   * Returns a pool of {@code processes} worker JVMs: Python's {@code Pool(processes)}.
   *
   * @param processes the number of worker JVMs, at least 1
   * @return a new pool
   * @throws IllegalArgumentException if {@code processes} is less than 1
   */
  public static Pool create(int processes) {
    return newBuilder().processes(processes).build();
  }

  /**
   * Returns a pool of {@link JvmProcess#cpuCount()} worker JVMs: Python's {@code Pool()}.
   *
   * @return a new pool
   */
  public static Pool create() {
    return newBuilder().build();
  }

  /**
   * Returns a builder, for an initializer, {@code maxtasksperchild} or JVM options.
   *
   * @return a new builder
   */
  public static Builder newBuilder() {
    return new Builder();
  }

  // ---- apply ---------------------------------------------------------------------------------

  /**
   * Runs {@code task} in a worker and returns its result: Python's {@code apply}.
   *
   * @param <R> the type of the task's result
   * @param task the task to run
   * @return the task's result
   * @throws ExecutionException with the task's exception as its cause, if it failed
   * @throws InterruptedException if interrupted while waiting
   * @throws IllegalStateException if the pool is closed
   */
  public <R> R apply(SerializableCallable<R> task) throws InterruptedException, ExecutionException {
    return applyAsync(task).get();
  }

  /**
   * Runs {@code task} in a worker: Python's {@code apply_async}.
   *
   * @param <R> the type of the task's result
   * @param task the task to run
   * @return the task's result, once it is ready
   * @throws IllegalStateException if the pool is closed
   * @throws RejectedExecutionException if the task cannot be serialized (naming the class)
   */
  public <R> AsyncResult<R> applyAsync(SerializableCallable<R> task) {
    return applyAsync(task, null, null);
  }

  /**
   * Runs {@code task} in a worker: Python's {@code apply_async(f, args, callback, error_callback)};
   * the task's captured values are its arguments.
   *
   * @param <R> the type of the task's result
   * @param task the task to run
   * @param callback called with the result, or null
   * @param errorCallback called with the task's exception (a {@link
   *     java.util.concurrent.CancellationException} if the pool was terminated first), or null
   * @return the task's result, ready once its callback has run
   * @throws IllegalStateException if the pool is closed
   * @throws RejectedExecutionException if the task cannot be serialized (naming the class)
   */
  public <R> AsyncResult<R> applyAsync(
      SerializableCallable<R> task,
      Consumer<? super R> callback,
      Consumer<? super Throwable> errorCallback) {
    checkRunning();
    return deliver(executor.submit(task), callback, errorCallback);
  }

  /**
   * Runs {@code fn(arg)} in a worker: {@code apply_async(f, (arg,))}.
   *
   * @param <A> the type of the argument
   * @param <R> the type of the result
   * @param fn the function to run
   * @param arg the argument to pass to {@code fn}
   * @return the result of {@code fn(arg)}, once it is ready
   * @throws IllegalStateException if the pool is closed
   */
  public <A, R> AsyncResult<R> applyAsync(SerializableFunction<? super A, ? extends R> fn, A arg) {
    return applyAsync(fn, arg, null, null);
  }

  /**
   * Runs {@code fn(arg)} in a worker: {@code apply_async(f, (arg,), callback=..., error_callback=
   * ...)}.
   *
   * @param <A> the type of the argument
   * @param <R> the type of the result
   * @param fn the function to run
   * @param arg the argument to pass to {@code fn}
   * @param callback called with the result, or null
   * @param errorCallback called with the task's exception, or null
   * @return the result of {@code fn(arg)}, ready once its callback has run
   * @throws IllegalStateException if the pool is closed
   */
  public <A, R> AsyncResult<R> applyAsync(
      SerializableFunction<? super A, ? extends R> fn,
      A arg,
      Consumer<? super R> callback,
      Consumer<? super Throwable> errorCallback) {
    checkRunning();
    return deliver(executor.submit(fn, arg), callback, errorCallback);
  }

  // ---- map -----------------------------------------------------------------------------------

  /**
   * Returns {@code fn} applied to each item, in order: Python's {@code map}. Items travel in chunks
   * of Python's default size (the items over four times the processes, rounded up).
   *
   * @param <T> the type of the items
   * @param <R> the type of the results
   * @param fn the function to apply to each item
   * @param items the items, read at once
   * @return the results, in input order
   * @throws ExecutionException with the first failed item's exception as its cause
   * @throws InterruptedException if interrupted while waiting
   * @throws IllegalStateException if the pool is closed
   */
  public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<T> items)
      throws InterruptedException, ExecutionException {
    return this.<T, R>mapAsync(fn, items, 0, null, null).get();
  }

  /**
   * As {@link #map(SerializableFunction, Iterable)}, with {@code chunkSize} items per task.
   *
   * @param <T> the type of the items
   * @param <R> the type of the results
   * @param fn the function to apply to each item
   * @param items the items, read at once
   * @param chunkSize items per task, or 0 for Python's default
   * @return the results, in input order
   * @throws ExecutionException with the first failed item's exception as its cause
   * @throws InterruptedException if interrupted while waiting
   * @throws IllegalArgumentException if {@code chunkSize} is negative
   * @throws IllegalStateException if the pool is closed
   */
  public <T, R> List<R> map(
      SerializableFunction<? super T, ? extends R> fn, Iterable<T> items, int chunkSize)
      throws InterruptedException, ExecutionException {
    return this.<T, R>mapAsync(fn, items, chunkSize, null, null).get();
  }

  /**
   * Applies {@code fn} to each item: Python's {@code map_async}. The input is read now, and
   * submitted in chunks.
   *
   * @param <T> the type of the items
   * @param <R> the type of the results
   * @param fn the function to apply to each item
   * @param items the items, read at once
   * @param chunkSize items per task, or 0 for Python's default
   * @param callback called with the whole list, or null
   * @param errorCallback called with the first failed item's exception, or null
   * @return the list of results, in input order, ready once its callback has run
   * @throws IllegalArgumentException if {@code chunkSize} is negative
   * @throws IllegalStateException if the pool is closed
   */
  public <T, R> AsyncResult<List<R>> mapAsync(
      SerializableFunction<? super T, ? extends R> fn,
      Iterable<T> items,
      int chunkSize,
      Consumer<? super List<R>> callback,
      Consumer<? super Throwable> errorCallback) {
    List<T> all = new ArrayList<>(sizeHint(items));
    items.forEach(all::add);
    return chunked(
        all.size(),
        chunkSize,
        // The executor's own chunk task: items packed, a class the codec knows. A view needs no
        // copy: a task is serialized as it is submitted, and nothing changes this list.
        (from, to) -> Calls.chunk(fn, all.subList(from, to)),
        callback,
        errorCallback);
  }

  /**
   * Returns {@code fn} applied to each pair's key and value, in order: Python's {@code starmap}.
   *
   * @param <A> the type of the pairs' keys
   * @param <B> the type of the pairs' values
   * @param <R> the type of the results
   * @param fn the function to apply to each pair's key and value
   * @param pairs the pairs, read at once
   * @return the results, in input order
   * @throws ExecutionException with the first failed item's exception as its cause
   * @throws InterruptedException if interrupted while waiting
   * @throws IllegalStateException if the pool is closed
   */
  public <A, B, R> List<R> starmap(
      SerializableBiFunction<? super A, ? super B, ? extends R> fn,
      Iterable<? extends Map.Entry<A, B>> pairs)
      throws InterruptedException, ExecutionException {
    return this.<A, B, R>starmapAsync(fn, pairs, 0, null, null).get();
  }

  /**
   * Applies {@code fn} to each pair's key and value: Python's {@code starmap_async}. The pairs are
   * read now; only their keys and values travel, so any {@code Map.Entry} will do.
   *
   * @param <A> the type of the pairs' keys
   * @param <B> the type of the pairs' values
   * @param <R> the type of the results
   * @param fn the function to apply to each pair's key and value
   * @param pairs the pairs, read at once
   * @param chunkSize pairs per task, or 0 for Python's default
   * @param callback called with the whole list, or null
   * @param errorCallback called with the first failed pair's exception, or null
   * @return the list of results, in input order, ready once its callback has run
   * @throws IllegalArgumentException if {@code chunkSize} is negative
   * @throws IllegalStateException if the pool is closed
   */
  public <A, B, R> AsyncResult<List<R>> starmapAsync(
      SerializableBiFunction<? super A, ? super B, ? extends R> fn,
      Iterable<? extends Map.Entry<A, B>> pairs,
      int chunkSize,
      Consumer<? super List<R>> callback,
      Consumer<? super Throwable> errorCallback) {
    List<A> keys = new ArrayList<>(sizeHint(pairs));
    List<B> values = new ArrayList<>(sizeHint(pairs));
    pairs.forEach(
        pair -> {
          keys.add(pair.getKey());
          values.add(pair.getValue());
        });
    // A chunk's views need no copy: a task is serialized as it is submitted, before this returns,
    // and nothing changes these lists.
    return chunked(
        keys.size(),
        chunkSize,
        (from, to) ->
            Calls.<A, B, R>starChunk(fn, keys.subList(from, to), values.subList(from, to)),
        callback,
        errorCallback);
  }

  /** How many items {@code items} holds if it says so, for a list read from it: else a guess. */
  private static int sizeHint(Iterable<?> items) {
    return items instanceof Collection<?> c ? c.size() : 16;
  }

  /** Makes the task of the items from {@code from} to {@code to} (exclusive). */
  @FunctionalInterface
  private interface ChunkTask<R> {
    Callable<List<R>> of(int from, int to);
  }

  /**
   * Returns {@code fn} applied to each item, in order, lazily: Python's {@code imap}. The input is
   * read as results are consumed, with a bounded look-ahead (a few chunks per worker), so an
   * infinite input works. The stream throws {@link CompletionException} at the first failed item;
   * close it if you stop reading early.
   *
   * @param <T> the type of the items
   * @param <R> the type of the results
   * @param fn the function to apply to each item
   * @param items the items, read lazily
   * @param chunkSize items per task, at least 1
   * @return a lazy stream of the results, in input order
   * @throws IllegalArgumentException if {@code chunkSize} is less than 1
   * @throws IllegalStateException if the pool is closed
   */
  public <T, R> Stream<R> imap(
      SerializableFunction<? super T, ? extends R> fn, Iterable<T> items, int chunkSize) {
    checkRunning();
    return executor.map(fn, items, chunkSize, null);
  }

  /**
   * As {@link #imap}, but yields each chunk's results as soon as it completes: {@code
   * imap_unordered}.
   *
   * @param <T> the type of the items
   * @param <R> the type of the results
   * @param fn the function to apply to each item
   * @param items the items, read lazily
   * @param chunkSize items per task, at least 1
   * @return a lazy stream of the results, in completion order
   * @throws IllegalArgumentException if {@code chunkSize} is less than 1
   * @throws IllegalStateException if the pool is closed
   */
  public <T, R> Stream<R> imapUnordered(
      SerializableFunction<? super T, ? extends R> fn, Iterable<T> items, int chunkSize) {
    checkRunning();
    return executor.mapUnordered(fn, items, chunkSize, null);
  }

  /**
   * Submits {@code count} items' calls in chunks of {@code chunkSize} (0: Python's default), each
   * task made by {@code task}; returns their results in order.
   */
  private <R> AsyncResult<List<R>> chunked(
      int count,
      int chunkSize,
      ChunkTask<R> task,
      Consumer<? super List<R>> callback,
      Consumer<? super Throwable> errorCallback) {
    if (chunkSize < 0) {
      throw new IllegalArgumentException(
          "chunkSize must be 0 (Python's default) or more: " + chunkSize);
    }
    checkRunning();
    int size = chunkSize > 0 ? chunkSize : defaultChunkSize(count);
    List<CompletableFuture<List<R>>> chunks = new ArrayList<>();
    for (int from = 0; from < count; from += size) {
      chunks.add(executor.submit(task.of(from, Math.min(count, from + size))));
    }
    CompletableFuture<List<R>> all =
        CompletableFuture.allOf(chunks.toArray(new CompletableFuture<?>[0]))
            .thenApply(
                v -> {
                  List<R> out = new ArrayList<>(count);
                  chunks.forEach(c -> out.addAll(c.join()));
                  return out;
                });
    // On the first failure the rest need not run: Python's map_async fails at once too.
    all.whenComplete(
        (v, e) -> {
          if (e != null) {
            chunks.forEach(c -> c.cancel(false));
          }
        });
    return deliver(all, callback, errorCallback);
  }

  /** Python's default chunk size for {@code map}: the items over 4 × processes, rounded up. */
  private int defaultChunkSize(int items) {
    int per = 4 * processes;
    return Math.max(1, (items + per - 1) / per);
  }

  /**
   * Returns the result of {@code task}, ready once the callback for its outcome has run on the
   * callback thread.
   */
  private <R> AsyncResult<R> deliver(
      CompletableFuture<? extends R> task,
      Consumer<? super R> callback,
      Consumer<? super Throwable> errorCallback) {
    CompletableFuture<R> result = new CompletableFuture<>();
    unready.incrementAndGet();
    if (callback == null && errorCallback == null) {
      // Nothing to call: ready at once, not behind another result's slow callback.
      task.whenComplete(
          (value, error) -> {
            if (error == null) {
              result.complete(value);
            } else {
              result.completeExceptionally(
                  error instanceof CompletionException ? error.getCause() : error);
            }
            readied();
          });
      return new AsyncResult<>(result, null); // ready whatever a callback does
    }
    task.whenComplete(
        (value, error) -> {
          Runnable report =
              () -> {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                try {
                  if (cause == null) {
                    if (callback != null) {
                      callback.accept(value);
                    }
                  } else if (errorCallback != null) {
                    errorCallback.accept(cause);
                  }
                } catch (Throwable t) {
                  Thread self = Thread.currentThread();
                  self.getUncaughtExceptionHandler().uncaughtException(self, t);
                } finally {
                  if (cause == null) {
                    result.complete(value);
                  } else {
                    result.completeExceptionally(cause);
                  }
                  readied();
                }
              };
          try {
            callbacks.execute(report);
          } catch (RejectedExecutionException noThread) {
            report.run(); // no thread to be had: late callbacks beat lost results
          }
        });
    return new AsyncResult<>(result, this::onCallbackThread);
  }

  /** {@code threads}, each thread made remembered as the one that runs callbacks now. */
  private ThreadFactory callbackThreads(ThreadFactory threads) {
    return body -> {
      Thread made = threads.newThread(body);
      callbackThread = made;
      return made;
    };
  }

  /**
   * Whether this thread runs this pool's callbacks: one that waits for results would wait for
   * itself.
   */
  private boolean onCallbackThread() {
    return Thread.currentThread() == callbackThread;
  }

  /** Refuses a wait for every result in a callback, which would wait for its own result. */
  private void checkNotInCallback(String call) {
    if (onCallbackThread()) {
      throw new IllegalStateException(
          "cannot "
              + call
              + " in a callback of this pool: it waits for every result, this callback's own"
              + " too, which is ready once the callback returns. Call shutdown() here and join()"
              + " from another thread");
    }
  }

  /** A result is ready: join() returns once none is left. */
  private void readied() {
    if (unready.decrementAndGet() == 0) {
      synchronized (allReady) {
        allReady.notifyAll();
      }
    }
  }

  private void checkRunning() {
    if (closed) {
      throw new IllegalStateException("Pool not running: it was closed or terminated");
    }
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /**
   * Stops accepting tasks, then waits until every submitted task has finished, its callback has
   * run, and the workers have exited: Python's {@code close()} followed by {@code join()}.
   * Idempotent. Unlike Python's {@code with Pool() as p}, which terminates the workers when the
   * block ends, try-with-resources lets submitted work finish.
   *
   * <p>An interrupt while it waits stops the running tasks, as {@code ExecutorService.close()}
   * does, and it returns with the interrupt status set.
   *
   * @throws IllegalStateException in a callback of this pool, which would wait for itself (nothing
   *     is closed then)
   */
  @Override
  public void close() {
    checkNotInCallback("close the pool");
    closed = true;
    executor.close();
    boolean interrupted = false;
    while (true) {
      try {
        awaitOutstanding();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops accepting tasks; the workers exit once the submitted tasks are done. Does not wait: call
   * {@link #join()}. (This is {@link #close()} without the wait, for code written as Python's
   * {@code pool.close(); pool.join()}.)
   */
  public void shutdown() {
    closed = true;
    executor.shutdown();
  }

  /**
   * Stops the workers: Python's {@code terminate()}. The tasks that have not started complete as
   * cancelled; each worker gets SIGTERM (its shutdown hooks run, and the task it was running fails
   * with a {@link io.jfutures.api.WorkerDiedException} naming the signal), and one still running
   * after {@link #TERMINATE_GRACE} gets SIGKILL. Every result completes, and the error callbacks
   * run. Bounded: it returns within the grace period, whatever the tasks do.
   */
  public void terminate() {
    closed = true;
    executor.shutdown(false, true); // no new tasks, and the queued ones are cancelled
    List<CompletableFuture<ProcessHandle>> exits = new ArrayList<>();
    for (long pid : executor.workerPids()) {
      ProcessHandle.of(pid)
          .ifPresent(
              p -> {
                p.destroy();
                exits.add(p.onExit());
              });
    }
    try {
      CompletableFuture.allOf(exits.toArray(new CompletableFuture<?>[0]))
          .get(TERMINATE_GRACE.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      // the grace is over
    }
    executor.shutdownNow(); // SIGKILL whatever is left
  }

  /**
   * Waits until the workers have exited and every result is ready, with its callback run.
   *
   * @throws IllegalStateException if the pool was neither shut down nor terminated, as Python
   *     refuses to join a running pool, or in a callback of this pool, which would wait for itself
   * @throws InterruptedException if interrupted while waiting
   */
  public void join() throws InterruptedException {
    checkNotInCallback("join the pool");
    if (!closed) {
      throw new IllegalStateException(
          "cannot join a running pool: call shutdown() or terminate() first (or close(), which"
              + " joins)");
    }
    while (!executor.awaitTermination(1, TimeUnit.DAYS)) {
      // keep waiting
    }
    awaitOutstanding();
  }

  private void awaitOutstanding() throws InterruptedException {
    synchronized (allReady) {
      while (unready.get() != 0) {
        allReady.wait();
      }
    }
  }

  /**
   * Returns the number of worker JVMs.
   *
   * @return the number of worker JVMs
   */
  public int processes() {
    return processes;
  }

  @Override
  public String toString() {
    return "Pool[processes=" + processes + (closed ? ", closed]" : "]");
  }

  /** Configures a {@link Pool}. Defaults: {@link JvmProcess#cpuCount()} processes. */
  public static final class Builder {
    private int processes = JvmProcess.cpuCount();
    private SerializableRunnable initializer;
    private int maxTasksPerChild;
    private List<String> jvmOptions = List.of();

    private Builder() {}

    /**
     * Sets the number of worker JVMs.
     *
     * @param processes the number of worker JVMs, at least 1
     * @return this builder
     * @throws IllegalArgumentException if it is less than 1
     */
    public Builder processes(int processes) {
      if (processes < 1) {
        throw new IllegalArgumentException("processes must be at least 1: " + processes);
      }
      this.processes = processes;
      return this;
    }

    /**
     * Runs {@code initializer} in each worker before its first task: Python's initializer.
     *
     * @param initializer the task each worker runs before its first task
     * @return this builder
     */
    public Builder initializer(SerializableRunnable initializer) {
      this.initializer = java.util.Objects.requireNonNull(initializer, "initializer");
      return this;
    }

    /**
     * Replaces a worker after it ran this many tasks: Python's {@code maxtasksperchild}.
     *
     * @param tasks the tasks a worker runs before it is replaced, at least 1
     * @return this builder
     * @throws IllegalArgumentException if it is less than 1
     */
    public Builder maxTasksPerChild(int tasks) {
      if (tasks < 1) {
        throw new IllegalArgumentException("maxTasksPerChild must be at least 1: " + tasks);
      }
      this.maxTasksPerChild = tasks;
      return this;
    }

    /**
     * Sets the worker JVMs' options, as {@code "-Xmx256m"}.
     *
     * @param options the options, in order
     * @return this builder
     */
    public Builder jvmOptions(String... options) {
      this.jvmOptions = List.of(options);
      return this;
    }

    /**
     * Returns a new pool; its workers start as tasks arrive.
     *
     * @return a new pool
     */
    public Pool build() {
      return new Pool(this);
    }
  }
}
