package io.jfutures.impl.internal.process;

import io.jfutures.impl.WorkerDeathPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;

/** Settings for a pool whose parts a unit test drives by hand: no worker is ever launched. */
final class TestPools {
  private TestPools() {}

  /**
   * An in-process pool of {@code maxWorkers}, started lazily, whose workers' sender threads {@code
   * threads} makes: a test hands out threads that do nothing, or none at all.
   */
  static PoolConfig config(int maxWorkers, ThreadFactory threads) {
    return new PoolConfig(
        maxWorkers,
        0,
        null,
        List.of(),
        List.of(),
        Map.of(),
        new InProcessLauncher(),
        false,
        Duration.ofSeconds(30),
        "",
        WorkerDeathPolicy.REPLACE_WORKER,
        TestPools.class.getClassLoader(),
        null,
        0,
        0,
        false,
        threads,
        null);
  }
}
