package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.multiprocessing.internal.hub.HubQueueClaimWordsTest.LocalPeer;
import io.jfutures.multiprocessing.internal.hub.HubQueueLeasesTest.RecordingPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hub's side of a pipe direction's leases: messages go ahead only to the sole holder of the
 * receiving end, and when that end gains or loses a holder they are called back before any holder
 * receives a message sent after them, so that each receiver sees messages in the order sent.
 * Processes are played by peers that record what they are sent; the sender is the hub's own JVM.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
final class HubPipeLeasesTest {
  /** Pipe ids far above a real hub's, so that ring blocks (named by pid and id) never collide. */
  private static final AtomicLong IDS = new AtomicLong(4_000_000_000L);

  private final long id = IDS.addAndGet(3);
  private final HubQueue toZero = HubQueue.pipeDirection(id + 1, HubQueue.PIPE_MAX_BYTES);
  private final HubQueue toOne = HubQueue.pipeDirection(id + 2, HubQueue.PIPE_MAX_BYTES);
  private HubPipe pipe = new HubPipe(id, toOne, toZero); // replaced by leasedWithWords

  /** Holders of end 1, which receives from toOne. */
  private final LocalPeer first = new LocalPeer(LockWords.pid());

  private final LocalPeer second = new LocalPeer(LockWords.pid());

  @AfterEach
  void unlinkBlocks() {
    toZero.unlinkRingBlock();
    toOne.unlinkRingBlock();
  }

  private static byte[] message(int n) {
    return new byte[] {(byte) n};
  }

  private void send(int... values) {
    for (int v : values) {
      assertEquals(
          Boolean.TRUE, toOne.put(message(v), false, Peer.LOCAL, 0, new CompletableFuture<>()));
    }
  }

  private static List<Integer> payloads(List<Wire.Frame> frames) {
    return frames.stream().map(f -> (int) f.payload()[0]).toList();
  }

  private static long[] leases(List<Wire.Frame> frames) {
    return frames.stream().mapToLong(Wire.Frame::request).toArray();
  }

  /** The sender is the hub's JVM; {@code first} holds the receiving end alone and asked. */
  private List<Wire.Frame> leasedToFirst(int window, int... values) {
    pipe.attach(0, Peer.LOCAL);
    pipe.attach(1, first);
    toOne.lease(first, 0, window);
    send(values);
    return first.take(Wire.LEASED);
  }

  @Test
  void messagesGoAhead_onlyToTheSoleHolderOfTheReceivingEnd() {
    List<Wire.Frame> leased = leasedToFirst(2, 1, 2, 3);
    assertEquals(List.of(1, 2), payloads(leased), "in order, up to its window");

    toOne.lease(second, 0, 10); // asks without holding the end
    assertEquals(List.of(), second.take(Wire.LEASED));

    pipe.attach(1, second); // two holders now: nobody is leased anything
    assertEquals(1, first.take(Wire.RECALL).size(), "the first holder gives back what it holds");
    toOne.lease(first, 1, 10);
    send(4);
    assertEquals(List.of(), first.take(Wire.LEASED));
    assertEquals(List.of(), second.take(Wire.LEASED));
  }

  @Test
  void aNewHoldersGet_waitsForTheLeasedMessages_evenWithNewerOnesQueued_andGetsThemFirst() {
    List<Wire.Frame> leased = leasedToFirst(3, 1, 2, 3, 4, 5); // 4 and 5 queued
    pipe.attach(1, second);
    assertEquals(1, first.take(Wire.RECALL).size());

    assertNull(toOne.get(true, second, 7, null));
    assertEquals(List.of(), second.take(Wire.ITEM), "4 is queued, but 1 to 3 are older");

    toOne.claim(first, leased.get(0).request()); // its get took 1 before the recall arrived
    assertEquals(List.of(), second.take(Wire.ITEM), "2 and 3 are still out");
    toOne.giveBack(first, new long[] {leased.get(1).request(), leased.get(2).request()});
    List<Wire.Frame> got = second.take(Wire.ITEM);
    assertEquals(List.of(2), payloads(got));
    assertEquals(7, got.get(0).request());

    for (int want = 3; want <= 5; want++) {
      assertNull(toOne.get(true, second, want, null));
      assertEquals(List.of(want), payloads(second.take(Wire.ITEM)));
    }
  }

