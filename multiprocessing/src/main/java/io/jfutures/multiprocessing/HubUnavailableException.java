package io.jfutures.multiprocessing;

/**
 * The process that holds a shared object (its hub) is gone, or cannot be reached: Python's broken
 * pipes from a dead manager, as one clear error. It comes at once, when the hub's JVM exits or is
 * killed, to every call waiting on it, and to every later call.
 */
public class HubUnavailableException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message naming the hub and a cause.
   *
   * @param message the detail message, naming the hub
   * @param cause the cause, or null
   */
  public HubUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
