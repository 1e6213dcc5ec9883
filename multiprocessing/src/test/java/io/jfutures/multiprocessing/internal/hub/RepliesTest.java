package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
final class RepliesTest {
  private static final Wire.Frame OK = new Wire.Frame(Wire.OK, 1, 0, 0, null);
  private static final Wire.Frame CANCELLED = new Wire.Frame(Wire.CANCELLED, 1, 0, 0, null);

  @Test
  void watchPrompt_givesUpOnAReplyThatDoesNotCome_andTheWaitGoesOn() throws Exception {
    CompletableFuture<Wire.Frame> reply = new CompletableFuture<>();
    Replies.watchPrompt(reply); // returns: the watch is bounded
    assertFalse(reply.isDone());
    CountDownLatch waiting = new CountDownLatch(1);
    Thread completer =
        new Thread(
            () -> {
              try {
                waiting.await();
              } catch (InterruptedException e) {
                return;
              }
              reply.complete(OK);
            });
    completer.start();
    waiting.countDown();
    assertSame(OK, Replies.uninterruptibly(reply));
    completer.join();
  }

  @Test
  void watchPrompt_seesAReplyThatCameWhileWatching() throws Exception {
    CompletableFuture<Wire.Frame> reply = new CompletableFuture<>();
    Thread completer = new Thread(() -> reply.complete(OK));
    completer.start();
    completer.join();
    Replies.watchPrompt(reply);
    assertTrue(reply.isDone());
    assertSame(OK, Replies.uninterruptibly(reply));
  }

  @Test
  void await_timedOut_cancelsAndReturnsTheLastReply_interruptedAndCancelled_throws()
      throws Exception {
    CompletableFuture<Wire.Frame> served = new CompletableFuture<>();
    AtomicInteger cancels = new AtomicInteger();
    Wire.Frame got =
        Replies.await(
            served,
            0,
            () -> {
              cancels.incrementAndGet();
              served.complete(OK); // sent before the cancel arrived
            });
    assertSame(OK, got);
    assertEquals(1, cancels.get());

    CompletableFuture<Wire.Frame> cancelled = new CompletableFuture<>();
    Thread.currentThread().interrupt();
    assertThrows(
        InterruptedException.class,
        () -> Replies.await(cancelled, -1, () -> cancelled.complete(CANCELLED)));
    assertFalse(Thread.interrupted());
  }
}
