package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A pipe direction's ring in shared memory: records, laps, and the hub's retire and drain. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class PipeRingTest {
  private final PipeRing ring = PipeRing.detached();

  private static byte[] message(int n, int size) {
    ByteBuffer b = ByteBuffer.allocate(Math.max(size, Integer.BYTES));
    b.putInt(n);
    return b.array();
  }

  private static int number(byte[] m) {
    return ByteBuffer.wrap(m).getInt();
  }

  private long send(byte[] m) {
    long at = ring.claim(m.length);
    assertTrue(at >= 0, "claimed: " + at);
    return ring.commit(at, m, 0, m.length);
  }

  @Test
  void records_keepTheirBoundariesAndOrder_acrossManyLaps() {
    int[] sizes = {4, 5, 13, 100, 999, 4096, PipeRing.MAX_MESSAGE};
    for (int i = 0; i < 2_000; i++) {
      byte[] m = message(i, sizes[i % sizes.length]);
      m[m.length - 1] = (byte) i;
      send(m);
      byte[] got = ring.receive();
      assertArrayEquals(m, got, "message " + i);
    }
    assertNull(ring.receive(), "nothing left");
    assertTrue(ring.drained());
  }

  @Test
  void aPartOfABuffer_isSentAsItsOwnMessage() {
    byte[] buffer = {9, 1, 2, 3, 9};
    long at = ring.claim(3);
    ring.commit(at, buffer, 1, 3);
    assertArrayEquals(new byte[] {1, 2, 3}, ring.receive());
  }

  @Test
  void aRingThatHoldsItsCapacity_refusesTheNextClaim_untilARecordIsTaken() {
    int sent = 0;
    while (ring.claim(1000) != PipeRing.CLAIM_FULL) {
      sent++;
      assertTrue(sent < 100, "a 64 KiB ring holds about 65 such records");
    }
    // The claims above were never committed: commit none, the ring reads as empty and full.
    assertNull(ring.receive(), "claimed records are not committed yet");
    assertEquals(65, sent, "1008 bytes a record, 65536 bytes");
  }

  @Test
  void aClaimedRecord_isNotSeen_untilItsSenderCommitsIt_andHoldsUpTheOnesAfterIt() {
    byte[] first = message(1, 10);
    byte[] second = message(2, 10);
    long a = ring.claim(first.length);
    long b = ring.claim(second.length);
    ring.commit(b, second, 0, second.length);
    assertNull(ring.receive(), "the oldest is not committed: nothing is taken out of order");
    ring.commit(a, first, 0, first.length);
    assertEquals(1, number(ring.receive()));
    assertEquals(2, number(ring.receive()));
  }

  @Test
  void aRetiredRing_refusesClaims_isNotReadByTheReceiver_andIsDrainedByTheHubInOrder() {
    for (int i = 0; i < 5; i++) {
      send(message(i, 8));
    }
    assertEquals(0, number(ring.receive()));
    ring.retire();
    assertTrue(ring.retired());
    assertEquals(PipeRing.CLAIM_RETIRED, ring.claim(8));
    assertNull(ring.receive(), "the receiver asks the hub now, which has the rest");
    List<Integer> drained = new ArrayList<>();
    for (byte[] m = ring.drainOne(); m != null; m = ring.drainOne()) {
      drained.add(number(m));
    }
    assertEquals(List.of(1, 2, 3, 4), drained);
    assertTrue(ring.drained());
    ring.reopen();
    assertFalse(ring.retired());
    send(message(5, 8));
    assertEquals(5, number(ring.receive()), "reopened where it stopped");
  }

  @Test
  void aRecordCommittedAfterTheRetire_tellsItsSender_andTheNextDrainTakesIt() {
    long at = ring.claim(8);
    ring.retire();
    assertNull(ring.drainOne(), "claimed, not committed: the drain stops there");
    assertFalse(ring.drained(), "the ring may not reopen while a record is on its way");
    long flags = ring.commit(at, message(7, 8), 0, 8);
    assertEquals(PipeRing.RETIRED, flags & PipeRing.RETIRED, "its sender posts RING_DRAIN");
    assertEquals(7, number(ring.drainOne()));
    assertTrue(ring.drained());
  }

  @Test
  void aRecordOfADeadSender_isDropped_andTheRingReadsAsDrained() {
    send(message(1, 8));
    ring.claim(8); // its sender dies here
    ring.retire();
    assertEquals(1, number(ring.drainOne()));
    assertNull(ring.drainOne());
    ring.dropRest();
    assertTrue(ring.drained());
  }

  @Test
  void aRecordCommittedAsPaddingByASenderThatFailed_isPassedBy_andTheRingDrains() {
    long failed = ring.claim(13); // its sender fails before its commit
    send(message(2, 8));
    assertNull(ring.receive(), "held up by the claim");
    ring.commitPad(failed, 13);
    assertEquals(2, number(ring.receive()), "the padding passed by");
    assertNull(ring.receive());
    assertTrue(ring.drained());
  }

  @Test
  void aParkedMark_isSeenByTheNextCommit_andClearedOnceByItsSender() {
    assertTrue(ring.markParked(), "empty: the receiver waits at the hub");
    long flags = send(message(1, 8));
    assertEquals(PipeRing.PARKED, flags & PipeRing.PARKED);
    assertTrue(ring.clearParked(), "this sender posts the wake-up");
    assertFalse(ring.clearParked(), "and no other does");
    assertFalse(ring.markParked(), "a committed record waits: read it instead of parking");
    assertEquals(0, send(message(2, 8)) & PipeRing.PARKED, "not marked");
  }

  @Test
  void aRetire_clearsTheParkedMark_andARetiredRingIsNotMarked() {
    assertTrue(ring.markParked());
    ring.retire();
    assertFalse(ring.clearParked(), "the hub's drain answers the parked getters");
  }

  @Test
  void aSenderAReceiverAndTheHubsDrain_takeEachMessageOnce_inOrder() throws Exception {
    int count = 200_000;
    List<Integer> received = new ArrayList<>();
    List<Integer> drained = new ArrayList<>();
    CountDownLatch retired = new CountDownLatch(1);
    Thread sender =
        new Thread(
            () -> {
              for (int i = 0; i < count; i++) {
                byte[] m = message(i, 4 + i % 61);
                long at;
                while ((at = ring.claim(m.length)) == PipeRing.CLAIM_FULL) {
                  Thread.onSpinWait();
                }
                if (at == PipeRing.CLAIM_RETIRED) {
                  return; // what it sends from now goes through the hub
                }
                ring.commit(at, m, 0, m.length);
                if (i == count / 2) {
                  retired.countDown();
                }
              }
            });
    Thread receiver =
        new Thread(
            () -> {
              while (true) {
                byte[] m = ring.receive();
                if (m != null) {
                  received.add(number(m));
                } else if (ring.retired()) {
                  return;
                } else {
                  Thread.onSpinWait();
                }
              }
            });
    sender.start();
    receiver.start();
    assertTrue(retired.await(20, TimeUnit.SECONDS));
    ring.retire(); // while both run: the hub takes what the receiver did not
    sender.join();
    for (byte[] m = ring.drainOne(); m != null; m = ring.drainOne()) {
      drained.add(number(m));
    }
    receiver.join();
    assertTrue(ring.drained(), "every committed record taken");
    List<Integer> all = new ArrayList<>(received);
    all.addAll(drained);
    for (int i = 0; i < all.size(); i++) {
      assertEquals(i, all.get(i), "the receiver's, then the hub's, in the order sent");
    }
    assertTrue(all.size() > count / 2, "sent before the retire: " + all.size());
  }
}
