package io.jfutures.api;

import java.util.concurrent.RejectedExecutionException;

/**
 * The executor can no longer run tasks after a severe failure, as Python's {@code BrokenExecutor}.
 * Pending futures complete with it, and later submits throw it. It is a {@link
 * RejectedExecutionException}, so code written for {@link java.util.concurrent.ExecutorService}
 * handles it.
 */
public class BrokenExecutorException extends RejectedExecutionException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with the given message.
   *
   * @param message the detail message
   */
  public BrokenExecutorException(String message) {
    super(message);
  }

  /**
   * Creates an exception with the given message and cause.
   *
   * @param message the detail message
   * @param cause the cause, or null
   */
  public BrokenExecutorException(String message, Throwable cause) {
    super(message, cause);
  }
}
