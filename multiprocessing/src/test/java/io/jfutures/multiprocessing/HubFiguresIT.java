package io.jfutures.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
}
