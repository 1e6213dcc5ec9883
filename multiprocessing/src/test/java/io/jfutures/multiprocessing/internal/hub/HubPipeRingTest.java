package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.multiprocessing.internal.hub.HubQueueClaimWordsTest.LocalPeer;
import io.jfutures.multiprocessing.internal.hub.HubQueueLeasesTest.RecordingPeer;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hub's side of a pipe direction's ring: when it is granted, how a getter waits on it, and how
 * a change of holders retires it with nothing lost or reordered. Processes are played by peers that
 * record what they are sent; the senders' side is played on the ring itself.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
final class HubPipeRingTest {
  /** Pipe ids far above a real hub's, so that ring blocks (named by pid and id) never collide. */
  private static final AtomicLong IDS = new AtomicLong(3_000_000_000L);

  private final long id = IDS.addAndGet(3);
  private final HubQueue toZero = HubQueue.pipeDirection(id + 1, HubQueue.PIPE_MAX_BYTES);
  private final HubQueue toOne = HubQueue.pipeDirection(id + 2, HubQueue.PIPE_MAX_BYTES);
  private final HubPipe pipe = new HubPipe(id, toOne, toZero);

  /** End 0's holder: it sends into toOne. */
  private final LocalPeer sender = new LocalPeer(LockWords.pid());

  /** End 1's holder: it receives from toOne. */
  private final LocalPeer receiver = new LocalPeer(LockWords.pid());

  @AfterEach
  void unlinkBlocks() {
    toZero.unlinkRingBlock();
    toOne.unlinkRingBlock();
  }

  private PipeRing granted() {
    pipe.attach(0, sender);
    pipe.attach(1, receiver);
    PipeRing ring = pipe.openRing(0, sender);
    assertNotNull(ring, "each end has one holder on this machine");
    return ring;
  }

  private static byte[] message(int n) {
    return new byte[] {(byte) n};
  }

  private static long send(PipeRing ring, int n) {
    long at = ring.claim(1);
    assertTrue(at >= 0);
    return ring.commit(at, message(n), 0, 1);
  }

  private void get(long request) {
    assertNull(toOne.get(true, receiver, request, null));
  }

  private static List<Integer> items(RecordingPeer peer) {
    return peer.take(Wire.ITEM).stream().map(f -> (int) f.payload()[0]).toList();
  }

  @Test
  void theRing_isGrantedOnlyToTheOnlyHolderOfTheSendingEnd_whileTheOtherHasOneOnThisMachine() {
    pipe.attach(0, sender);
    assertNull(pipe.openRing(0, sender), "nobody holds the receiving end yet");
    RecordingPeer overTcp = new LocalPeer(LockWords.TCP_PROCESSES + 1);
    pipe.attach(1, overTcp);
    assertNull(pipe.openRing(0, sender), "its holder is a TCP client: it cannot map the ring");
    pipe.detach(1, overTcp);

    HubQueue toZero2 = HubQueue.pipeDirection(id + 1, HubQueue.PIPE_MAX_BYTES);
    HubQueue toOne2 = HubQueue.pipeDirection(id + 2, HubQueue.PIPE_MAX_BYTES);
    HubPipe fresh = new HubPipe(id, toOne2, toZero2);
    fresh.attach(0, sender);
    fresh.attach(1, receiver);
    assertNull(fresh.openRing(0, receiver), "only the sending end's holder asks");
    assertNull(fresh.openRing(1, sender));
    LocalPeer second = new LocalPeer(LockWords.pid());
    fresh.attach(0, second);
    assertNull(fresh.openRing(0, sender), "two processes send: through the hub, in its order");
    fresh.detach(0, second);
    PipeRing ring = fresh.openRing(0, sender);
    assertNotNull(ring);
    assertEquals(PipeRing.blockName(LockWords.pid(), id + 2), ring.name());
    assertSame(ring, toOne2.ring());
    toOne2.unlinkRingBlock();
  }

  @Test
  void aRingIsNotGranted_whileMessagesAreQueued() {
    pipe.attach(0, sender);
    pipe.attach(1, receiver);
    toOne.put(message(1), false, sender, 0, null);
    assertNull(pipe.openRing(0, sender), "it would overtake the queued message");
    get(1);
    assertEquals(List.of(1), items(receiver));
    assertNotNull(pipe.openRing(0, sender));
  }

