package io.jfutures.impl;

/**
 * What {@code submit} does when a process pool's queue already holds {@link
 * ProcessPoolExecutor.Builder#maxQueued maxQueued} tasks waiting for a worker.
 */
public enum QueueFullPolicy {
  /** Wait until a task leaves the queue; an interrupt while waiting rejects the task. */
  BLOCK,
  /**
   * Throw {@link java.util.concurrent.RejectedExecutionException} at once, saying the queue is
   * full.
   */
  REJECT
}
