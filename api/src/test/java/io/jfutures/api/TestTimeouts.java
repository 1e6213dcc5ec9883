package io.jfutures.api;

import java.time.Duration;

/**
 * Every delay and timeout the api tests use, as JSR166TestCase's {@code SHORT_DELAY_MS} to {@code
 * LONG_DELAY_MS}: a test that needs a duration takes one of these.
 */
final class TestTimeouts {
  /** A timeout the code under test is expected to let pass; keep it small, tests wait it out. */
  static final Duration SHORT_DELAY = Duration.ofMillis(50);

  /** The bound on anything that is expected to happen: a result arriving, a thread blocking. */
  static final Duration LONG_DELAY = Duration.ofSeconds(10);

  private TestTimeouts() {}
}
