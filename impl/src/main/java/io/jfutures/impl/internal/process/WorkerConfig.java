package io.jfutures.impl.internal.process;

import java.io.Serializable;

/**
 * What the pool tells a worker in its INIT frame.
 *
 * @param workerName the worker's name, for its threads
 * @param initializer run once before the first task, or null
 * @param filterPatterns the user's deserialization patterns, or empty
 * @param maxHeapBytes retire after a task that leaves more heap in use than this, or 0
 */
record WorkerConfig(
    String workerName,
    @SuppressWarnings("serial") Runnable initializer, // the builder checked it serializes
    String filterPatterns,
    long maxHeapBytes)
    implements Serializable {
  private static final long serialVersionUID = 1L;
}
