package io.jfutures.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A queue used in the JVM of its hub: the verbs, the waits, and what it refuses. */
final class ProcessQueueTest {

  @Test
  void putAndGet_areFifo_andQsizeIsExact() throws Exception {
    ProcessQueue<String> q = new ProcessQueue<>();
    assertTrue(q.empty());
    q.put("a");
    q.putNowait("b");
    assertTrue(q.offer("c"));
    assertEquals(3, q.qsize());
    assertEquals("a", q.get());
    assertEquals("b", q.get(Duration.ofSeconds(1)));
    assertEquals("c", q.getNowait());
    assertEquals(0, q.qsize());
    assertNull(q.poll());
    assertThrows(NoSuchElementException.class, q::getNowait);
    assertThrows(NoSuchElementException.class, () -> q.get(Duration.ofMillis(5)));
    assertNull(q.poll(5, TimeUnit.MILLISECONDS));
  }

  @Test
  void aBoundedQueue_refusesWhenFull_andABlockedPutIsReleasedByAGet() throws Exception {
    ProcessQueue<Integer> q = new ProcessQueue<>(2);
    q.put(1);
    q.put(2);
    assertTrue(q.full());
    assertEquals(0, q.remainingCapacity());
    assertThrows(IllegalStateException.class, () -> q.putNowait(3));
    assertFalse(q.offer(3, 5, TimeUnit.MILLISECONDS));
    assertThrows(IllegalStateException.class, () -> q.put(3, Duration.ofMillis(5)));
    CompletableFuture<Void> blocked =
        CompletableFuture.runAsync(
            () -> {
              try {
                q.put(3);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    assertEquals(1, q.get());
    blocked.get(10, TimeUnit.SECONDS);
    List<Integer> rest = new ArrayList<>();
    assertEquals(2, q.drainTo(rest));
    assertEquals(List.of(2, 3), rest);
  }

  @Test
  void anInterruptedTake_throws_andTakesNothing() throws Exception {
    ProcessQueue<String> q = new ProcessQueue<>();
    CountDownLatch started = new CountDownLatch(1);
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread taker =
        new Thread(
            () -> {
              started.countDown();
              try {
                q.take();
                outcome.complete(null);
              } catch (Throwable t) {
                outcome.complete(t);
              }
            });
    taker.start();
    started.await();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> taker.getState() == Thread.State.WAITING);
    taker.interrupt();
    assertTrue(outcome.get(10, TimeUnit.SECONDS) instanceof InterruptedException);
    q.put("after");
    assertEquals("after", q.get(Duration.ofSeconds(1)), "the interrupted take took nothing");
  }

  @Test
  void anItemThatCannotBeSerialized_failsPutOnTheCallersThread_andTheQueueGoesOn()
      throws Exception {
    ProcessQueue<Object> q = new ProcessQueue<>();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> q.put(new Object()));
    assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    assertThrows(NullPointerException.class, () -> q.put(null));
    q.put("fine");
    assertEquals(1, q.qsize());
    assertEquals("fine", q.get());
  }

  @Test
  void itemsAreCopies_evenInTheSameJvm() throws Exception {
    ProcessQueue<ArrayList<String>> q = new ProcessQueue<>();
    ArrayList<String> sent = new ArrayList<>(List.of("x"));
    q.put(sent);
    sent.add("changed after put");
    ArrayList<String> got = q.get();
    assertNotSame(sent, got);
    assertEquals(List.of("x"), got);
  }

  @Test
  void aClosedHandle_putsNoMore_butItsItemsStay() throws Exception {
    ProcessQueue<String> q = new ProcessQueue<>();
    q.put("before");
    q.close();
    assertThrows(IllegalStateException.class, () -> q.put("after"));
    assertEquals("before", q.get());
  }

  @Test
  void aHandleSerializedInItsHubsJvm_isTheSameQueue() throws Exception {
    ProcessQueue<String> q = new ProcessQueue<>();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(q);
    }
    @SuppressWarnings("unchecked")
    ProcessQueue<String> copy =
        (ProcessQueue<String>)
            new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
    copy.put("through the copy");
    assertEquals("through the copy", q.get());
  }

  @Test
  void badArguments_andWhatASharedQueueCannotDo() {
    assertThrows(IllegalArgumentException.class, () -> new ProcessQueue<String>(-1));
    ProcessQueue<String> q = new ProcessQueue<>();
    assertThrows(UnsupportedOperationException.class, q::iterator);
    assertThrows(UnsupportedOperationException.class, q::peek);
    assertThrows(IllegalArgumentException.class, () -> q.drainTo(q));
  }

  @Test
  void joinable_taskDoneAndJoin() throws Exception {
    JoinableProcessQueue<String> q = new JoinableProcessQueue<>();
    assertTrue(q.join(Duration.ZERO));
    assertThrows(IllegalStateException.class, q::taskDone, "nothing taken");
    q.put("a");
    q.put("b");
    assertEquals(2, q.unfinished());
    assertFalse(q.join(Duration.ofMillis(5)));
    q.get();
    q.taskDone();
    q.get();
    CompletableFuture<Void> joined =
        CompletableFuture.runAsync(
            () -> {
              try {
                q.join();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    q.taskDone();
    joined.get(10, TimeUnit.SECONDS);
    assertEquals(0, q.unfinished());
    assertThrows(IllegalStateException.class, q::taskDone, "one more than taken");
  }
}
