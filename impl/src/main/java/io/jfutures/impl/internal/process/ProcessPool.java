package io.jfutures.impl.internal.process;

import io.jfutures.api.BrokenProcessPoolException;
import io.jfutures.api.TaskSerializationException;
import io.jfutures.api.TaskTimeoutException;
import io.jfutures.api.WorkerDiedException;
import io.jfutures.api.WorkerFailure;
import io.jfutures.impl.WorkerDeathPolicy;
import io.jfutures.impl.internal.Calls;
import io.jfutures.impl.internal.Durations;
import io.jfutures.impl.internal.KeepAlive;
import io.jfutures.impl.internal.PoolMetrics;
import io.jfutures.impl.internal.TaskFuture;
import io.jfutures.impl.internal.TaskName;
import io.jfutures.spi.WorkerExit;
import io.jfutures.spi.WorkerHandle;
import io.jfutures.spi.WorkerLauncher;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The scheduler of a process pool: the queue of tasks not yet sent, the workers, and the pool's
 * lifecycle. {@code ProcessPoolExecutor} is its public face; {@link PoolWorker} speaks to one
 * worker; {@link WorkerMain} is the worker's side.
 *
 * <pre>
 * The path of a task:
 *   schedule()        Admission checks the pool accepts the task and serializes it on the
 *                     caller's thread, then, under the lock, waits for room (maxQueued); the task
 *                     is queued (TaskQueue), and a worker started (Workers) if none is idle and
 *                     fewer than maxWorkers accept work
 *   Dispatch          a small task that finds a worker idle, or one that may take it ahead, is
 *   .workerToWriteTo() written to it by the caller itself, holding its write turn (writeDirectly);
 *   .nextAction()     a worker's sender thread takes it from the queue when the dispatch policy
 *                     lets it (its future becomes RUNNING; onSent starts a timed task's clock) and
 *                     writes it to the worker (PoolWorker)
 *   WorkerMain        runs it and writes back RESULT or FAILURE
 *   onOutcome()       the worker's receiver thread (WorkerReceiver) takes it off the worker's
 *                     in-flight list, then completes the future outside the lock; onTaskDone lets
 *                     go of what the task held
 *   or instead        onTimeout (TaskTimers fired): its worker is killed, its future failed;
 *                     onWorkerGone (the channel closed): the death policy's verdict on the
 *                     worker's tasks, worded by WorkerDeaths
 *
 * States (field state, written holding lock; volatile, so that a submit refuses a task early,
 * before it serializes it, without the lock):
 *   RUNNING     accepts tasks
 *   SHUTDOWN    refuses tasks; runs the queued ones, starting workers if it must
 *   BROKEN      a worker died (under BREAK_POOL), could not start, or its initializer failed:
 *               every pending future failed, every worker is killed; refuses tasks
 *   TERMINATED  no worker left and nothing queued; terminal
 *
 * RUNNING -> SHUTDOWN -> TERMINATED;  RUNNING|SHUTDOWN -> BROKEN -> TERMINATED
 * </pre>
 *
 * Its parts, each a class of its own, in the order a task meets them: {@link Admission} (whether a
 * task may enter, and the wait for room), {@link TaskQueue} (the tasks not yet sent, and the count
 * that {@code maxQueued} and worker starts go by), {@link Workers} (the workers, and when one
 * starts, is ready and retires), {@link Dispatch} (which worker takes which task, and when a busy
 * worker may be sent another), {@link WorkerSpecs} (what a worker is started with), {@link
 * TaskTimers} (the clocks of timed tasks), {@link WorkerReceiver} (reading a worker's outcomes),
 * {@link WorkerDeaths} (the report of a worker that died). Admission, TaskQueue, Workers and
 * Dispatch are guarded by this pool's lock and have none of their own; they read the pool's state
 * through a small interface ({@link Admission.PoolState}, {@link Workers.Pool}, {@link
 * Dispatch.Pool}). What stays here is the lock and what it guards: the pool's state machine, what
 * follows a send, the verdicts that reach beyond one worker (a worker that cannot launch or whose
 * initializer fails breaks the pool), the verdicts on a timed-out task and on a dead worker's
 * tasks, and shutdown.
 *
 * <p>Futures are completed and workers killed outside the lock; no I/O happens under it. A worker
 * counts as idle while it accepts work and has nothing in flight.
 *
 * <p>This class is thread-safe.
 */
public final class ProcessPool {
  private static final int RUNNING = 0;
  private static final int SHUTDOWN = 1;
  private static final int BROKEN = 2;
  private static final int TERMINATED = 3;

  /** The pool a thread works for, set on each worker's sender and receiver threads. */
  static final ThreadLocal<ProcessPool> OWNER = new ThreadLocal<>();

  private static final Set<ProcessPool> LIVE_POOLS = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> LIVE_POOLS.forEach(ProcessPool::shutdownForExit),
                "jfutures-process-pool-shutdown-hook"));
  }

  final PoolConfig config;
  final WorkerLauncher launcher;
  final Codec.ClassTable table;
  private final ClassFilter filter;
  private final AtomicLong taskCounter = new AtomicLong();
  private final KeepAlive keepAlive = new KeepAlive("jfutures-process-pool-keepalive");

  final ReentrantLock lock = new ReentrantLock();
  private final Condition terminated = lock.newCondition();
  private final Condition notFull = lock.newCondition();

  // Guarded by lock; state, broken and jvmExiting are also read without it (Admission).
  private volatile int state = RUNNING;
  private final TaskQueue queue = new TaskQueue(notFull);
  private volatile BrokenProcessPoolException broken;
  private boolean killing;

  /** Set when the JVM exits with this pool open: see {@link #shutdownForExit}. */
  private volatile boolean jvmExiting;

  /** Timed-out futures handed to TaskTimers.complete and not yet completed: termination waits. */
  private int timeoutsCompleting;

  /** What each worker is started with. */
  final WorkerSpecs specs;

  /** Whether a task may enter, and the wait for room. */
  private final Admission admission;

  /** The workers, and when one starts, is ready and retires. */
  final Workers workers;

  /** Which worker takes which task. */
  final Dispatch dispatch;

  /** What an operator reads (JMX) and the log says. */
  private final PoolMetrics metrics;

  /**
   * Creates a pool with these settings, and starts its workers now if {@code config.prestart()}.
   *
   * @throws IllegalStateException if the workers' class path cannot be told: see {@link
   *     WorkerSpecs}
   */
  public ProcessPool(PoolConfig config) {
    this.config = config;
    this.launcher = config.launcher();
    this.specs = new WorkerSpecs(config);
    this.filter = new ClassFilter(config.allowedClasses());
    this.table = new Codec.ClassTable(filter);
    this.admission =
        new Admission(
            notFull,
            queue,
            config.maxQueued(),
            config.blockWhenFull(),
            table,
            new AdmissionState());
    this.workers =
        new Workers(lock, queue, config.maxWorkers(), config.maxTasksPerChild(), new WorkersPool());
    this.dispatch = new Dispatch(lock, workers.list(), queue, new DispatchPool());
    this.metrics = new PoolMetrics("ProcessPoolExecutor", config.name(), new Gauges());
    metrics.register();
    if (config.prestart()) {
      Throwable notStarted = null;
      lock.lock();
      try {
        for (int i = 0; i < config.maxWorkers() && notStarted == null; i++) {
          notStarted = workers.start();
        }
      } finally {
        lock.unlock();
      }
      if (notStarted != null) {
        shutdownNow();
        throw new IllegalStateException(
            "could not start a thread for a worker: " + notStarted, notStarted);
      }
    }
  }

  /** Returns what the pool reports to an operator. */
  public PoolMetrics metrics() {
    return metrics;
  }

  // ---- submitting --------------------------------------------------------------------------

  public <T> TaskFuture<T> schedule(Callable<T> call) {
    Duration timeout = config.taskTimeout();
    return schedule(call, timeout == null ? 0 : timeout.toNanos());
  }

  /**
   * Queues {@code call} with a time limit ({@code timeoutNanos}, 0 for none), counted from when it
   * is sent to a worker.
   */
  public <T> TaskFuture<T> schedule(Callable<T> call, long timeoutNanos) {
    long id = taskCounter.incrementAndGet();
    Object userTask = Calls.userTask(call);
    TaskFuture<T> future = new TaskFuture<>(id, TaskName.of(userTask));
    if (Calls.retriesMarked(call) > 0) {
      throw new RejectedExecutionException(
          "cannot submit "
              + future.description()
              + ", marked to run again if its worker is lost: a ProcessPoolExecutor never runs a"
              + " task twice (its worker death policy breaks the pool or fails the task); run it"
              + " on a BackendExecutor over a LocalProcessBackend, with"
              + " workerDeathPolicy(WorkerDeathPolicy.REPLACE_WORKER)");
    }
    admission.checkAccepting(future);
    Codec.Payload payload = admission.serialize(call, userTask, future);
    Task task = new Task(this, id, future, payload, timeoutNanos, call);
    PoolWorker writeTo = null;
    List<Task> strays = List.of();
    Throwable notStarted;
    BrokenProcessPoolException breakWith = null;
    lock.lock();
    try {
      admission.checkAccepting(future);
      admission.awaitRoom(future);
      keepAlive.taskStarted(); // finished by onTaskDone, once the future completes
      queue.add(task);
      notStarted = workers.maybeStart();
      if (notStarted == null) {
        writeTo = dispatch.workerToWriteTo(task);
        strays = dispatch.takeStrays();
        if (writeTo == null) {
          dispatch.wakeOne();
        }
      } else {
        // This submit needed a worker that could not be started: it fails, and its task goes.
        queue.removeLast(task);
        if (queue.waiting() > 0 && workers.noneAcceptsWork()) {
          // Else the tasks left would wait for ever. Broken at once, as in onWorkerGone: no
          // submit may slip in, and no worker start, before breakPool below fails the rest.
          breakWith = workerThreadNotStarted(notStarted);
          markBroken(breakWith);
        }
      }
    } finally {
      lock.unlock();
    }
    Dispatch.failStrays(strays);
    future.whenComplete(task);
    if (notStarted != null) {
      future.forceCancel();
      if (breakWith != null) {
        breakPool(breakWith, null);
      }
      throw new RejectedExecutionException(
          "cannot submit "
              + future.description()
              + ": the pool could not start a thread for a new worker: "
              + notStarted,
          notStarted);
    }
    if (writeTo != null) {
      dispatch.writeDirectly(writeTo, task);
    }
    return future;
  }

  /** The pool as its {@link Admission} sees it. */
  private final class AdmissionState implements Admission.PoolState {
    @Override
    public BrokenProcessPoolException broken() {
      return broken;
    }

    @Override
    public boolean running() {
      return state == RUNNING;
    }

    @Override
    public boolean jvmExiting() {
      return jvmExiting;
    }
  }

  /**
   * Called once {@code task}'s future has completed, on the thread that completed it: lets go of
   * what the task held. Its count towards keeping the JVM alive; its timer, which would otherwise
   * keep the task, its payload and its result until the deadline; and, for a task completed while
   * it waited (cancelled, say), its place in the queue: it no longer counts against {@code
   * maxQueued} nor asks for a worker.
   */
  void onTaskDone(Task task) {
    keepAlive.taskFinished();
    metrics.onTaskDone(task.future, task.submittedNanos);
    ScheduledFuture<?> timer = task.timer;
    if (timer != null) {
      timer.cancel(false);
    }
    if (task.queued) {
      lock.lock();
      try {
        queue.doneWhileWaiting(task);
      } finally {
        lock.unlock();
      }
      checkTermination(); // the last waiting task of a pool shut down
    }
  }

  private static BrokenProcessPoolException workerThreadNotStarted(Throwable e) {
    return new BrokenProcessPoolException(
        "The pool could not start a thread for a worker while tasks wait and no worker can take"
            + " them, the process pool is not usable anymore: "
            + e,
        e);
  }

  /** A copy of the pool's breakage, so that each caller gets its own stack. */
  static BrokenProcessPoolException copyOf(BrokenProcessPoolException e) {
    return new BrokenProcessPoolException(e.getMessage(), e.failure().orElse(null), e.getCause());
  }

  /** The pool as its {@link Workers} see it. */
  private final class WorkersPool implements Workers.Pool {
    @Override
    public boolean broken() {
      return broken != null;
    }

    @Override
    public boolean killing() {
      return killing;
    }

    @Override
    public boolean terminated() {
      return state == TERMINATED;
    }

    @Override
    public PoolWorker newWorker(String name) {
      LIVE_POOLS.add(ProcessPool.this);
      metrics.onWorkerStarting(name);
      return new PoolWorker(ProcessPool.this, name);
    }

    @Override
    public void startClock(Task task) {
      ProcessPool.this.startClock(task);
    }

    @Override
    public void workerReady(PoolWorker worker) {
      metrics.onWorkerReady(worker.name, System.nanoTime() - worker.startNanos);
    }

    @Override
    public void workerRetiring(PoolWorker worker, String why) {
      metrics.onWorkerRecycled(worker.name, why);
    }
  }

  /** The figures of the present, for {@link PoolMetrics}: each read under the lock. */
  private final class Gauges implements PoolMetrics.Now {
    @Override
    public int queued() {
      lock.lock();
      try {
        return queue.waiting();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public int running() {
      lock.lock();
      try {
        int n = 0;
        for (PoolWorker w : workers.list()) {
          n += w.inFlight.size();
        }
        return n;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public int busyWorkers() {
      return count(1);
    }

    @Override
    public int idleWorkers() {
      return count(2);
    }

    @Override
    public int startingWorkers() {
      return count(0);
    }

    private int count(int which) {
      lock.lock();
      try {
        return workers.counts()[which];
      } finally {
        lock.unlock();
      }
    }
  }

  // ---- a worker's sender -------------------------------------------------------------------

  /** The pool as its {@link Dispatch} sees it. */
  private final class DispatchPool implements Dispatch.Pool {
    @Override
    public boolean broken() {
      return broken != null;
    }

    @Override
    public boolean running() {
      return state == RUNNING;
    }

    @Override
    public boolean cancelRunning(Task task) {
      return ProcessPool.this.cancelRunning(task);
    }

    @Override
    public void sent(PoolWorker worker, Task task) {
      onSent(worker, task);
    }
  }

  /**
   * {@code task} was just put in flight on {@code worker}: starts its clock, or, before the worker
   * is ready, its wait for the initializer; and lets {@link Workers#onSent} retire the worker once
   * it has been sent its maxTasksPerChild. Holds lock.
   */
  private void onSent(PoolWorker worker, Task task) {
    if (task.timeoutNanos > 0) {
      if (worker.ready) {
        startClock(task);
      } else {
        // onReady starts its clock: the task waits for the initializer first. But not forever.
        Task sent = task;
        int send = task.sends;
        TaskTimers.arm(
            task,
            () -> onTimeout(sent, send, true),
            Durations.toNanosSaturated(config.startTimeout()) + task.timeoutNanos);
      }
    }
    workers.onSent(worker);
  }

  // ---- a worker's receiver -----------------------------------------------------------------

  Codec.Payload initPayload(String workerName) throws IOException {
    return new WorkerConfig(
            workerName, config.initializer(), config.allowedClasses(), config.maxHeapBytes())
        .encode(table);
  }

  Codec.ClassIndex newClassIndex() {
    return new Codec.ClassIndex(config.classLoader(), filter, false);
  }

  /**
   * Marks the pool broken by {@code worker}'s failed initializer and returns the breakage, which
   * the caller then hands to {@link #breakPool} to fail the tasks. Marked first, by the receiver
   * itself: failing the tasks runs callbacks, during which another thread may take over the
   * receiver, read the worker's end and must find the pool broken by this cause already.
   */
  BrokenProcessPoolException onInitFailed(PoolWorker worker, Throwable cause) {
    BrokenProcessPoolException e =
        new BrokenProcessPoolException(
            "The initializer of worker "
                + worker
                + " failed, the process pool is not usable anymore: "
                + cause,
            cause);
    lock.lock();
    try {
      markBroken(e);
    } finally {
      lock.unlock();
    }
    return e;
  }

  /** Takes the finished task off {@code worker}; returns null if it was already accounted for. */
  Task onOutcome(PoolWorker worker, long id, long runNanos) throws IOException {
    lock.lock();
    try {
      Task task = worker.inFlight.peek();
      if (task == null || task.id != id) {
        throw new IOException(
            "worker " + worker + " answered for task #" + id + ", expected " + task);
      }
      worker.inFlight.poll();
      worker.completed++;
      worker.meanRunNanos =
          worker.meanRunNanos < 0 ? runNanos : (worker.meanRunNanos * 7 + runNanos) / 8;
      if (task == worker.killedFor) {
        worker.killRaced = true;
      }
      dispatch.wakeAfterOutcome(worker); // only its sender can act on this
      return task;
    } finally {
      lock.unlock();
    }
  }

  void onLaunchFailed(PoolWorker worker, Throwable cause) {
    WorkerFailure failure =
        new WorkerFailure(
            worker.name,
            -1,
            null,
            null,
            null,
            Duration.ofNanos(System.nanoTime() - worker.startNanos),
            0,
            List.of());
    BrokenProcessPoolException e =
        new BrokenProcessPoolException(
            "Worker "
                + worker.name
                + " could not be started with launcher "
                + launcher.name()
                + ", the process pool is not usable anymore: "
                + cause,
            failure,
            cause);
    lock.lock();
    try {
      workers.gone(worker);
      markBroken(e); // with the worker gone, as in onWorkerGone
    } finally {
      lock.unlock();
    }
    breakPool(e, worker);
    checkTermination();
  }

  /** Called by {@code worker}'s receiver once its channel has closed. */
  void onWorkerGone(PoolWorker worker, IOException channelError) {
    WorkerHandle handle = worker.handle;
    boolean stopped;
    lock.lock();
    try {
      stopped = worker.stopSent || worker.selfRetired;
    } finally {
      lock.unlock();
    }
    if (!stopped) {
      handle.kill(); // its channel broke: make sure it is really gone
    }
    WorkerExit exit = WorkerDeaths.awaitExit(handle);
    List<Task> failed = new ArrayList<>();
    List<Task> cancelled = new ArrayList<>();
    BrokenProcessPoolException breakWith = null;
    WorkerDiedException died = null;
    boolean crashed = false;
    lock.lock();
    try {
      workers.gone(worker);
      List<Task> lost = new ArrayList<>(worker.inFlight);
      worker.inFlight.clear();
      if (worker.killedFor != null) {
        // Killed to stop its running task, whose future is already complete.
        lost.remove(worker.killedFor);
        if (worker.killRaced && !lost.isEmpty() && !killing && broken == null) {
          Task maybeStarted = lost.remove(0);
          died =
              WorkerDeaths.died(
                  worker, exit, maybeStarted, worker.killedWhy + " " + worker.killedFor);
          failed.add(maybeStarted);
        }
        putBack(lost, cancelled, failed);
      } else if (worker.selfRetired) {
        putBack(lost, cancelled, failed); // sent after its last task: never started
      } else if (killing) {
        cancelled.addAll(lost);
      } else if (broken != null) {
        failed.addAll(lost);
      } else if (!(worker.stopSent && lost.isEmpty())) {
        crashed = true;
        Task running = lost.isEmpty() ? null : lost.get(0);
        if (config.deathPolicy() == WorkerDeathPolicy.REPLACE_WORKER) {
          if (running != null) {
            lost.remove(0);
            died = WorkerDeaths.died(worker, exit, running, null);
            failed.add(running);
          }
          requeueFront(lost);
        } else {
          breakWith = WorkerDeaths.broken(worker, exit, running, channelError);
          // Broken at once, with the worker gone: no submit may slip in, and no replacement
          // start, before breakPool below fails the rest.
          markBroken(breakWith);
          failed.addAll(lost);
        }
      }
      Throwable notStarted = workers.maybeStart();
      if (notStarted != null
          && breakWith == null
          && queue.waiting() > 0
          && workers.noneAcceptsWork()) {
        breakWith = workerThreadNotStarted(notStarted); // else its tasks would wait for ever
        markBroken(breakWith);
      }
      dispatch.wakeAll(); // tasks put back in the queue can go to any worker
    } finally {
      lock.unlock();
    }
    if (crashed) {
      metrics.onWorkerCrashed(
          WorkerDeaths.cause(exit), (died != null ? died : breakWith).getMessage());
    }
    if (breakWith != null) {
      breakPool(breakWith, worker);
    }
    for (Task task : failed) {
      task.future.completeExceptionally(
          died != null ? died : copyOf(breakWith != null ? breakWith : brokenOrNull()));
    }
    for (Task task : cancelled) {
      task.future.forceCancel();
    }
    checkTermination();
  }

  /**
   * Deals with tasks a dead worker was sent but never started: back to the head of the queue,
   * unless the pool is being killed ({@code shutdownNow}: cancelled, as the queued ones were) or is
   * broken (failed, as the queued ones were). Put back then, they would wait for ever in a queue
   * that no worker serves any more. Holds lock.
   */
  private void putBack(List<Task> neverStarted, List<Task> cancelled, List<Task> failed) {
    if (killing) {
      cancelled.addAll(neverStarted);
    } else if (broken != null) {
      failed.addAll(neverStarted);
    } else {
      requeueFront(neverStarted);
    }
  }

  private BrokenProcessPoolException brokenOrNull() {
    lock.lock();
    try {
      return broken;
    } finally {
      lock.unlock();
    }
  }

  /** Puts tasks that never started back at the head of the queue, in order. Holds lock. */
  private void requeueFront(List<Task> tasks) {
    for (Task task : tasks) {
      task.worker = null;
      task.future.unstart();
    }
    queue.addFirst(tasks);
  }

  // ---- breaking, cancelling, shutting down -------------------------------------------------

  /** Marks the pool broken by {@code e}, unless it already is. Holds lock. */
  private void markBroken(BrokenProcessPoolException e) {
    if (broken == null) {
      broken = e;
      if (state == RUNNING || state == SHUTDOWN) {
        state = BROKEN;
      }
    }
  }

  /** Breaks the pool: fails every pending task, kills every worker but {@code cause}'s. */
  void breakPool(BrokenProcessPoolException e, PoolWorker origin) {
    List<Task> failed = new ArrayList<>();
    List<WorkerHandle> toKill;
    BrokenProcessPoolException reason;
    lock.lock();
    try {
      markBroken(e);
      reason = broken;
      queue.drainTo(failed);
      for (PoolWorker w : workers.list()) {
        failed.addAll(w.inFlight);
        w.inFlight.clear();
      }
      toKill = workers.killAll(origin);
    } finally {
      lock.unlock();
    }
    // Logged once marked, not before: a log handler may be slow (a test runner's console), and
    // meanwhile the dead worker's receiver would find the pool not broken and break it with a
    // report that lacks this one's cause.
    if (reason == e) {
      metrics.onBroken(e);
    }
    for (WorkerHandle h : toKill) {
      h.kill();
    }
    for (Task task : failed) {
      task.future.completeExceptionally(copyOf(reason));
    }
  }

  /**
   * Called by {@code worker}'s receiver when a frame could not be read (an {@code OutOfMemoryError}
   * for an outcome larger than this heap): kills the worker, as for a timeout, and fails the task
   * whose outcome it was, the oldest in flight. Not a crash: the pool carries on, and the worker's
   * other tasks go back to the queue.
   */
  void onOutcomeUnreadable(PoolWorker worker, Throwable cause) {
    Task task;
    WorkerHandle toKill;
    lock.lock();
    try {
      task = worker.inFlight.peek();
      toKill =
          task == null
              ? worker.handle
              : killFor(worker, task, "because its outcome could not be read:");
    } finally {
      lock.unlock();
    }
    if (toKill != null) {
      toKill.kill();
    }
    if (task != null) {
      task.future.completeExceptionally(
          new TaskSerializationException(
              "could not read the outcome of "
                  + task
                  + " from worker "
                  + worker
                  + ": "
                  + WorkerMain.describe(cause)
                  + "; the worker was killed and is replaced",
              cause));
    }
  }

  /**
   * cancel(true) on a sent task: kills its worker if the task is the first in line there, the one
   * running. A task sent ahead to a busy worker, behind another, may begin at any moment, before
   * word of the cancel could reach the worker: like a running task, it cannot be stopped without
   * killing its worker, and that would kill the task ahead of it too, so the cancel fails (returns
   * false) and the task runs. As in Python, whose pool counts the tasks it has queued for its
   * workers as running. Only short tasks are sent ahead, so it does not wait long.
   */
  private boolean cancelRunning(Task task) {
    WorkerHandle toKill = null;
    boolean waitingAgain;
    lock.lock();
    try {
      PoolWorker worker = task.worker;
      // No worker: back in the queue since cancel() saw it sent, as its worker died before
      // starting it. It is cancelled as a waiting task, below, unless it is sent anew meanwhile.
      waitingAgain = worker == null;
      if (!waitingAgain) {
        if (worker.inFlight.peek() != task) {
          return false; // finished, or sent ahead behind the task running
        }
        toKill = killFor(worker, task, "to cancel");
      }
    } finally {
      lock.unlock();
    }
    if (waitingAgain) {
      return task.future.cancel(false);
    }
    if (toKill != null) {
      toKill.kill();
    }
    return task.future.forceCancel();
  }

  /**
   * Marks {@code worker} as killed to stop {@code task}; returns its handle to kill. Holds lock.
   */
  private WorkerHandle killFor(PoolWorker worker, Task task, String why) {
    if (worker.killedFor != null || worker.state == PoolWorker.State.DEAD) {
      return null;
    }
    worker.killedFor = task;
    worker.killedWhy = why;
    worker.killed = true;
    worker.wake.signal();
    return worker.handle;
  }

  /**
   * Starts a timed task's clock: when it is sent to a ready worker, or when the worker it was sent
   * to becomes ready. The wait for a new worker's initializer is not the task's run time: counted,
   * it would time out every new worker's first timed task, and its replacement's, for as long as
   * the initializer takes longer than the timeout. Holds lock.
   */
  private void startClock(Task task) {
    int send = task.sends;
    TaskTimers.arm(task, () -> onTimeout(task, send, false), task.timeoutNanos);
  }

  /**
   * A timed task ran too long, or, if {@code beforeReady}, still waits for its new worker's
   * initializer after the pool's start timeout and its own: kills its worker and fails its future.
   * So a timed task's future completes even when an initializer hangs.
   *
   * <p>A task whose outcome may be waiting unread is not judged yet: while the worker's receiver
   * handles an earlier frame (a slow callback on an earlier task's future runs there), went back to
   * reading less than {@link TaskTimers#RECEIVER_GRACE_NANOS} ago, or is reading a frame whose
   * bytes last came less than {@link TaskTimers#ARRIVAL_STALL_NANOS} ago (a large result takes a
   * while), the verdict is put off. The outcome, once read, completes the task as usual.
   *
   * <p>Otherwise the worker is killed first, then the future failed on {@link TaskTimers#complete},
   * where its callbacks may take their time.
   */
  private void onTimeout(Task task, int send, boolean beforeReady) {
    WorkerHandle toKill;
    PoolWorker worker;
    lock.lock();
    try {
      worker = task.worker;
      if (worker == null
          || task.sends != send
          || (beforeReady && worker.ready)
          || task.future.isDone()
          || worker.inFlight.peek() != task) {
        return;
      }
      if (!beforeReady && TaskTimers.outcomeMayBeArriving(worker)) {
        TaskTimers.arm(task, () -> onTimeout(task, send, false), TaskTimers.RECEIVER_GRACE_NANOS);
        return;
      }
      toKill =
          killFor(
              worker,
              task,
              beforeReady ? "because its initializer overran:" : "because it timed out:");
      timeoutsCompleting++;
    } finally {
      lock.unlock();
    }
    // The worker dies first, as for cancel(true): a callback that closes the pool then finds it
    // gone, instead of waiting for a task that would never end.
    if (toKill != null) {
      toKill.kill();
    }
    TaskTimeoutException timedOut =
        TaskTimers.timedOut(task, worker, beforeReady, config.startTimeout());
    TaskTimers.complete(() -> completeTimedOut(task, timedOut));
  }

  /**
   * On {@link TaskTimers#complete}: fails a timed-out task's future. Its callbacks run here, as on
   * a thread of this pool, so {@code shutdown(true, ...)} called from one does not wait (the pool
   * cannot terminate before this returns).
   */
  private void completeTimedOut(Task task, TaskTimeoutException timedOut) {
    OWNER.set(this);
    try {
      task.future.completeExceptionally(timedOut);
    } finally {
      OWNER.remove();
      lock.lock();
      try {
        timeoutsCompleting--;
      } finally {
        lock.unlock();
      }
      checkTermination();
    }
  }

  public void shutdown(boolean cancelFutures) {
    List<Task> cancelled = new ArrayList<>();
    lock.lock();
    try {
      if (state == RUNNING) {
        state = SHUTDOWN;
      }
      if (cancelFutures) {
        queue.drainTo(cancelled);
      }
      admission.wakeWaiting();
      dispatch.wakeAll();
    } finally {
      lock.unlock();
    }
    for (Task task : cancelled) {
      task.future.forceCancel();
    }
    checkTermination();
  }

  /** Cancels queued tasks, kills every worker (cancelling what ran there); returns never-run. */
  public List<Runnable> shutdownNow() {
    List<Task> queued = new ArrayList<>();
    lock.lock();
    try {
      if (state == RUNNING) {
        state = SHUTDOWN;
      }
      killing = true;
      queue.drainTo(queued);
    } finally {
      lock.unlock();
    }
    List<Runnable> neverRan = new ArrayList<>();
    for (Task task : queued) {
      task.future.forceCancel();
      Callable<?> call = task.call;
      if (call != null) {
        neverRan.add(Calls.neverRan(call));
      }
    }
    killAllWorkers();
    checkTermination();
    return neverRan;
  }

  /**
   * The shutdown hook's part: the JVM exits with this pool open. The pool shuts down as {@code
   * shutdownNow} does, so that a task submitted from another shutdown hook is refused, and one that
   * was running ends as cancelled, never as a crash of its worker: the workers die by the pool's
   * own hand.
   */
  private void shutdownForExit() {
    lock.lock();
    try {
      jvmExiting = true;
    } finally {
      lock.unlock();
    }
    shutdownNow();
  }

  private void killAllWorkers() {
    List<WorkerHandle> handles;
    lock.lock();
    try {
      handles = workers.killAll(null);
    } finally {
      lock.unlock();
    }
    handles.forEach(WorkerHandle::kill);
  }

  private void checkTermination() {
    lock.lock();
    try {
      if (state != RUNNING
          && state != TERMINATED
          && workers.list().isEmpty()
          && timeoutsCompleting == 0
          && (queue.waiting() == 0 || broken != null)) {
        queue.clear(); // only tasks no longer waiting can be left
        state = TERMINATED;
        LIVE_POOLS.remove(this);
        terminated.signalAll();
        metrics.unregister(); // a JMX call, not I/O; and once only
      }
    } finally {
      lock.unlock();
    }
  }

  public boolean isShutdown() {
    lock.lock();
    try {
      return state != RUNNING;
    } finally {
      lock.unlock();
    }
  }

  public boolean isTerminated() {
    lock.lock();
    try {
      return state == TERMINATED;
    } finally {
      lock.unlock();
    }
  }

  public boolean awaitTermination(long nanos) throws InterruptedException {
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

  /** Returns whether the calling thread is one of this pool's own (a callback on a future). */
  public boolean isPoolThread() {
    return OWNER.get() == this;
  }

  /** Returns the pids of the live workers, for tests and diagnostics. */
  public List<Long> workerPids() {
    lock.lock();
    try {
      List<Long> pids = new ArrayList<>();
      for (PoolWorker w : workers.list()) {
        if (w.handle != null) {
          pids.add(w.handle.pid());
        }
      }
      return pids;
    } finally {
      lock.unlock();
    }
  }

  public int maxWorkers() {
    return config.maxWorkers();
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      String[] names = {"running", "shut down", "broken", "terminated"};
      StringBuilder detail = new StringBuilder();
      for (PoolWorker w : workers.list()) {
        detail.append(", ").append(w).append(' ').append(w.state).append(" running ");
        detail.append(
            w.inFlight.stream().map(t -> "#" + t.id).collect(java.util.stream.Collectors.toList()));
      }
      return "ProcessPoolExecutor["
          + names[state]
          + ", workers="
          + workers.list().size()
          + "/"
          + config.maxWorkers()
          + ", queued="
          + queue.waiting()
          + ", launcher="
          + launcher.name()
          + detail
          + "]";
    } finally {
      lock.unlock();
    }
  }
}
