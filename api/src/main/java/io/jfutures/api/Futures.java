package io.jfutures.api;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Python's {@code concurrent.futures.wait} and {@code as_completed}, for any {@link Future}.
 *
 * <p>Futures that are {@link CompletionStage}s (every future a jfutures executor returns) are
 * watched through a completion callback; other futures are polled every few milliseconds. A future
 * counts as done once {@link Future#isDone()} is true, including when it was cancelled.
 *
 * <pre>{@code
 * List<CompletableFuture<Integer>> futures = new ArrayList<>();
 * for (int i = 1; i <= 10; i++) {
 *   int n = i;
 *   futures.add(pool.submit(() -> n * n));
 * }
 * DoneAndNotDone<CompletableFuture<Integer>> first =
 *     Futures.wait(futures, Duration.ofSeconds(1), ReturnWhen.FIRST_COMPLETED);
 * System.out.println(first.done().size() + " done, " + first.notDone().size() + " not yet");
 * for (CompletableFuture<Integer> f : Futures.asCompleted(futures, Duration.ofSeconds(30))) {
 *   System.out.println(f.join());                      // in the order they complete
 * }
 * }</pre>
 *
 * <p>This class is thread-safe.
 */
public final class Futures {
  /** The longest pause between two polls of a future that is not a {@link CompletionStage}. */
  private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private Futures() {}

  /**
   * Runs {@code supplier} on {@code executor} and returns its future, as {@code
   * CompletableFuture.supplyAsync(supplier, executor)} does, but on any jfutures executor,
   * including a process pool: {@code CompletableFuture}'s own version hands the executor a wrapper
   * that cannot be serialized, which a process pool refuses. The future is the executor's own, so
   * {@code cancel(true)} stops a running task as the executor documents. On an executor that is not
   * a jfutures {@link Executor}, this is {@code CompletableFuture.supplyAsync}.
   *
   * <pre>{@code
   * CompletableFuture<Report> report =
   *     Futures.supplyAsync(() -> render(input), processPool)   // input must be serializable
   *         .thenApply(Report::summarize);                      // runs in this JVM
   * }</pre>
   *
   * @param <T> the type of the supplier's result
   * @param supplier the function to run, serializable so that a process pool can run it
   * @param executor the executor to run it on
   * @return a future that completes with the supplier's result, or with its exception
   * @throws java.util.concurrent.RejectedExecutionException if the executor refuses the task (shut
   *     down, broken, or, for a process pool, the supplier cannot be serialized)
   * @throws NullPointerException if {@code supplier} or {@code executor} is null
   */
  public static <T> CompletableFuture<T> supplyAsync(
      SerializableSupplier<T> supplier, java.util.concurrent.Executor executor) {
    Objects.requireNonNull(supplier, "supplier");
    Objects.requireNonNull(executor, "executor");
    if (executor instanceof Executor) {
      // The supplier as the argument of a function without state, rather than captured by a
      // wrapper: a process pool sends the function once and the supplier as a value.
      return ((Executor) executor).submit(Futures::get, supplier);
    }
    return CompletableFuture.supplyAsync(supplier, executor);
  }

  private static <T> T get(SerializableSupplier<T> supplier) {
    return supplier.get();
  }

  /**
   * Runs {@code task} on {@code executor} and returns its future, as {@code
   * CompletableFuture.runAsync(task, executor)} does, but on any jfutures executor, including a
   * process pool; see {@link #supplyAsync}. The task may throw a checked exception, which fails the
   * future.
   *
   * @param task the task to run, serializable so that a process pool can run it
   * @param executor the executor to run it on
   * @return a future that completes with {@code null} when the task has run, or with its exception
   * @throws java.util.concurrent.RejectedExecutionException if the executor refuses the task
   * @throws NullPointerException if {@code task} or {@code executor} is null
   */
  public static CompletableFuture<Void> runAsync(
      SerializableRunnable task, java.util.concurrent.Executor executor) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(executor, "executor");
    if (executor instanceof Executor) {
      return ((Executor) executor).submit(task);
    }
    return CompletableFuture.runAsync(task, executor);
  }

  /**
   * Waits until {@code returnWhen} holds for {@code futures} or {@code timeout} passes, and returns
   * which futures were done. Never throws on timeout: the futures still running are in {@link
   * DoneAndNotDone#notDone()}. Duplicates are counted once.
   *
   * <p>A call that has to block watches each future not yet done through one completion callback
   * per future, shared by every wait that watches it, so a loop of {@code FIRST_COMPLETED} waits
   * over the same futures, as in Python, adds no callback per call.
   *
   * @param <F> the type of the futures
   * @param futures the futures to wait for; may be empty
   * @param timeout how long to wait at most, zero to only look, or {@code null} to wait as long as
   *     it takes
   * @param returnWhen when to return
   * @return the futures that were done when this method returned, and those that were not
   * @throws IllegalArgumentException if {@code timeout} is negative
   * @throws InterruptedException if the calling thread is interrupted while waiting
   * @throws NullPointerException if {@code futures}, one of them, or {@code returnWhen} is null
   */
  public static <F extends Future<?>> DoneAndNotDone<F> wait(
      Collection<F> futures, Duration timeout, ReturnWhen returnWhen) throws InterruptedException {
    Objects.requireNonNull(returnWhen, "returnWhen");
    Set<F> all = distinct(futures);
    long deadline = deadlineOf(timeout);
    // Watch only once this call has to block: a wait that is satisfied at once, or only looks
    // (zero timeout), touches no future.
    Signal signal = null;
    try {
      while (true) {
        Set<F> done = new LinkedHashSet<>();
        Set<F> notDone = new LinkedHashSet<>();
        boolean failed = false;
        for (F future : all) {
          if (future.isDone()) {
            done.add(future);
            failed |= completedExceptionally(future);
          } else {
            notDone.add(future);
          }
        }
        boolean satisfied =
            notDone.isEmpty()
                || (returnWhen == ReturnWhen.FIRST_COMPLETED && !done.isEmpty())
                || (returnWhen == ReturnWhen.FIRST_EXCEPTION && failed);
        long remaining = deadline - System.nanoTime();
        if (satisfied || remaining <= 0) {
          return new DoneAndNotDone<>(done, notDone);
        }
        if (signal == null) {
          signal = new Signal();
          notDone.forEach(signal::watch);
        }
        signal.await(remaining);
      }
    } finally {
      if (signal != null) {
        signal.unwatchAll();
      }
    }
  }

  /**
   * As {@link #wait(Collection, Duration, ReturnWhen)} with {@link ReturnWhen#ALL_COMPLETED}.
   *
   * @param <F> the type of the futures
   * @param futures the futures to wait for; may be empty
   * @param timeout how long to wait at most, zero to only look, or {@code null} to wait as long as
   *     it takes
   * @return the futures that were done when this method returned, and those that were not
   * @throws IllegalArgumentException if {@code timeout} is negative
   * @throws InterruptedException if the calling thread is interrupted while waiting
   */
  public static <F extends Future<?>> DoneAndNotDone<F> wait(
      Collection<F> futures, Duration timeout) throws InterruptedException {
    return wait(futures, timeout, ReturnWhen.ALL_COMPLETED);
  }

  /**
   * Returns the futures as they complete: first those already done, then the others in the order
   * they complete. Each distinct future is yielded once.
   *
   * <p>The deadline counts from the first call to {@code hasNext()} or {@code next()} of an
   * iterator, as in Python, where nothing starts until the generator is first advanced. When it
   * passes with futures unfinished, {@code next()} throws {@link UncheckedTimeoutException} whose
   * message says how many, as {@code "2 (of 4) futures unfinished"}. Each call to {@code
   * iterator()} starts a new pass with its own deadline.
   *
   * @param <F> the type of the futures
   * @param futures the futures; may be empty
   * @param timeout the deadline, or {@code null} for none
   * @return an iterable whose iterators yield each future once, as it completes
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public static <F extends Future<?>> Iterable<F> asCompleted(
      Collection<F> futures, Duration timeout) {
    Set<F> all = distinct(futures);
    checkTimeout(timeout);
    return () -> new CompletionIterator<>(all, timeout);
  }

  /**
   * As {@link #asCompleted(Collection, Duration)} with no deadline.
   *
   * @param <F> the type of the futures
   * @param futures the futures; may be empty
   * @return an iterable whose iterators yield each future once, as it completes
   */
  public static <F extends Future<?>> Iterable<F> asCompleted(Collection<F> futures) {
    return asCompleted(futures, null);
  }

  private static <F extends Future<?>> Set<F> distinct(Collection<F> futures) {
    Set<F> all = new LinkedHashSet<>();
    for (F future : Objects.requireNonNull(futures, "futures")) {
      all.add(Objects.requireNonNull(future, "futures must not contain null"));
    }
    return all;
  }

  private static void checkTimeout(Duration timeout) {
    if (timeout != null && timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative: " + timeout);
    }
  }

  private static long deadlineOf(Duration timeout) {
    checkTimeout(timeout);
    long now = System.nanoTime();
    if (timeout == null) {
      return now + Long.MAX_VALUE / 2; // "forever", without overflow whatever nanoTime's origin
    }
    long nanos =
        timeout.compareTo(Duration.ofDays(365L * 100)) > 0 ? Long.MAX_VALUE / 2 : timeout.toNanos();
    return now + nanos;
  }

  private static boolean completedExceptionally(Future<?> future) {
    if (future.isCancelled()) {
      return false;
    }
    try {
      future.get(0, TimeUnit.NANOSECONDS);
      return false;
    } catch (ExecutionException e) {
      return true;
    } catch (CancellationException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Wakes a waiter when a watched future completes; futures that cannot call back are polled, with
   * a pause that grows to {@link #MAX_POLL_NANOS}. Used by one thread at a time.
   */
  private static final class Signal {
    private final LinkedBlockingQueue<Future<?>> completed = new LinkedBlockingQueue<>();
    private final List<Hub> hubs = new ArrayList<>();
    private boolean polling;
    private long pollNanos = TimeUnit.MICROSECONDS.toNanos(100);

    void watch(Future<?> future) {
      if (future instanceof CompletionStage) {
        hubs.add(Hub.watch((CompletionStage<?>) future, future, this));
      } else {
        polling = true;
      }
    }

    /** Stops watching: a completion from now on is not queued for this signal. */
    void unwatchAll() {
      for (Hub hub : hubs) {
        hub.remove(this);
      }
      hubs.clear();
    }

    /** Returns a future that completed, or null when the pause ran out. */
    Future<?> await(long remainingNanos) throws InterruptedException {
      long pause = remainingNanos;
      if (polling) {
        pause = Math.min(pause, pollNanos);
        pollNanos = Math.min(MAX_POLL_NANOS, pollNanos * 2);
      }
      return completed.poll(pause, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * The signals watching one future. A future gets one completion callback, which wakes whichever
   * signals watch it then, however many waits have watched it: a callback cannot be taken off a
   * {@link CompletionStage}, so one per wait would pile up on futures that stay unfinished, as in a
   * loop of {@code FIRST_COMPLETED} waits. Hubs are found through a weak map, so a future that is
   * never completed and no longer referenced is not kept alive by them; a hub refers to signals,
   * never to its future.
   */
  private static final class Hub {
    /** Guarded by itself; also guards every hub's {@code signals}. */
    private static final Map<CompletionStage<?>, Hub> HUBS = new WeakHashMap<>();

    private final Set<Signal> signals = new HashSet<>();

    /** Adds {@code signal} to the hub of {@code stage} ({@code future}), making it if need be. */
    static Hub watch(CompletionStage<?> stage, Future<?> future, Signal signal) {
      Hub hub;
      boolean made;
      synchronized (HUBS) {
        hub = HUBS.get(stage);
        made = hub == null;
        if (made) {
          hub = new Hub();
          HUBS.put(stage, hub);
        }
        hub.signals.add(signal);
      }
      if (made) {
        Hub h = hub;
        stage.whenComplete((r, e) -> h.fire(stage, future)); // at once if already complete
      }
      return hub;
    }

    private void fire(CompletionStage<?> stage, Future<?> future) {
      List<Signal> woken;
      synchronized (HUBS) {
        if (HUBS.get(stage) == this) {
          HUBS.remove(stage); // a later watcher makes a new hub, whose callback runs at once
        }
        woken = new ArrayList<>(signals);
        signals.clear();
      }
      for (Signal signal : woken) {
        signal.completed.add(future);
      }
    }

    void remove(Signal signal) {
      synchronized (HUBS) {
        signals.remove(signal); // a no-op once the hub has fired: it cleared them
      }
    }
  }

  /** One pass of {@link #asCompleted}. Not thread-safe, as iterators are not. */
  private static final class CompletionIterator<F extends Future<?>> implements Iterator<F> {
    private final Set<F> pending;
    private final int total;
    private final Duration timeout;
    private final Signal signal = new Signal();
    private final ArrayDeque<F> ready = new ArrayDeque<>();
    private long deadline;
    private boolean started;
    private int yielded;

    CompletionIterator(Set<F> all, Duration timeout) {
      this.pending = new LinkedHashSet<>(all);
      this.total = all.size();
      this.timeout = timeout;
    }

    private void start() {
      if (started) {
        return;
      }
      started = true;
      deadline = deadlineOf(timeout);
      for (Iterator<F> it = pending.iterator(); it.hasNext(); ) {
        F future = it.next();
        if (future.isDone()) {
          ready.add(future);
          it.remove();
        }
      }
      pending.forEach(signal::watch);
    }

    @Override
    public boolean hasNext() {
      start();
      return yielded < total;
    }

    @Override
    public F next() {
      if (!hasNext()) {
        throw new NoSuchElementException("all " + total + " futures were yielded");
      }
      F next = ready.poll();
      while (next == null) {
        next = takeCompleted(signal.completed.poll());
        if (next == null) {
          next = takePolled();
        }
        if (next == null) {
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0) {
            throw new UncheckedTimeoutException(
                new TimeoutException(pending.size() + " (of " + total + ") futures unfinished"));
          }
          try {
            next = takeCompleted(signal.await(remaining));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for a future to complete");
          }
        }
      }
      yielded++;
      return next;
    }

    /** Returns {@code future} if this pass still owes it, else null. */
    @SuppressWarnings("unchecked") // pending holds only Fs, so a future it removes is an F
    private F takeCompleted(Future<?> future) {
      return future != null && pending.remove(future) ? (F) future : null;
    }

    /** Returns a done future that cannot call back, or null. */
    private F takePolled() {
      if (!signal.polling) {
        return null;
      }
      for (Iterator<F> it = pending.iterator(); it.hasNext(); ) {
        F future = it.next();
        if (!(future instanceof CompletionStage) && future.isDone()) {
          it.remove();
          return future;
        }
      }
      return null;
    }
  }
}
