package io.jfutures.api;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * A task ran longer than its timeout and was stopped: in a process pool, its worker was killed and
 * replaced. The future of that task completes with this exception; the pool keeps working.
 */
public class TaskTimeoutException extends TimeoutException {
  private static final long serialVersionUID = 1L;

  /** A description of the task that timed out. */
  private final String task;

  /** The limit the task ran past. */
  private final Duration timeout;

  /**
   * Creates an exception for {@code task}, which ran past {@code timeout}.
   *
   * @param message the detail message
   * @param task a description of the task, as {@code task #12 (com.example.Job)}
   * @param timeout the limit the task ran past
   * @throws NullPointerException if {@code task} or {@code timeout} is null
   */
  public TaskTimeoutException(String message, String task, Duration timeout) {
    super(message);
    this.task = Objects.requireNonNull(task, "task");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /**
   * Returns a description of the task, as {@code task #12 (com.example.Job)}.
   *
   * @return a description of the task
   */
  public String task() {
    return task;
  }

  /**
   * Returns the limit the task ran past.
   *
   * @return the task's timeout
   */
  public Duration timeout() {
    return timeout;
  }
}
