package io.jfutures.impl;

import java.time.Duration;

/** Every wait in the tests uses one of these, as JSR-166's SHORT_DELAY_MS ... LONG_DELAY_MS. */
final class TestTimeouts {
  /** Something that should already have happened, or is about to. */
  static final Duration SHORT = Duration.ofSeconds(2);

  /** Something that involves starting a child JVM or a few. */
  static final Duration LONG = Duration.ofSeconds(30);

  private TestTimeouts() {}
}
