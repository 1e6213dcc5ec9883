package io.jfutures.impl;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import io.jfutures.api.BrokenProcessPoolException;
import io.jfutures.api.RetryOnWorkerLoss;
import io.jfutures.api.SerializableRunnable;
import io.jfutures.api.TaskTimeoutException;
import io.jfutures.api.WorkerDiedException;
import io.jfutures.api.WorkerFailure;
import io.jfutures.impl.internal.Calls;
import io.jfutures.impl.internal.TaskFuture;
import io.jfutures.impl.internal.TaskName;
import io.jfutures.impl.internal.Threads;
import io.jfutures.impl.internal.process.Refusals;
import io.jfutures.spi.backend.BackendCapability;
import io.jfutures.spi.backend.BackendListener;
import io.jfutures.spi.backend.BackendTask;
import io.jfutures.spi.backend.BackendWorker;
import io.jfutures.spi.backend.ExecutorBackend;
import io.jfutures.spi.backend.RunningTask;
import io.jfutures.spi.backend.TaskCallback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An {@link io.jfutures.api.Executor} whose tasks run on an {@link ExecutorBackend}: the members of
 * a cluster ({@code jfutures-hazelcast}), child JVMs ({@link LocalProcessBackend}), or a backend of
 * your own. The same verbs as the process pool ({@code submit}, {@code map}, {@code shutdown},
 * {@code Futures.wait}), the same failure model:
 *
 * <ul>
 *   <li>{@link WorkerDeathPolicy#BREAK_POOL} (the default): a worker lost while it runs a task of
 *       this executor breaks it, and every unfinished task fails with {@link
 *       BrokenProcessPoolException}, whose {@link BrokenProcessPoolException#failure() failure}
 *       names the worker (for a cluster: the member's address, and its pid when the member
 *       published it). A worker lost while idle breaks nothing: none of its tasks was lost.
 *   <li>{@link WorkerDeathPolicy#REPLACE_WORKER}: only the tasks running on the lost worker fail,
 *       with {@link WorkerDiedException}; the rest go to the workers left, and to those that join.
 *       With {@link Builder#retryOnWorkerLoss(int)}, those tasks are run again elsewhere instead,
 *       up to a bound; a task marked with {@link RetryOnWorkerLoss} is, up to its own bound (the
 *       larger of the two counts). A marked task is refused at {@code submit} under {@code
 *       BREAK_POOL}, where it could not be run again.
 * </ul>
 *
 * <p>This executor keeps the queue: a task waits here until a worker has a free slot, so {@code
 * cancel(false)} works on every task not yet handed to a worker, and a worker that joins takes work
 * at once. It completes futures on threads of its own, never on the backend's, so a slow callback
 * stalls neither the backend nor other tasks' outcomes.
 *
 * <pre>
 * States (field state), under lock:
 *   RUNNING    accepts tasks
 *   SHUTDOWN   refuses tasks; queued and running ones finish
 *   BROKEN     refuses tasks; every unfinished task failed with the breakage
 *   TERMINATED nothing queued, running or being completed; the backend is closed (on a thread of
 *              the executor's, as closing may block), then this state is entered
 * RUNNING -> SHUTDOWN -> TERMINATED; RUNNING or SHUTDOWN -> BROKEN -> TERMINATED.
 *
 * Invariants, under lock: a job is in the queue, or is the current attempt of exactly one slot's
 * running set, or is done (or counted in completing until its future is). A slot's running set
 * never holds more attempts than the worker's slots. An attempt that is no longer its job's
 * current one (timed out, cancelled) stays in its slot until the backend reports it, since it may
 * still run; once broken, the executor forgets every attempt. A lost worker's slot is marked gone
 * (no task is placed there) and removed once its attempts are handled.
 * </pre>
 *
 * <p>This class is thread-safe.
 */
public final class BackendExecutor extends AbstractExecutor {
  private static final int RUNNING = 0;
  private static final int SHUTDOWN = 1;
  private static final int BROKEN = 2;
  private static final int TERMINATED = 3;

  private static final AtomicLong EXECUTORS = new AtomicLong();

  private final String name;
  private final ExecutorBackend backend;
  private final boolean canStop;
  private final WorkerDeathPolicy deathPolicy;
  private final int retries;
  private final long timeoutNanos;
  private final ScheduledThreadPoolExecutor timer;
  private final ExecutorService completer;
  private final AtomicLong taskCounter = new AtomicLong();
  private final TaskName.LastSeen taskNames = new TaskName.LastSeen();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition terminated = lock.newCondition();
  private final ArrayDeque<Job> queue = new ArrayDeque<>(); // guarded by lock
  private final LinkedHashMap<String, Slot> workers = new LinkedHashMap<>(); // guarded by lock
  private int completing; // outcomes handed to the completer, not yet delivered; guarded by lock
  private volatile int state; // written under lock
  private BrokenProcessPoolException broken; // guarded by lock
  private boolean closing; // the backend is being closed: TERMINATED follows; guarded by lock

  private BackendExecutor(Builder b) {
    this.name =
        b.name != null
            ? b.name
            : "jfutures-" + b.backend.name() + "-" + EXECUTORS.incrementAndGet();
    this.backend = b.backend;
    Set<BackendCapability> can = backend.capabilities();
    this.canStop =
        can.contains(BackendCapability.KILL_RUNNING_TASK)
            || can.contains(BackendCapability.INTERRUPT_RUNNING_TASK);
    this.deathPolicy = b.deathPolicy == null ? WorkerDeathPolicy.BREAK_POOL : b.deathPolicy;
    this.retries = b.retries;
    this.timeoutNanos = b.taskTimeout == null ? 0 : b.taskTimeout.toNanos();
    this.timer = Threads.newTimer(name + "-timeouts");
    this.completer =
        new java.util.concurrent.ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            5,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            Threads.daemons(name + "-completer"));
  }

  /**
   * Returns a builder of an executor over {@code backend}, which the executor starts when it is
   * built and closes when it terminates.
   *
   * @param backend where the tasks run
   * @return a new builder
   */
  public static Builder newBuilder(ExecutorBackend backend) {
    return new Builder(Objects.requireNonNull(backend, "backend"));
  }

  /** Returns the backend's name and capabilities, as {@code hazelcast [INTERRUPT_RUNNING_TASK]}. */
  public String backendDescription() {
    return backend.name() + " " + backend.capabilities();
  }

  /** Returns the workers tasks can be placed on now. */
  public List<BackendWorker> workers() {
    lock.lock();
    try {
      List<BackendWorker> list = new ArrayList<>(workers.size());
      for (Slot s : workers.values()) {
        if (!s.gone) {
          list.add(s.worker);
        }
      }
      return list;
    } finally {
      lock.unlock();
    }
  }

  // ---- submitting ------------------------------------------------------------------------------

  @Override
  <T> TaskFuture<T> schedule(Callable<T> call) {
    Object userTask = Calls.userTask(call);
    Job job = new Job(taskCounter.incrementAndGet(), taskNames.of(userTask), call);
    int marked = Calls.retriesMarked(call);
    if (marked > 0 && deathPolicy != WorkerDeathPolicy.REPLACE_WORKER) {
      throw new RejectedExecutionException(
          "cannot submit "
              + job.description()
              + ", marked to run again if its worker is lost: "
              + name
              + " breaks when a worker is lost under a task (BREAK_POOL); build it with"
              + " workerDeathPolicy(WorkerDeathPolicy.REPLACE_WORKER)");
    }
    job.retries = Math.max(retries, marked);
    checkAccepting(job);
    try {
      // On this thread: a task that cannot travel is refused. The mark stays here: the backend
      // runs the task itself.
      job.payload = backend.prepare(Calls.unmarked(call));
    } catch (IOException e) {
      throw Refusals.cannotTravel(
          job, userTask, e, "the " + backend.name() + " backend sends each task to another JVM");
    }
    List<Attempt> placed;
    lock.lock();
    try {
      checkAccepting(job);
      queue.add(job);
      placed = placeLocked();
    } finally {
      lock.unlock();
    }
    send(placed);
    @SuppressWarnings("unchecked") // the job completes with what call returns
    TaskFuture<T> future = (TaskFuture<T>) job;
    return future;
  }

  private void checkAccepting(Job job) {
    int s = state;
    if (s == RUNNING) {
      return;
    }
    lock.lock();
    try {
      if (broken != null) {
        throw copyOf(broken);
      }
    } finally {
      lock.unlock();
    }
    throw new RejectedExecutionException(
        "cannot submit " + job.description() + ": " + name + " is shut down");
  }

  @Override
  int parallelism() {
    lock.lock();
    try {
      int slots = 0;
      for (Slot s : workers.values()) {
        slots += s.gone ? 0 : s.worker.slots();
      }
      return Math.max(1, slots);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes queued jobs into free slots, the least loaded worker first; returns the attempts to send.
   * Holds lock.
   */
  private List<Attempt> placeLocked() {
    List<Attempt> placed = null;
    while (!queue.isEmpty()) {
      Slot slot = leastLoaded();
      if (slot == null) {
        break;
      }
      Job job = queue.poll();
      if (!job.start(job)) {
        continue; // cancelled or completed by hand while it waited
      }
      Attempt a = new Attempt(job, slot, ++job.attempts);
      slot.running.add(a);
      job.current = a;
      if (placed == null) {
        placed = new ArrayList<>();
      }
      placed.add(a);
    }
    return placed == null ? List.of() : placed;
  }

  private Slot leastLoaded() {
    Slot best = null;
    double bestLoad = 1;
    for (Slot s : workers.values()) {
      if (s.gone) {
        continue;
      }
      double load = (double) s.running.size() / s.worker.slots();
      if (load < bestLoad) {
        best = s;
        bestLoad = load;
      }
    }
    return best;
  }

  /** Hands placed attempts to the backend, outside the lock. */
  private void send(List<Attempt> placed) {
    for (Attempt a : placed) {
      Job job = a.job;
      RunningTask handle;
      try {
        handle =
            backend.run(
                a.slot.worker,
                new BackendTask(job.id, job.description(), job.payload, a.number),
                a);
      } catch (RuntimeException e) {
        a.failed(e);
        continue;
      }
      a.handle = handle;
      if (a.stopRequested) {
        handle.stop();
      }
      if (timeoutNanos > 0) {
        a.timeout = timer.schedule(() -> onTimeout(a), timeoutNanos, TimeUnit.NANOSECONDS);
      }
    }
  }

  // ---- outcomes --------------------------------------------------------------------------------

  /**
   * Frees {@code a}'s slot and, if it is still its job's current attempt, completes the job with
   * {@code outcome} on the completer.
   */
  private void settle(Attempt a, Runnable outcome) {
    List<Attempt> placed;
    boolean deliver;
    lock.lock();
    try {
      if (!a.slot.running.remove(a)) {
        return; // reported twice, or its worker was lost and handled already
      }
      deliver = a.job.current == a;
      if (deliver) {
        a.job.current = null;
        completing++;
      }
      placed = placeLocked();
    } finally {
      lock.unlock();
    }
    if (a.timeout != null) {
      a.timeout.cancel(false);
    }
    send(placed);
    if (deliver) {
      deliver(outcome);
    } else {
      checkTermination();
    }
  }

  /** Runs {@code outcome}, which completes a future, on the completer; counted in completing. */
  private void deliver(Runnable outcome) {
    Runnable counted =
        () -> {
          try {
            outcome.run();
          } finally {
            lock.lock();
            try {
              completing--;
            } finally {
              lock.unlock();
            }
            checkTermination();
          }
        };
    try {
      completer.execute(counted);
    } catch (RejectedExecutionException e) {
      counted.run(); // the completer is gone only once terminated: nothing else is left
    }
  }

  private void onTimeout(Attempt a) {
    lock.lock();
    try {
      if (a.job.current != a) {
        return;
      }
      a.job.current = null; // the attempt keeps its slot until the backend reports it
      completing++;
    } finally {
      lock.unlock();
    }
    a.stop();
    Duration limit = Duration.ofNanos(timeoutNanos);
    deliver(
        () ->
            a.job.completeExceptionally(
                new TaskTimeoutException(
                    a.job.description()
                        + " did not finish within "
                        + limit
                        + " on "
                        + a.slot.worker
                        + (backend.capabilities().contains(BackendCapability.KILL_RUNNING_TASK)
                            ? "; it was stopped"
                            : "; its thread was interrupted"),
                    a.job.description(),
                    limit)));
  }

  /** The worker running {@code a} was lost before its outcome came: retry, fail, or break. */
  private void onLost(Attempt a, WorkerFailure failure) {
    List<Attempt> placed;
    Runnable outcome = null;
    BrokenProcessPoolException breakWith = null;
    lock.lock();
    try {
      if (!a.slot.running.remove(a)) {
        return;
      }
      if (a.job.current == a) {
        a.job.current = null;
        if (deathPolicy == WorkerDeathPolicy.BREAK_POOL) {
          breakWith = brokenBy(a, failure);
          completing++; // the job fails with the breakage, below
        } else {
          outcome = lostLocked(a, failure);
        }
      }
      placed = breakWith == null ? placeLocked() : List.of();
    } finally {
      lock.unlock();
    }
    send(placed);
    if (breakWith != null) {
      breakExecutor(breakWith);
      BrokenProcessPoolException reason = broken();
      deliver(() -> a.job.completeExceptionally(copyOf(reason)));
    } else if (outcome != null) {
      deliver(outcome);
    } else {
      checkTermination();
    }
  }

  /** {@code a}'s worker was lost before it took the task: back to the head of the queue. */
  private void onNotRun(Attempt a) {
    List<Attempt> placed;
    lock.lock();
    try {
      a.slot.gone = true;
      if (!a.slot.running.remove(a) || a.job.current != a) {
        return;
      }
      a.job.current = null;
      a.job.attempts--; // it never ran: this attempt does not count
      if (state == BROKEN) {
        placed = List.of();
      } else {
        a.job.unstart();
        queue.addFirst(a.job);
        placed = placeLocked();
      }
    } finally {
      lock.unlock();
    }
    send(placed);
    checkTermination();
  }

  /**
   * Decides the fate of {@code a}, whose worker was lost, under REPLACE_WORKER: retried (null is
   * returned and the job is back at the head of the queue) or failed (the returned outcome fails
   * it, counted in completing). Holds lock.
   */
  private Runnable lostLocked(Attempt a, WorkerFailure failure) {
    Job job = a.job;
    if (job.attempts <= job.retries && state != BROKEN) {
      job.unstart();
      queue.addFirst(job);
      return null;
    }
    WorkerFailure withTask = withTask(failure, a);
    String message =
        "Worker "
            + a.slot.worker
            + " was lost"
            + exitOf(failure)
            + " while running "
            + job.description()
            + (job.retries > 0 ? ", its attempt " + job.attempts + " of " + (job.retries + 1) : "")
            + ". The executor carries on with the workers left.";
    completing++;
    return () -> job.completeExceptionally(new WorkerDiedException(message, withTask));
  }

  private BrokenProcessPoolException brokenBy(Attempt a, WorkerFailure failure) {
    return new BrokenProcessPoolException(
        "Worker "
            + a.slot.worker
            + " was lost"
            + exitOf(failure)
            + " while running "
            + a.job.description()
            + ", "
            + name
            + " is not usable anymore",
        withTask(failure, a),
        null);
  }

  private static String exitOf(WorkerFailure failure) {
    return failure.exitCodeIfKnown().isPresent() ? " (" + failure.exitDescription() + ")" : "";
  }

  private static WorkerFailure withTask(WorkerFailure f, Attempt a) {
    return new WorkerFailure(
        f.workerName(),
        f.pid(),
        f.exitCode(),
        f.signal(),
        a.job.description(),
        f.uptime(),
        f.tasksCompleted(),
        f.stderrTail());
  }

  /** Fails every unfinished task with {@code e}, stops the running ones; the executor is broken. */
  private void breakExecutor(BrokenProcessPoolException e) {
    List<Job> failed = new ArrayList<>();
    List<Attempt> toStop = new ArrayList<>();
    lock.lock();
    try {
      if (broken == null && state != TERMINATED) {
        broken = e;
        state = BROKEN;
      }
      failed.addAll(queue);
      queue.clear();
      // The running attempts are stopped and forgotten: what the backend reports of them later
      // is dropped, and termination does not wait for a backend that may never report again.
      for (Slot s : workers.values()) {
        for (Attempt a : s.running) {
          if (a.job.current == a) {
            a.job.current = null;
            failed.add(a.job);
          }
          toStop.add(a);
        }
        s.running.clear();
      }
      completing += failed.size();
    } finally {
      lock.unlock();
    }
    BrokenProcessPoolException reason = broken();
    for (Attempt a : toStop) {
      a.stop();
    }
    for (Job job : failed) {
      deliver(() -> job.completeExceptionally(copyOf(reason)));
    }
    checkTermination();
  }

  private BrokenProcessPoolException broken() {
    lock.lock();
    try {
      return broken;
    } finally {
      lock.unlock();
    }
  }

  private static BrokenProcessPoolException copyOf(BrokenProcessPoolException e) {
    return new BrokenProcessPoolException(e.getMessage(), e.failure().orElse(null), e.getCause());
  }

  /** What the backend reports about its workers. */
  private final class Listener implements BackendListener {
    @Override
    public void workerAdded(BackendWorker worker) {
      List<Attempt> placed;
      lock.lock();
      try {
        if (state == TERMINATED || workers.containsKey(worker.id())) {
          return;
        }
        workers.put(worker.id(), new Slot(worker));
        placed = placeLocked();
      } finally {
        lock.unlock();
      }
      send(placed);
    }

    @Override
    public void workerLost(BackendWorker worker, WorkerFailure failure) {
      List<Attempt> lost;
      lock.lock();
      try {
        Slot slot = workers.get(worker.id());
        if (slot == null || slot.reportedLost) {
          return;
        }
        slot.reportedLost = true;
        slot.gone = true; // takes no more tasks; stays listed until its attempts are handled
        lost = new ArrayList<>(slot.running);
      } finally {
        lock.unlock();
      }
      for (Attempt a : lost) {
        onLost(a, failure);
      }
      lock.lock();
      try {
        workers.remove(worker.id());
      } finally {
        lock.unlock();
      }
      checkTermination();
    }

    @Override
    public void backendFailed(Throwable cause) {
      breakExecutor(
          new BrokenProcessPoolException(
              "The "
                  + backend.name()
                  + " backend failed, "
                  + name
                  + " is not usable anymore: "
                  + cause,
              cause));
    }
  }

  // ---- shutting down ---------------------------------------------------------------------------

  @Override
  public void shutdown(boolean wait, boolean cancelFutures) {
    List<Job> cancelled = List.of();
    lock.lock();
    try {
      if (state == RUNNING) {
        state = SHUTDOWN;
      }
      if (cancelFutures) {
        cancelled = new ArrayList<>(queue);
        queue.clear();
      }
    } finally {
      lock.unlock();
    }
    for (Job job : cancelled) {
      job.forceCancel();
    }
    checkTermination();
    if (wait) {
      awaitTerminationStoppingOnInterrupt();
    }
  }

  @Override
  public List<Runnable> shutdownNow() {
    List<Job> neverRan;
    List<Attempt> toStop = new ArrayList<>();
    lock.lock();
    try {
      if (state == RUNNING) {
        state = SHUTDOWN;
      }
      neverRan = new ArrayList<>(queue);
      queue.clear();
      for (Slot s : workers.values()) {
        for (Attempt a : s.running) {
          if (a.job.current == a) {
            toStop.add(a);
          }
        }
      }
    } finally {
      lock.unlock();
    }
    List<Runnable> tasks = new ArrayList<>(neverRan.size());
    for (Job job : neverRan) {
      if (job.forceCancel()) {
        tasks.add(Calls.neverRan(job.call));
      }
    }
    for (Attempt a : toStop) {
      a.job.cancel(true);
    }
    checkTermination();
    return tasks;
  }

  /** Terminates once shut down or broken and nothing is queued, running or being completed. */
  private void checkTermination() {
    lock.lock();
    try {
      if ((state != SHUTDOWN && state != BROKEN)
          || !queue.isEmpty()
          || completing > 0
          || busyLocked()) {
        return;
      }
      if (closing) {
        return;
      }
      closing = true;
    } finally {
      lock.unlock();
    }
    timer.shutdownNow();
    completer.shutdown();
    // Closed on a thread of its own: this may be the backend's thread (an outcome's), and closing
    // may block (a member leaving its cluster). Terminated once closed.
    Threads.newDaemonInRootGroup(this::closeBackend, name + "-closing").start();
  }

  private void closeBackend() {
    try {
      backend.close();
    } catch (RuntimeException e) {
      Calls.reportUncaught(e);
    } finally {
      lock.lock();
      try {
        state = TERMINATED;
        terminated.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private boolean busyLocked() {
    for (Slot s : workers.values()) {
      if (!s.running.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean isShutdown() {
    return state != RUNNING;
  }

  @Override
  public boolean isTerminated() {
    return state == TERMINATED;
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
      return name
          + "["
          + names[state]
          + ", backend="
          + backend.name()
          + ", workers="
          + workers.size()
          + ", queued="
          + queue.size()
          + ", running="
          + workers.values().stream().mapToInt(s -> s.running.size()).sum()
          + "]";
    } finally {
      lock.unlock();
    }
  }

  // ---- the pieces ------------------------------------------------------------------------------

  /** A worker and the attempts placed on it. Guarded by lock. */
  private static final class Slot {
    final BackendWorker worker;
    final Set<Attempt> running = new LinkedHashSet<>();
    boolean gone; // lost, as reported by the listener or by a task: takes no more tasks
    boolean reportedLost; // the listener reported the loss: its attempts are being handled

    Slot(BackendWorker worker) {
      this.worker = worker;
    }
  }

  /** A task: its future and queue item in one. */
  private final class Job extends TaskFuture<Object> implements TaskFuture.Canceller {
    final long id;
    final Callable<?> call; // for shutdownNow's list of tasks that never ran
    Object payload; // set before the job is queued
    int retries; // how many times it may run again if its worker is lost; set before queued
    int attempts; // guarded by lock
    Attempt current; // the attempt whose outcome completes the job, or null; guarded by lock

    Job(long id, TaskName taskName, Callable<?> call) {
      super(id, taskName);
      this.id = id;
      this.call = call;
    }

    @Override
    public boolean cancelRunning(TaskFuture<?> future) {
      if (!canStop) {
        return false;
      }
      Attempt a;
      lock.lock();
      try {
        a = current;
        if (a == null) {
          return false;
        }
        current = null; // the attempt keeps its slot until the backend reports it
      } finally {
        lock.unlock();
      }
      a.stop();
      return forceCancel();
    }
  }

  /** One run of a job on one worker; the backend reports its outcome here. */
  private final class Attempt implements TaskCallback {
    final Job job;
    final Slot slot;
    final int number;
    volatile RunningTask handle;
    volatile boolean stopRequested;
    volatile ScheduledFuture<?> timeout;

    Attempt(Job job, Slot slot, int number) {
      this.job = job;
      this.slot = slot;
      this.number = number;
    }

    void stop() {
      stopRequested = true;
      RunningTask h = handle;
      if (h != null) {
        h.stop();
      }
    }

    @Override
    public void completed(Object result) {
      settle(this, () -> job.complete(result));
    }

    @Override
    public void failed(Throwable failure) {
      settle(this, () -> job.completeExceptionally(failure));
    }

    @Override
    public void lost(WorkerFailure failure) {
      onLost(this, failure);
    }

    @Override
    public void notRun(WorkerFailure failure) {
      onNotRun(this);
    }
  }

  // ---- building --------------------------------------------------------------------------------

  /**
   * Configures a {@link BackendExecutor}. A setting that needs a capability the backend lacks is
   * refused by its setter, with a message that names the backend and the capability. Each setting
   * may be set once. This class is not thread-safe.
   */
  public static final class Builder {
    private final ExecutorBackend backend;
    private String name;
    private WorkerDeathPolicy deathPolicy;
    private int retries;
    private Duration taskTimeout;
    private SerializableRunnable initializer;
    private String allowedClasses;

    private Builder(ExecutorBackend backend) {
      this.backend = backend;
    }

    /**
     * Names the executor, in its threads and messages.
     *
     * @param name the executor's name; not blank
     * @return this builder
     */
    public Builder name(String name) {
      checkState(this.name == null, "name was already set to %s", this.name);
      checkArgument(name != null && !name.isBlank(), "name must not be blank");
      this.name = name;
      return this;
    }

    /**
     * Sets what the executor does when a worker is lost while it runs a task of this executor. The
     * default is {@link WorkerDeathPolicy#BREAK_POOL}, as for a process pool; for a cluster, whose
     * members come and go, {@link WorkerDeathPolicy#REPLACE_WORKER} is usually what you want.
     *
     * @param policy what to do when a worker is lost
     * @return this builder
     */
    public Builder workerDeathPolicy(WorkerDeathPolicy policy) {
      Objects.requireNonNull(policy, "policy");
      checkState(this.deathPolicy == null, "workerDeathPolicy was already set to %s", deathPolicy);
      this.deathPolicy = policy;
      return this;
    }

    /**
     * Declares every task of this executor safe to run more than once, and runs a task whose worker
     * was lost again on another worker, up to {@code retries} times; after that it fails with
     * {@link WorkerDiedException}. Only with {@link WorkerDeathPolicy#REPLACE_WORKER}: under {@code
     * BREAK_POOL} a lost worker breaks the executor.
     *
     * <p>A task whose worker is lost may have run in part or in full: retry only tasks whose
     * effects are harmless to repeat (a pure function, an idempotent write).
     *
     * @param retries how many times a task may be run again, at least 1
     * @return this builder
     */
    public Builder retryOnWorkerLoss(int retries) {
      checkArgument(retries >= 1, "retryOnWorkerLoss must be at least 1, was %s", retries);
      checkState(this.retries == 0, "retryOnWorkerLoss was already set to %s", this.retries);
      this.retries = retries;
      return this;
    }

    /**
     * Sets a time limit on every task, counted from when a worker takes it. At the limit the task's
     * future fails with {@link TaskTimeoutException} and the task is stopped: killed, on a backend
     * with {@link BackendCapability#KILL_RUNNING_TASK}; interrupted, on one with {@link
     * BackendCapability#INTERRUPT_RUNNING_TASK}, where a task that ignores interrupts keeps its
     * worker's slot until it returns. {@code cancel(true)} on a running task stops it the same way.
     *
     * @param timeout the time limit of each task; positive
     * @return this builder
     * @throws UnsupportedOperationException if the backend can neither kill nor interrupt a task
     */
    public Builder taskTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      checkState(this.taskTimeout == null, "taskTimeout was already set to %s", taskTimeout);
      checkArgument(
          timeout.compareTo(Duration.ZERO) > 0, "taskTimeout must be positive, was %s", timeout);
      Set<BackendCapability> can = backend.capabilities();
      if (!can.contains(BackendCapability.KILL_RUNNING_TASK)
          && !can.contains(BackendCapability.INTERRUPT_RUNNING_TASK)) {
        throw unsupported("taskTimeout", "neither KILL_RUNNING_TASK nor INTERRUPT_RUNNING_TASK");
      }
      this.taskTimeout = timeout;
      return this;
    }

    /**
     * Runs {@code initializer} in each worker before its first task of this executor.
     *
     * @param initializer what each worker runs first
     * @return this builder
     * @throws UnsupportedOperationException if the backend lacks {@link
     *     BackendCapability#WORKER_INITIALIZER}
     */
    public Builder initializer(SerializableRunnable initializer) {
      Objects.requireNonNull(initializer, "initializer");
      checkState(this.initializer == null, "initializer was already set");
      if (!backend.capabilities().contains(BackendCapability.WORKER_INITIALIZER)) {
        throw unsupported("initializer", "no WORKER_INITIALIZER");
      }
      this.initializer = initializer;
      return this;
    }

    /**
     * Widens (or narrows) the deserialization allow-list where tasks and results are read, as
     * {@link ProcessPoolExecutor.Builder#allowClasses}.
     *
     * @param patterns the filter patterns, none empty
     * @return this builder
     * @throws IllegalArgumentException if a pattern is malformed
     */
    public Builder allowClasses(String... patterns) {
      checkState(allowedClasses == null, "allowClasses was already set to %s", allowedClasses);
      for (String p : patterns) {
        checkArgument(p != null && !p.isBlank(), "allowClasses: a pattern is empty");
      }
      String joined = String.join(";", patterns);
      java.io.ObjectInputFilter.Config.createFilter(joined); // validates
      this.allowedClasses = joined;
      return this;
    }

    private UnsupportedOperationException unsupported(String setting, String lacks) {
      return new UnsupportedOperationException(
          "The "
              + backend.name()
              + " backend cannot honour "
              + setting
              + ": it has "
              + lacks
              + " (its capabilities: "
              + backend.capabilities()
              + ")");
    }

    /**
     * Starts the backend and returns the executor.
     *
     * @return the executor
     * @throws IllegalStateException if {@code retryOnWorkerLoss} was set without {@code
     *     REPLACE_WORKER}
     * @throws UncheckedIOException if the backend cannot start
     */
    public BackendExecutor build() {
      checkState(
          retries == 0 || deathPolicy == WorkerDeathPolicy.REPLACE_WORKER,
          "retryOnWorkerLoss needs workerDeathPolicy(WorkerDeathPolicy.REPLACE_WORKER): under"
              + " BREAK_POOL a lost worker breaks the executor");
      BackendExecutor executor = new BackendExecutor(this);
      try {
        backend.start(
            executor.name,
            allowedClasses == null ? "" : allowedClasses,
            initializer,
            executor.new Listener());
      } catch (IOException e) {
        executor.timer.shutdownNow();
        executor.completer.shutdown();
        backend.close();
        throw new UncheckedIOException(
            "could not start the " + backend.name() + " backend: " + e.getMessage(), e);
      }
      return executor;
    }
  }
}
