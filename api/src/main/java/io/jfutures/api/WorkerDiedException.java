package io.jfutures.api;

/**
 * The worker running a task died, and the pool, configured to replace dead workers, stays usable:
 * only the tasks that were running on that worker fail with this exception. {@link #failure()}
 * names the worker, its pid, its exit code or signal, and the task.
 */
public class WorkerDiedException extends BrokenProcessPoolException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception about a worker's death.
   *
   * @param message the detail message
   * @param failure the dead worker's details
   */
  public WorkerDiedException(String message, WorkerFailure failure) {
    super(message, failure, null);
  }
}
