package io.jfutures.api;

import java.util.Objects;

/**
 * Stands for a task's exception that could not be rebuilt in the parent (its class is missing
 * there, it could not be serialized, or it is not allowed by the serialization filter). It keeps
 * the original class name, message and the worker's stack trace, which is this exception's stack
 * trace.
 */
public final class RemoteTaskException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The name of the class of the original exception. */
  private final String remoteClassName;

  /**
   * Creates an exception standing for a remote one.
   *
   * @param remoteClassName the class of the original exception
   * @param remoteMessage the original message, or null
   * @param remoteStackTrace the original stack trace
   * @param cause what stood for the original cause, or null
   */
  public RemoteTaskException(
      String remoteClassName,
      String remoteMessage,
      StackTraceElement[] remoteStackTrace,
      Throwable cause) {
    super(
        remoteMessage == null
            ? Objects.requireNonNull(remoteClassName, "remoteClassName")
            : Objects.requireNonNull(remoteClassName, "remoteClassName") + ": " + remoteMessage,
        cause);
    this.remoteClassName = remoteClassName;
    setStackTrace(remoteStackTrace);
  }

  /**
   * Returns the name of the class of the original exception.
   *
   * @return the original exception's class name
   */
  public String remoteClassName() {
    return remoteClassName;
  }
}
