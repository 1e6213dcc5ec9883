package io.jfutures.impl.internal.process;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.api.SerializableCallable;
import io.jfutures.impl.WorkerDeathPolicy;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a process pool holds on to: nothing of a task once its future is done, and no place in the
 * queue for a task cancelled while it waits. In-process workers, so that many tasks run quickly.
 */
@Timeout(120)
final class ProcessPoolMemoryTest {
  /** Gates the in-process workers' tasks, and says when one has begun; reset by each test. */
  private static volatile CountDownLatch gate = new CountDownLatch(0);

  private static volatile CountDownLatch entered = new CountDownLatch(0);

  /** A task body that waits for the gate. */
  private static Object enterAndWait() throws InterruptedException {
    entered.countDown();
    return gate.await(60, SECONDS);
  }

  static final AtomicInteger LAUNCHES = new AtomicInteger();

  private static ProcessPool pool(int maxWorkers, Duration taskTimeout, int maxQueued) {
    InProcessLauncher inProcess = new InProcessLauncher();
    io.jfutures.spi.WorkerLauncher counting =
        new io.jfutures.spi.WorkerLauncher() {
          @Override
          public String name() {
            return "counting-in-process";
          }

          @Override
          public io.jfutures.spi.WorkerHandle launch(io.jfutures.spi.WorkerSpec spec)
              throws java.io.IOException {
            LAUNCHES.incrementAndGet();
            return inProcess.launch(spec);
          }
        };
    return new ProcessPool(
        new PoolConfig(
            maxWorkers,
            0,
            null,
            List.of(),
            List.of(),
            Map.of(),
            counting,
            false,
            Duration.ofSeconds(30),
            "",
            WorkerDeathPolicy.REPLACE_WORKER,
            ProcessPoolMemoryTest.class.getClassLoader(),
            taskTimeout,
            0,
            maxQueued,
            false,
            Thread::new,
            null));
  }

  private static void close(ProcessPool pool) throws InterruptedException {
    pool.shutdown(false);
    assertTrue(pool.awaitTermination(SECONDS.toNanos(30)), pool.toString());
  }

  @Test
  void aHundredThousandShortTasksUnderAnHourLongTimeout_holdNothingOnceDone() throws Exception {
    // Before, each timed task's timer entry held the task, its payload and its result until the
    // deadline (a million of them did not fit in this JVM's heap). The timer's queue and a result's
    // reachability say it directly: a hundred thousand are enough, in a tenth of the time.
    ProcessPool pool = pool(2, Duration.ofHours(1), 0);
    try {
      int total = 100_000;
      ArrayDeque<CompletableFuture<Object>> window = new ArrayDeque<>();
      WeakReference<Object> aResult = null;
      SerializableCallable<Object> task = () -> new byte[256];
      for (int i = 0; i < total; i++) {
        window.add(pool.schedule(task));
        if (window.size() == 2_000) {
          Object r = window.poll().get(30, SECONDS);
          if (aResult == null) {
            aResult = new WeakReference<>(r);
          }
        }
      }
      while (!window.isEmpty()) {
        window.poll().get(30, SECONDS);
      }
      ScheduledThreadPoolExecutor timer = (ScheduledThreadPoolExecutor) TaskTimers.TIMER;
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> timer.getQueue().size() < 10); // a few: other tests' and the watch's
      WeakReference<Object> result = aResult;
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                System.gc();
                return result.get() == null;
              });
    } finally {
      close(pool);
    }
  }

  @Test
  @SuppressWarnings("serial") // its lambda calls a private method of this test: nothing to guard
  void cancelledWaitingTasks_holdNoPlaceInTheQueue_norAskForAWorker() throws Exception {
    gate = new CountDownLatch(1);
    entered = new CountDownLatch(1);
    LAUNCHES.set(0);
    ProcessPool pool = pool(1, null, 1);
    try {
      SerializableCallable<Object> blocker = ProcessPoolMemoryTest::enterAndWait;
      CompletableFuture<Object> running = pool.schedule(blocker);
      assertTrue(entered.await(30, SECONDS), "the worker runs it: it no longer waits");
      SerializableCallable<Object> quick = () -> "quick";
      CompletableFuture<Object> waiting = pool.schedule(quick);
      assertTrue(waiting.cancel(false));
      // Its place is free at once: the queue holds one task, and the cancelled one is gone.
      CompletableFuture<Object> next = pool.schedule(quick);
      RejectedExecutionException full =
          org.junit.jupiter.api.Assertions.assertThrows(
              RejectedExecutionException.class, () -> pool.schedule(quick));
      assertTrue(full.getMessage().contains("queue is full"), full.getMessage());
      assertTrue(next.cancel(false));
      // Kill the only worker: with nothing but cancelled tasks queued, no replacement starts.
      assertTrue(running.cancel(true));
      pool.shutdown(false);
      assertTrue(pool.awaitTermination(SECONDS.toNanos(30)), pool.toString());
      assertEquals(1, LAUNCHES.get(), "a worker was started for cancelled tasks");
    } finally {
      gate.countDown();
      close(pool);
    }
  }
}
