package io.jfutures.impl.internal.process;

import java.io.Serializable;

/**
 * What the pool tells a worker in its INIT frame. A plain class, not a record: it is the first
 * object a worker reads, and reading a record first bootstraps method handles, which cost a cold
 * worker JVM tens of milliseconds (measured with -Djfutures.worker.trace=true).
 */
final class WorkerConfig implements Serializable {
  private static final long serialVersionUID = 2L;

  private final String workerName;

  @SuppressWarnings("serial") // the builder checked that it serializes
  private final Runnable initializer;

  private final String filterPatterns;
  private final long maxHeapBytes;

  /**
   * @param workerName the worker's name, for its threads
   * @param initializer run once before the first task, or null
   * @param filterPatterns the user's deserialization patterns, or empty
   * @param maxHeapBytes retire after a task that leaves more heap in use than this, or 0
   */
  WorkerConfig(String workerName, Runnable initializer, String filterPatterns, long maxHeapBytes) {
    this.workerName = workerName;
    this.initializer = initializer;
    this.filterPatterns = filterPatterns;
    this.maxHeapBytes = maxHeapBytes;
  }

  String workerName() {
    return workerName;
  }

  Runnable initializer() {
    return initializer;
  }

  String filterPatterns() {
    return filterPatterns;
  }

  long maxHeapBytes() {
    return maxHeapBytes;
  }
}
