package io.jfutures.impl;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import io.jfutures.api.BrokenProcessPoolException;
import io.jfutures.api.SerializableCallable;
import io.jfutures.api.SerializableRunnable;
import io.jfutures.api.TaskSerializationException;
import io.jfutures.impl.internal.Durations;
import io.jfutures.impl.internal.TaskFuture;
import io.jfutures.impl.internal.Threads;
import io.jfutures.impl.internal.process.PoolConfig;
import io.jfutures.impl.internal.process.ProcessPool;
import io.jfutures.spi.WorkerLauncher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs serializable tasks in a pool of child JVMs, as Python's {@code
 * concurrent.futures.ProcessPoolExecutor}.
 *
 * <pre>{@code
 * try (ProcessPoolExecutor pool = ProcessPoolExecutor.newBuilder().maxWorkers(4).build()) {
 *   CompletableFuture<Integer> f = pool.submit(() -> 6 * 7);
 *   List<Long> squares = pool.map((Integer x) -> (long) x * x, inputs, 100, null).toList();
 * }
 * }</pre>
 *
 * <p><b>Workers.</b> A worker is a child JVM started with this JVM's own {@code java}, class path
 * (with the classes of a launcher's class loader, as under {@code mvn exec:java}: see {@link
 * Builder#build}) and module path, or whatever the chosen {@link WorkerLauncher} does. Workers
 * start on demand, up to {@code maxWorkers}; an idle worker is reused before a new one is started.
 * Each runs the {@code initializer} once before its first task, and is replaced after {@code
 * maxTasksPerChild} tasks. Tasks, arguments and results travel serialized over a channel private to
 * this JVM and that worker; what a task prints reaches this JVM's standard output and error line by
 * line.
 *
 * <p><b>Tasks.</b> A task, its argument and its result must be serializable; lambdas typed as
 * {@link io.jfutures.api.SerializableCallable}, {@link io.jfutures.api.SerializableRunnable} or
 * {@link io.jfutures.api.SerializableFunction} are, and {@code submit(() -> ...)} picks those
 * overloads by itself. A task or argument that cannot be serialized is refused at the call, with a
 * {@link java.util.concurrent.RejectedExecutionException} naming the class and the fix: so are a
 * plain {@code Runnable} or {@code Callable}, and the wrappers that {@code
 * CompletableFuture.supplyAsync}, {@code ExecutorCompletionService} or a decorating executor hand
 * to {@link #execute}; use {@link io.jfutures.api.Futures#supplyAsync} instead. A result that
 * cannot be serialized in the worker, or read back here, fails only its own future, with {@link
 * TaskSerializationException}. A task's exception reaches {@code get()} with its own class, message
 * and the worker's stack trace; one thrown by a task given to {@code execute} goes to the
 * uncaught-exception handler of the thread that received it. Objects read on either side pass an
 * allow-list: classes of {@code java.base}, of jfutures, of the packages of classes this JVM has
 * sent, and those allowed with {@link Builder#allowClasses}.
 *
 * <p><b>Running and cancelling.</b> A future becomes running when its task is sent to a worker;
 * until then {@code cancel} removes it (it no longer counts against {@code maxQueued}) and it never
 * runs. {@code cancel(false)} leaves a running task alone and returns false. {@code cancel(true)}
 * on a running task kills the worker running it (a replacement starts when needed) and completes
 * the future as cancelled. A short task may be sent to a busy worker ahead of its turn; it counts
 * as running, as the tasks in CPython's call queue do, and {@code cancel} on it returns false: the
 * worker may begin it before word of the cancel could reach it, and killing the worker would kill
 * the task ahead of it too.
 *
 * <p><b>Failures.</b> When a worker dies abruptly (killed, {@code System.exit}, a JVM crash), the
 * {@link WorkerDeathPolicy} decides: by default the pool is broken, as in Python, and every pending
 * future fails with {@link BrokenProcessPoolException} naming the worker, its pid and its exit code
 * or signal; with {@link WorkerDeathPolicy#REPLACE_WORKER} only the task it was running fails.
 *
 * <p><b>Lifecycle.</b> Pool threads are daemons, and the JVM is kept alive while a submitted task
 * is unfinished. When the JVM exits with the pool still open, a shutdown hook shuts it down as
 * {@link #shutdownNow()} does: tasks submitted from then on are refused, and running ones complete
 * as cancelled. If the JVM is killed outright, each worker sees its standard input close and exits
 * at once. A pool that becomes unreachable without being closed shuts down, and its workers exit
 * once the tasks already submitted are done. After {@link #close()} no worker is left.
 *
 * <p><b>Callbacks.</b> Callbacks on a returned future run on the thread that completes it: the
 * thread that reads that worker's outcomes, or, for a task that timed out, a thread that completes
 * timed-out futures. A callback may block, or submit a task and wait for it: if it holds the
 * reading thread for more than 20 ms, a new thread takes over the reading, so the worker's later
 * outcomes and every timeout go on. {@code shutdown(true, ...)} called from such a callback does
 * not wait.
 *
 * <p>This class is thread-safe.
 */
public final class ProcessPoolExecutor extends AbstractExecutor {
  private final ProcessPool pool;

  private ProcessPoolExecutor(PoolConfig config) {
    this.pool = new ProcessPool(config);
    // Nothing of the pool's refers back to this object, its public face: once the program lets go
    // of it without closing it, the pool shuts down, as Python's does, and its workers exit when
    // the tasks already submitted are done.
    Unreachable.CLEANER.register(this, new Unreachable(pool));
  }

  /** Shuts a pool down once its executor is unreachable. Must not refer to the executor. */
  private static final class Unreachable implements Runnable {
    /** Its one thread is a daemon in the root thread group, as the JDK's own cleaner's is. */
    static final Cleaner CLEANER =
        Cleaner.create(r -> Threads.newDaemonInRootGroup(r, "jfutures-unreachable-pool-cleaner"));

    private final ProcessPool pool;

    Unreachable(ProcessPool pool) {
      this.pool = pool;
    }

    @Override
    public void run() {
      pool.shutdown(false);
    }
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
  public static ProcessPoolExecutor ofDefaults() {
    return newBuilder().build();
  }

  /**
   * Returns the names of the worker launchers found with {@link ServiceLoader}.
   *
   * @return the launchers' names, as {@code local-jvm}
   */
  public static List<String> availableLaunchers() {
    return launchers().stream().map(WorkerLauncher::name).collect(Collectors.toList());
  }

  private static List<WorkerLauncher> launchers() {
    List<WorkerLauncher> found = new ArrayList<>();
    ServiceLoader.load(WorkerLauncher.class, ProcessPoolExecutor.class.getClassLoader())
        .forEach(found::add);
    return found;
  }

  /**
   * Returns the most workers this pool runs at once.
   *
   * @return the pool's {@code maxWorkers}
   */
  public int maxWorkers() {
    return pool.maxWorkers();
  }

  /**
   * Returns what the pool reports to an operator, the same figures its JMX MXBean shows.
   *
   * @return the pool's figures, live
   */
  public PoolMXBean metrics() {
    return pool.metrics();
  }

  /**
   * Returns the process ids of the workers now running, in no particular order.
   *
   * @return the workers' process ids
   */
  public List<Long> workerPids() {
    return pool.workerPids();
  }

  @Override
  int parallelism() {
    return pool.maxWorkers();
  }

  @Override
  <T> TaskFuture<T> schedule(Callable<T> call) {
    return pool.schedule(call);
  }

  /**
   * Submits a task with its own time limit, which overrides the builder's {@link
   * Builder#taskTimeout taskTimeout}. The limit counts from when the task can start: when it is
   * sent to a worker, or, if that worker is new, once its initializer has run: counted, a slow
   * initializer would time out every new worker's first task. A task that runs longer has its
   * worker killed and replaced, and its future fails with {@link
   * io.jfutures.api.TaskTimeoutException} naming the task and the limit; this is not a crash,
   * whatever the {@link WorkerDeathPolicy}. A task that still waits for an initializer once the
   * pool's {@link Builder#startTimeout startTimeout} and its own limit have passed fails the same
   * way, so a hanging initializer cannot hang a timed task. The verdict waits while the pool has
   * yet to read what the worker sent, as when a slow callback on an earlier future holds the
   * worker's receiver thread, or while the bytes of a large result are still arriving (for at most
   * a second after they stop): a task that finished in time is not failed for being read late.
   *
   * @param <T> the type of the task's result
   * @param task the task to run
   * @param timeout the task's time limit; positive
   * @return a future that completes with the task's result, or with its exception
   * @throws IllegalArgumentException if {@code timeout} is not positive
   * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down or broken, or
   *     the task cannot be serialized
   */
  public <T> CompletableFuture<T> submit(SerializableCallable<T> task, Duration timeout) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(timeout, "timeout");
    checkArgument(
        timeout.compareTo(Duration.ZERO) > 0, "timeout must be positive, was %s", timeout);
    return pool.schedule(task, Durations.toNanosSaturated(timeout));
  }

  @Override
  public void shutdown(boolean wait, boolean cancelFutures) {
    pool.shutdown(cancelFutures);
    if (wait && !pool.isPoolThread()) {
      awaitTerminationStoppingOnInterrupt();
    }
  }

  /**
   * Refuses new tasks, cancels the queued ones, and kills every worker: the futures of running
   * tasks complete as cancelled. Returns the queued tasks, which never ran.
   */
  @Override
  public List<Runnable> shutdownNow() {
    return pool.shutdownNow();
  }

  @Override
  public boolean isShutdown() {
    return pool.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return pool.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return pool.awaitTermination(unit.toNanos(timeout));
  }

  @Override
  public String toString() {
    return pool.toString();
  }

  /**
   * Configures a {@link ProcessPoolExecutor}. Defaults: {@code maxWorkers} is the number of
   * processors; no task limit per worker; no initializer; no extra JVM options, class path entries
   * or environment variables; the {@code local-jvm} launcher; workers start on demand and may take
   * 60 seconds to start; {@link WorkerDeathPolicy#BREAK_POOL}; no task timeout; no heap limit; an
   * unbounded queue. Each setting may be set once. This class is not thread-safe.
   */
  public static final class Builder {
    private static final int UNSET = -1;
    private int maxWorkers = UNSET;
    private int maxTasksPerChild = UNSET;
    private SerializableRunnable initializer;
    private List<String> jvmOptions;
    private List<String> extraClassPath;
    private Map<String, String> environment;
    private WorkerLauncher launcher;
    private boolean prestart;
    private Duration startTimeout;
    private String allowedClasses;
    private WorkerDeathPolicy deathPolicy;
    private Duration taskTimeout;
    private long maxWorkerHeapBytes;
    private int maxQueued;
    private QueueFullPolicy queueFullPolicy;
    private ThreadFactory threadFactory = Thread::new;
    private String name;

    private Builder() {}

    private static void requireUnset(Object current, String name) {
      checkState(current == null, "%s was already set to %s", name, current);
    }

    /**
     * Names the pool: in its log lines and as the {@code name} of its {@link PoolMXBean} ({@code
     * io.jfutures:type=ProcessPoolExecutor,name=...}). By default a name is made up.
     *
     * @param name the name
     * @return this builder
     * @throws IllegalArgumentException if {@code name} is empty
     * @throws IllegalStateException if it was already set
     */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      checkState(this.name == null, "name was already set to %s", this.name);
      checkArgument(!name.isEmpty(), "a pool's name must not be empty");
      this.name = name;
      return this;
    }

    /**
     * Sets the most workers the pool runs at once.
     *
     * @param maxWorkers the most workers, at least 1
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
     * Sets how many tasks a worker runs before it exits cleanly and is replaced. A worker that runs
     * at most 200 tasks starts with {@code -XX:CompileThresholdScaling=20}: it would spend about a
     * quarter of its CPU compiling start-up code it never runs again, so recycling gets about 30%
     * faster (a {@code jvmOptions} setting of the flag wins).
     *
     * @param maxTasksPerChild the tasks a worker runs before it is replaced, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code maxTasksPerChild} is zero or negative
     * @throws IllegalStateException if it was already set
     */
    public Builder maxTasksPerChild(int maxTasksPerChild) {
      checkState(
          this.maxTasksPerChild == UNSET,
          "maxTasksPerChild was already set to %s",
          this.maxTasksPerChild);
      checkArgument(
          maxTasksPerChild > 0, "maxTasksPerChild must be at least 1, was %s", maxTasksPerChild);
      this.maxTasksPerChild = maxTasksPerChild;
      return this;
    }

    /**
     * Sets a task each worker runs once, before its first task. If it throws, the pool breaks and
     * pending futures fail with {@link BrokenProcessPoolException} whose cause is its exception.
     *
     * @param initializer the task each worker runs before its first task
     * @return this builder
     * @throws IllegalArgumentException if it cannot be serialized (the message names the class)
     * @throws IllegalStateException if it was already set
     */
    public Builder initializer(SerializableRunnable initializer) {
      Objects.requireNonNull(initializer, "initializer");
      requireUnset(this.initializer, "initializer");
      try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
        out.writeObject(initializer);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "initializer " + initializer.getClass().getName() + " cannot be serialized: " + e, e);
      }
      this.initializer = initializer;
      return this;
    }

    /**
     * Sets options for each worker's JVM, as {@code -Xmx256m}; they come after jfutures' own
     * defaults, so they win. The defaults: the collector a worker starts soonest with, {@code
     * -XX:+UseG1GC} on JDK 17 (the only one that maps a class archive's ready-made heap objects
     * there) and {@code -XX:+UseSerialGC} on later JDKs (left out when these options choose a
     * collector), JIT thresholds 5 times the default outside jfutures', {@code java.io}'s and
     * {@code java.nio}'s code (a worker's start compiles less; 20 times everywhere for short-lived
     * workers, see {@link #maxTasksPerChild}; a {@code -XX:CompileThresholdScaling} here replaces
     * both), {@code -XX:TrimNativeHeapInterval=5000} where the JDK has it, and a class-data-sharing
     * archive, made on first use in a per-user cache directory ({@code ~/.cache/jfutures/cds}):
     * when the class path holds only jars, one trained on a worker's own run (on JDK 25 and later
     * an AOT cache), else one of the JDK classes a worker loads. {@code
     * -Djfutures.worker.cds=false} in this JVM turns it off, and so does any {@code -Xshare},
     * {@code SharedArchiveFile} or {@code AOTCache} option here. The {@code -X} options here are
     * part of a trained archive's key: the first pool with new ones trains anew.
     *
     * @param options the JVM options, none empty
     * @return this builder
     * @throws IllegalArgumentException if an option is empty
     * @throws IllegalStateException if they were already set
     */
    public Builder jvmOptions(List<String> options) {
      requireUnset(this.jvmOptions, "jvmOptions");
      this.jvmOptions = nonEmptyStrings(options, "jvmOptions");
      return this;
    }

    /**
     * Adds entries to each worker's class path, after this JVM's own.
     *
     * @param entries the class path entries, none empty
     * @return this builder
     * @throws IllegalArgumentException if an entry is empty
     * @throws IllegalStateException if they were already set
     */
    public Builder extraClassPath(List<String> entries) {
      requireUnset(this.extraClassPath, "extraClassPath");
      this.extraClassPath = nonEmptyStrings(entries, "extraClassPath");
      return this;
    }

    /**
     * Adds variables to each worker's environment (which otherwise is this JVM's).
     *
     * @param variables the variables' names and values
     * @return this builder
     * @throws IllegalArgumentException if a name is empty or contains '='
     * @throws IllegalStateException if it was already set
     */
    public Builder environment(Map<String, String> variables) {
      requireUnset(this.environment, "environment");
      Map<String, String> copy = new LinkedHashMap<>();
      for (Map.Entry<String, String> e :
          Objects.requireNonNull(variables, "variables").entrySet()) {
        String name = Objects.requireNonNull(e.getKey(), "environment variable name");
        if (name.isEmpty() || name.indexOf('=') >= 0) {
          throw new IllegalArgumentException("bad environment variable name '" + name + "'");
        }
        copy.put(name, Objects.requireNonNull(e.getValue(), "value of " + name));
      }
      this.environment = copy;
      return this;
    }

    /**
     * Selects the worker launcher by name, among those found with {@link ServiceLoader}: {@code
     * local-jvm} (the default) or {@code in-process} ship with jfutures.
     *
     * @param name the launcher's name
     * @return this builder
     * @throws IllegalArgumentException if no launcher has that name (the message lists those found)
     * @throws IllegalStateException if a launcher was already set
     */
    public Builder launcher(String name) {
      Objects.requireNonNull(name, "name");
      requireUnset(this.launcher == null ? null : this.launcher.name(), "launcher");
      for (WorkerLauncher l : launchers()) {
        if (l.name().equals(name)) {
          this.launcher = l;
          return this;
        }
      }
      throw new IllegalArgumentException(
          "no worker launcher named '" + name + "'; found: " + availableLaunchers());
    }

    /**
     * Uses this worker launcher.
     *
     * @param launcher the launcher
     * @return this builder
     * @throws IllegalStateException if a launcher was already set
     */
    public Builder launcher(WorkerLauncher launcher) {
      Objects.requireNonNull(launcher, "launcher");
      requireUnset(this.launcher == null ? null : this.launcher.name(), "launcher");
      this.launcher = launcher;
      return this;
    }

    /**
     * Starts all {@code maxWorkers} workers when the pool is built, instead of on demand.
     *
     * @return this builder
     */
    public Builder prestart() {
      this.prestart = true;
      return this;
    }

    /**
     * Sets how long a worker may take to start and connect before the pool gives up on it (60
     * seconds by default). A timed task that waits for a new worker's initializer also waits at
     * most this long plus its own limit: see {@link
     * ProcessPoolExecutor#submit(SerializableCallable, Duration)}.
     *
     * @param timeout how long a worker may take to start; positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if it was already set
     */
    public Builder startTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      requireUnset(this.startTimeout, "startTimeout");
      checkArgument(
          timeout.compareTo(Duration.ZERO) > 0, "startTimeout must be positive, was %s", timeout);
      this.startTimeout = timeout;
      return this;
    }

    /**
     * Widens (or narrows) the deserialization allow-list on both sides, with patterns in the syntax
     * of {@link java.io.ObjectInputFilter.Config#createFilter}: {@code "com.example.*"} allows a
     * package, {@code "com.example.**"} its subpackages too, {@code "!com.example.Bad"} rejects a
     * class. A pattern that rejects wins over the defaults.
     *
     * @param patterns the filter patterns, none empty
     * @return this builder
     * @throws IllegalArgumentException if a pattern is malformed
     * @throws IllegalStateException if they were already set
     */
    public Builder allowClasses(String... patterns) {
      requireUnset(this.allowedClasses, "allowClasses");
      String joined = String.join(";", nonEmptyStrings(List.of(patterns), "allowClasses"));
      java.io.ObjectInputFilter.Config.createFilter(joined); // validates
      this.allowedClasses = joined;
      return this;
    }

    /**
     * Sets what the pool does when a worker dies abruptly.
     *
     * @param policy what to do when a worker dies
     * @return this builder
     * @throws IllegalStateException if it was already set
     */
    public Builder workerDeathPolicy(WorkerDeathPolicy policy) {
      Objects.requireNonNull(policy, "policy");
      requireUnset(this.deathPolicy, "workerDeathPolicy");
      this.deathPolicy = policy;
      return this;
    }

    /**
     * Sets the default time limit of every task; {@link ProcessPoolExecutor#submit(
     * SerializableCallable, Duration)} overrides it per task, and says when the clock starts. A
     * task that runs longer has its worker killed and replaced, and fails with {@link
     * io.jfutures.api.TaskTimeoutException}.
     *
     * @param timeout the time limit of each task; positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if it was already set
     */
    public Builder taskTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      requireUnset(this.taskTimeout, "taskTimeout");
      checkArgument(
          timeout.compareTo(Duration.ZERO) > 0, "taskTimeout must be positive, was %s", timeout);
      this.taskTimeout = timeout;
      return this;
    }

    /**
     * Recycles a worker whose heap in use, after a task and a garbage collection, exceeds {@code
     * bytes}: it finishes that task, exits cleanly and is replaced, which does not count as a crash
     * (loky's protection against leaky libraries). Bound the heap itself with {@code
     * jvmOptions(List.of("-Xmx256m"))}.
     *
     * @param bytes the most heap in use after a task, in bytes; positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if it was already set
     */
    public Builder maxWorkerHeapInUse(long bytes) {
      checkState(
          this.maxWorkerHeapBytes == 0,
          "maxWorkerHeapInUse was already set to %s",
          this.maxWorkerHeapBytes);
      checkArgument(bytes > 0, "maxWorkerHeapInUse must be positive, was %s", bytes);
      this.maxWorkerHeapBytes = bytes;
      return this;
    }

    /**
     * Bounds the tasks waiting for a worker (not counting those running), so a fast producer cannot
     * exhaust this JVM's heap; {@code policy} says what a submit to a full queue does. Unbounded by
     * default, as in Python.
     *
     * @param maxQueued the most tasks waiting for a worker; positive
     * @param policy what a submit to a full queue does
     * @return this builder
     * @throws IllegalArgumentException if {@code maxQueued} is not positive
     * @throws IllegalStateException if it was already set
     */
    public Builder maxQueued(int maxQueued, QueueFullPolicy policy) {
      Objects.requireNonNull(policy, "policy");
      checkState(this.maxQueued == 0, "maxQueued was already set to %s", this.maxQueued);
      checkArgument(maxQueued > 0, "maxQueued must be positive, was %s", maxQueued);
      this.maxQueued = maxQueued;
      this.queueFullPolicy = policy;
      return this;
    }

    private static List<String> nonEmptyStrings(List<String> values, String what) {
      List<String> copy = new ArrayList<>();
      for (String v : Objects.requireNonNull(values, what)) {
        if (Objects.requireNonNull(v, what + " must not contain null").isEmpty()) {
          throw new IllegalArgumentException(what + " must not contain an empty string");
        }
        copy.add(v);
      }
      return copy;
    }

    /** For tests: makes the pool's own threads, which the pool then names and makes daemons. */
    Builder threadFactory(ThreadFactory factory) {
      this.threadFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * Returns a new pool with these settings; later changes to this builder do not reach it. Its
     * workers get this JVM's class path, then the {@code file:} URLs of each {@code URLClassLoader}
     * between the system class loader and the calling thread's context class loader (the pool's
     * class loader), as when this JVM runs under {@code mvn exec:java} or an IDE's runner, then the
     * {@link #extraClassPath} entries.
     *
     * @return a new pool
     * @throws IllegalStateException if the context class loader, or a parent of it, is neither the
     *     system class loader nor a {@code URLClassLoader} with {@code file:} URLs only (so that
     *     where its classes come from cannot be told), and no {@link #extraClassPath} was set
     */
    public ProcessPoolExecutor build() {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      if (loader == null) {
        loader = ClassLoader.getSystemClassLoader();
      }
      WorkerLauncher chosen = launcher;
      if (chosen == null) {
        for (WorkerLauncher l : launchers()) {
          if (l.name().equals("local-jvm")) {
            chosen = l;
          }
        }
        if (chosen == null) {
          throw new IllegalStateException(
              "the local-jvm worker launcher was not found; found: " + availableLaunchers());
        }
      }
      return new ProcessPoolExecutor(
          new PoolConfig(
              maxWorkers == UNSET ? Runtime.getRuntime().availableProcessors() : maxWorkers,
              maxTasksPerChild == UNSET ? 0 : maxTasksPerChild,
              initializer,
              jvmOptions == null ? List.of() : jvmOptions,
              extraClassPath == null ? List.of() : extraClassPath,
              environment == null ? Map.of() : environment,
              chosen,
              prestart,
              startTimeout == null ? Duration.ofSeconds(60) : startTimeout,
              allowedClasses == null ? "" : allowedClasses,
              deathPolicy == null ? WorkerDeathPolicy.BREAK_POOL : deathPolicy,
              loader,
              taskTimeout,
              maxWorkerHeapBytes,
              maxQueued,
              queueFullPolicy == QueueFullPolicy.BLOCK,
              threadFactory,
              name));
    }
  }
}
