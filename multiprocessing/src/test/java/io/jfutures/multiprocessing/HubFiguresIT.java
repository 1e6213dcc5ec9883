package io.jfutures.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The hub's figures over JMX: objects, a waiter of this JVM, a client process and its bytes. */
@Timeout(60)
class HubFiguresIT {
  private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

  @Test
  void theHubReportsItsObjectsWaitersClientsAndBytes() throws Exception {
    ProcessQueue<String> q = new ProcessQueue<>();
    ProcessQueue<String> toChild = new ProcessQueue<>();
    Pipe oneWay = Pipe.open(false); // a pipe with one direction counts its waiters too
    try {
      ObjectName name =
          new ObjectName("io.jfutures:type=Hub,name=" + ProcessHandle.current().pid());
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> JMX.isRegistered(name));
      assertTrue((Integer) JMX.getAttribute(name, "Objects") >= 1);
      long readBefore = (Long) JMX.getAttribute(name, "BytesRead");

      CompletableFuture<String> got =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return q.get();
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> (Integer) JMX.getAttribute(name, "Waiters") >= 1);

      toChild.put("y".repeat(5_000));
      JvmProcess child =
          new JvmProcess(() -> q.put(toChild.get() + "x".repeat(5_000))).daemon(true).start();
      assertEquals(10_000, got.get().length());
      assertTrue(child.join(Duration.ofSeconds(30)));
      assertTrue(
          (Long) JMX.getAttribute(name, "BytesRead") >= readBefore + 10_000,
          "the child's item came through the hub");
      assertTrue(
          (Long) JMX.getAttribute(name, "BytesWritten") >= 5_000, "the child's item came from it");
      assertEquals(0, (int) (Integer) JMX.getAttribute(name, "Waiters"));
    } finally {
      q.close();
      toChild.close();
      oneWay.first().close();
      oneWay.second().close();
    }
  }

  @Test
  void busyObjects_sayWhatAJoinWaitsFor_andWhoHoldsALock() throws Exception {
    JoinableProcessQueue<Integer> work = new JoinableProcessQueue<>();
    ProcessQueue<String> ready = new ProcessQueue<>();
    ProcessEvent release = new ProcessEvent();
    ProcessLock lock = new ProcessLock();
    work.put(1);
    work.put(2);
    ObjectName name = new ObjectName("io.jfutures:type=Hub,name=" + ProcessHandle.current().pid());
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> JMX.isRegistered(name));
    JvmProcess child =
        new JvmProcess(
                () -> {
                  lock.lock();
                  int a = work.get();
                  int b = work.get();
                  ready.put("took " + a + " and " + b);
                  release.await();
                  work.taskDone();
                  work.taskDone();
                  lock.unlock();
                })
            .daemon(true)
            .start();
    CompletableFuture<Void> joined = new CompletableFuture<>();
    Thread joiner =
        new Thread(
            () -> {
              try {
                work.join();
                joined.complete(null);
              } catch (Throwable t) {
                joined.completeExceptionally(t);
              }
            });
    try {
      assertEquals("took 1 and 2", ready.get(Duration.ofSeconds(30)));
      joiner.start();
      String pid = "pid " + child.pid();
      List<String> ours = new java.util.ArrayList<>();
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                List<String> busy = busyObjects(name);
                String queue =
                    find(
                        busy,
                        l ->
                            l.startsWith("joinable queue ")
                                && l.contains("2 unfinished")
                                && l.contains("2 taken by " + pid + " and not done")
                                && l.contains(
                                    "1 joiner waiting: the hub's JVM, pid "
                                        + ProcessHandle.current().pid()));
                String held =
                    find(busy, l -> l.startsWith("lock ") && l.contains("held by " + pid));
                ours.clear();
                ours.add(queue.substring(0, queue.indexOf(':') + 1)); // "joinable queue 12:"
                ours.add(held.substring(0, held.indexOf(':') + 1));
              });
      release.set();
      joined.get(30, TimeUnit.SECONDS);
      assertTrue(child.join(Duration.ofSeconds(30)));
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                List<String> busy = busyObjects(name);
                assertTrue(
                    busy.stream().noneMatch(l -> ours.stream().anyMatch(l::startsWith)),
                    ours + " still busy: " + busy);
              });
    } finally {
      release.set();
      joiner.join(30_000);
      work.close();
      ready.close();
    }
  }

  /** The one line of {@code busy} that {@code match} accepts; fails naming them all if none. */
  private static String find(List<String> busy, java.util.function.Predicate<String> match) {
    return busy.stream()
        .filter(match)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no such line in " + busy));
  }

  private static List<String> busyObjects(ObjectName name) throws Exception {
    return List.of((String[]) JMX.getAttribute(name, "BusyObjects"));
  }
}
