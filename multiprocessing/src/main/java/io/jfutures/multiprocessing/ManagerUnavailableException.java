package io.jfutures.multiprocessing;

/**
 * The manager that hosts an object is gone (its JVM exited or was killed) or was shut down: every
 * call on its proxies fails with this at once, never a hang or a stream of broken pipes (Python's
 * fault F10).
 */
public final class ManagerUnavailableException extends HubUnavailableException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message naming the manager, and a cause.
   *
   * @param message the detail message, naming the manager
   * @param cause the cause, or null
   */
  public ManagerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