  @Test
  void aGetterThatFindsNothing_parksWithTheRingMarked_andTheSendersWakeUpTellsItToRead() {
    PipeRing ring = granted();
    get(7);
    long flags = send(ring, 1);
    assertEquals(PipeRing.PARKED, flags & PipeRing.PARKED, "the sender sees the getter parked");
    assertTrue(ring.clearParked());
    toOne.ringWake();
    Wire.Frame read = receiver.take(Wire.READ_RING).get(0);
    assertEquals(7, read.request());
    assertEquals(1, ring.receive()[0]);
  }

  @Test
  void aGetter_isToldToReadTheRingAtOnce_whenAMessageWaitsThere_andANowOrNeverOneFindsNothing() {
    PipeRing ring = granted();
    byte[] none = toOne.get(false, Peer.LOCAL, 0, new CompletableFuture<>());
    assertEquals(0, none.length, "a getter that would not wait finds nothing, and is not parked");
    assertNotSame(HubQueue.READ_RING, none);
    send(ring, 1);
    assertSame(HubQueue.READ_RING, toOne.get(true, Peer.LOCAL, 0, new CompletableFuture<>()));
    get(3);
    assertEquals(3, receiver.take(Wire.READ_RING).get(0).request());
  }

  @Test
  void aNewHolder_retiresTheRing_andWhatItHeldComesFirst_toTheParkedGetter_thenInOrder() {
    PipeRing ring = granted();
    get(1); // parked on the ring
    send(ring, 1);
    send(ring, 2);
    LocalPeer another = new LocalPeer(LockWords.pid());
    pipe.attach(1, another); // the receiving end reached another process
    assertTrue(ring.retired());
    assertEquals(List.of(1), items(receiver), "the parked getter gets the oldest");
    toOne.put(message(3), false, sender, 0, null); // after the retire: through the hub
    assertEquals(PipeRing.CLAIM_RETIRED, ring.claim(1));
    assertNull(toOne.get(true, another, 1, null));
    get(2);
    assertEquals(List.of(2), items(another));
    assertEquals(List.of(3), items(receiver));
  }

  @Test
  void aRecordCommittedAfterTheRetire_goesInOnTheSendersDrain_beforeItsNextPut() {
    PipeRing ring = granted();
    long at = ring.claim(1);
    toOne.retireRing(); // the sender's own retire crossed its claim, say
    ring.commit(at, message(1), 0, 1);
    assertNull(pipe.openRing(0, sender), "not reopened while a record is on its way");
    toOne.ringDrain();
    toOne.put(message(2), false, sender, 0, null);
    get(1);
    get(2);
    assertEquals(List.of(1, 2), items(receiver));
    assertSame(ring, pipe.openRing(0, sender), "drained and taken: reopened where it stopped");
    assertFalse(ring.retired());
  }

  @Test
  void aPutWhileARetiredRingHoldsAnUncommittedRecord_goesInAfterTheRingsRecords_inTheirOrder() {
    PipeRing ring = granted();
    long slow = ring.claim(1); // one thread of the sender claims, and is still copying
    send(ring, 2); // another commits after it, then retires the ring and puts through the hub
    toOne.retireRing();
    assertNull(toOne.put(message(3), false, sender, 44, null), "held behind the ring");
    assertNull(pipe.openRing(0, sender), "not reopened while a put waits behind the ring");
    get(1);
    assertEquals(List.of(), items(receiver), "nothing may pass the record still being written");
    ring.commit(slow, message(1), 0, 1);
    toOne.ringDrain();
    get(2);
    get(3);
    assertEquals(List.of(1, 2, 3), items(receiver), "the ring's records, then the put");
    assertEquals(44, sender.take(Wire.OK).get(0).request(), "the put answered once it went in");
  }

  @Test
  void aPutThatComesWhileTheRingIsOpen_retiresIt_andComesAfterEveryRecordClaimedBeforeIt() {
    PipeRing ring = granted();
    get(1); // parked on the ring
    send(ring, 1); // one thread of the sender commits
    long slow = ring.claim(1); // another claimed, and is still copying
    // A third thread found the ring given up by its process, and its put came before the retire
    // the process asked for (a sender that gave it up makes no other put).
    assertNull(toOne.put(message(3), false, sender, 46, null), "held behind the ring");
    assertTrue(ring.retired(), "the put retired the ring");
    assertEquals(PipeRing.CLAIM_RETIRED, ring.claim(1));
    assertEquals(List.of(1), items(receiver), "the parked getter gets the ring's oldest");
    assertNull(pipe.openRing(0, sender), "not reopened while a put waits behind the ring");
    assertEquals(
        "pipe direction "
            + toOne.id
            + ": 0 queued, 1 put held behind the ring waiting: the hub's JVM, pid "
            + LockWords.pid(),
        toOne.describe(),
        "what an operator reads (HubMXBean)");
    ring.commit(slow, message(2), 0, 1);
    toOne.ringDrain();
    toOne.retireRing(); // the retire the process asked for, late: nothing more to do
    get(2);
    get(3);
    assertEquals(List.of(2, 3), items(receiver), "the ring's records, then the put");
    assertEquals(46, sender.take(Wire.OK).get(0).request(), "the put answered once it went in");
    assertSame(ring, pipe.openRing(0, sender), "drained and taken: reopened where it stopped");
    assertNull(toOne.describe(), "nothing held, nobody waits");
  }

