package io.jfutures.impl.internal;

import io.jfutures.api.TaskTimeoutException;
import io.jfutures.impl.PoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
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
 * States: UNREGISTERED -> REGISTERED (register(), at the pool's birth) -> UNREGISTERED
 * (unregister(), once the pool has terminated; idempotent).
 * Invariants: counters only grow; nothing here takes a pool's lock except through Now, which is
 * called only by JMX readers; the MXBean refers to the pool's internals, never to the executor a
 * user holds, so a forgotten executor can still be cleaned up.
 * </pre>
 */
public final class PoolMetrics implements PoolMXBean {
  private static final System.Logger LOG = System.getLogger("io.jfutures.impl");
  private static final AtomicInteger UNNAMED = new AtomicInteger();

  /**
   * Writes the log lines of events a pool reports while it holds its lock, so that no I/O happens
   * under it; used only when the level is enabled.
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
  private final LongAdder completed = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder cancelled = new LongAdder();
  private final LongAdder timedOut = new LongAdder();
  private final LongAdder starts = new LongAdder();
  private final LongAdder recycles = new LongAdder();
  private final Map<String, LongAdder> crashes = new ConcurrentHashMap<>();
  private final LongAdder latencyCount = new LongAdder();
  private final LongAdder latencyNanos = new LongAdder();
  private final LongAccumulator latencyMax = new LongAccumulator(Math::max, 0);
  private volatile long lastStartNanos = -1;
  private ObjectName registered; // guarded by this

  /**
   * A pool's metrics. {@code type} is the executor's simple class name; {@code name} the pool's
   * name, or null to make one up.
   */
  public PoolMetrics(String type, String name, Now now) {
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

  /** A task's future completed; it was submitted at {@code submittedNanos}. */
  public void onTaskDone(CompletableFuture<?> future, long submittedNanos) {
    long took = System.nanoTime() - submittedNanos;
    latencyCount.increment();
    latencyNanos.add(took);
    latencyMax.accumulate(took);
    if (future.isCancelled()) {
      cancelled.increment();
    } else if (!future.isCompletedExceptionally()) {
      completed.increment();
    } else if (cause(future) instanceof TaskTimeoutException) {
      timedOut.increment();
    } else {
      failed.increment();
    }
  }

  private static Throwable cause(CompletableFuture<?> done) {
    try {
      done.getNow(null);
      return null;
    } catch (CompletionException | CancellationException e) {
      return e.getCause();
    } catch (RuntimeException e) {
      return e;
    }
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

  /** Logs on the logging thread, if the level is enabled: for events reported under a lock. */
  private static void later(System.Logger.Level level, String format, Object... args) {
    if (LOG.isLoggable(level)) {
      LOGGING.execute(() -> LOG.log(level, format, args));
    }
  }

  /**
   * A worker died unexpectedly: {@code cause} is how it ended, {@code message} the whole story.
   * Called holding no lock.
   */
  public void onWorkerCrashed(String cause, String message) {
    crashes.computeIfAbsent(cause, k -> new LongAdder()).increment();
    LOG.log(System.Logger.Level.WARNING, "{0}: {1}", name, message);
  }

  /** The pool broke: no task runs any more. Called holding no lock. */
  public void onBroken(Throwable why) {
    LOG.log(System.Logger.Level.ERROR, name + ": the pool is broken: " + why.getMessage(), why);
  }

  // ---- JMX ------------------------------------------------------------------------------------

  /** Registers the MXBean; a name taken already gets a number. Never fails the pool. */
  public synchronized void register() {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
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
        LOG.log(System.Logger.Level.WARNING, name + ": could not register its MXBean", e);
        return;
      }
    }
  }

  /** Unregisters the MXBean, if registered. */
  public synchronized void unregister() {
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

  /** The name it is registered under, or null. */
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
    return completed.sum();
  }

  @Override
  public long getFailedTasks() {
    return failed.sum();
  }

  @Override
  public long getCancelledTasks() {
    return cancelled.sum();
  }

  @Override
  public long getTimedOutTasks() {
    return timedOut.sum();
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
    long n = latencyCount.sum();
    return n == 0 ? 0 : latencyNanos.sum() / 1e6 / n;
  }

  @Override
  public double getMaxTaskLatencyMillis() {
    return latencyMax.get() / 1e6;
  }

  @Override
  public String toString() {
    return "PoolMetrics[" + type + " " + name + "]";
  }
}
