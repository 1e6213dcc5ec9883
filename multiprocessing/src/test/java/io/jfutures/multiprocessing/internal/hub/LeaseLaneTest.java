package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A connection's lane for its leases: what it carries, and in which order the client takes it. */
final class LeaseLaneTest {
  @Test
  void aLease_isTakenAsALeasedFrame_once() {
    LeaseLane lane = LeaseLane.detached();
    lane.watched(true);
    assertTrue(lane.offer(0, 7, 42, new byte[] {1, 2, 3}));
    Wire.Frame f = lane.next(0);
    assertEquals(Wire.LEASED, f.op());
    assertEquals(7, f.object(), "the queue");
    assertEquals(42, f.request(), "the lease");
    assertArrayEquals(new byte[] {1, 2, 3}, f.payload());
    assertNull(lane.next(0), "taken once");
  }

  @Test
  void aLeaseQueuedAfterFrames_waitsUntilTheClientHandledThem_andLeasesKeepTheirOrder() {
    LeaseLane lane = LeaseLane.detached();
    lane.watched(true);
    lane.offer(0, 1, 1, new byte[] {10});
    lane.offer(2, 1, 2, new byte[] {11}); // two frames were queued between them (a recall, say)
    lane.offer(2, 1, 3, new byte[] {12});
    assertEquals(1, lane.next(1).request());
    assertNull(lane.next(1), "the second waits for the second frame");
    assertEquals(2, lane.next(2).request());
    assertEquals(3, lane.next(2).request());
    assertNull(lane.next(Long.MAX_VALUE));
  }

  @Test
  void aLeaseWhileNoGetWatches_goesAsAFrame() {
    LeaseLane lane = LeaseLane.detached();
    assertFalse(lane.offer(0, 1, 1, new byte[] {1}), "its reader takes it, beside the consumer");
    lane.watched(true);
    assertTrue(lane.offer(0, 1, 2, new byte[] {2}));
    lane.watched(false);
    assertFalse(lane.offer(0, 1, 3, new byte[] {3}));
    assertEquals(2, lane.next(0).request(), "what was written stays to be taken");
  }

  @Test
  void aLargeItem_andOneThatDoesNotFit_goAsFrames() {
    LeaseLane lane = LeaseLane.detached();
    lane.watched(true);
    assertFalse(lane.offer(0, 1, 1, new byte[LeaseLane.MAX_ITEM + 1]), "too large");
    int offered = 0;
    while (lane.offer(0, 1, offered + 1, new byte[LeaseLane.MAX_ITEM])) {
      offered++;
    }
    assertTrue(offered >= 1 && offered < LeaseLane.CAPACITY / LeaseLane.MAX_ITEM + 1);
    assertEquals(1, lane.next(0).request(), "room again once taken");
    assertTrue(lane.offer(0, 1, 99, new byte[8]));
  }
}
