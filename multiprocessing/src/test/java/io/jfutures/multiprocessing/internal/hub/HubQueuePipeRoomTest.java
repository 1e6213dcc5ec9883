package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.multiprocessing.internal.hub.HubQueueLeasesTest.RecordingPeer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A pipe direction's room: the bytes it holds for a receiver before a send waits. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
final class HubQueuePipeRoomTest {
  private static final int MAX_BYTES = 10;

  private final HubQueue direction = HubQueue.pipeDirection(1, MAX_BYTES);
  private final RecordingPeer sender = new RecordingPeer();
  private final RecordingPeer receiver = new RecordingPeer();

  private static byte[] message(int tag, int size) {
    byte[] m = new byte[size];
    m[0] = (byte) tag;
    return m;
  }

  private Boolean putLocal(byte[] message, boolean wait, CompletableFuture<byte[]> accepted) {
    return direction.put(message, wait, Peer.LOCAL, 0, accepted);
  }

  private int takeLocal() {
    return direction.get(false, Peer.LOCAL, 0, new CompletableFuture<>())[0];
  }

  @Test
  void withNoReceiverHeld_sendsNeverWait() {
    for (int i = 0; i < 5; i++) {
      assertEquals(Boolean.TRUE, putLocal(message(i, 6), true, new CompletableFuture<>()));
    }
    assertEquals(5, direction.size(), "30 bytes: nobody could drain them yet, so none waits");
  }

  @Test
  void aSendWaits_whileTheBoundIsHeld_andGoesInInOrder_asTheReceiverTakes() {
    direction.receiverHeld();
    assertEquals(Boolean.TRUE, putLocal(message(0, 6), true, new CompletableFuture<>()));
    assertEquals(
        Boolean.TRUE,
        putLocal(message(1, 6), true, new CompletableFuture<>()),
        "6 bytes held, under the bound: one more message of any size goes in");
    CompletableFuture<byte[]> third = new CompletableFuture<>();
    CompletableFuture<byte[]> fourth = new CompletableFuture<>();
    assertNull(putLocal(message(2, 1), true, third), "12 bytes held: the send waits");
    assertNull(putLocal(message(3, 1), true, fourth));

    assertEquals(0, takeLocal());
    assertTrue(third.isDone() && fourth.isDone(), "6 bytes held: room for both, in order");
    assertEquals(1, takeLocal());
    assertEquals(2, takeLocal());
    assertEquals(3, takeLocal());
  }

  @Test
  void aParkedSend_staysParked_untilTheBytesHeldDropUnderTheBound() {
    direction.receiverHeld();
    putLocal(message(0, 4), true, new CompletableFuture<>());
    putLocal(message(1, 4), true, new CompletableFuture<>());
    putLocal(message(2, 4), true, new CompletableFuture<>());
    CompletableFuture<byte[]> parked = new CompletableFuture<>();
    assertNull(putLocal(message(3, 1), true, parked), "12 bytes held");
    takeLocal();
    assertTrue(parked.isDone(), "8 bytes: under the bound");
    CompletableFuture<byte[]> next = new CompletableFuture<>();
    assertEquals(Boolean.TRUE, putLocal(message(4, 1), true, next), "9 bytes: under it still");
    assertNull(putLocal(message(5, 1), true, new CompletableFuture<>()), "10 bytes: the bound");
  }

  @Test
  void aSendThatMayNotWait_goesInBeyondTheBound() {
    direction.receiverHeld();
    putLocal(message(0, 20), true, new CompletableFuture<>());
    assertEquals(Boolean.TRUE, putLocal(message(1, 5), false, new CompletableFuture<>()));
    assertEquals(2, direction.size());
  }

  @Test
  void aProcessWhosePutFillsIt_isToldHold_once_andRoom_whenAGetMakesRoom() {
    direction.receiverHeld();
    direction.put(message(0, 4), false, sender, 0, null);
    assertTrue(sender.take(Wire.HOLD).isEmpty(), "4 of 10 bytes");
    direction.put(message(1, 8), false, sender, 0, null);
    direction.put(message(2, 8), false, sender, 0, null);
    assertEquals(1, sender.take(Wire.HOLD).size(), "told once, however many puts follow");

    assertEquals(0, takeLocal());
    assertTrue(sender.take(Wire.ROOM).isEmpty(), "16 bytes still held");
    assertEquals(1, takeLocal());
    assertEquals(1, sender.take(Wire.ROOM).size(), "8 bytes held: room");
  }

  @Test
  void theReceivingEndGone_failsParkedAndLaterSends_dropsWhatItHeld_andTellsTheSenders() {
    direction.receiverHeld();
    direction.put(message(0, 10), false, sender, 0, null);
    assertEquals(1, sender.take(Wire.HOLD).size());
    CompletableFuture<byte[]> parked = new CompletableFuture<>();
    assertNull(putLocal(message(1, 1), true, parked));
    assertNull(direction.put(message(2, 1), true, sender, 42, null), "a process's put parks");

    RecordingPeer otherSender = new RecordingPeer();
    direction.receiverGone(Set.of(sender, otherSender, Peer.LOCAL));
    assertTrue(direction.receiverGone());
    ExecutionException e = assertThrows(ExecutionException.class, parked::get);
    assertSame(HubQueue.RECEIVER_GONE, e.getCause(), "nobody could receive it");
    List<Wire.Frame> told = sender.take(Wire.PIPE_BROKEN);
    assertEquals(
        List.of(42L, 0L),
        told.stream().map(Wire.Frame::request).toList(),
        "its parked put answered, and the process told");
    assertEquals(1, otherSender.take(Wire.PIPE_BROKEN).size(), "every holder of the sending end");
    assertEquals(0, direction.size(), "what it held is dropped");

    CompletableFuture<byte[]> later = new CompletableFuture<>();
    assertNull(putLocal(message(3, 1), false, later), "answered at once");
    assertSame(
        HubQueue.RECEIVER_GONE, assertThrows(ExecutionException.class, later::get).getCause());
    direction.put(message(4, 1), false, otherSender, 43, null); // an asynchronous put
    assertEquals(43, otherSender.take(Wire.PIPE_BROKEN).get(0).request());
    assertEquals(0, direction.size());
  }

  @Test
  void aRemoteSendParks_andIsAnsweredOk_whenAGetMakesRoom() {
    direction.receiverHeld();
    putLocal(message(0, 10), true, new CompletableFuture<>());
    assertNull(direction.put(message(1, 3), true, sender, 42, null), "parked");
    assertTrue(sender.take(Wire.OK).isEmpty());

    direction.get(true, receiver, 7, null);
    assertArrayEquals(message(0, 10), receiver.take(Wire.ITEM).get(0).payload());
    assertEquals(42, sender.take(Wire.OK).get(0).request(), "its put went in");
    assertEquals(1, direction.size());
  }

  @Test
  void aDeadSender_isNotToldRoom() {
    direction.receiverHeld();
    direction.put(message(0, 12), false, sender, 0, null);
    assertEquals(1, sender.take(Wire.HOLD).size());
    direction.peerGone(sender);
    takeLocal();
    assertTrue(sender.take(Wire.ROOM).isEmpty());
  }
}
