package io.jfutures.api;

import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * Wraps a {@link TimeoutException} where a checked exception cannot be thrown: from an iterator of
 * {@link Futures#asCompleted} or a stream of {@link Executor#map}. The message is the cause's.
 */
public final class UncheckedTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Wraps {@code cause}.
   *
   * @param cause the timeout to wrap
   * @throws NullPointerException if {@code cause} is null
   */
  public UncheckedTimeoutException(TimeoutException cause) {
    super(Objects.requireNonNull(cause, "cause").getMessage(), cause);
  }

  /** Returns the timeout this exception wraps. */
  @Override
  public synchronized TimeoutException getCause() {
    return (TimeoutException) super.getCause();
  }
}
