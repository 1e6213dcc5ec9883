package io.jfutures.impl;

import static io.jfutures.impl.Awaits.await;
import static io.jfutures.impl.Awaits.awaitNoChildren;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A process pool's figures, as an operator reads them over JMX, after tasks that complete, fail,
 * time out, are cancelled and kill their worker; and the log lines of a crash.
 */
@Timeout(120)
final class PoolMetricsIT {
  private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

  @Test
  void everyOutcomeIsCounted_andTheMxBeanGoesWithThePool() throws Exception {
    List<LogRecord> logged = new CopyOnWriteArrayList<>();
    Logger jul = Logger.getLogger("io.jfutures.impl");
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            logged.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    jul.addHandler(capture);
    ObjectName name = new ObjectName("io.jfutures:type=ProcessPoolExecutor,name=\"metrics-it\"");
    try (ProcessPoolExecutor pool =
        ProcessPoolExecutor.newBuilder()
            .name("metrics-it")
            .maxWorkers(2)
            .maxTasksPerChild(3)
            .workerDeathPolicy(WorkerDeathPolicy.REPLACE_WORKER)
            .build()) {
      assertTrue(JMX.isRegistered(name), "registered as " + name);
      for (int i = 0; i < 4; i++) {
        int n = i;
        assertEquals(n, pool.submit(() -> n).get());
      }
      CompletableFuture<Object> thrown =
          pool.submit(
              () -> {
                throw new IllegalStateException("fails");
              });
      assertThrows(ExecutionException.class, thrown::get);
      CompletableFuture<Integer> slow =
          pool.submit(
              () -> {
                Thread.sleep(60_000); // a task body that must take time: it times out
                return 0;
              },
              Duration.ofMillis(300));
      assertThrows(ExecutionException.class, slow::get);
      CompletableFuture<Integer> long_ =
          pool.submit(
              () -> {
                Thread.sleep(60_000); // a task body that must take time: it is cancelled
                return 0;
              });
      await().until(() -> (Integer) JMX.getAttribute(name, "RunningTasks") == 1);
      // Its worker may be a replacement still starting (the timed-out task's was killed).
      await().until(() -> (Integer) JMX.getAttribute(name, "BusyWorkers") == 1);
      long_.cancel(true);
      CompletableFuture<Integer> halts =
          pool.submit(
              () -> {
                Runtime.getRuntime().halt(3);
                return 0;
              });
      assertThrows(ExecutionException.class, halts::get);
      await().until(() -> (Long) JMX.getAttribute(name, "CancelledTasks") == 1);

      PoolMXBean m = pool.metrics();
      assertEquals("metrics-it", m.getName());
      assertEquals(4, m.getCompletedTasks());
      assertEquals(2, m.getFailedTasks(), "the throwing task and the one whose worker halted");
      assertEquals(1, m.getTimedOutTasks());
      assertEquals(1, m.getCancelledTasks());
      assertEquals(Map.of("exit code 3", 1L), m.getWorkerCrashes());
      assertEquals(1L, crashes(name).get("exit code 3"), "the same over JMX");
      assertTrue(m.getWorkerRecycles() >= 1, "3 tasks a child: " + m.getWorkerRecycles());
      // At least the first, the recycled one's replacement and the timed-out one's: whether a
      // second first worker and the other replacements start depends on when each was needed.
      assertTrue(m.getWorkerStarts() >= 3, "worker starts: " + m.getWorkerStarts());
      assertTrue(m.getLastWorkerStartMillis() > 0);
      assertTrue(m.getMeanTaskLatencyMillis() > 0 && m.getMaxTaskLatencyMillis() >= 300);
      assertEquals(0, m.getQueuedTasks());
      assertTrue(
          logged.stream()
              .anyMatch(
                  r ->
                      r.getLevel() == Level.WARNING
                          && r.getParameters() != null
                          && String.valueOf(r.getParameters()[1]).contains("exit code 3")),
          "the crash is logged as a warning: " + logged.size() + " records");
    } finally {
      jul.removeHandler(capture);
    }
    await().until(() -> !JMX.isRegistered(name));
    awaitNoChildren();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Long> crashes(ObjectName name) throws Exception {
    TabularData table = (TabularData) JMX.getAttribute(name, "WorkerCrashes");
    Map<String, Long> counts = new java.util.HashMap<>();
    for (CompositeData row : (java.util.Collection<CompositeData>) table.values()) {
      counts.put((String) row.get("key"), (Long) row.get("value"));
    }
    return counts;
  }
}
