package io.jfutures.impl.internal;

import java.time.Duration;

/** Duration helpers for deadlines. */
public final class Durations {
  /** Beyond this a timeout means "never": about a century, far from long overflow. */
  private static final Duration FOREVER = Duration.ofDays(365L * 100);

  private Durations() {}

  /**
   * Returns {@code d} in nanoseconds, capped so that {@code System.nanoTime() + it} cannot
   * overflow.
   */
  public static long toNanosSaturated(Duration d) {
    return d.compareTo(FOREVER) > 0 ? FOREVER.toNanos() : d.toNanos();
  }
}
