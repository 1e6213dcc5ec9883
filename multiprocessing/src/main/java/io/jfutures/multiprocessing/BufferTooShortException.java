package io.jfutures.multiprocessing;

import java.io.IOException;

/**
 * A message did not fit where it was to be received: Python's {@code BufferTooShort}. It carries
 * the whole message, which is not lost.
 */
public final class BufferTooShortException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The whole message that did not fit. */
  @SuppressWarnings("serial") // an exception that travels with its message, as Python's does
  private final byte[] message;

  /**
   * Creates the exception for {@code message}, which it keeps.
   *
   * @param description the detail message
   * @param message the whole message that did not fit
   */
  public BufferTooShortException(String description, byte[] message) {
    super(description);
    this.message = message;
  }

  /**
   * Returns the whole message that did not fit.
   *
   * @return a copy of the whole message
   */
  public byte[] message() {
    return message.clone();
  }
}
