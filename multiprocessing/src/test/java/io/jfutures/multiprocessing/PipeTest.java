package io.jfutures.multiprocessing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.multiprocessing.internal.hub.PipeBackend;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Pipes used within the JVM of their hub: the verbs, boundaries, and end-of-file. */
final class PipeTest {

  @Test
  void aDuplexPipe_carriesObjectsAndBytesBothWays_withTheirBoundaries() throws Exception {
    Pipe pipe = Pipe.open();
    Connection a = pipe.first();
    Connection b = pipe.second();
    a.send(List.of(1, "two"));
    a.sendBytes(new byte[] {1, 2, 3});
    a.sendBytes(new byte[] {9, 8, 7, 6}, 1, 2);
    assertEquals(List.of(1, "two"), b.recv());
    assertArrayEquals(new byte[] {1, 2, 3}, b.recvBytes());
    assertArrayEquals(new byte[] {8, 7}, b.recvBytes());
    b.send("back");
    assertEquals("back", a.recv());
    assertTrue(a.readable() && a.writable());
  }

  @Test
  void aLongMessageAfterShortOnes_comesAfterThem_toAReceiverThatAsksTheHub() throws Exception {
    Pipe pipe = Pipe.open();
    Connection a = pipe.first();
    Connection b = pipe.second();
    assertFalse(b.poll(), "the receiving end is held: the sender gets the ring");
    a.send("short");
    a.sendBytes(new byte[100_000]); // not for a ring: it goes through the hub
    // b never read the ring: it asks the hub, which must have what the ring held first.
    assertEquals("short", b.recv());
    assertEquals(100_000, b.recvBytes().length);
  }

  @Test
  void moreShortMessagesThanTheRingHolds_comeInOrder_toAReceiverThatAsksTheHub() throws Exception {
    Pipe pipe = Pipe.open();
    Connection a = pipe.first();
    Connection b = pipe.second();
    assertFalse(b.poll());
    for (int i = 0; i < 2_000; i++) {
      a.sendBytes(new byte[100 + i % 7]); // about 230 KiB, more than a ring's 64
    }
    for (int i = 0; i < 2_000; i++) {
      assertEquals(100 + i % 7, b.recvBytes().length, "in order");
    }
  }

  /** The length of message {@code i} in the test below. */
  private static int length(int i) {
    // In each thousand, every 16th of the first half is longer than a ring takes; the second half
    // is a run of short ones longer than the ring.
    return i % 1_000 < 500 && i % 16 == 0 ? 40_000 : 100 + i % 50;
  }

  @Test
  void longMessagesBetweenShortOnes_andRunsLongerThanTheRing_arriveInOrder() throws Exception {
    Pipe pipe = Pipe.open();
    Connection a = pipe.first();
    Connection b = pipe.second();
    assertFalse(b.poll(), "the receiving end is held: the sender may have the ring");
    int count = 5_000;
    java.util.concurrent.atomic.AtomicInteger sent =
        new java.util.concurrent.atomic.AtomicInteger();
    Thread sender =
        new Thread(
            () -> {
              for (int i = 0; i < count; i++) {
                byte[] m = new byte[length(i)];
                java.nio.ByteBuffer.wrap(m).putInt(i);
                a.sendBytes(m);
                sent.incrementAndGet();
              }
            });
    sender.start();
    for (int i = 0; i < count; i++) {
      if (i % 1_000 == 500) {
        int upTo = i + 500;
        // The receiver falls behind a run of short messages: the ring fills, and is retired.
        await().atMost(Duration.ofSeconds(20)).until(() -> sent.get() >= upTo);
      }
      byte[] m = b.recvBytes();
      assertEquals(i, java.nio.ByteBuffer.wrap(m).getInt(), "in order");
      assertEquals(length(i), m.length);
    }
    sender.join();
    a.close();
    assertThrows(EOFException.class, b::recvBytes);
  }

  @Test
  void aMessageLongerThanTheBuffer_isAnErrorThatCarriesIt() throws Exception {
    Pipe pipe = Pipe.open();
    pipe.first().sendBytes(new byte[] {1, 2, 3, 4});
    BufferTooShortException e =
        assertThrows(BufferTooShortException.class, () -> pipe.second().recvBytes(3));
    assertArrayEquals(new byte[] {1, 2, 3, 4}, e.message());
    pipe.first().sendBytes(new byte[] {5, 6});
    byte[] buffer = new byte[4];
    assertEquals(2, pipe.second().recvBytesInto(buffer, 1));
    assertArrayEquals(new byte[] {0, 5, 6, 0}, buffer);
    pipe.first().sendBytes(new byte[] {7, 7, 7});
    assertArrayEquals(
        new byte[] {7, 7, 7},
        assertThrows(BufferTooShortException.class, () -> pipe.second().recvBytesInto(buffer, 2))
            .message());
  }

