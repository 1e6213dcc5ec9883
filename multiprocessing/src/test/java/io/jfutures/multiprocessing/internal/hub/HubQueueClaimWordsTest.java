package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.multiprocessing.internal.hub.HubQueueLeasesTest.RecordingPeer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Leased items claimed in a claim word in shared memory, as a consumer on this machine claims them:
 * the hub reads the word at its next operation, and after the consumer's death.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
final class HubQueueClaimWordsTest {
  /** A connection from a process on this machine: this test's own, for its pid. */
  static final class LocalPeer extends RecordingPeer {
    private final long pid;

    LocalPeer(long pid) {
      this.pid = pid;
    }

    @Override
    public long pid() {
      return pid;
    }
  }

  private final LockWords words = new LockWords();
  private final LocalPeer p = new LocalPeer(LockWords.pid());

  @AfterEach
  void unlinkBlocks() {
    words.unlinkAll();
  }

  private HubQueue queue(boolean joinable, HubQueue.DeadConsumerPolicy policy) {
    return new HubQueue(1, 0, joinable, policy, words);
  }

  private static byte[] item(int i) {
    return new byte[] {(byte) i};
  }

  private static void putLocal(HubQueue q, int... values) {
    for (int v : values) {
      assertEquals(Boolean.TRUE, q.put(item(v), false, Peer.LOCAL, 0, new CompletableFuture<>()));
    }
  }

  /** Returns the word of {@code op} the hub gave {@code p}, once, as {@code p} maps it. */
  private LockWords.Word givenWord(byte op) {
    List<Wire.Frame> given = p.take(op);
    assertEquals(1, given.size(), "a word, once");
    Wire.Frame f = given.get(0);
    return LockWords.attach(new String(f.payload(), StandardCharsets.US_ASCII), (int) f.value());
  }

  private static long[] leases(List<Wire.Frame> frames) {
    return frames.stream().mapToLong(Wire.Frame::request).toArray();
  }

  @Test
  void theWordComesBeforeTheFirstLeasedItem_andOnlyIfAsked() {
    HubQueue q = queue(false, HubQueue.DeadConsumerPolicy.REQUEUE);
    LocalPeer asksNot = new LocalPeer(LockWords.pid());
    q.lease(asksNot, 0, 1, false);
    putLocal(q, 0);
    assertTrue(asksNot.take(Wire.CLAIM_WORD).isEmpty());

    q.lease(p, 0, 2, true);
    assertTrue(p.take(Wire.CLAIM_WORD).isEmpty(), "no item leased yet: nothing to map yet");
    putLocal(q, 1);
    assertEquals(Wire.CLAIM_WORD, p.frames.get(0).op());
    assertEquals(Wire.LEASED, p.frames.get(1).op());
    q.lease(p, 0, 2, true);
    assertEquals(1, p.take(Wire.CLAIM_WORD).size(), "asked again: the same word, not a new one");

    HubQueueLeasesTest.RecordingPeer unknownPid = new HubQueueLeasesTest.RecordingPeer();
    q.lease(unknownPid, 0, 2, true);
    assertTrue(unknownPid.take(Wire.CLAIM_WORD).isEmpty(), "a process the hub cannot name");
  }

  @Test
  void aStoreToTheWord_claimsEveryLeaseUpToIt_atTheHubsNextOperation() {
    HubQueue q = queue(false, HubQueue.DeadConsumerPolicy.REQUEUE);
    q.lease(p, 0, 3, true);
    putLocal(q, 0, 1, 2, 3, 4);
    LockWords.Word word = givenWord(Wire.CLAIM_WORD);
    long[] leased = leases(p.take(Wire.LEASED));
    assertEquals(3, leased.length);
    assertEquals(5, q.size());

    word.set(leased[1]); // the consumer's gets took the first two
    assertEquals(3, q.size(), "read at the next operation");
    assertEquals(2, p.take(Wire.LEASED).size(), "and their places in the window are free again");
  }

  @Test
  void aDeadConsumersClaimedItems_doNotComeBack_itsUnclaimedOnesDo_inOrder() {
    HubQueue q = queue(false, HubQueue.DeadConsumerPolicy.REQUEUE);
    q.lease(p, 0, 3, true);
    putLocal(q, 0, 1, 2, 3);
    LockWords.Word word = givenWord(Wire.CLAIM_WORD);
    long[] leased = leases(p.take(Wire.LEASED));
    word.set(leased[0]); // stored as its get took item 0, and then it died

    q.peerGone(p);
    assertEquals(3, q.size());
    for (int i = 1; i <= 3; i++) {
      assertArrayEquals(item(i), q.get(false, Peer.LOCAL, 0, new CompletableFuture<>()));
    }
  }

  @Test
  void aJoinableQueue_countsAnItemClaimedInTheWord_asTakenByThatProcess() {
    HubQueue q = queue(true, HubQueue.DeadConsumerPolicy.COUNT_AS_DONE);
    q.lease(p, 0, 4, true);
    putLocal(q, 0, 1, 2);
    LockWords.Word word = givenWord(Wire.CLAIM_WORD);
    long[] leased = leases(p.take(Wire.LEASED));
    word.set(leased[1]);
    q.taskDone(p); // the first of its two: no frame told the hub it took it
    assertEquals(2, q.unfinished());

    q.peerGone(p);
    assertEquals(1, q.failed(), "taken in the word, never done: counted failed");
    assertEquals(1, q.unfinished(), "item 2 was never taken: back in the queue");
    assertArrayEquals(item(2), q.get(false, Peer.LOCAL, 0, new CompletableFuture<>()));
  }

