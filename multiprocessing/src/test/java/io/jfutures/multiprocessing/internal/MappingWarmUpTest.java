package io.jfutures.multiprocessing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.multiprocessing.Pipe;
import io.jfutures.multiprocessing.ProcessLock;
import io.jfutures.multiprocessing.SharedMemory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
final class MappingWarmUpTest {
  private static long warmUpThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("jfutures-map-warmup"))
        .count();
  }

  @Test
  void begin_mapsAheadOnce_whereAFirstMapIsDear_andAMapAfterWaitsForIt() {
    MappingWarmUp.begin();
    MappingWarmUp.begin(); // once per JVM
    assertTrue(warmUpThreads() <= 1, "one warm-up thread at most");
    MappingWarmUp.awaitIfStarted();
    if (Runtime.version().feature() >= 18) {
      assertTrue(MappingWarmUp.done(), "JDK 18+: mapped ahead, and awaited");
    } else {
      assertFalse(MappingWarmUp.done(), "JDK 17's first map is cheap: nothing ahead of it");
      assertEquals(0, warmUpThreads());
    }
    SharedMemory block = SharedMemory.create(64); // maps, after the warm-up if there was one
    try {
      block.buffer().putLong(0, 42);
      assertEquals(42, block.buffer().getLong(0));
    } finally {
      block.unlink();
    }
  }

  @Test
  void stepsAfterTheWarmUp_runOnceEach_inOrder_afterTheFirstMap_pastOneThatThrows()
      throws Exception {
    java.util.List<String> ran =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(1);
    MappingWarmUp.afterWarmUp(() -> ran.add("first, mapped ahead: " + mappedAhead()));
    MappingWarmUp.afterWarmUp(
        () -> {
          throw new IllegalStateException("a step's own failure");
        });
    MappingWarmUp.afterWarmUp(
        () -> {
          ran.add("last, mapped ahead: " + mappedAhead());
          all.countDown();
        });
    assertTrue(all.await(10, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(java.util.List.of("first, mapped ahead: true", "last, mapped ahead: true"), ran);
  }

  /** Whether the JVM's first map is made, or cheap on this JDK (17: no warm-up at all). */
  private static boolean mappedAhead() {
    return Runtime.version().feature() < 18 || MappingWarmUp.done();
  }

  @Test
  void aSynchronizationHandle_arrivingFromAHubOnThisMachine_asksForTheWarmUp() throws Exception {
    assertArrivalAsksForTheWarmUp(new ProcessLock(), "a lock that arrived will map its word");
  }

  @Test
  void aPipeEnd_arrivingFromAHubOnThisMachine_asksForTheWarmUp() throws Exception {
    Pipe pipe = Pipe.open();
    try {
      assertArrivalAsksForTheWarmUp(pipe.second(), "a pipe end that arrived will map its ring");
    } finally {
      pipe.first().close();
      pipe.second().close();
    }
  }

  private static void assertArrivalAsksForTheWarmUp(Serializable handle, String why)
      throws Exception {
    MappingWarmUp.forgetAsked();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(handle);
    }
    assertFalse(MappingWarmUp.asked(), "made here, or sent: nothing asked");
    Object arrived;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      arrived = in.readObject();
    }
    assertInstanceOf(handle.getClass(), arrived);
    assertTrue(MappingWarmUp.asked(), why);
    if (arrived instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }
}
