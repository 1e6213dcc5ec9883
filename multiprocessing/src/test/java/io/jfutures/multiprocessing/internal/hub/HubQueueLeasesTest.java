package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A queue's leases, with processes played by peers that record what they are sent. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
final class HubQueueLeasesTest {
  /** A process's connection, as the frames the hub queued for it. */
  static class RecordingPeer implements Peer {
    final List<Wire.Frame> frames = new ArrayList<>();

    @Override
    public synchronized void enqueue(
        byte op, long request, long object, long value, byte[] payload) {
      frames.add(new Wire.Frame(op, request, object, value, payload));
    }

    @Override
    public void flush() {}

    synchronized List<Wire.Frame> take(byte op) {
      List<Wire.Frame> taken = new ArrayList<>();
      frames.removeIf(f -> f.op() == op && taken.add(f));
      return taken;
    }
  }

  private final HubQueue unbounded = new HubQueue(1, 0, false, HubQueue.DeadConsumerPolicy.REQUEUE);
  private final RecordingPeer p = new RecordingPeer();
  private final RecordingPeer other = new RecordingPeer();

  private static byte[] item(int i) {
    return new byte[] {(byte) i};
  }

  private static void putLocal(HubQueue q, int... values) {
    for (int v : values) {
      assertEquals(Boolean.TRUE, q.put(item(v), false, Peer.LOCAL, 0, new CompletableFuture<>()));
    }
  }

  private static List<Integer> items(List<Wire.Frame> frames) {
    return frames.stream().map(f -> (int) f.payload()[0]).toList();
  }

  private static long[] leases(List<Wire.Frame> frames) {
    return frames.stream().mapToLong(Wire.Frame::request).toArray();
  }

  @Test
  void itemsGoAheadInOrder_upToTheWindow_andCountInTheQueueUntilClaimed() {
    unbounded.lease(p, 0, 3);
    putLocal(unbounded, 0, 1, 2, 3, 4);
    List<Wire.Frame> leased = p.take(Wire.LEASED);
    assertEquals(List.of(0, 1, 2), items(leased));
    assertEquals(5, unbounded.size(), "leased items are still in the queue");

    unbounded.claim(p, leased.get(0).request());
    assertEquals(4, unbounded.size());
    assertEquals(List.of(3), items(p.take(Wire.LEASED)), "a claim makes room in the window");
  }

  @Test
  void aGetterThatFindsNothing_recallsEveryLessee_andGetsTheGivenBackItemsFirstInOrder() {
    unbounded.lease(p, 0, 3);
    putLocal(unbounded, 0, 1, 2);
    long[] held = leases(p.take(Wire.LEASED));
    CompletableFuture<byte[]> waiting = new CompletableFuture<>();

    assertNull(unbounded.get(true, Peer.LOCAL, 0, waiting), "nothing queued: it waits");
    List<Wire.Frame> recalls = p.take(Wire.RECALL);
    assertEquals(1, recalls.size());
    assertEquals(1, recalls.get(0).request(), "the first recall");

    unbounded.giveBack(p, held);
    assertArrayEquals(item(0), waiting.getNow(null), "the oldest goes to the getter");
    assertEquals(2, unbounded.size());
    assertArrayEquals(item(1), unbounded.get(false, Peer.LOCAL, 0, new CompletableFuture<>()));
    assertArrayEquals(item(2), unbounded.get(false, Peer.LOCAL, 0, new CompletableFuture<>()));
    assertTrue(p.take(Wire.LEASED).isEmpty(), "a recalled lessee gets no more");
  }

  @Test
  void aGetterThatWouldNotWait_waitsForLeasedItemsToComeBack_butNotForAnEmptyQueue() {
    CompletableFuture<byte[]> nowOrNever = new CompletableFuture<>();
    assertArrayEquals(new byte[0], unbounded.get(false, Peer.LOCAL, 0, nowOrNever), "empty");

    unbounded.lease(p, 0, 3);
    putLocal(unbounded, 0, 1);
    long[] held = leases(p.take(Wire.LEASED));
    assertNull(unbounded.get(false, Peer.LOCAL, 0, nowOrNever), "parked while called back");
    assertEquals(1, p.take(Wire.RECALL).size());
    unbounded.giveBack(p, held);
    assertArrayEquals(item(0), nowOrNever.getNow(null));
  }

  @Test
  void aLeaseRequestThatCrossedARecall_isIgnored_andOneNamingItIsNot() {
    unbounded.lease(p, 0, 3);
    putLocal(unbounded, 0);
    long[] held = leases(p.take(Wire.LEASED));
    unbounded.get(false, other, 7, null); // finds nothing: recalls p
    assertEquals(1, p.take(Wire.RECALL).size());
    unbounded.giveBack(p, held); // other's parked get takes it
    assertEquals(1, other.take(Wire.ITEM).size());

    unbounded.lease(p, 0, 3); // sent before p saw the recall
    putLocal(unbounded, 1);
    assertTrue(p.take(Wire.LEASED).isEmpty());

    unbounded.lease(p, 1, 3);
    assertEquals(List.of(1), items(p.take(Wire.LEASED)));
  }