  @Test
  void aGetterHeldUpByLeases_isServedFromTheQueue_onceTheyAreAllTaken() {
    List<Wire.Frame> leased = leasedToFirst(2, 1, 2, 3);
    pipe.attach(1, second);
    assertNull(toOne.get(true, second, 1, null));
    toOne.claim(first, leased.get(0).request());
    assertEquals(List.of(), second.take(Wire.ITEM));
    toOne.claim(first, leased.get(1).request()); // took both before the recall: none to give back
    assertEquals(List.of(3), payloads(second.take(Wire.ITEM)));
  }

  @Test
  void aLocalGetter_isHeldUpTheSameWay() {
    List<Wire.Frame> leased = leasedToFirst(1, 1, 2);
    pipe.attach(1, Peer.LOCAL);
    CompletableFuture<byte[]> got = new CompletableFuture<>();
    assertNull(toOne.get(true, Peer.LOCAL, 0, got));
    send(3);
    assertTrue(!got.isDone(), "a message sent now is newer still");
    toOne.giveBack(first, leases(leased));
    assertEquals(1, got.join()[0]);
  }

  @Test
  void endOfFile_comesAfterTheMessagesOutOnLease() {
    List<Wire.Frame> leased = leasedToFirst(2, 1, 2);
    pipe.attach(1, second);
    assertNull(toOne.get(true, second, 1, null));
    pipe.detach(0, Peer.LOCAL); // the sending end is closed
    assertEquals(List.of(), second.take(Wire.EOF), "1 and 2 are still out");
    toOne.giveBack(first, leases(leased));
    assertEquals(List.of(1), payloads(second.take(Wire.ITEM)));
    assertNull(toOne.get(true, second, 2, null));
    assertEquals(List.of(2), payloads(second.take(Wire.ITEM)));
    assertNull(toOne.get(true, second, 3, null));
    assertEquals(1, second.take(Wire.EOF).size());
  }

  @Test
  void aGetterHeldUpByLeases_getsEndOfFile_onceTheyAreTakenAndTheSenderIsGone() {
    List<Wire.Frame> leased = leasedToFirst(1, 1);
    pipe.attach(1, second);
    assertNull(toOne.get(true, second, 1, null));
    pipe.detach(0, Peer.LOCAL);
    toOne.claim(first, leased.get(0).request());
    assertEquals(1, second.take(Wire.EOF).size());
  }

  @Test
  void aDeadLesseesMessages_goToTheOtherHolder_first() {
    leasedToFirst(2, 1, 2, 3);
    pipe.attach(1, second);
    assertNull(toOne.get(true, second, 1, null));
    toOne.peerGone(first);
    pipe.peerGone(first);
    assertEquals(List.of(1), payloads(second.take(Wire.ITEM)));
    toOne.lease(second, 0, 10); // the sole holder now
    assertEquals(List.of(2, 3), payloads(second.take(Wire.LEASED)));
  }

  @Test
  void leasedMessages_countAgainstThePipesRoom() {
    pipe.attach(0, Peer.LOCAL);
    pipe.attach(1, first);
    toOne.lease(first, 0, 10);
    byte[] half = new byte[(int) (HubQueue.PIPE_MAX_BYTES / 2)];
    for (int i = 0; i < 2; i++) {
      assertEquals(Boolean.TRUE, toOne.put(half, true, Peer.LOCAL, 0, new CompletableFuture<>()));
    }
    List<Wire.Frame> leased = first.take(Wire.LEASED);
    assertEquals(2, leased.size());
    CompletableFuture<byte[]> put = new CompletableFuture<>();
    assertNull(toOne.put(message(3), true, Peer.LOCAL, 0, put), "full: its sends wait");
    toOne.claim(first, leased.get(0).request());
    assertNotNull(put.join(), "a receive made room");
  }

  @Test
  void aLesseeClaimingInMemory_isToldInItsFullWordWhileASenderWaitsForRoom() {
    LockWords words = new LockWords();
    try {
      HubQueue direction = leasedWithWords(words, 10);
      byte[] half = new byte[(int) (HubQueue.PIPE_MAX_BYTES / 2)];
      assertEquals(
          Boolean.TRUE, direction.put(half, true, Peer.LOCAL, 0, new CompletableFuture<>()));
      LockWords.Word claims = givenWord(Wire.CLAIM_WORD);
      LockWords.Word full = givenWord(Wire.FULL_WORD);
      assertEquals(0, full.get(), "room left");
      assertEquals(
          Boolean.TRUE, direction.put(half, true, Peer.LOCAL, 0, new CompletableFuture<>()));
      long[] leased = leases(first.take(Wire.LEASED));
      assertEquals(2, leased.length);
      assertEquals(1, full.get(), "full: the next send waits");

      CompletableFuture<byte[]> put = new CompletableFuture<>();
      assertNull(direction.put(message(3), true, Peer.LOCAL, 0, put));
      claims.set(leased[0]); // its get took one, and, told it is full, says so in a frame too
      direction.claim(first, leased[0]);
      assertNotNull(put.join(), "the room it made");
      assertEquals(0, full.get());
    } finally {
      words.unlinkAll();
    }
  }

