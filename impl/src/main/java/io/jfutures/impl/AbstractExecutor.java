package io.jfutures.impl;

import io.jfutures.api.Executor;
import io.jfutures.api.SerializableFunction;
import io.jfutures.impl.internal.Calls;
import io.jfutures.impl.internal.MapIterator;
import io.jfutures.impl.internal.TaskFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Builds every submitting verb of {@link Executor} on one method, {@link #schedule(Callable)}, so
 * the two executors differ only in how they run a callable.
 */
abstract class AbstractExecutor implements Executor {

  /**
   * Queues {@code call} and returns its future. Implementations check their state and throw {@link
   * java.util.concurrent.RejectedExecutionException} if they cannot accept it.
   */
  abstract <T> TaskFuture<T> schedule(Callable<T> call);

  /** Returns how many tasks run at once at most; {@code map} keeps twice that many in flight. */
  abstract int parallelism();

  /**
   * Waits until this executor has terminated, as {@code ExecutorService.close()} of JDK 19 does: if
   * the waiting thread is interrupted, stops the running tasks with {@link #shutdownNow()}, once,
   * waits for them to end, and returns with the thread's interrupt status set. So an interrupt (a
   * test's timeout, say) ends the wait rather than being lost in it.
   */
  final void awaitTerminationStoppingOnInterrupt() {
    boolean interrupted = false;
    while (true) {
      try {
        if (awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS)) {
          break;
        }
      } catch (InterruptedException e) {
        if (!interrupted) {
          interrupted = true;
          shutdownNow();
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public <T> CompletableFuture<T> submit(Callable<T> task) {
    return schedule(Objects.requireNonNull(task, "task"));
  }

  @Override
  public CompletableFuture<?> submit(Runnable task) {
    return schedule(Calls.run(Objects.requireNonNull(task, "task"), null));
  }

  @Override
  public <T> CompletableFuture<T> submit(Runnable task, T result) {
    return schedule(Calls.run(Objects.requireNonNull(task, "task"), result));
  }

  @Override
  public <T, R> CompletableFuture<R> submit(
      SerializableFunction<? super T, ? extends R> fn, T arg) {
    return schedule(Calls.apply(Objects.requireNonNull(fn, "fn"), arg));
  }

  /**
   * Runs {@code command} as a task whose failure, having no future to go to, goes to the
   * uncaught-exception handler of the thread that completes it; a cancellation (shutdownNow) is no
   * failure.
   */
  @Override
  public void execute(Runnable command) {
    submit(command).whenComplete(REPORT_FAILURE);
  }

  private static final BiConsumer<Object, Throwable> REPORT_FAILURE =
      (result, failure) -> {
        if (failure != null && !(failure instanceof CancellationException)) {
          Calls.reportUncaught(failure);
        }
      };

  @Override
  public <T, R> Stream<R> map(
      SerializableFunction<? super T, ? extends R> fn,
      Iterable<T> items,
      int chunkSize,
      Duration timeout) {
    return mapStream(fn, items, chunkSize, timeout, true);
  }

  @Override
  public <T, R> Stream<R> mapUnordered(
      SerializableFunction<? super T, ? extends R> fn,
      Iterable<T> items,
      int chunkSize,
      Duration timeout) {
    return mapStream(fn, items, chunkSize, timeout, false);
  }

  private <T, R> Stream<R> mapStream(
      SerializableFunction<? super T, ? extends R> fn,
      Iterable<T> items,
      int chunkSize,
      Duration timeout,
      boolean ordered) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(items, "items");
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize must be at least 1, was " + chunkSize);
    }
    if (timeout != null && timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
    }
    if (isShutdown()) {
      // Checked here too so that an empty input is refused as well.
      schedule(Calls.run(() -> {}, null));
    }
    MapIterator<T, R> it =
        new MapIterator<>(
            this,
            fn,
            Objects.requireNonNull(items.iterator(), "items.iterator()"),
            chunkSize,
            2 * parallelism(),
            ordered,
            timeout);
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(it, ordered ? Spliterator.ORDERED : 0), false)
        .onClose(it::close);
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks)
      throws InterruptedException {
    List<Future<T>> futures = submitAll(tasks);
    try {
      for (Future<T> f : futures) {
        awaitQuietly(f, Long.MAX_VALUE);
      }
      return futures;
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(true));
      throw e;
    }
  }

  @Override
  public <T> List<Future<T>> invokeAll(
      Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    List<Future<T>> futures = submitAll(tasks);
    try {
      for (Future<T> f : futures) {
        if (!awaitQuietly(f, deadline)) {
          break;
        }
      }
    } finally {
      futures.forEach(f -> f.cancel(true));
    }
    return futures;
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks)
      throws InterruptedException, ExecutionException {
    try {
      return doInvokeAny(tasks, Long.MAX_VALUE);
    } catch (TimeoutException e) {
      throw new AssertionError("no deadline, yet timed out", e);
    }
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    return doInvokeAny(tasks, System.nanoTime() + unit.toNanos(timeout));
  }

  private <T> T doInvokeAny(Collection<? extends Callable<T>> tasks, long deadline)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("invokeAny needs at least one task");
    }
    LinkedBlockingQueue<CompletableFuture<T>> done = new LinkedBlockingQueue<>();
    List<CompletableFuture<T>> futures = new ArrayList<>(tasks.size());
    try {
      for (Callable<T> task : tasks) {
        CompletableFuture<T> f = submit(task);
        futures.add(f);
        f.whenComplete((r, e) -> done.add(f));
      }
      ExecutionException last = null;
      for (int i = 0; i < futures.size(); i++) {
        CompletableFuture<T> f =
            deadline == Long.MAX_VALUE
                ? done.take()
                : done.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (f == null) {
          throw new TimeoutException("no task of " + futures.size() + " completed in time");
        }
        try {
          return f.get();
        } catch (ExecutionException e) {
          last = e;
        } catch (CancellationException e) {
          last = new ExecutionException(e);
        }
      }
      throw last;
    } finally {
      futures.forEach(f -> f.cancel(true));
    }
  }

  private <T> List<Future<T>> submitAll(Collection<? extends Callable<T>> tasks) {
    List<Future<T>> futures = new ArrayList<>(tasks.size());
    try {
      for (Callable<T> task : tasks) {
        futures.add(submit(task));
      }
    } catch (RuntimeException e) {
      futures.forEach(f -> f.cancel(true));
      throw e;
    }
    return futures;
  }

  /** Waits for {@code f} until {@code deadline}; returns false if the deadline passed. */
  private static boolean awaitQuietly(Future<?> f, long deadline) throws InterruptedException {
    try {
      if (deadline == Long.MAX_VALUE) {
        f.get();
      } else {
        f.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      }
    } catch (ExecutionException | CancellationException e) {
      // the outcome stays in the future
    } catch (TimeoutException e) {
      return false;
    }
    return true;
  }
}