  @Test
  void aGetFromALesseeHoldingItems_isToldToTakeThoseFirst() {
    unbounded.lease(p, 0, 1);
    putLocal(unbounded, 0, 1);
    p.take(Wire.LEASED);

    assertNull(unbounded.get(true, p, 42, null));
    List<Wire.Frame> told = p.take(Wire.TAKE_LEASED);
    assertEquals(1, told.size());
    assertEquals(42, told.get(0).request());
    assertEquals(2, unbounded.size(), "item 1 still queued behind the leased one");
  }

  @Test
  void aDeadLesseesItems_goBackToTheFront_inOrder() {
    unbounded.lease(p, 0, 2);
    putLocal(unbounded, 0, 1, 2);
    p.take(Wire.LEASED);

    unbounded.peerGone(p);
    assertEquals(3, unbounded.size());
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(item(i), unbounded.get(false, Peer.LOCAL, 0, new CompletableFuture<>()));
    }
  }

  @Test
  void itemsGivenBackByTwoLessees_goBackInPutOrder_whicheverGivesBackFirst() {
    unbounded.lease(p, 0, 1);
    unbounded.lease(other, 0, 1);
    putLocal(unbounded, 1, 2);
    unbounded.lease(p, 0, 2);
    unbounded.lease(other, 0, 2);
    putLocal(unbounded, 3, 4); // 4: a consumer's sentinel, put last
    List<Wire.Frame> toP = p.take(Wire.LEASED);
    List<Wire.Frame> toOther = other.take(Wire.LEASED);
    assertEquals(List.of(1, 3), items(toP));
    assertEquals(List.of(2, 4), items(toOther));
    long[] heldByP = leases(toP);
    long[] heldByOther = leases(toOther);

    RecordingPeer third = new RecordingPeer();
    unbounded.get(false, third, 9, null); // finds nothing queued: recalls both
    assertTrue(unbounded.cancel(third, 9, null), "its process gave up waiting");
    unbounded.giveBack(other, heldByOther); // the younger items come back first
    unbounded.giveBack(p, heldByP);

    List<Integer> got = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      got.add((int) unbounded.get(false, Peer.LOCAL, 0, new CompletableFuture<>())[0]);
    }
    assertEquals(List.of(1, 2, 3, 4), got, "the sentinel last, behind every item put before it");
  }

  @Test
  void anItemOlderThanWhatALesseeHolds_isNotLeasedToIt_butWaitsForAGet() {
    unbounded.lease(other, 0, 1);
    unbounded.lease(p, 0, 2);
    putLocal(unbounded, 1, 2); // 1 to other, 2 to p
    assertEquals(List.of(1), items(other.take(Wire.LEASED)));
    assertEquals(List.of(2), items(p.take(Wire.LEASED)));

    unbounded.peerGone(other); // 1 comes back; p has room in its window for it
    assertTrue(
        p.take(Wire.LEASED).isEmpty(),
        "p takes its leases in lease order: 1 would come after 2, and after a sentinel 2");
    assertArrayEquals(item(1), unbounded.get(false, Peer.LOCAL, 0, new CompletableFuture<>()));

    putLocal(unbounded, 3);
    assertEquals(List.of(3), items(p.take(Wire.LEASED)), "younger items go ahead to it again");
  }

  @Test
  void aBoundedQueue_countsLeasedItemsAgainstItsRoom() {
    HubQueue bounded = new HubQueue(2, 2, false, HubQueue.DeadConsumerPolicy.REQUEUE);
    bounded.lease(p, 0, 5);
    putLocal(bounded, 0, 1);
    List<Wire.Frame> leased = p.take(Wire.LEASED);
    assertEquals(2, leased.size());

    assertEquals(Boolean.FALSE, bounded.put(item(2), false, Peer.LOCAL, 0, null), "full");
    CompletableFuture<byte[]> putter = new CompletableFuture<>();
    assertNull(bounded.put(item(2), true, Peer.LOCAL, 0, putter));
    bounded.claim(p, leased.get(0).request());
    assertTrue(putter.isDone(), "a claim makes room for a waiting putter");
    assertEquals(List.of(2), items(p.take(Wire.LEASED)));
  }

  @Test
  void aLesseeHoldsAboutAMebibyte_atLeastOneItem() {
    unbounded.lease(p, 0, 100);
    byte[] large = new byte[600 * 1024];
    for (int i = 0; i < 4; i++) {
      unbounded.put(large, false, Peer.LOCAL, 0, null);
    }
    assertEquals(2, p.take(Wire.LEASED).size(), "600 KiB, then 1.2 MiB: no more");
    assertEquals(4, unbounded.size());
  }

  @Test
  void theHubsOwnGetter_isNeverToldToTakeLeases() {
    unbounded.lease(p, 0, 1);
    putLocal(unbounded, 0, 1);
    assertArrayEquals(item(1), unbounded.get(false, Peer.LOCAL, 0, new CompletableFuture<>()));
    assertFalse(p.frames.stream().anyMatch(f -> f.op() == Wire.RECALL));
  }
}
