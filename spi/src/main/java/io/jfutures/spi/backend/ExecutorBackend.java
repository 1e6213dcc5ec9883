package io.jfutures.spi.backend;

import io.jfutures.api.SerializableRunnable;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Where an executor's tasks run: child JVMs, the members of a cluster. The executor in front of it
 * keeps the queue and the futures, and hands the backend at most as many tasks per worker as the
 * worker has {@link BackendWorker#slots() slots}; the backend runs them and reports.
 *
 * <p><b>Lifecycle.</b> {@link #start} once, then any number of {@link #run} calls from any thread,
 * then {@link #close} once. A backend reports every worker it has through {@link
 * BackendListener#workerAdded} (those there at start before {@code start} returns) and every loss
 * through {@link BackendListener#workerLost}.
 *
 * <p><b>Misbehaviour.</b> A task whose worker is lost is failed or retried by the executor on the
 * listener's report alone, so a backend that reports a loss but never calls the task's {@link
 * TaskCallback} leaves no future hanging. A task whose callback is never called on a worker that
 * stays is not detected (give tasks a timeout).
 *
 * <p>Implementations must be thread-safe.
 */
public interface ExecutorBackend extends AutoCloseable {

  /**
   * Returns the name messages give this backend, as {@code hazelcast}.
   *
   * @return the backend's name
   */
  String name();

  /**
   * Returns what this backend can do beyond running tasks; fixed for its life.
   *
   * @return the backend's capabilities
   */
  Set<BackendCapability> capabilities();

  /**
   * Starts the backend for one executor: joins or connects to what runs the tasks, and reports the
   * workers already there to {@code listener} before it returns.
   *
   * @param executorName the executor's name, for threads, logs and names in the backend
   * @param allowedClasses the executor's deserialization allow-list, in {@link
   *     java.io.ObjectInputFilter.Config#createFilter} syntax, or empty; a backend that runs tasks
   *     in another JVM applies it where tasks and results are read
   * @param initializer run by each worker before its first task of this executor, or null; never
   *     given to a backend without {@link BackendCapability#WORKER_INITIALIZER}
   * @param listener where to report workers
   * @throws IOException if the backend cannot start
   */
  void start(
      String executorName,
      String allowedClasses,
      SerializableRunnable initializer,
      BackendListener listener)
      throws IOException;

  /**
   * Makes what travels of a task, on the submitting thread, once, however often the task is run: a
   * backend that runs tasks in another JVM serializes it here, so that a task that cannot travel is
   * refused at its {@code submit}, and a retry does not serialize it again. The default returns
   * {@code call} itself.
   *
   * @param call the task
   * @return what {@link #run} gets as the task's {@link BackendTask#payload() payload}
   * @throws IOException if the task cannot travel (a {@link java.io.NotSerializableException},
   *     say): the executor refuses it with a message that names the class at fault and the fix
   */
  default Object prepare(Callable<?> call) throws IOException {
    return call;
  }

  /**
   * Runs {@code task} on {@code worker} and reports its outcome to {@code callback}. Does not wait
   * for the task. If the worker is already gone, reports the task {@link TaskCallback#notRun not
   * run}.
   *
   * @param worker one of this backend's workers, with a free slot
   * @param task what to run
   * @param callback where to report the outcome
   * @return a handle that stops the task
   * @throws java.util.concurrent.RejectedExecutionException if the task cannot be sent (it does not
   *     serialize, say); the message says why
   */
  RunningTask run(BackendWorker worker, BackendTask task, TaskCallback callback);

  /** Stops using what runs the tasks, and stops it if this backend started it. Idempotent. */
  @Override
  void close();
}
