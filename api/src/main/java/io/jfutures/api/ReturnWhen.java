package io.jfutures.api;

/** When {@link Futures#wait(java.util.Collection, java.time.Duration, ReturnWhen)} returns. */
public enum ReturnWhen {
  /** As soon as any future is done (completed normally, exceptionally, or cancelled). */
  FIRST_COMPLETED,
  /**
   * As soon as any future completes exceptionally (cancellation does not count), or when all are
   * done.
   */
  FIRST_EXCEPTION,
  /** When all futures are done. */
  ALL_COMPLETED
}
