package io.jfutures.spi.backend;

import io.jfutures.api.WorkerFailure;

/**
 * Where a backend reports one task's outcome. The backend calls exactly one of the methods, once,
 * also for a task it {@link RunningTask#stop() stopped} ({@link #failed} with what the stop caused,
 * when the task's own outcome does not come): the executor frees the task's slot then. The executor
 * completes futures on threads of its own, so a backend may call these from a thread that must not
 * stall (an I/O thread).
 */
public interface TaskCallback {

  /**
   * The task returned.
   *
   * @param result what it returned, as read back on this side
   */
  void completed(Object result);

  /**
   * The task threw, or its task or result could not be serialized or read.
   *
   * @param failure what it threw, or why it could not travel
   */
  void failed(Throwable failure);

  /**
   * The worker running the task was lost before the task's outcome was known: the task may or may
   * not have run, in part or in full. (A backend that loses a task's outcome while its worker
   * stays, with a connection to it say, reports the task lost too.) Report the worker's loss to the
   * {@link BackendListener} first, if the backend reports it at all: else the executor may place a
   * task on that worker between the two reports.
   *
   * @param failure what is known of the worker's end
   */
  void lost(WorkerFailure failure);

  /**
   * The worker was lost before it took the task, which never ran (it could not be delivered): the
   * executor runs it elsewhere, as if it had never been placed, and places nothing more on that
   * worker.
   *
   * @param failure what is known of the worker's end
   */
  void notRun(WorkerFailure failure);
}
