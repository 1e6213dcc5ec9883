package io.jfutures.api;

/**
 * A worker thread's initializer failed, so the thread pool can no longer run tasks. The cause is
 * the initializer's exception.
 */
public class BrokenThreadPoolException extends BrokenExecutorException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with the given message and cause.
   *
   * @param message the detail message
   * @param cause the initializer's exception
   */
  public BrokenThreadPoolException(String message, Throwable cause) {
    super(message, cause);
  }
}
