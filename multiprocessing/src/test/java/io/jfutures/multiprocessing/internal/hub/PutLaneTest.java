package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A client's lane for its puts: what it takes, in which order the hub takes it, and wake-ups. */
final class PutLaneTest {
  @Test
  void aPut_isTakenAsAPutAsyncFrame_once() {
    PutLane lane = PutLane.detached();
    assertEquals(PutLane.Offer.TAKEN, lane.offer(0, 7, new byte[] {1, 2, 3}));
    Wire.Frame f = lane.next(0);
    assertEquals(Wire.PUT_ASYNC, f.op());
    assertEquals(7, f.object());
    assertArrayEquals(new byte[] {1, 2, 3}, f.payload());
    assertNull(lane.next(0), "taken once");
    assertFalse(lane.hasCommitted());
  }

  @Test
  void aRecordWrittenAfterSocketFrames_waitsUntilTheHubHasReadThem() {
    PutLane lane = PutLane.detached();
    lane.offer(0, 1, new byte[] {10});
    lane.offer(2, 1, new byte[] {11}); // two socket frames were written between them
    assertArrayEquals(new byte[] {10}, lane.next(0).payload());
    assertNull(lane.next(1), "the second waits for the second socket frame");
    assertTrue(lane.hasCommitted(), "so the reader reads the socket rather than park");
    assertTrue(lane.waitsForSocket(1));
    assertArrayEquals(new byte[] {11}, lane.next(2).payload());
    assertFalse(lane.waitsForSocket(2), "nothing committed");
  }

  @Test
  void aRecordCommittedAfterTheReadersLastTake_doesNotWaitForTheSocket() {
    // The reader took what there was; the client then committed a put after the frames the reader
    // had read, and saw no PARKED: the reader must take it rather than wait on its socket, where
    // nothing may come (it would stay until the client's next frame).
    PutLane lane = PutLane.detached();
    assertNull(lane.next(3));
    assertEquals(PutLane.Offer.TAKEN, lane.offer(3, 1, new byte[] {1}));
    assertTrue(lane.hasCommitted());
    assertFalse(lane.waitsForSocket(3), "takeable now");
    assertArrayEquals(new byte[] {1}, lane.next(3).payload());
  }

  @Test
  void aCommitWhileTheReaderIsParked_asksForAWakeUp_once() {
    PutLane lane = PutLane.detached();
    assertTrue(lane.park(), "nothing committed: the reader parks");
    assertEquals(PutLane.Offer.TAKEN_WAKE, lane.offer(0, 1, new byte[] {1}));
    assertEquals(PutLane.Offer.TAKEN, lane.offer(0, 1, new byte[] {2}), "woken already");
    assertFalse(lane.park(), "records wait: the reader takes them instead of parking");
    lane.next(0);
    lane.next(0);
    assertTrue(lane.park());
    lane.unpark(); // a socket frame woke it
    assertEquals(PutLane.Offer.TAKEN, lane.offer(0, 1, new byte[] {3}));
  }

  @Test
  void aLargeItem_andOneThatDoesNotFit_goOnTheSocket() {
    PutLane lane = PutLane.detached();
    assertEquals(PutLane.Offer.SOCKET, lane.offer(0, 1, new byte[PutLane.MAX_ITEM + 1]));
    int taken = 0;
    while (lane.offer(0, 1, new byte[PutLane.MAX_ITEM]) == PutLane.Offer.TAKEN) {
      taken++;
    }
    assertTrue(taken >= 3, "a lane holds a few of the largest: " + taken);
    lane.next(0);
    assertEquals(PutLane.Offer.TAKEN, lane.offer(0, 1, new byte[PutLane.MAX_ITEM]), "room again");
  }
}
