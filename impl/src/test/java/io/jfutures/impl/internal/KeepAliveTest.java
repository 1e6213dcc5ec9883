package io.jfutures.impl.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class KeepAliveTest {
  private static final AtomicInteger NAMES = new AtomicInteger();

  private static List<Thread> keepers(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(name) && t.isAlive())
        .toList();
  }

  @Test
  void aNonDaemonKeeperLivesWhileATaskIsUnfinished_andLeavesAfter() {
    String name = "keepalive-test-" + NAMES.incrementAndGet();
    KeepAlive keepAlive = new KeepAlive(name);
    keepAlive.taskStarted();
    List<Thread> keepers = keepers(name);
    assertTrue(keepers.size() == 1 && !keepers.get(0).isDaemon(), keepers.toString());
    // Several of its looks at the count pass, and it stays.
    await()
        .during(Duration.ofMillis(4 * KeepAlive.POLL_MILLIS))
        .atMost(Duration.ofSeconds(5))
        .until(() -> keepers(name).size() == 1);
    keepAlive.taskFinished();
    await().atMost(Duration.ofSeconds(5)).until(() -> keepers(name).isEmpty());
  }

  @Test
  void manyShortTasksFromSeveralThreads_oneKeeperAtATime_noneLeftAfter() throws Exception {
    String name = "keepalive-test-" + NAMES.incrementAndGet();
    KeepAlive keepAlive = new KeepAlive(name);
    AtomicInteger mostKeepers = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(2);
    Runnable churn =
        () -> {
          for (int i = 0; i < 20_000; i++) {
            keepAlive.taskStarted();
            if (i % 2_000 == 0) {
              mostKeepers.accumulateAndGet(keepers(name).size(), Math::max);
            }
            keepAlive.taskFinished();
          }
          done.countDown();
        };
    new Thread(churn).start();
    new Thread(churn).start();
    assertTrue(done.await(30, java.util.concurrent.TimeUnit.SECONDS));
    assertTrue(mostKeepers.get() <= 1, "keepers at once: " + mostKeepers.get());
    await().atMost(Duration.ofSeconds(5)).until(() -> keepers(name).isEmpty());
  }

  @Test
  void aTaskAfterTheKeeperLeft_startsANewOne() {
    String name = "keepalive-test-" + NAMES.incrementAndGet();
    KeepAlive keepAlive = new KeepAlive(name);
    keepAlive.taskStarted();
    keepAlive.taskFinished();
    await().atMost(Duration.ofSeconds(5)).until(() -> keepers(name).isEmpty());
    keepAlive.taskStarted();
    assertFalse(keepers(name).isEmpty(), "a keeper runs again while a task is unfinished");
    keepAlive.taskFinished();
    await().atMost(Duration.ofSeconds(5)).until(() -> keepers(name).isEmpty());
  }

  /** With its owner's counts: a keeper while they differ, none once they are equal. */
  @Test
  void withItsOwnersCounts_keepsWhileTheyDiffer() {
    String name = "keepalive-test-" + NAMES.incrementAndGet();
    java.util.concurrent.atomic.AtomicLong started = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicLong finished = new java.util.concurrent.atomic.AtomicLong();
    KeepAlive keepAlive = new KeepAlive(name, started::get, finished::get);
    started.incrementAndGet();
    keepAlive.afterTaskCounted();
    assertFalse(keepers(name).isEmpty(), "a keeper while a task is unfinished");
    await()
        .during(Duration.ofMillis(3 * KeepAlive.POLL_MILLIS))
        .atMost(Duration.ofSeconds(5))
        .until(() -> keepers(name).size() == 1);
    finished.incrementAndGet();
    await().atMost(Duration.ofSeconds(5)).until(() -> keepers(name).isEmpty());
    IllegalStateException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class, keepAlive::taskStarted);
    assertTrue(e.getMessage().contains("afterTaskCounted"), e.getMessage());
  }
}
