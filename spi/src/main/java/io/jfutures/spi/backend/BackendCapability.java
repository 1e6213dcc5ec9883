package io.jfutures.spi.backend;

/**
 * What a backend can do beyond running tasks and reporting their outcomes and its workers' loss,
 * which every backend does. An executor refuses, when it is built, a setting that needs a
 * capability its backend lacks, and says which.
 */
public enum BackendCapability {
  /**
   * {@link RunningTask#stop()} ends a running task even if it ignores interrupts, by ending what
   * runs it (a child JVM is killed and replaced). A task timeout then frees the worker at the
   * deadline.
   */
  KILL_RUNNING_TASK,

  /**
   * {@link RunningTask#stop()} interrupts the running task's thread. A task that ignores interrupts
   * runs on and keeps its worker's slot until it returns; its outcome is dropped.
   */
  INTERRUPT_RUNNING_TASK,

  /** Runs an initializer in each worker before the worker's first task of this executor. */
  WORKER_INITIALIZER,

  /**
   * A process, member or client that dies while it holds a shared lock releases it, and the next
   * acquirer is told that the previous holder died (for shared-object backends).
   */
  OWNER_DEATH_NOTICE
}
