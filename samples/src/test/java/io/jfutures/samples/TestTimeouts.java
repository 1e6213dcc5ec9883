package io.jfutures.samples;

import java.time.Duration;

/**
 * The tests' durations, in one place. Each test is also bounded by the 60 s default of {@code
 * junit-platform.properties}, and each sample bounds its own waits for results.
 */
final class TestTimeouts {
  /** How long a test waits for the child JVMs of a closed pool to be gone. */
  static final Duration CHILDREN_GONE = Duration.ofSeconds(10);

  /** How long each of {@link LongTasks}' tasks sleeps in its IT, as in the sample. */
  static final Duration LONG_TASK = Duration.ofSeconds(1);

  private TestTimeouts() {}
}