  @Test
  void aDeadConsumersWord_isReusedOnlyOnceItsProcessExited_andStartsAtZero() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
    LockWords.Word first = words.allocate();
    first.set(99);
    words.free(first, LockWords.pid()); // this process still runs
    LockWords.Word second = words.allocate();
    assertNotEquals(first.index, second.index, "not reused while its process runs");

    second.set(42);
    words.free(second, gone.pid());
    LockWords.Word third = words.allocate();
    assertEquals(second.index, third.index, "its process exited: reused");
    assertEquals(0, third.get());
  }

  @Test
  void aJoinableQueuesConsumer_getsADoneWord_whoseCountsTheHubTakesAsTaskDones() {
    HubQueue q = queue(true, HubQueue.DeadConsumerPolicy.REQUEUE);
    q.lease(p, 0, 4, true);
    putLocal(q, 0, 1, 2);
    LockWords.Word claims = givenWord(Wire.CLAIM_WORD);
    LockWords.Word dones = givenWord(Wire.DONE_WORD);
    long[] leased = leases(p.take(Wire.LEASED));
    claims.set(leased[1]); // took items 0 and 1
    dones.set(1); // and marked one done, in the word
    assertEquals(2, q.unfinished());

    CompletableFuture<byte[]> joiner = new CompletableFuture<>();
    assertFalse(q.join(Peer.LOCAL, 0, joiner));
    dones.set(2);
    claims.set(leased[2]);
    q.taskDone(p); // its last, as a frame: the hub reads the word first
    assertTrue(joiner.isDone(), "all three done");
    assertEquals(0, q.unfinished());
  }

  /**
   * J1 hung on JDK 25 (3 runs in 8): a consumer whose done word was mapped before its claim word
   * claimed in frames and marked done in the word; the word's count, read during another operation,
   * marked the one item the hub knew of, and the TASK_DONE frame meant for it found nothing to mark
   * and was dropped: the queue's join never returned.
   */
  @Test
  void aDoneInTheWord_readBeforeTheClaimFrameOfItsItem_doesNotCostATaskDoneFrame() {
    HubQueue q = queue(true, HubQueue.DeadConsumerPolicy.REQUEUE);
    q.lease(p, 0, 3, true);
    putLocal(q, 0, 1, 2);
    LockWords.Word dones = givenWord(Wire.DONE_WORD); // mapped; its claim word not yet
    long[] leased = leases(p.take(Wire.LEASED));
    CompletableFuture<byte[]> joiner = new CompletableFuture<>();
    assertFalse(q.join(Peer.LOCAL, 0, joiner));

    q.claim(p, leased[0]); // took item 0, told in a frame
    // It marked item 0 done in a frame, then took item 1 (its CLAIM frame on its way behind that
    // TASK_DONE) and marked it done in the word: another operation reads the word first.
    dones.set(1);
    assertEquals(Boolean.TRUE, q.put(item(3), false, Peer.LOCAL, 0, new CompletableFuture<>()));
    q.taskDoneCounted(p); // item 0's done: the word's count marked item 0 already
    q.claim(p, leased[1]);
    q.claim(p, leased[2]);
    q.taskDoneCounted(p);
    assertEquals(1, q.unfinished(), "items 0, 1 and 2 done; item 3 not");
    assertFalse(joiner.isDone());
    long[] more = leases(p.take(Wire.LEASED));
    assertEquals(1, more.length, "item 3, leased once room was made");
    q.claim(p, more[0]);
    q.taskDoneCounted(p);
    assertTrue(joiner.isDone(), "every item done");
  }

  /** The same with an item that came as a get's reply: its ACK, not a claim, is the late take. */
  @Test
  void aDoneInTheWord_readBeforeTheAckOfItsItem_waitsForThatAck() {
    HubQueue q = queue(true, HubQueue.DeadConsumerPolicy.REQUEUE);
    putLocal(q, 0);
    assertNull(q.get(true, p, 7, null)); // item 0, sent as the reply of request 7
    q.lease(p, 0, 4, true);
    putLocal(q, 1);
    LockWords.Word claims = givenWord(Wire.CLAIM_WORD);
    LockWords.Word dones = givenWord(Wire.DONE_WORD);
    long[] leased = leases(p.take(Wire.LEASED));
    CompletableFuture<byte[]> joiner = new CompletableFuture<>();
    assertFalse(q.join(Peer.LOCAL, 0, joiner));

    claims.set(leased[0]); // took item 1 (in the word) and marked it done in a frame; then
    dones.set(1); // item 0, whose ACK is behind that frame, done in the word
    q.taskDoneCounted(p);
    assertFalse(joiner.isDone(), "item 0's take is not yet known");
    q.ack(p, 7);
    assertTrue(joiner.isDone(), "its ACK settles the done that waited");
    assertEquals(0, q.unfinished());
  }

  @Test
  void aTaskDoneFrameTooMany_fromAProcessThatDidNotCount_isRefused() {
    HubQueue q = queue(true, HubQueue.DeadConsumerPolicy.REQUEUE);
    putLocal(q, 0);
    assertThrows(IllegalStateException.class, () -> q.taskDone(p));
    assertEquals(1, q.unfinished());
  }

  @Test
  void aQueueThatIsNotJoinable_givesNoDoneWord() {
    HubQueue q = queue(false, HubQueue.DeadConsumerPolicy.REQUEUE);
    q.lease(p, 0, 4, true);
    putLocal(q, 0);
    assertEquals(1, p.take(Wire.CLAIM_WORD).size());
    assertTrue(p.take(Wire.DONE_WORD).isEmpty());
  }
}
