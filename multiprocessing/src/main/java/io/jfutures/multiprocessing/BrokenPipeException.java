package io.jfutures.multiprocessing;

/**
 * A {@link Connection#send} to a pipe whose other end is gone: closed, or every process that held
 * it died. Python's {@code BrokenPipeError}. The message was not sent, and nor will any later one
 * be; what was sent before and not received is dropped, as nobody can receive it.
 */
public class BrokenPipeException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the detail message, saying which end is gone
   */
  public BrokenPipeException(String message) {
    super(message);
  }
}
