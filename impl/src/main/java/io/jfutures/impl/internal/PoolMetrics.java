package io.jfutures.impl.internal;

import static com.google.common.base.Preconditions.checkArgument;

import io.jfutures.impl.PoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * A pool's counts, what it says in its log, and its MXBean: the pools call the {@code on…} methods
 * as things happen, and give the figures of the present ({@link Now}) to be read when asked.
 *
 * <pre>
 * States: NEW -> PENDING (register(), at the pool's birth, while nothing in this JVM uses JMX)
 * -> REGISTERED (at once if JMX is in use, else once it is) -> GONE (unregister(), once the pool
 * has terminated; idempotent; a registration still pending is withdrawn, and registers nothing).
 * Invariants: counters only grow; nothing here takes a pool's lock except through Now, which is
 * called only by JMX readers; the MXBean refers to the pool's internals, never to the executor a
 * user holds, so a forgotten executor can still be cleaned up.
 * </pre>
 */
public final class PoolMetrics implements PoolMXBean {
  /**
   * The logger, made on first use: {@code System.getLogger} first looks for a logging backend among
   * the class path's services, which cost a fresh JVM 26 ms of CPU with no jar and 38-46 ms with
   * twenty, and a pool's builder paid it before anything else. Only warnings and the logging thread
   * use it.
   */
  private static final class Log {
    static final System.Logger LOG = System.getLogger("io.jfutures.impl");
  }

  private static final AtomicInteger UNNAMED = new AtomicInteger();

  /**
   * Writes the log lines of events a pool reports while it holds its lock, so that no I/O happens
   * under it, and asks there whether their level is enabled. Its thread ends a second after the
   * last.
   */
  private static final java.util.concurrent.ScheduledThreadPoolExecutor LOGGING =
      Threads.newTimer("jfutures-pool-log");

  /** A worker that takes longer than this to become ready is logged as slow. */
  private static final long SLOW_START_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** The figures of the present, read from the pool when an operator asks. */
  public interface Now {
    int queued();

    int running();

    int busyWorkers();

    int idleWorkers();

    int startingWorkers();
  }

  private final String type;
  private final String name;
  private final Now now;
  private final LongAdder starts = new LongAdder();
  private final LongAdder recycles = new LongAdder();
  private final Map<String, LongAdder> crashes = new ConcurrentHashMap<>();
  private final TaskCounts tasks = new TaskCounts();
  private volatile long lastStartNanos = -1;
  private ObjectName registered; // guarded by this
  private boolean gone; // guarded by this
  private Runnable withdraw = () -> {}; // a pending registration's, until gone; guarded by this

  /** A task's latency is measured if its number less one has none of these bits. */
  private final long latencyMask;

  /**
   * A pool's metrics, with the latency of every task measured. {@code type} is the executor's
   * simple class name; {@code name} the pool's name, or null to make one up.
   */
  public PoolMetrics(String type, String name, Now now) {
    this(type, name, now, 1);
  }

  /**
   * A pool's metrics, with the latency of one task in {@code latencySampling} measured (see {@link
   * #submitStamp}).
   *
   * @throws IllegalArgumentException if {@code latencySampling} is not a power of two
   */
  public PoolMetrics(String type, String name, Now now, int latencySampling) {
    checkArgument(
        Integer.bitCount(latencySampling) == 1,
        "latencySampling must be a power of two, was %s",
        latencySampling);
    this.latencyMask = latencySampling - 1;
    this.type = type;
    this.name =
        name != null
            ? name
            : "jfutures-"
                + (type.startsWith("Process") ? "process" : "thread")
                + "-pool-"
                + UNNAMED.incrementAndGet();
    this.now = now;
  }

  // ---- events ---------------------------------------------------------------------------------

  /** The submit time of a task whose latency is not measured; see {@link #submitStamp}. */
  public static final long UNTIMED = TaskCounts.UNTIMED;

  /**
   * Returns the submit time of task number {@code taskId} to give {@code onTaskDone}: {@link
   * System#nanoTime()} if its latency is measured (one task in {@code latencySampling}: the first,
   * and every {@code latencySampling}th after it, so a pool's first task always is), else {@link
   * #UNTIMED}.
   */
  public long submitStamp(long taskId) {
    return ((taskId - 1) & latencyMask) == 0 ? System.nanoTime() : UNTIMED; // ids from 1
  }

  /**
   * Returns the count of tasks counted by {@code onTaskDone}, whatever their outcome: it only
   * grows, and its sum is read as {@link TaskCounts} says.
   */
  public long finishedTasks() {
    return tasks.finished();
  }

  /** A task's future completed; it was submitted at {@code submittedNanos}, or UNTIMED. */
  public void onTaskDone(CompletableFuture<?> future, long submittedNanos) {
    tasks.add(future, latency(submittedNanos));
  }

  private static long latency(long submittedNanos) {
    return submittedNanos == UNTIMED ? UNTIMED : System.nanoTime() - submittedNanos;
  }

  /**
   * Returns where the calling thread, which finishes many tasks, counts them with {@link
   * #onTaskDone(TaskCounts.Writer, CompletableFuture, long)}: cheaper than {@link
   * #onTaskDone(CompletableFuture, long)}, and only for that thread. Each call makes one that lives
   * as long as this object: for a bounded number of threads.
   */
  public TaskCounts.Writer newTaskCounter() {
    return tasks.newWriter();
  }

  /**
   * A task's future completed, counted by the calling thread in {@code counter}, which {@link
   * #newTaskCounter()} gave it.
   */
  public void onTaskDone(
      TaskCounts.Writer counter, CompletableFuture<?> future, long submittedNanos) {
    counter.add(future, latency(submittedNanos));
  }

  /** A worker ({@code worker} names it) is being started. May be called holding a lock. */
  public void onWorkerStarting(String worker) {
    starts.increment();
    later(System.Logger.Level.DEBUG, "{0}: starting worker {1}", name, worker);
  }

  /**
   * A worker became ready {@code tookNanos} after its start began. May be called holding a lock.
   */
  public void onWorkerReady(String worker, long tookNanos) {
    lastStartNanos = tookNanos;
    boolean slow = tookNanos > SLOW_START_NANOS;
    later(
        slow ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
        slow
            ? "{0}: worker {1} took {2} ms to start (a busy machine, a slow initializer?)"
            : "{0}: worker {1} ready in {2} ms",
        name,
        worker,
        TimeUnit.NANOSECONDS.toMillis(tookNanos));
  }

  /** A worker retires to be replaced; {@code why} says why. May be called holding a lock. */
  public void onWorkerRecycled(String worker, String why) {
    recycles.increment();
    later(System.Logger.Level.DEBUG, "{0}: worker {1} retires: {2}", name, worker, why);
  }

  /**
   * Logs on the logging thread, if the level is enabled there: for events reported under a lock,
   * and rare (a worker's start, readiness, retirement), so that whether the level is enabled is
   * asked there too, never on the caller's path.
   */
  private static void later(System.Logger.Level level, String format, Object... args) {
    LOGGING.execute(
        () -> {
          if (Log.LOG.isLoggable(level)) {
            Log.LOG.log(level, format, args);
          }
        });
  }

  /**
   * A worker died unexpectedly: {@code cause} is how it ended, {@code message} the whole story.
   * Called holding no lock.
   */
  public void onWorkerCrashed(String cause, String message) {
    crashes.computeIfAbsent(cause, k -> new LongAdder()).increment();
    Log.LOG.log(System.Logger.Level.WARNING, "{0}: {1}", name, message);
  }

  /** The pool broke: no task runs any more. Called holding no lock. */
  public void onBroken(Throwable why) {
    Log.LOG.log(System.Logger.Level.ERROR, name + ": the pool is broken: " + why.getMessage(), why);
  }

  // ---- JMX ------------------------------------------------------------------------------------

  /**
   * Registers the MXBean, a name taken already getting a number; never fails the pool. At once if
   * JMX is in use in this JVM, else once something puts it in use ({@link JmxRegistration}).
   */
  public void register() {
    register(JmxRegistration.platform());
  }

  /** As {@link #register()}, JMX's use watched by {@code jmx}. */
  void register(JmxRegistration jmx) {
    Runnable withdraw = jmx.register(this::registerNow);
    synchronized (this) {
      if (!gone) {
        this.withdraw = withdraw;
        return;
      }
    }
    withdraw.run(); // terminated meanwhile: nothing to wait for
  }

  private void registerNow() {
    synchronized (this) {
      if (gone || registered != null) {
        return;
      }
    }
    // Outside the lock: the first call creates the server, and unregister() must not wait for it.
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    synchronized (this) {
      if (!gone) {
        registerIn(server);
      }
    }
  }

  private void registerIn(MBeanServer server) {
    StandardMBean bean = new StandardMBean(this, PoolMXBean.class, true);
    for (int i = 1; registered == null && i < 100; i++) {
      try {
        ObjectName on =
            new ObjectName(
                "io.jfutures:type="
                    + type
                    + ",name="
                    + ObjectName.quote(i == 1 ? name : name + " #" + i));
        server.registerMBean(bean, on);
        registered = on;
      } catch (InstanceAlreadyExistsException e) {
        // another pool of that name: try the next number
      } catch (JMException | RuntimeException e) {
        Log.LOG.log(System.Logger.Level.WARNING, name + ": could not register its MXBean", e);
        return;
      }
    }
  }

  /** Unregisters the MXBean, if registered; a registration still pending registers nothing. */
  public synchronized void unregister() {
    gone = true;
    withdraw.run();
    if (registered == null) {
      return;
    }
    try {
      ManagementFactory.getPlatformMBeanServer().unregisterMBean(registered);
    } catch (JMException e) {
      // unregistered by someone else: nothing to do
    }
    registered = null;
  }

  /** The name it is registered under, or null (not yet, or no more). */
  public synchronized ObjectName objectName() {
    return registered;
  }

  // ---- PoolMXBean -----------------------------------------------------------------------------

  @Override
  public String getName() {
    return name;
  }

  @Override
  public int getQueuedTasks() {
    return now.queued();
  }

  @Override
  public int getRunningTasks() {
    return now.running();
  }

  @Override
  public int getBusyWorkers() {
    return now.busyWorkers();
  }

  @Override
  public int getIdleWorkers() {
    return now.idleWorkers();
  }

  @Override
  public int getStartingWorkers() {
    return now.startingWorkers();
  }

  @Override
  public long getCompletedTasks() {
    return tasks.count(TaskCounts.COMPLETED);
  }

  @Override
  public long getFailedTasks() {
    return tasks.count(TaskCounts.FAILED);
  }

  @Override
  public long getCancelledTasks() {
    return tasks.count(TaskCounts.CANCELLED);
  }

  @Override
  public long getTimedOutTasks() {
    return tasks.count(TaskCounts.TIMED_OUT);
  }

  @Override
  public long getWorkerStarts() {
    return starts.sum();
  }

  @Override
  public long getWorkerRecycles() {
    return recycles.sum();
  }

  @Override
  public Map<String, Long> getWorkerCrashes() {
    Map<String, Long> counts = new TreeMap<>();
    crashes.forEach((cause, n) -> counts.put(cause, n.sum()));
    return counts;
  }

  @Override
  public long getLastWorkerStartMillis() {
    long last = lastStartNanos;
    return last < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(last);
  }

  @Override
  public double getMeanTaskLatencyMillis() {
    long n = tasks.timed();
    return n == 0 ? 0 : tasks.latencyNanos() / 1e6 / n;
  }

  @Override
  public double getMaxTaskLatencyMillis() {
    return tasks.maxLatencyNanos() / 1e6;
  }

  @Override
  public String toString() {
    return "PoolMetrics[" + type + " " + name + "]";
  }
}
