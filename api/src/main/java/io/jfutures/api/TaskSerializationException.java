package io.jfutures.api;

/**
 * A task, its argument, its result or its exception could not be serialized, or could not be read
 * back on the other side. It fails only the future of that task; the message names the class.
 */
public class TaskSerializationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with the given message and cause.
   *
   * @param message the detail message, which names the class
   * @param cause the cause, or null
   */
  public TaskSerializationException(String message, Throwable cause) {
    super(message, cause);
  }
}
