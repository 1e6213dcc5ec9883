package io.jfutures.impl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.api.TaskTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class PoolMetricsTest {
  private static final PoolMetrics.Now NOTHING =
      new PoolMetrics.Now() {
        @Override
        public int queued() {
          return 0;
        }

        @Override
        public int running() {
          return 0;
        }

        @Override
        public int busyWorkers() {
          return 0;
        }

        @Override
        public int idleWorkers() {
          return 0;
        }

        @Override
        public int startingWorkers() {
          return 0;
        }
      };

  @Test
  void sampling_timesOneTaskInN_fromTheFirst() {
    PoolMetrics metrics = new PoolMetrics("ThreadPoolExecutor", "sampled", NOTHING, 8);
    for (long id = 1; id <= 32; id++) {
      long stamp = metrics.submitStamp(id);
      if (id % 8 == 1) {
        assertNotEquals(PoolMetrics.UNTIMED, stamp, "task " + id);
      } else {
        assertEquals(PoolMetrics.UNTIMED, stamp, "task " + id);
      }
    }
    PoolMetrics every = new PoolMetrics("ProcessPoolExecutor", "every", NOTHING);
    assertNotEquals(PoolMetrics.UNTIMED, every.submitStamp(3));
  }

  @Test
  void latencySampling_notAPowerOfTwo_isRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new PoolMetrics("ThreadPoolExecutor", "x", NOTHING, 6));
    assertTrue(e.getMessage().contains("power of two, was 6"), e.getMessage());
  }

  /** Outcomes from threads' own counters and the shared ones add up; the mean is over the timed. */
  @Test
  void countsFromWritersAndShared_addUp_meanOverTimedTasksOnly() throws Exception {
    PoolMetrics metrics = new PoolMetrics("ThreadPoolExecutor", "counts", NOTHING, 8);
    long twoMsAgo = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(2);
    int threads = 4;
    int perThread = 10_000;
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      Thread thread =
          new Thread(
              () -> {
                TaskCounts.Writer counts = metrics.newTaskCounter();
                for (int i = 0; i < perThread; i++) {
                  metrics.onTaskDone(counts, CompletableFuture.completedFuture(i), twoMsAgo);
                  metrics.onTaskDone(counts, failed(), PoolMetrics.UNTIMED);
                }
                done.countDown();
              });
      thread.start();
    }
    metrics.onTaskDone(cancelled(), PoolMetrics.UNTIMED);
    metrics.onTaskDone(
        CompletableFuture.failedFuture(
            new TaskTimeoutException("timed out", "task #1", Duration.ofSeconds(1))),
        PoolMetrics.UNTIMED);
    assertTrue(done.await(30, TimeUnit.SECONDS));
    assertEquals(threads * perThread, metrics.getCompletedTasks());
    assertEquals(threads * perThread, metrics.getFailedTasks());
    assertEquals(1, metrics.getCancelledTasks());
    assertEquals(1, metrics.getTimedOutTasks());
    // Only the completed tasks were timed, each at 2 ms or a little more.
    double mean = metrics.getMeanTaskLatencyMillis();
    assertTrue(mean >= 2 && mean < 60_000, "mean " + mean);
    assertTrue(metrics.getMaxTaskLatencyMillis() >= mean, "max " + metrics);
  }

  private static CompletableFuture<Object> failed() {
    return CompletableFuture.failedFuture(new IllegalStateException("failed"));
  }

  private static CompletableFuture<Object> cancelled() {
    CompletableFuture<Object> f = new CompletableFuture<>();
    f.cancel(false);
    return f;
  }

  @Test
  void registration_waitsForJmxToBeInUse_andIsWithdrawnIfThePoolGoesFirst() throws Exception {
    javax.management.MBeanServer jmx =
        java.lang.management.ManagementFactory.getPlatformMBeanServer();
    java.util.concurrent.atomic.AtomicBoolean inUse =
        new java.util.concurrent.atomic.AtomicBoolean();
    JmxRegistration watch = new JmxRegistration(inUse::get, 10, "watch-pool-metrics");

    PoolMetrics later = new PoolMetrics("ProcessPoolExecutor", "registered-later", NOTHING);
    later.register(watch);
    PoolMetrics gone = new PoolMetrics("ProcessPoolExecutor", "gone-first", NOTHING);
    gone.register(watch);
    assertEquals(2, watch.pendingCount());
    assertEquals(null, later.objectName(), "nothing while JMX is not in use");
    gone.unregister(); // the pool terminated before JMX was used
    assertEquals(1, watch.pendingCount(), "withdrawn: the registry holds no dead pool");

    inUse.set(true);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> later.objectName() != null);
    javax.management.ObjectName name = later.objectName();
    assertTrue(jmx.isRegistered(name), "registered by the watcher");
    later.unregister();
    assertEquals(false, jmx.isRegistered(name));
    assertEquals(null, gone.objectName());
    assertEquals(
        0,
        jmx.queryNames(new javax.management.ObjectName("io.jfutures:*,name=\"gone-first\""), null)
            .size());
  }

  @Test
  void register_withTheServerThere_registersAtOnce() {
    java.lang.management.ManagementFactory.getPlatformMBeanServer(); // JMX in use
    PoolMetrics metrics = new PoolMetrics("ThreadPoolExecutor", "at-once", NOTHING);
    metrics.register();
    try {
      assertTrue(
          java.lang.management.ManagementFactory.getPlatformMBeanServer()
              .isRegistered(metrics.objectName()));
    } finally {
      metrics.unregister();
    }
  }
}
