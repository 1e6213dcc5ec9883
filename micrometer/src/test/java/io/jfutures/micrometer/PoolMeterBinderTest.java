package io.jfutures.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.impl.ThreadPoolExecutor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PoolMeterBinderTest {
  @Test
  void aPoolsFiguresAreMeters_taggedWithItsName() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ThreadPoolExecutor pool =
        ThreadPoolExecutor.newBuilder().maxWorkers(2).threadNamePrefix("binder-test").build()) {
      new PoolMeterBinder(pool).bindTo(registry);
      for (int i = 0; i < 3; i++) {
        pool.submit(() -> 1).get();
      }
      CompletableFuture<Object> fails =
          pool.submit(
              () -> {
                throw new IllegalStateException("fails");
              });
      assertThrows(ExecutionException.class, fails::get);
      assertEquals(3, count(registry, "completed"));
      assertEquals(1, count(registry, "failed"));
      assertEquals(0, count(registry, "timed_out"));
      double starts =
          registry
              .get("jfutures.pool.worker.starts")
              .tag("pool", "binder-test")
              .functionCounter()
              .count();
      assertTrue(starts >= 1 && starts <= 2, "threads started: " + starts);
      assertEquals(0, registry.get("jfutures.pool.tasks.queued").gauge().value());
      assertTrue(
          registry.get("jfutures.pool.task.latency.max").timeGauge().value(TimeUnit.NANOSECONDS)
              > 0);
      assertEquals(
          3, registry.get("jfutures.pool.workers").gauges().size(), "busy, idle, starting");
    }
  }

  private static double count(SimpleMeterRegistry registry, String outcome) {
    return registry
        .get("jfutures.pool.tasks")
        .tag("pool", "binder-test")
        .tag("outcome", outcome)
        .functionCounter()
        .count();
  }
}
