package io.jfutures.api;

import java.util.Optional;

/**
 * A worker of a process pool died abruptly, could not start, or its initializer failed, as Python's
 * {@code BrokenProcessPool}. When a worker died, {@link #failure()} says which (name, pid), how
 * (exit code or signal) and what it was running; the message says the same.
 */
public class BrokenProcessPoolException extends BrokenExecutorException {
  private static final long serialVersionUID = 1L;

  /** The dead worker's details, or null if this exception is not about a worker's death. */
  private final WorkerFailure failure;

  /**
   * Creates an exception that is not about one worker's death (an initializer failure, say).
   *
   * @param message the detail message
   * @param cause the cause, or null
   */
  public BrokenProcessPoolException(String message, Throwable cause) {
    super(message, cause);
    this.failure = null;
  }

  /**
   * Creates an exception about a worker's death.
   *
   * @param message the detail message
   * @param failure the dead worker's details, or null
   * @param cause the cause, or null
   */
  public BrokenProcessPoolException(String message, WorkerFailure failure, Throwable cause) {
    super(message, cause);
    this.failure = failure;
  }

  /**
   * Returns the dead worker's details, if this exception is about a worker's death.
   *
   * @return the dead worker's details, or empty if this exception is not about a worker's death
   */
  public Optional<WorkerFailure> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * Returns the dead worker's process id, or -1.
   *
   * @return the dead worker's process id, or -1 if unknown or not about a worker's death
   */
  public long pid() {
    return failure == null ? -1 : failure.pid();
  }
}
