package io.jfutures.impl.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
final class JmxRegistrationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void withJmxInUse_aRegistrationRunsAtOnce_onTheCallersThread() {
    ManagementFactory.getPlatformMBeanServer();
    assertTrue(JmxRegistration.inUse());
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    JmxRegistration.soon(() -> ranOn.set(Thread.currentThread()));
    assertSame(Thread.currentThread(), ranOn.get());
  }

  @Test
  void withoutJmx_registrationsWait_thenRunInOrderOnTheWatcher_onceItIsInUse() throws Exception {
    AtomicBoolean inUse = new AtomicBoolean();
    AtomicInteger looks = new AtomicInteger();
    JmxRegistration jmx =
        new JmxRegistration(
            () -> {
              looks.incrementAndGet();
              return inUse.get();
            },
            5,
            "watch-in-order");
    List<String> ran = new CopyOnWriteArrayList<>();
    AtomicReference<String> thread = new AtomicReference<>();
    jmx.register(() -> ran.add("first"));
    jmx.register(
        () -> {
          ran.add("second");
          thread.set(Thread.currentThread().getName());
        });

    await().atMost(WAIT).until(() -> looks.get() > 5); // the watcher looked, and found none
    assertEquals(List.of(), ran, "nothing runs before JMX is in use");
    assertEquals(2, jmx.pendingCount());

    inUse.set(true);
    await().atMost(WAIT).until(() -> ran.size() == 2);
    assertEquals(List.of("first", "second"), ran);
    assertEquals("watch-in-order", thread.get());
    assertEquals(0, jmx.pendingCount());
    jmx.register(() -> ran.add("third"));
    assertEquals(List.of("first", "second", "third"), ran, "in use now: at once");
  }

  @Test
  void aWithdrawnRegistrationNeverRuns_andTheWatcherEndsWithNothingLeft() throws Exception {
    AtomicBoolean inUse = new AtomicBoolean();
    JmxRegistration jmx = new JmxRegistration(inUse::get, 5, "watch-withdrawn");
    AtomicInteger ran = new AtomicInteger();
    Runnable withdraw = jmx.register(ran::incrementAndGet);
    Thread watcher = thread("watch-withdrawn");
    withdraw.run();
    withdraw.run(); // idempotent
    assertEquals(0, jmx.pendingCount());
    watcher.join(WAIT.toMillis());
    assertTrue(!watcher.isAlive(), "the watcher ends once nothing waits");

    jmx.register(ran::incrementAndGet); // a new watcher for a new registration
    inUse.set(true);
    await().atMost(WAIT).until(() -> ran.get() == 1);
    assertEquals(1, ran.get(), "only the one not withdrawn ran");
  }

  private static Thread thread(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(name) && t.isAlive())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no watcher thread"));
  }
}
