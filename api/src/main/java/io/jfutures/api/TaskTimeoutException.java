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

  private final String task;
  private final Duration timeout;

  /** Creates an exception for {@code task}, which ran past {@code timeout}. */
  public TaskTimeoutException(String message, String task, Duration timeout) {
    super(message);
    this.task = Objects.requireNonNull(task, "task");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** Returns a description of the task, as {@code task #12 (com.example.Job)}. */
  public String task() {
    return task;
  }

  /** Returns the limit the task ran past. */
  public Duration timeout() {
    return timeout;
  }
}
