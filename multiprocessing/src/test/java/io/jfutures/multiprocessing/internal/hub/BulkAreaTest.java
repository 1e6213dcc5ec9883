package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A pipe direction's long messages in the area beside its ring: places, the pipe's bound, order
 * with short messages, and the hub's retire and drain.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class BulkAreaTest {
  private final PipeRing ring = PipeRing.detached();
  private final BulkArea area = BulkArea.detached();

  BulkAreaTest() {
    ring.bulk(area);
  }

  /** A message of {@code size} bytes: its number, then bytes that depend on it and the index. */
  private static byte[] message(int n, int size) {
    byte[] m = new byte[size];
    ByteBuffer.wrap(m).putInt(n);
    for (int i = Integer.BYTES; i < size; i++) {
      m[i] = (byte) (n * 31 + i);
    }
    return m;
  }

  private static int number(byte[] m) {
    return ByteBuffer.wrap(m).getInt();
  }

  /** What {@link RingSender} does for a long message; false if the area holds its bound. */
  private boolean sendLong(byte[] m) {
    long place = area.place(m.length);
    if (place < 0) {
      return false;
    }
    long at = ring.claim(PipeRing.BULK_RECORD);
    assertTrue(at >= 0, "claimed: " + at);
    area.allocated(place, m.length);
    area.write(place, m, 0, m.length);
    ring.commitBulk(at, place, m.length);
    return true;
  }

  private void sendShort(byte[] m) {
    long at = ring.claim(m.length);
    assertTrue(at >= 0, "claimed: " + at);
    ring.commit(at, m, 0, m.length);
  }

  @Test
  void longAndShortMessages_keepTheirBytesAndOrder_acrossManyLapsOfTheArea() {
    int[] sizes = {
      PipeRing.MAX_MESSAGE + 1, 7, 100_000, BulkArea.MAX_MESSAGE, 5_000, 777_777, 1 << 19
    };
    for (int i = 0; i < 200; i++) { // about 30 laps of a 4 MiB area
      byte[] m = message(i, sizes[i % sizes.length]);
      if (m.length > PipeRing.MAX_MESSAGE) {
        assertTrue(sendLong(m), "room: the last was taken");
      } else {
        sendShort(m);
      }
      assertArrayEquals(m, ring.receive(), "message " + i);
    }
    assertNull(ring.receive());
    assertTrue(ring.drained());
    assertTrue(area.empty(), "every long message's bytes freed");
  }

  @Test
  void theArea_takesWhatFitsInIt_thenNothing_untilTheReceiverTakes() {
    int size = BulkArea.MAX_MESSAGE;
    int sent = 0;
    while (sendLong(message(sent, size))) {
      sent++;
    }
    assertEquals(BulkArea.CAPACITY / size, sent, "as many as it holds");
    assertEquals(-1, area.place(PipeRing.MAX_MESSAGE + 1), "nothing more, however short");
    assertEquals(0, number(ring.receive()));
    assertTrue(sendLong(message(sent, size)), "room for one again");
    for (int i = 1; i <= sent; i++) {
      assertEquals(i, number(ring.receive()));
    }
    assertTrue(area.empty());
  }

  @Test
  void aMessageThatWouldCrossTheEnd_goesToTheNextLapsStart_onceTheOldestThereWasTaken() {
    int mib = BulkArea.MAX_MESSAGE;
    for (int i = 0; i < 3; i++) {
      assertTrue(sendLong(message(i, mib)));
    }
    assertTrue(sendLong(message(3, 700_000)), "3.7 MiB of the 4 in use");
    assertEquals(-1, area.place(mib), "it would cross the end, and the start is in use");
    assertEquals(0, number(ring.receive()));
    assertTrue(sendLong(message(4, mib)), "at the start, once the first was taken");
    for (int i = 1; i <= 4; i++) {
      byte[] m = ring.receive();
      assertArrayEquals(message(i, m.length), m, "message " + i + ", whole");
    }
    assertTrue(area.empty());
  }

  @Test
  void aRetiredRing_givesItsLongMessagesToTheHubsDrain_inOrder_andFreesTheirBytes() {
    for (int i = 0; i < 3; i++) {
      sendShort(message(10 * i, 8));
      assertTrue(sendLong(message(10 * i + 1, 300_000)));
    }
    assertEquals(0, number(ring.receive()));
    ring.retire();
    assertNull(ring.receive(), "the receiver asks the hub now, which has the rest");
    List<Integer> drained = new ArrayList<>();
    for (byte[] m = ring.drainOne(); m != null; m = ring.drainOne()) {
      assertArrayEquals(message(number(m), m.length), m, "its bytes, whole");
      drained.add(number(m));
    }
    assertEquals(List.of(1, 10, 11, 20, 21), drained);
    assertTrue(area.empty());
  }

  @Test
  void aLongMessageOfASenderThatDiedBeforeItsCommit_isDropped_andItsPlaceFreed() {
    assertTrue(sendLong(message(1, 50_000)));
    long place = area.place(60_000); // its sender dies after this, with the record claimed
    ring.claim(PipeRing.BULK_RECORD);
    area.allocated(place, 60_000);
    ring.retire();
    assertEquals(1, number(ring.drainOne()));
    assertNull(ring.drainOne(), "claimed, never committed");
    ring.dropRest();
    assertTrue(ring.drained());
    assertTrue(area.empty(), "nothing points into the area any more");
    ring.reopen();
    assertTrue(sendLong(message(2, BulkArea.MAX_MESSAGE)));
    assertEquals(2, number(ring.receive()));
  }

  @Test
  void aPlaceThatARecordCannotHold_isNotRead() {
    assertFalse(BulkArea.holds(-8, 100));
    assertFalse(BulkArea.holds(0, 0));
    assertFalse(BulkArea.holds(BulkArea.CAPACITY - 8, 100), "across the end");
    assertTrue(BulkArea.holds(3L * BulkArea.CAPACITY, BulkArea.MAX_MESSAGE));
  }

  @Test
  void aSenderTwoReceiversAndTheHubsDrain_takeEachLongMessageOnce_wholeAndInOrder()
      throws Exception {
    int count = 2_000;
    List<List<Integer>> received = List.of(new ArrayList<>(), new ArrayList<>());
    Queue<String> wrong = new ConcurrentLinkedQueue<>();
    CountDownLatch halfway = new CountDownLatch(1);
    Thread sender =
        new Thread(
            () -> {
              for (int i = 0; i < count && send(message(i, i % 3 == 0 ? 40 : 16_400 + i * 97)); ) {
                if (++i == count / 2) {
                  halfway.countDown();
                }
              }
            });
    List<Thread> receivers = new ArrayList<>();
    for (List<Integer> mine : received) {
      receivers.add(
          new Thread(
              () -> {
                while (true) {
                  byte[] m = ring.receive(); // both at once: a loser's copy is thrown away
                  if (m != null) {
                    if (!Arrays.equals(message(number(m), m.length), m) && wrong.size() < 3) {
                      wrong.add("message " + number(m) + " of " + m.length + " bytes");
                    }
                    mine.add(number(m));
                  } else if (ring.retired()) {
                    return;
                  } else {
                    Thread.onSpinWait();
                  }
                }
              }));
    }
    sender.start();
    receivers.forEach(Thread::start);
    assertTrue(halfway.await(20, TimeUnit.SECONDS));
    ring.retire(); // while all run: the hub takes what the receivers did not
    sender.join();
    List<Integer> drained = new ArrayList<>();
    for (byte[] m = ring.drainOne(); m != null; m = ring.drainOne()) {
      assertArrayEquals(message(number(m), m.length), m, "the hub's copy, whole");
      drained.add(number(m));
    }
    for (Thread t : receivers) {
      t.join();
    }
    assertEquals(List.of(), List.copyOf(wrong), "every receiver's copy whole");
    assertTrue(ring.drained());
    assertTrue(area.empty());
    for (List<Integer> mine : received) {
      for (int i = 1; i < mine.size(); i++) {
        assertTrue(mine.get(i - 1) < mine.get(i), "each receiver's in the order sent");
      }
    }
    List<Integer> all = new ArrayList<>(received.get(0));
    all.addAll(received.get(1));
    all.sort(null);
    all.addAll(drained);
    for (int i = 0; i < all.size(); i++) {
      assertEquals(i, all.get(i), "each once: the receivers', then the hub's, in the order sent");
    }
    assertTrue(all.size() >= count / 2, "sent before the retire: " + all.size());
  }

  /** Sends {@code m} as a sender does, waiting for room; false once the ring is retired. */
  private boolean send(byte[] m) {
    while (!ring.retired()) {
      if (m.length <= PipeRing.MAX_MESSAGE) {
        long at = ring.claim(m.length);
        if (at >= 0) {
          ring.commit(at, m, 0, m.length);
          return true;
        }
      } else {
        long place = area.place(m.length);
        long at = place < 0 ? -1 : ring.claim(PipeRing.BULK_RECORD);
        if (at >= 0) {
          area.allocated(place, m.length);
          area.write(place, m, 0, m.length);
          ring.commitBulk(at, place, m.length);
          return true;
        }
      }
      Thread.onSpinWait();
    }
    return false; // what it sends from now goes through the hub
  }
}