  @Test
  void poll_seesAMessageWithoutTakingIt() throws Exception {
    Pipe pipe = Pipe.open();
    assertFalse(pipe.second().poll());
    assertFalse(pipe.second().poll(Duration.ofMillis(5)));
    pipe.first().send("x");
    assertTrue(pipe.second().poll(Duration.ofSeconds(5)));
    assertTrue(pipe.second().poll());
    assertEquals("x", pipe.second().recv());
    assertEquals(List.of(), Connection.wait(List.of(pipe.second()), Duration.ofMillis(5)));
    pipe.first().send("y");
    assertEquals(List.of(pipe.second()), Connection.wait(List.of(pipe.second()), null));
  }

  @Test
  void aOneWayPipe_refusesTheWrongDirection() {
    Pipe pipe = Pipe.open(false);
    Connection reader = pipe.first();
    Connection writer = pipe.second();
    assertTrue(reader.readable() && !reader.writable());
    assertTrue(writer.writable() && !writer.readable());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> reader.send("x"));
    assertTrue(e.getMessage().contains("only receives"), e.getMessage());
    assertThrows(IllegalStateException.class, writer::recv);
  }

  @Test
  void closingAnEnd_givesTheOtherWhatIsLeft_thenEndOfFile() throws Exception {
    Pipe pipe = Pipe.open();
    pipe.first().send("last words");
    pipe.first().close();
    assertTrue(pipe.first().isClosed());
    assertThrows(IllegalStateException.class, () -> pipe.first().send("more"));
    assertEquals("last words", pipe.second().recv());
    assertThrows(EOFException.class, pipe.second()::recv);
    assertThrows(EOFException.class, pipe.second()::recv, "end-of-file stays");
    assertTrue(pipe.second().poll(), "end-of-file can be received now");
  }

  @Test
  void whatCannotBeSent_failsAtTheCall_andThePipeGoesOn() throws Exception {
    Pipe pipe = Pipe.open();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> pipe.first().send(new Object()));
    assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    pipe.first().sendBytes(new byte[] {1});
    IOException notAnObject = assertThrows(IOException.class, pipe.second()::recv);
    assertTrue(notAnObject.getMessage().contains("sendBytes"), notAnObject.getMessage());
    pipe.first().send("fine");
    assertEquals("fine", pipe.second().recv());
    assertThrows(IllegalArgumentException.class, () -> Connection.wait(List.of("x"), null));
  }

  @Test
  void aMessageOverTheFrameLimit_failsBeforeItsFirstByte_andThePipeGoesOn() throws Exception {
    Pipe pipe = Pipe.open();
    int tooLarge = io.jfutures.multiprocessing.internal.hub.QueueBackend.MAX_ITEM_BYTES + 1;
    // The range is checked before anything is copied: no 2 GiB array is needed to see it.
    byte[] small = new byte[16];
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> io.jfutures.multiprocessing.internal.hub.QueueBackend.checkSize(tooLarge));
    assertTrue(e.getMessage().contains("nothing was sent"), e.getMessage());
    pipe.first().sendBytes(small);
    assertEquals(16, pipe.second().recvBytes().length);
  }

  /** Sends one byte on a thread of its own; completes with whether it was interrupted after. */
  private static CompletableFuture<Boolean> sendOneByteOnAThread(Connection c, Thread[] thread) {
    return sendOnAThread(c, new byte[] {7}, thread);
  }

  /** Sends {@code m} on a thread of its own; completes with whether it was interrupted after. */
  private static CompletableFuture<Boolean> sendOnAThread(Connection c, byte[] m, Thread[] thread) {
    CompletableFuture<Boolean> sent = new CompletableFuture<>();
    thread[0] =
        new Thread(
            () -> {
              try {
                c.sendBytes(m);
                sent.complete(Thread.currentThread().isInterrupted());
              } catch (RuntimeException e) {
                sent.completeExceptionally(e);
              }
            });
    thread[0].start();
    return sent;
  }

  private static void awaitParked(Thread t) {
    await().atMost(Duration.ofSeconds(5)).until(() -> t.getState() == Thread.State.WAITING);
  }

  @Test
  void aSend_waitsWhileTheReceiverHasTheBoundUnreceived_untilItReceives() throws Exception {
    Pipe pipe = Pipe.open();
    Connection receiver = pipe.first();
    Connection sender = pipe.second();
    assertFalse(receiver.poll(), "this JVM holds the receiving end from its first use");
    // Longer than a ring's area takes: it goes through the hub, which holds it.
    byte[] bound = new byte[(int) PipeBackend.MAX_BUFFERED_BYTES + 1];
    sender.sendBytes(bound); // less was held: it goes in
    Thread[] thread = new Thread[1];
    CompletableFuture<Boolean> sent = sendOneByteOnAThread(sender, thread);
    awaitParked(thread[0]);
    assertFalse(sent.isDone(), "1 MiB unreceived: the send waits, as a full pipe's does");

    assertArrayEquals(bound, receiver.recvBytes());
    assertEquals(Boolean.FALSE, sent.get(5, java.util.concurrent.TimeUnit.SECONDS));
    assertArrayEquals(new byte[] {7}, receiver.recvBytes());
  }

  @Test
  void aLongSend_waitsWhileTheRingsAreaHoldsAllItCan_untilTheReceiverTakes() throws Exception {
    Pipe pipe = Pipe.open();
    Connection receiver = pipe.first();
    Connection sender = pipe.second();
    assertFalse(receiver.poll());
    byte[][] sentMessages = new byte[5][];
    for (int i = 0; i < 4; i++) {
      sentMessages[i] = new byte[(int) PipeBackend.MAX_BUFFERED_BYTES];
      sentMessages[i][i] = (byte) (i + 1);
      sender.sendBytes(sentMessages[i]); // into the area beside the ring, which holds 4 MiB
    }
    sentMessages[4] = new byte[(int) PipeBackend.MAX_BUFFERED_BYTES];
    sentMessages[4][4] = 5;
    Thread[] thread = new Thread[1];
    CompletableFuture<Boolean> sent = sendOnAThread(sender, sentMessages[4], thread);
    awaitParked(thread[0]); // after a while at the area, at the hub, which drained the area
    assertFalse(sent.isDone(), "4 MiB unreceived: the send waits, as a full pipe's does");

    for (int i = 0; i < 5; i++) {
      assertArrayEquals(sentMessages[i], receiver.recvBytes(), "message " + i + ", in order");
    }
    assertEquals(Boolean.FALSE, sent.get(5, java.util.concurrent.TimeUnit.SECONDS));
  }

  @Test
  void anInterrupt_endsTheWaitForRoom_butNotTheSend() throws Exception {
    Pipe pipe = Pipe.open();
    Connection receiver = pipe.first();
    Connection sender = pipe.second();
    assertFalse(receiver.poll());
    sender.sendBytes(new byte[(int) PipeBackend.MAX_BUFFERED_BYTES + 1]);
    Thread[] thread = new Thread[1];
    CompletableFuture<Boolean> sent = sendOneByteOnAThread(sender, thread);
    awaitParked(thread[0]);

    thread[0].interrupt();
    assertEquals(
        Boolean.TRUE,
        sent.get(5, java.util.concurrent.TimeUnit.SECONDS),
        "sent, and the thread still interrupted");
    assertEquals(PipeBackend.MAX_BUFFERED_BYTES + 1, receiver.recvBytes().length);
    assertArrayEquals(new byte[] {7}, receiver.recvBytes(), "the message was not lost");
  }

  @Test
  void sendsBeforeTheReceivingEndIsHeldAnywhere_neverWait() throws Exception {
    Pipe pipe = Pipe.open();
    byte[] half = new byte[(int) PipeBackend.MAX_BUFFERED_BYTES / 2];
    for (int i = 0; i < 5; i++) {
      pipe.second().sendBytes(half); // the receiving end is on its way to a process, say
    }
    for (int i = 0; i < 5; i++) {
      assertEquals(half.length, pipe.first().recvBytes().length);
    }
  }

  @Test
  void aSendToAnEndThatIsGone_throwsBrokenPipe_andWhatWasNotReceivedIsDropped() throws Exception {
    Pipe pipe = Pipe.open();
    Connection a = pipe.first();
    Connection b = pipe.second();
    assertFalse(b.poll(), "this JVM holds b from its first use");
    a.send("never received");
    b.close();
    BrokenPipeException e = assertThrows(BrokenPipeException.class, () -> a.send("more"));
    assertTrue(e.getMessage().contains("other end is gone"), e.getMessage());
    assertThrows(BrokenPipeException.class, () -> a.sendBytes(new byte[] {1}));
    assertThrows(EOFException.class, a::recv, "and a receives end-of-file, as before");
  }

  @Test
  void aSendWaitingForRoom_throwsBrokenPipe_whenTheReceivingEndCloses() throws Exception {
    Pipe pipe = Pipe.open();
    Connection receiver = pipe.first();
    Connection sender = pipe.second();
    assertFalse(receiver.poll());
    sender.sendBytes(new byte[(int) PipeBackend.MAX_BUFFERED_BYTES + 1]); // through the hub
    Thread[] thread = new Thread[1];
    CompletableFuture<Boolean> sent = sendOneByteOnAThread(sender, thread);
    awaitParked(thread[0]);

    receiver.close();
    java.util.concurrent.ExecutionException e =
        assertThrows(
            java.util.concurrent.ExecutionException.class,
            () -> sent.get(5, java.util.concurrent.TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof BrokenPipeException, e.toString());
  }
}
