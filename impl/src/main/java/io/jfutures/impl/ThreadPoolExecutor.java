package io.jfutures.impl;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import io.jfutures.api.BrokenThreadPoolException;
import io.jfutures.impl.internal.Calls;
import io.jfutures.impl.internal.KeepAlive;
import io.jfutures.impl.internal.PoolMetrics;
import io.jfutures.impl.internal.TaskCounts;
import io.jfutures.impl.internal.TaskFuture;
import io.jfutures.impl.internal.TaskName;
import io.jfutures.impl.internal.Threads;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs tasks on a pool of threads, as Python's {@code concurrent.futures.ThreadPoolExecutor}.
 *
 * <p>Threads are made on demand, up to {@link Builder#maxWorkers(int) maxWorkers}; an idle thread
 * is reused before a new one is made. A thread counts as idle once the callbacks of its last task's
 * future have run, as in Python: a callback that submits a task and waits for it (a chain of
 * continuations) is never handed its own thread. Each thread runs the {@link
 * Builder#initializer(Runnable) initializer} once, before its first task. If an initializer throws,
 * the pool is broken: queued tasks and later submits fail with {@link BrokenThreadPoolException}
 * whose cause is the initializer's exception; tasks already running finish.
 *
 * <p>{@code cancel(true)} on the future of a running task interrupts its thread and completes the
 * future as cancelled. Worker threads are daemons, and the JVM is kept alive while any submitted
 * task is unfinished, so a program that forgets {@link #shutdown()} still exits once its work is
 * done. Callbacks on a returned future run on the thread that completes it: the worker thread, or
 * the thread that cancels. {@link #execute(Runnable)} behaves as in {@code
 * java.util.concurrent.ThreadPoolExecutor}: what the command throws goes to the uncaught-exception
 * handler of the thread that ran it. If a thread cannot be started (the JVM is out of native
 * threads), the submit that needed it throws {@link RejectedExecutionException} with the error as
 * its cause, unless another thread already took its task.
 *
 * <pre>{@code
 * try (ThreadPoolExecutor pool =
 *     ThreadPoolExecutor.newBuilder()
 *         .maxWorkers(8)
 *         .threadNamePrefix("worker")                   // threads worker_0, worker_1, ...
 *         .initializer(() -> System.out.println("ready"))  // once per thread
 *         .build()) {
 *   CompletableFuture<Integer> answer = pool.submit(() -> 6 * 7);
 *   try (Stream<Integer> lengths = pool.map(String::length, List.of("a", "bb", "ccc"))) {
 *     System.out.println(lengths.toList());             // [1, 2, 3]
 *   }
 *   System.out.println(answer.join());                  // 42
 * }                                                     // shuts down and waits
 * }</pre>
 *
 * <p>This class is thread-safe.
 */
public final class ThreadPoolExecutor extends AbstractExecutor {
  /*
   * States (field state, guarded by lock):
   *   RUNNING     accepts tasks
   *   SHUTDOWN    refuses tasks; runs the queued ones
   *   BROKEN      an initializer failed; queued tasks failed; refuses tasks
   *   TERMINATED  no thread left and the queue is empty; terminal
   *
   * RUNNING -> SHUTDOWN        shutdown()
   * RUNNING|SHUTDOWN -> BROKEN an initializer throws
   * SHUTDOWN|BROKEN -> TERMINATED  the last thread exits (or none was ever made)
   *
   * Idle reuse: a thread that finds the queue empty registers as idle (idle++) before it blocks,
   * which is after its last task's future was completed and that future's callbacks ran.
   * submit() claims an idle registration (idle--) if there is one, else makes a thread if below
   * maxWorkers. idle is a hint, changed without the lock (so that threads never take it between
   * tasks): every thread polls the queue whatever the count says, so a wrong count can delay a new
   * thread, never lose a task. Shutdown posts one STOP item; a thread that takes it posts it again
   * and exits, so every task queued before it still runs.
   *
   * Submit without the lock: when no thread is to be made (an idle one was claimed, or made ==
   * maxWorkers), submit reads state, queues, and reads state again, as
   * java.util.concurrent.ThreadPoolExecutor.execute does. state changes before STOP is posted, so a
   * task queued behind STOP is seen by the second read, and taken back and refused unless a thread
   * or a drain already has it. This is the path of every task once the pool is warm.
   */
  private static final int RUNNING = 0;
  private static final int SHUTDOWN = 1;
  private static final int BROKEN = 2;
  private static final int TERMINATED = 3;

  private static final AtomicInteger POOL_COUNTER = new AtomicInteger();

  /**
   * One task in this many has its latency measured: the clock, read at submit and at completion,
   * was a tenth of the cost of submitting a tiny task (JMH: ThreadPoolBenchmark).
   */
  static final int THREAD_POOL_LATENCY_SAMPLING = 8;

  private static final Work STOP = new Work(0, null, null, PoolMetrics.UNTIMED);

  private final int maxWorkers;
  private final String threadNamePrefix;
  private final Runnable initializer;
  private final LinkedBlockingQueue<Work> queue = new LinkedBlockingQueue<>();
  private final AtomicLong taskCounter = new AtomicLong();
  private final TaskName.LastSeen taskNames = new TaskName.LastSeen();

  /** Submits refused after they took a task number: finished, for the keep-alive's count. */
  private final LongAdder refused = new LongAdder();

  private final KeepAlive keepAlive;
  private final ThreadFactory threadFactory;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition terminated = lock.newCondition();

  /** Threads registered as idle and not yet claimed by a submit; see the state comment. */
  private final AtomicInteger idle = new AtomicInteger();

  /** Threads made and not yet past their initializer. */
  private final AtomicInteger starting = new AtomicInteger();

  /** What an operator reads (JMX) and the log says. */
  private final PoolMetrics metrics;

  // Guarded by lock; state and made are also read without it, by submit's fast path.
  private volatile int state = RUNNING;
  private final Set<Thread> threads = new HashSet<>();

  /** threads.size(), written with it. */
  private volatile int made;

  private BrokenThreadPoolException broken;

  private ThreadPoolExecutor(Builder builder) {
    this.maxWorkers =
        builder.maxWorkers == Builder.UNSET
            ? Math.min(32, Runtime.getRuntime().availableProcessors() + 4)
            : builder.maxWorkers;
    this.threadNamePrefix =
        builder.threadNamePrefix == null
            ? "jfutures-thread-pool-" + POOL_COUNTER.getAndIncrement()
            : builder.threadNamePrefix;
    this.initializer = builder.initializer;
    this.threadFactory =
        builder.threadFactory != null
            ? builder.threadFactory
            : Threads.numberedDaemons(threadNamePrefix);
    this.metrics =
        new PoolMetrics(
            "ThreadPoolExecutor", threadNamePrefix, new Gauges(), THREAD_POOL_LATENCY_SAMPLING);
    // Started: every task number handed out. Finished: every task the metrics counted, and every
    // submit refused after it took a number.
    PoolMetrics counted = metrics;
    this.keepAlive =
        new KeepAlive(
            "jfutures-thread-pool-keepalive",
            taskCounter::get,
            () -> counted.finishedTasks() + refused.sum());
    metrics.register();
  }

  /**
   * Returns what the pool reports to an operator, the same figures its JMX MXBean shows.
   *
   * @return the pool's figures, live
   */
  public PoolMXBean metrics() {
    return metrics;
  }

  /** The figures of the present, for {@link PoolMetrics}. */
  private final class Gauges implements PoolMetrics.Now {
    @Override
    public int queued() {
      return queuedTasks();
    }

    @Override
    public int running() {
      return busyWorkers();
    }

    @Override
    public int busyWorkers() {
      int made;
      lock.lock();
      try {
        made = threads.size();
      } finally {
        lock.unlock();
      }
      return Math.max(0, made - idle.get() - starting.get());
    }

    @Override
    public int idleWorkers() {
      return Math.max(0, idle.get());
    }

    @Override
    public int startingWorkers() {
      return starting.get();
    }
  }

  /** Returns the tasks in the queue, not counting the STOP item a shutdown posts. */
  private int queuedTasks() {
    int n = 0;
    for (Work w : queue) {
      if (w != STOP) {
        n++;
      }
    }
    return n;
  }

  /**
   * {@code work} leaves the pool, run or not: it is counted, and so no longer keeps the JVM alive.
   */
  private void finished(Work work) {
    metrics.onTaskDone(work, work.submittedNanos);
  }

  /**
   * Returns a builder.
   *
   * @return a new builder, with every setting at its default
   */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * Returns a pool with the default settings.
   *
   * @return a new pool
   */
  public static ThreadPoolExecutor ofDefaults() {
    return newBuilder().build();
  }

  /**
   * Returns the most threads this pool runs at once.
   *
   * @return the pool's {@code maxWorkers}
   */
  public int maxWorkers() {
    return maxWorkers;
  }

  @Override
  int parallelism() {
    return maxWorkers;
  }

  /**
   * Runs {@code command} on a pool thread; what it throws goes to that thread's uncaught-exception
   * handler, as in {@code java.util.concurrent.ThreadPoolExecutor} (the thread carries on).
   */
  @Override
  public void execute(Runnable command) {
    schedule(Calls.execute(Objects.requireNonNull(command, "command")));
  }

  @Override
  <T> TaskFuture<T> schedule(Callable<T> call) {
    long id = taskCounter.incrementAndGet();
    Work work = new Work(id, taskNames.of(Calls.userTask(call)), call, metrics.submitStamp(id));
    @SuppressWarnings("unchecked") // the work completes with what call returns, a T
    TaskFuture<T> future = (TaskFuture<T>) (TaskFuture<?>) work;
    // Fast path, without the lock: no thread to make, as an idle one is claimed or all are made.
    // An idle thread is claimed before the work is queued: once queued, the thread may take it and
    // withdraw its own registration first, and this submit would then make a thread for work
    // already taken.
    if (state == RUNNING && (decrementIfPositive(idle) || made == maxWorkers)) {
      keptAlive(); // finished when the work leaves the pool: run, skipped or drained
      queue.add(work);
      // A shutdown that raced this submit posted STOP before or after the work. Before: the work
      // may be last in the queue with no thread left to take it, so it is taken back and refused;
      // if it cannot be, a thread or a drain has it, and completes its future either way. After:
      // state still read RUNNING here, and the threads run it before they reach STOP.
      if (state != RUNNING && queue.remove(work)) {
        refused.increment();
        lock.lock();
        try {
          throw refusal(future);
        } finally {
          lock.unlock();
        }
      }
      return future;
    }
    Thread newThread = null;
    lock.lock();
    try {
      if (state != RUNNING) {
        refused.increment();
        throw refusal(future);
      }
      keptAlive(); // finished when the work leaves the pool: run, skipped or drained
      if (!decrementIfPositive(idle) && threads.size() < maxWorkers) {
        newThread = threadFactory.newThread(this::runWorker);
        threads.add(newThread);
        made = threads.size();
        starting.incrementAndGet();
        metrics.onWorkerStarting(newThread.getName());
      }
      queue.add(work);
    } finally {
      lock.unlock();
    }
    if (newThread != null) {
      try {
        newThread.start();
      } catch (Throwable e) { // OutOfMemoryError: unable to create native thread
        threadDidNotStart(newThread, work, e);
      }
    }
    return future;
  }

  /**
   * Has the JVM kept alive for a task just numbered; if that cannot be (no thread for the keeper),
   * the task is refused with the error.
   */
  private void keptAlive() {
    try {
      keepAlive.afterTaskCounted();
    } catch (Throwable e) {
      refused.increment();
      throw e;
    }
  }

  /** Returns why {@code future}'s task is refused, the pool not running. Holds the lock. */
  private RuntimeException refusal(TaskFuture<?> future) {
    if (broken != null) {
      return new BrokenThreadPoolException(broken.getMessage(), broken.getCause());
    }
    return new RejectedExecutionException(
        "cannot submit " + future.description() + ": " + this + " is shut down");
  }

  /**
   * Undoes a thread that could not be started: forgets it, and takes its work back, unless another
   * thread has already taken it, in which case that thread runs it and the submit stands. Otherwise
   * the submit fails with {@code e} as the cause, and the work's future is cancelled, so that it
   * completes all the same.
   */
  private void threadDidNotStart(Thread thread, Work work, Throwable e) {
    boolean takenBack;
    lock.lock();
    try {
      threads.remove(thread);
      made = threads.size();
      starting.decrementAndGet();
      takenBack = queue.remove(work);
      if (threads.isEmpty() && state != RUNNING && state != TERMINATED) {
        state = TERMINATED;
        terminated.signalAll();
        metrics.unregister();
      }
    } finally {
      lock.unlock();
    }
    if (takenBack) {
      work.forceCancel();
      finished(work);
      throw new RejectedExecutionException(
          "cannot submit "
              + work.description()
              + ": the thread to run it could not be started: "
              + e,
          e);
    }
  }

  private void runWorker() {
    long born = System.nanoTime();
    boolean started = false;
    try {
      if (initializer != null) {
        try {
          initializer.run();
        } catch (Throwable t) {
          breakPool(t);
          return;
        }
      }
      starting.decrementAndGet();
      started = true;
      metrics.onWorkerReady(Thread.currentThread().getName(), System.nanoTime() - born);
      TaskCounts.Writer counts = metrics.newTaskCounter(); // this thread's own, without atomics
      while (true) {
        Work work = queue.poll();
        if (work == null) {
          // Idle only now, once the last future's callbacks have run: a callback that submits a
          // task and waits for it must not have its own thread counted as free.
          idle.incrementAndGet();
          work = take(); // whoever queued it claimed our idle registration
        }
        if (work == STOP) {
          queue.add(STOP);
          return;
        }
        work.run();
        metrics.onTaskDone(counts, work, work.submittedNanos); // also the keep-alive's count
      }
    } finally {
      if (!started) {
        starting.decrementAndGet();
      }
      lock.lock();
      try {
        threads.remove(Thread.currentThread());
        made = threads.size();
        if (threads.isEmpty() && state != RUNNING) {
          state = TERMINATED;
          terminated.signalAll();
          metrics.unregister();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Waits for work. An interrupt does not end the wait: shutdownNow() queues STOP before it
   * interrupts, so the next take returns it; any other interrupt is a stray one (a task or a caller
   * interrupting a pool thread it once saw), and a thread that ended on it while counted as idle
   * would leave the next task queued with no thread to run it.
   */
  private Work take() {
    while (true) {
      try {
        return queue.take();
      } catch (InterruptedException e) {
        // cleared; wait again
      }
    }
  }

  /** Takes one from {@code counter} unless it is zero; returns whether it did. */
  private static boolean decrementIfPositive(AtomicInteger counter) {
    for (int n = counter.get(); n > 0; n = counter.get()) {
      if (counter.compareAndSet(n, n - 1)) {
        return true;
      }
    }
    return false;
  }

  private void breakPool(Throwable cause) {
    List<Work> drained = new ArrayList<>();
    BrokenThreadPoolException exception;
    boolean first = false;
    lock.lock();
    try {
      if (broken == null) {
        first = true;
        broken =
            new BrokenThreadPoolException(
                "A thread initializer failed, the thread pool is not usable anymore", cause);
        if (state == RUNNING || state == SHUTDOWN) {
          state = BROKEN;
        }
        queue.drainTo(drained);
        queue.add(STOP);
      }
      exception = broken;
    } finally {
      lock.unlock();
    }
    if (first) {
      metrics.onBroken(exception);
    }
    for (Work work : drained) {
      if (work != STOP) {
        work.completeExceptionally(
            new BrokenThreadPoolException(exception.getMessage(), exception.getCause()));
        finished(work);
      }
    }
  }

  @Override
  public void shutdown(boolean wait, boolean cancelFutures) {
    List<Work> cancelled = stop(cancelFutures);
    for (Work work : cancelled) {
      work.forceCancel();
      finished(work);
    }
    if (wait && !isPoolThread()) {
      awaitTerminationStoppingOnInterrupt();
    }
  }

  /** Moves to SHUTDOWN and returns the queued work it took out if {@code drain}. */
  private List<Work> stop(boolean drain) {
    List<Work> drained = new ArrayList<>();
    lock.lock();
    try {
      if (state == RUNNING) {
        state = SHUTDOWN;
        queue.add(STOP);
      }
      if (drain) {
        queue.drainTo(drained);
        drained.removeIf(work -> work == STOP); // a thread may have put back one of its own
        queue.add(STOP);
      }
      if (threads.isEmpty() && state != TERMINATED) {
        state = TERMINATED;
        terminated.signalAll();
        metrics.unregister();
      }
    } finally {
      lock.unlock();
    }
    return drained;
  }

  private boolean isPoolThread() {
    lock.lock();
    try {
      return threads.contains(Thread.currentThread());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Refuses new tasks, cancels the queued ones (their futures complete as cancelled) and interrupts
   * every running task's thread. Returns the queued tasks, which never ran.
   */
  @Override
  public List<Runnable> shutdownNow() {
    List<Work> drained = stop(true);
    List<Runnable> neverRan = new ArrayList<>(drained.size());
    for (Work work : drained) {
      work.forceCancel();
      finished(work);
      neverRan.add(work.neverRan());
    }
    lock.lock();
    try {
      threads.forEach(Thread::interrupt);
    } finally {
      lock.unlock();
    }
    return neverRan;
  }

  @Override
  public boolean isShutdown() {
    lock.lock();
    try {
      return state != RUNNING;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean isTerminated() {
    lock.lock();
    try {
      return state == TERMINATED;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    lock.lock();
    try {
      while (state != TERMINATED) {
        if (nanos <= 0) {
          return false;
        }
        nanos = terminated.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      String[] names = {"running", "shut down", "broken", "terminated"};
      return "ThreadPoolExecutor["
          + threadNamePrefix
          + ", "
          + names[state]
          + ", threads="
          + threads.size()
          + "/"
          + maxWorkers
          + ", queued="
          + queuedTasks()
          + "]";
    } finally {
      lock.unlock();
    }
  }

  /**
   * A task, queued or running, and its future in one object: one allocation per submit fewer (the
   * future was a second object). The runner field lets cancel(true) interrupt exactly this task's
   * thread. Once the task has run, the future a caller holds keeps neither the task nor the thread:
   * both fields are cleared.
   */
  private static final class Work extends TaskFuture<Object> implements TaskFuture.Canceller {
    final long submittedNanos; // or PoolMetrics.UNTIMED

    /** The task; cleared once run, so that a completed future does not keep what it captured. */
    private Callable<Object> call;

    /*
     * Phases (field phase): IDLE -> RUNNING (the thread set runner, then phase, before it starts
     * the future) -> DONE (the thread finished; no interrupt comes after this), or RUNNING ->
     * INTERRUPTING -> DONE (cancel(true) is interrupting runner; the thread waits for DONE before
     * it clears its interrupt flag, so the interrupt never reaches the next task). As in
     * java.util.concurrent.FutureTask, without a monitor: two CASes per task instead of two
     * monitor enters and exits.
     */
    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int INTERRUPTING = 2;
    private static final int DONE = 3;

    private static final AtomicIntegerFieldUpdater<Work> PHASE =
        AtomicIntegerFieldUpdater.newUpdater(Work.class, "phase");

    /** IDLE at first, by default: a volatile write in a constructor would be a fence per task. */
    private volatile int phase;

    /** The thread running the call; written before phase becomes RUNNING, read after. */
    private Thread runner;

    @SuppressWarnings("unchecked") // the future is typed by the caller as the call's T
    <T> Work(long id, TaskName name, Callable<T> call, long submittedNanos) {
      super(id, name);
      this.call = (Callable<Object>) call;
      this.submittedNanos = submittedNanos;
    }

    /** Runs the task, unless its future is already done, and completes its future. */
    void run() {
      runner = Thread.currentThread();
      // A release store, not a fence: start() below is a CAS, and cancel(true) reads RUNNING only
      // after it has seen that CAS.
      PHASE.lazySet(this, RUNNING);
      try {
        if (!start(this)) {
          return;
        }
        Object result;
        try {
          result = call.call();
        } catch (Throwable t) {
          completeExceptionally(t);
          return;
        }
        complete(result);
      } finally {
        if (!PHASE.compareAndSet(this, RUNNING, DONE)) {
          while (phase == INTERRUPTING) {
            Thread.onSpinWait(); // cancel(true) is between its CAS and its interrupt(): briefly
          }
        }
        runner = null;
        call = null;
        Thread.interrupted(); // an interrupt meant for this task must not reach the next one
      }
    }

    /** Cancels the future first, so the interrupted task cannot complete it before. */
    @Override
    public boolean cancelRunning(TaskFuture<?> f) {
      boolean cancelled = f.forceCancel();
      if (cancelled && PHASE.compareAndSet(this, RUNNING, INTERRUPTING)) {
        try {
          runner.interrupt();
        } finally {
          phase = DONE;
        }
      }
      return cancelled;
    }

    /** The task, for a queued one that never ran (shutdownNow returns it). */
    Runnable neverRan() {
      return Calls.neverRan(call);
    }
  }

  /**
   * Configures a {@link ThreadPoolExecutor}. Defaults: {@code maxWorkers} is {@code min(32,
   * processors + 4)}, threads are named {@code jfutures-thread-pool-N_M}, no initializer. Each
   * setting may be set once. This class is not thread-safe.
   */
  public static final class Builder {
    private static final int UNSET = -1;
    private int maxWorkers = UNSET;
    private String threadNamePrefix;
    private Runnable initializer;
    private ThreadFactory threadFactory;

    private Builder() {}

    /**
     * Sets the most threads the pool makes.
     *
     * @param maxWorkers the most threads, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code maxWorkers} is zero or negative
     * @throws IllegalStateException if it was already set
     */
    public Builder maxWorkers(int maxWorkers) {
      checkState(this.maxWorkers == UNSET, "maxWorkers was already set to %s", this.maxWorkers);
      checkArgument(maxWorkers > 0, "maxWorkers must be greater than 0, was %s", maxWorkers);
      this.maxWorkers = maxWorkers;
      return this;
    }

    /**
     * Sets the prefix of thread names: threads are named {@code prefix_0}, {@code prefix_1}, ...
     *
     * @param prefix the prefix of thread names; not empty
     * @return this builder
     * @throws IllegalArgumentException if {@code prefix} is empty
     * @throws IllegalStateException if it was already set
     */
    public Builder threadNamePrefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      checkState(
          this.threadNamePrefix == null,
          "threadNamePrefix was already set to %s",
          this.threadNamePrefix);
      checkArgument(!prefix.isEmpty(), "threadNamePrefix must not be empty");
      this.threadNamePrefix = prefix;
      return this;
    }

    /**
     * Sets a task each thread runs once before its first task. If it throws, the pool breaks.
     *
     * @param initializer the task each thread runs before its first task
     * @return this builder
     * @throws IllegalStateException if it was already set
     */
    public Builder initializer(Runnable initializer) {
      Objects.requireNonNull(initializer, "initializer");
      checkState(this.initializer == null, "initializer was already set to %s", this.initializer);
      this.initializer = initializer;
      return this;
    }

    /** For tests: makes the pool's threads, in place of daemon threads named by the prefix. */
    Builder threadFactory(ThreadFactory factory) {
      this.threadFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * Returns a new pool with these settings; later changes to this builder do not reach it.
     *
     * @return a new pool
     */
    public ThreadPoolExecutor build() {
      return new ThreadPoolExecutor(this);
    }
  }
}
