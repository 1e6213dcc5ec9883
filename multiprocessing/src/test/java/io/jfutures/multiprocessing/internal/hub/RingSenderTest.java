package io.jfutures.multiprocessing.internal.hub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A process's sending side of a pipe direction's ring, in this JVM's hub: when it asks for the
 * ring. Both ends are held here, so every message sent is received here too.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class RingSenderTest {
  private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  private HubRef hub;
  private long pipe;

  @BeforeEach
  void openPipe() {
    hub = PipeBackend.localHub();
    pipe = PipeBackend.create(true);
    PipeBackend.attach(hub, pipe, 0);
    PipeBackend.attach(hub, pipe, 1);
  }

  @AfterEach
  void closePipe() {
    PipeBackend.detach(hub, pipe, 0);
    PipeBackend.detach(hub, pipe, 1);
    PipeBackend.forget(hub, pipe, 0);
    PipeBackend.forget(hub, pipe, 1);
  }

  /** Sends {@code m} from end 0 as {@code Connection} does; returns whether it took the ring. */
  private boolean send(byte[] m) throws InterruptedException {
    try (PipeBackend.Send send = PipeBackend.beginSend(hub, pipe, 0)) {
      if (send.inRing(m, 0, m.length)) {
        return true;
      }
      assertTrue(PipeBackend.sending(hub, pipe, 0).put(m, -1));
      return false;
    }
  }

  private void receive(byte[] expected) throws InterruptedException {
    assertArrayEquals(expected, PipeBackend.receive(hub, pipe, 1, WAIT_NANOS));
  }

  @Test
  void noAskIsMade_whileAnotherThreadsSendIsOnItsWay_andOneIsMadeOnceItArrived() throws Exception {
    byte[] small = {1, 2, 3};
    byte[] tooLong = new byte[BulkArea.MAX_MESSAGE + 1];
    assertTrue(send(small), "the first send asks, and the ring is granted");
    assertFalse(send(tooLong), "too long even for the area: the ring retires, the hub has it");
    receive(small);
    // Another thread's send begins while the hub still holds the long message: its ask is
    // refused, and its send stays on its way (as a put through the hub would, until the hub has
    // it).
    CountDownLatch begun = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    Thread other =
        new Thread(
            () -> {
              PipeBackend.Send send = PipeBackend.beginSend(hub, pipe, 0);
              try {
                begun.countDown();
                finish.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                send.close();
              }
            });
    other.start();
    assertTrue(begun.await(10, TimeUnit.SECONDS));
    receive(tooLong); // nothing queued now: an ask would be granted
    for (int i = 0; i < 4; i++) {
      assertFalse(send(small), "no ask while the other send is on its way: through the hub");
      receive(small);
    }
    finish.countDown();
    other.join();
    boolean ringAgain = false;
    for (int i = 0; i < 4 && !ringAgain; i++) {
      ringAgain = send(small);
      receive(small);
    }
    assertTrue(ringAgain, "once nothing is on its way, the sender asks again and gets the ring");
  }

  @Test
  void aThreadThatGivesTheRingUp_tellsTheHubBeforeAnotherThreadCanFindItGone() throws Exception {
    byte[] first = {1};
    assertTrue(send(first), "the ring is granted");
    receive(first);
    HubQueue direction = Hub.local().queue(pipe + 2); // the one end 0 sends into
    byte[] tooLong = new byte[BulkArea.MAX_MESSAGE + 1];
    byte[] next = {2};
    CompletableFuture<Boolean> longSent = new CompletableFuture<>();
    CompletableFuture<Boolean> nextSent = new CompletableFuture<>();
    Thread giver = new Thread(() -> complete(longSent, tooLong), "gives the ring up");
    Thread other = new Thread(() -> complete(nextSent, next), "sends meanwhile");
    synchronized (direction) { // the hub's queue is busy: the retire waits for it
      giver.start(); // too long for the ring: it gives the ring up, and posts its retire
      await().atMost(10, TimeUnit.SECONDS).until(() -> giver.getState() == Thread.State.BLOCKED);
      other.start();
      // The retire is not in yet, so the ring is still this process's: the other thread's send
      // goes into it, without waiting for the hub. Had it found the ring gone, it would put through
      // the hub, ahead of the retire (it waits for the queue here, never returning in time).
      assertTrue(nextSent.get(10, TimeUnit.SECONDS), "into the ring, while the retire waits");
    }
    assertFalse(longSent.get(10, TimeUnit.SECONDS), "through the hub");
    other.join();
    giver.join();
    receive(next); // committed before the retire: drained first
    receive(tooLong);
  }

  private void complete(CompletableFuture<Boolean> sent, byte[] message) {
    try {
      sent.complete(send(message));
    } catch (Throwable t) {
      sent.completeExceptionally(t);
    }
  }

  @Test
  void aSendThatFailsBetweenItsClaimAndItsCommit_leavesPaddingThatHoldsNothingUp()
      throws Exception {
    byte[] small = {4, 5, 6};
    assertTrue(send(small));
    receive(small);
    try (PipeBackend.Send send = PipeBackend.beginSend(hub, pipe, 0)) {
      // A range past the array's end: the copy into the claimed record throws.
      assertThrows(IndexOutOfBoundsException.class, () -> send.inRing(new byte[4], 2, 8));
    }
    byte[] next = {7, 8};
    assertTrue(send(next), "the ring goes on");
    receive(next); // not held up behind the failed record
  }
}