  @Test
  void aPutHeldBehindTheRing_isDroppedWithTheRestWhenTheReceivingEndGoes_andRefused() {
    PipeRing ring = granted();
    ring.claim(1);
    toOne.retireRing();
    assertNull(toOne.put(message(3), true, sender, 45, null));
    pipe.peerGone(receiver);
    assertEquals(0, toOne.size());
    assertFalse(sender.take(Wire.PIPE_BROKEN).isEmpty(), "told the pipe is broken");
  }

  @Test
  void aSenderThatDiesMidSend_afterItsEndReachedAnother_leavesARingThatDrainsAndReopens() {
    PipeRing ring = granted();
    send(ring, 1);
    ring.claim(1); // its thread dies here
    send(ring, 2); // another of its threads, after it
    LocalPeer heir = new LocalPeer(LockWords.pid());
    pipe.attach(0, heir);
    get(1);
    assertEquals(List.of(1), items(receiver), "up to the record never committed");
    pipe.peerGone(sender);
    assertTrue(ring.drained(), "what it claimed is dropped with what came after it");
    assertSame(ring, pipe.openRing(0, heir), "the heir, now the only holder, may have it");
  }

  @Test
  void theSendingEndClosed_givesWhatTheRingHeldThenEndOfFile_andUnlinksItsBlock() {
    PipeRing ring = granted();
    send(ring, 1);
    ring.claim(1); // a record its sender never commits
    pipe.detach(0, sender);
    get(1);
    get(2);
    assertEquals(List.of(1), items(receiver));
    assertEquals(2, receiver.take(Wire.EOF).get(0).request());
    assertThrows(UncheckedIOException.class, () -> PipeRing.attach(ring.name()));
    assertNull(pipe.openRing(0, sender), "an end is gone: never again");
  }

  @Test
  void theReceivingEndGone_dropsWhatTheRingHeld_andTheSenderFindsItRetired() {
    PipeRing ring = granted();
    send(ring, 1);
    pipe.peerGone(receiver);
    assertEquals(PipeRing.CLAIM_RETIRED, ring.claim(1), "its next send goes to the hub: broken");
    assertEquals(0, toOne.size());
    assertEquals(1, sender.take(Wire.PIPE_BROKEN).size());
  }

  @Test
  void theAreaForLongMessages_isAllocatedAtTheFirstAsk_drainedWithTheRing_andUnlinkedAtItsClose() {
    assertNull(toOne.openBulk(), "no ring yet: no area");
    PipeRing ring = granted();
    BulkArea area = toOne.openBulk();
    assertNotNull(area);
    assertSame(area, toOne.openBulk(), "one per direction");
    assertNotNull(BulkArea.attach(BulkArea.blockName(ring.name())), "a receiver maps it by name");
    byte[] m = new byte[100_000];
    m[99_999] = 42;
    send(ring, 1);
    long place = area.place(m.length);
    long at = ring.claim(PipeRing.BULK_RECORD);
    area.allocated(place, m.length);
    area.write(place, m, 0, m.length);
    ring.commitBulk(at, place, m.length);
    pipe.detach(0, sender); // its sender is gone: what it sent, then end-of-file
    get(1);
    get(2);
    get(3);
    List<Wire.Frame> items = receiver.take(Wire.ITEM);
    assertEquals(2, items.size());
    assertEquals(1, items.get(0).payload()[0]);
    assertEquals(100_000, items.get(1).payload().length, "the long one, whole, in order");
    assertEquals(42, items.get(1).payload()[99_999]);
    assertEquals(3, receiver.take(Wire.EOF).get(0).request());
    assertThrows(
        UncheckedIOException.class, () -> BulkArea.attach(BulkArea.blockName(ring.name())));
    assertNull(toOne.openBulk(), "closed for good");
  }
}
