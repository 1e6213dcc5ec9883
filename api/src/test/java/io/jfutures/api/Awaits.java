package io.jfutures.api;

import static org.awaitility.Durations.ONE_MILLISECOND;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** The one way the api tests wait, as Caffeine's {@code Awaits}. */
final class Awaits {
  private Awaits() {}

  /** Returns a condition factory that polls every millisecond, for at most {@code LONG_DELAY}. */
  static ConditionFactory await() {
    return Awaitility.with()
        .pollDelay(ONE_MILLISECOND)
        .pollInterval(ONE_MILLISECOND)
        .atMost(TestTimeouts.LONG_DELAY);
  }

  /**
   * Waits until at least {@code delay} has passed since {@code startNanos} ({@link
   * System#nanoTime}).
   */
  static void awaitElapsed(long startNanos, Duration delay) {
    await().until(() -> System.nanoTime() - startNanos > delay.toNanos());
  }
}
