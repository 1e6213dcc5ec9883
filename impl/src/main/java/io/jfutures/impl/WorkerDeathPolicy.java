package io.jfutures.impl;

/** What a {@link ProcessPoolExecutor} does when a worker dies abruptly. */
public enum WorkerDeathPolicy {
  /**
   * The pool is broken, as in Python's {@code concurrent.futures}: every pending task fails with
   * {@link io.jfutures.api.BrokenProcessPoolException}, naming the dead worker's pid and exit code
   * or signal, and later submits are refused with it. The default.
   */
  BREAK_POOL,

  /**
   * Only the task that was running on the dead worker fails, with {@link
   * io.jfutures.api.WorkerDiedException}; tasks sent to that worker that had not started go back to
   * the queue, a replacement worker starts, and the pool keeps accepting work. A worker that cannot
   * be started, or whose initializer fails, still breaks the pool.
   */
  REPLACE_WORKER
}
