package io.jfutures.impl;

import java.util.Map;

/**
 * What a pool reports to an operator, as a JMX MXBean: each {@link ProcessPoolExecutor} and {@link
 * ThreadPoolExecutor} registers one while it runs, named {@code
 * io.jfutures:type=ProcessPoolExecutor,name=<pool's name>} (or {@code type=ThreadPoolExecutor}),
 * and unregisters it once it has terminated. Find it in {@code jconsole} or VisualVM under {@code
 * io.jfutures}; for a JVM on another machine, {@code jcmd <pid> ManagementAgent.start} opens a JMX
 * port.
 *
 * <p>Counts are since the pool was built. The figures that describe now (queued, running, workers)
 * are read under the pool's lock, each on its own, so two of them may come from moments apart.
 */
public interface PoolMXBean {
  /**
   * Returns the pool's name: the one given to its builder, else one made up.
   *
   * @return the name
   */
  String getName();

  /**
   * Returns how many tasks wait for a worker.
   *
   * @return the tasks queued
   */
  int getQueuedTasks();

  /**
   * Returns how many tasks a worker has: running, or (in a process pool) sent ahead to a busy
   * worker.
   *
   * @return the tasks running
   */
  int getRunningTasks();

  /**
   * Returns how many workers run a task.
   *
   * @return the busy workers
   */
  int getBusyWorkers();

  /**
   * Returns how many workers are ready and have no task.
   *
   * @return the idle workers
   */
  int getIdleWorkers();

  /**
   * Returns how many workers are starting: for a process pool, launched but not yet through their
   * initializer.
   *
   * @return the starting workers
   */
  int getStartingWorkers();

  /**
   * Returns how many tasks completed with a result.
   *
   * @return the count
   */
  long getCompletedTasks();

  /**
   * Returns how many tasks failed: they threw, their worker died, the pool broke. Timed-out tasks
   * are counted apart.
   *
   * @return the count
   */
  long getFailedTasks();

  /**
   * Returns how many tasks were cancelled.
   *
   * @return the count
   */
  long getCancelledTasks();

  /**
   * Returns how many tasks failed with a {@link io.jfutures.api.TaskTimeoutException}.
   *
   * @return the count
   */
  long getTimedOutTasks();

  /**
   * Returns how many workers were started: a process pool's worker JVMs, a thread pool's threads.
   *
   * @return the count
   */
  long getWorkerStarts();

  /**
   * Returns how many workers retired to be replaced: after {@code maxTasksPerChild}, or above their
   * heap limit.
   *
   * @return the count
   */
  long getWorkerRecycles();

  /**
   * Returns how many workers died unexpectedly, by cause: {@code "SIGKILL"}, {@code "exit code 3"},
   * {@code "channel closed"}. Workers killed on purpose (a timeout, a cancel, shutdown) are not
   * counted.
   *
   * @return the counts by cause
   */
  Map<String, Long> getWorkerCrashes();

  /**
   * Returns how long the last worker that became ready took to start, from its launch to the end of
   * its initializer, in milliseconds; -1 before any.
   *
   * @return the milliseconds
   */
  long getLastWorkerStartMillis();

  /**
   * Returns the mean time from submit to completion of the tasks completed so far, in milliseconds;
   * 0 before any. A process pool measures every task; a thread pool one task in eight (the first,
   * the ninth, ...), as reading the clock twice cost a tenth of a tiny task's submit.
   *
   * @return the milliseconds
   */
  double getMeanTaskLatencyMillis();

  /**
   * Returns the longest time from submit to completion of a task so far, in milliseconds; of the
   * tasks measured, as for {@link #getMeanTaskLatencyMillis()}.
   *
   * @return the milliseconds
   */
  double getMaxTaskLatencyMillis();
}
