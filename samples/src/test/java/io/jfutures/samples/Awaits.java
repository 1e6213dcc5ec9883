package io.jfutures.samples;

import static org.awaitility.Durations.ONE_MILLISECOND;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** The tests' one way to wait: Awaitility, polling every millisecond. */
final class Awaits {
  private Awaits() {}

  /** Returns a condition factory that polls every millisecond. */
  static ConditionFactory await() {
    return Awaitility.with().pollDelay(ONE_MILLISECOND).pollInterval(ONE_MILLISECOND);
  }

  /** Waits until this JVM has no child process left. */
  static void awaitNoChildProcess() {
    await()
        .atMost(TestTimeouts.CHILDREN_GONE)
        .until(() -> ProcessHandle.current().descendants().findAny().isEmpty());
  }
}