  @Test
  void theFullWord_reachesTheLesseeBeforeItsClaimWord_soThatNoTakeClaimsInTheWordAlone() {
    LockWords words = new LockWords();
    try {
      HubQueue direction = leasedWithWords(words, 10);
      send(direction, 1);
      List<Byte> given = new ArrayList<>();
      for (Wire.Frame f : first.frames) {
        if (f.op() == Wire.CLAIM_WORD || f.op() == Wire.FULL_WORD) {
          given.add(f.op());
        }
      }
      assertEquals(List.of(Wire.FULL_WORD, Wire.CLAIM_WORD), given);
    } finally {
      words.unlinkAll();
    }
  }

  @Test
  void aGetterHeldUpByLeases_isServed_whenTheLesseeAnswersARecallWithNothing() {
    LockWords words = new LockWords();
    try {
      HubQueue direction = leasedWithWords(words, 2);
      send(direction, 1, 2, 3);
      LockWords.Word claims = givenWord(Wire.CLAIM_WORD);
      long[] leased = leases(first.take(Wire.LEASED));
      pipe.attach(1, second);
      assertNull(direction.get(true, second, 1, null));
      claims.set(leased[1]); // its gets took both meanwhile, claimed in memory only
      assertEquals(List.of(), second.take(Wire.ITEM));
      direction.giveBack(first, new long[0]); // none held: it answers the recall with nothing
      assertEquals(List.of(3), payloads(second.take(Wire.ITEM)));
    } finally {
      words.unlinkAll();
    }
  }

  /**
   * Makes {@link #pipe}'s direction toward end 1 one whose lessees on this machine claim in {@code
   * words}, and has {@code first}, end 1's sole holder, ask for {@code window} leases with them.
   */
  private HubQueue leasedWithWords(LockWords words, int window) {
    HubQueue direction = HubQueue.pipeDirection(id + 2, HubQueue.PIPE_MAX_BYTES, words);
    pipe = new HubPipe(id, direction, toZero);
    pipe.attach(0, Peer.LOCAL);
    pipe.attach(1, first);
    direction.lease(first, 0, window, true);
    return direction;
  }

  /** Returns the word of {@code op} the hub gave {@code first}, as that process maps it. */
  private LockWords.Word givenWord(byte op) {
    List<Wire.Frame> given = first.take(op);
    assertEquals(1, given.size(), "a word, once");
    Wire.Frame f = given.get(0);
    return LockWords.attach(
        new String(f.payload(), java.nio.charset.StandardCharsets.US_ASCII), (int) f.value());
  }

  private static void send(HubQueue direction, int... values) {
    for (int v : values) {
      assertEquals(
          Boolean.TRUE, direction.put(message(v), false, Peer.LOCAL, 0, new CompletableFuture<>()));
    }
  }

  @Test
  void theRing_isNotGrantedWhileMessagesAreLeased() {
    List<Wire.Frame> leased = leasedToFirst(1, 1);
    assertNull(pipe.openRing(0, Peer.LOCAL), "1 is still out: it comes before the ring's");
    toOne.claim(first, leased.get(0).request());
    assertNotNull(pipe.openRing(0, Peer.LOCAL));
  }

  @Test
  void theHubsOwnJvm_isNeverLeased_evenAsTheSoleHolder() {
    pipe.attach(0, first);
    pipe.attach(1, Peer.LOCAL);
    RecordingPeer stranger = new RecordingPeer();
    toOne.lease(stranger, 0, 10);
    assertEquals(
        Boolean.TRUE, toOne.put(message(1), false, first, 0, null), "a process's send goes in");
    assertEquals(List.of(), stranger.take(Wire.LEASED));
    assertEquals(1, toOne.get(true, Peer.LOCAL, 0, new CompletableFuture<>())[0]);
  }
}
