package io.jfutures.spi.backend;

import io.jfutures.api.WorkerFailure;

/**
 * What a backend tells its executor about its workers. A backend calls these from any thread, one
 * call at a time per worker, and must not hold a lock of its own while it does.
 */
public interface BackendListener {

  /**
   * A worker is ready for tasks: one that was there when the backend started, or that joined later.
   *
   * @param worker the new worker
   */
  void workerAdded(BackendWorker worker);

  /**
   * A worker is gone: its process died, or the member left the cluster. The executor fails or
   * retries the tasks it had placed there, whether or not the backend also reports them {@link
   * TaskCallback#lost lost}, and places nothing there any more.
   *
   * @param worker the lost worker
   * @param failure what is known of its end; its {@link WorkerFailure#task()} is null, as the
   *     executor knows which of its tasks ran there
   */
  void workerLost(BackendWorker worker, WorkerFailure failure);

  /**
   * The backend can run no more tasks, ever: its cluster client gave up, say. The executor breaks,
   * and every task it has not finished fails with {@code cause} as the breakage's cause.
   *
   * @param cause why the backend failed
   */
  void backendFailed(Throwable cause);
}
