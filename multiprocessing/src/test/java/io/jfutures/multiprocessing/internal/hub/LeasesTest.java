package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A process's side of a queue's leases. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
final class LeasesTest {
  private final Leases leases = new Leases();
  private final List<Long> asked = new ArrayList<>();
  private final List<long[]> givenBack = new ArrayList<>();
  private final List<Integer> windows = new ArrayList<>();

  private void ask(long recallsSeen, int window) {
    asked.add(recallsSeen);
    windows.add(window);
  }

  /** A get at {@code now} that takes a held item, as a consumer's loop does. */
  private void getAt(long now) {
    leases.add(now, new byte[] {0});
    assertEquals(now, leases.poll(now).lease());
  }

  /** The window asked for by a consumer whose second get came {@code work} ns after its first. */
  private int windowAfter(long work) {
    getAt(1_000);
    getAt(1_000 + work);
    leases.activate(this::ask);
    assertEquals(1, windows.size());
    return windows.get(0);
  }

  @Test
  void aConsumerOfSmallItems_asksForTheWholeWindow() {
    assertEquals(Leases.WINDOW, windowAfter(2_000));
  }

  @Test
  void aConsumerWhoseItemsTakeMilliseconds_asksForTheLeast_soThatItHoldsNoWorkOthersCouldDo() {
    assertEquals(Leases.MIN_WINDOW, windowAfter(200_000_000));
  }

  @Test
  void aConsumerWhoseItemsTakeFiveMilliseconds_holdsAboutATenthOfASecondOfThem() {
    assertEquals(20, windowAfter(5_000_000));
  }

  @Test
  void theTakeThatLeavesHalfAShortWindow_isToldToTheHubAtOnce_soThatItTopsTheWindowUp() {
    leases.claimIn(LockWords.detached()); // claims in memory: no frame otherwise
    assertEquals(20, windowAfter(5_000_000));
    long now = 5_001_000;
    for (int i = 0; i < 12; i++) {
      leases.add(100 + i, new byte[] {0});
    }
    assertFalse(leases.poll(now += 5_000_000).tellNow());
    assertTrue(leases.poll(now += 5_000_000).tellNow(), "half the window left");
    assertFalse(leases.poll(now += 5_000_000).tellNow());
  }

  @Test
  void aFullWindow_isNeverToldAtOnce_aGetThatFindsItEmptyIsRareEnough() {
    leases.claimIn(LockWords.detached());
    leases.activate(this::ask);
    assertEquals(List.of(Leases.WINDOW), windows, "no work seen yet: the whole window");
    for (int i = 0; i < Leases.WINDOW; i++) {
      leases.add(i, new byte[] {0});
    }
    for (int i = 0; i < Leases.WINDOW; i++) {
      assertFalse(leases.poll(1).tellNow());
    }
  }

  @Test
  void theWindowIsAskedForAgain_asTheWorkBetweenGetsGrows_byHalvesNotAtEveryGet() {
    long now = 1_000;
    getAt(now);
    getAt(now += 1_000);
    leases.activate(this::ask);
    for (int i = 0; i < 40; i++) {
      getAt(now += 100_000_000); // its items now take 100 ms each: at first a pause, then the rule
    }
    assertEquals(
        Leases.MIN_WINDOW,
        windows.get(windows.size() - 1),
        "the least, asked as it fell: " + windows);
    assertTrue(windows.size() <= 10, "only when it halves: " + windows);
    for (int i = 1; i < windows.size(); i++) {
      assertTrue(windows.get(i) * 2 <= windows.get(i - 1), "halved at least: " + windows);
    }
    assertTrue(asked.stream().allMatch(r -> r == 0), "no recall seen: the same generation");

    int before = windows.size();
    leases.recall(1, givenBack::add);
    getAt(now += 10);
    getAt(now += 10);
    assertEquals(before, windows.size(), "recalled: nothing asked until a get activates it");
  }

  @Test
  void theWindowIsAskedForOnce_untilARecall_whichNamesItsGeneration() {
    leases.activate(this::ask);
    leases.activate(this::ask);
    assertEquals(List.of(0L), asked);

    leases.recall(3, givenBack::add);
    leases.activate(this::ask);
    assertEquals(List.of(0L, 3L), asked, "asked again, naming the recalls seen");
  }

  @Test
  void heldItemsAreTakenInOrder_andARecallGivesBackTheRestOldestFirst() {
    leases.add(10, new byte[] {0});
    leases.add(11, new byte[] {1});
    leases.add(12, new byte[] {2});
    assertEquals(10, leases.poll(1).lease());

    leases.recall(1, givenBack::add);
    assertEquals(1, givenBack.size());
    assertArrayEquals(new long[] {11, 12}, givenBack.get(0));
    assertNull(leases.poll(1));
  }

  @Test
  void anItemThereIsNoHeapFor_endsTheWindow_andGoesBackLast() {
    leases.activate(this::ask);
    leases.add(5, new byte[] {0});
    List<Long> ended = new ArrayList<>();
    leases.refuse(6, (recalls, window) -> ended.add(recalls), givenBack::add);
    assertEquals(List.of(0L), ended);
    assertArrayEquals(new long[] {5, 6}, givenBack.get(0));
    leases.activate(this::ask);
    assertEquals(List.of(0L, 0L), asked, "the next get asks again");
  }

  @Test
  void aRecallWithNothingHeld_givesNothingBack() {
    leases.recall(1, givenBack::add);
    assertEquals(0, givenBack.size());
  }

  @Test
  void aRecallWithNothingHeld_isAnsweredAllTheSame_whenGetsClaimInMemory() {
    leases.claimIn(LockWords.detached());
    leases.recall(1, givenBack::add);
    assertEquals(1, givenBack.size(), "so that the hub reads the claim word now");
    assertArrayEquals(new long[0], givenBack.get(0));
  }

  @Test
  void aTake_isClaimedInAFrame_withoutAClaimWord_orWhileTheFullWordIsSet() {
    leases.add(1, new byte[] {0});
    leases.add(2, new byte[] {1});
    leases.add(3, new byte[] {2});
    assertTrue(leases.poll(1).tellNow(), "no claim word: items came before it was mapped");
    LockWords.Word claims = LockWords.detached();
    LockWords.Word full = LockWords.detached();
    leases.fullIn(full);
    leases.claimIn(claims);
    assertFalse(leases.poll(1).tellNow());
    assertEquals(2, claims.get());
    full.set(1);
    assertTrue(leases.poll(1).tellNow(), "a sender waits for the room this take made");
    assertEquals(3, claims.get());
  }

  @Test
  void aTaskDone_goesInTheDoneWord_onlyWhileThisProcessStillHoldsItemsOfTheQueue() {
    assertEquals(Leases.Done.TOO_MANY, leases.done(), "nothing taken");

    leases.took(1);
    leases.took(1);
    assertEquals(Leases.Done.BY_FRAME, leases.done(), "no done word: always a frame");

    LockWords.Word word = LockWords.detached();
    leases.doneIn(word);
    leases.add(10, new byte[] {0});
    assertEquals(Leases.Done.IN_WORD, leases.done(), "item 10 is still held here");
    assertEquals(1, word.get());
    assertEquals(Leases.Done.TOO_MANY, leases.done(), "both taken are done");
    leases.poll(1); // takes item 10: counted as taken
    leases.took(1);
    assertEquals(Leases.Done.IN_WORD, leases.done(), "one taken is not done yet");
    assertEquals(2, word.get());
    assertEquals(Leases.Done.BY_FRAME, leases.done(), "the last: the hub hears at once");
    assertEquals(2, word.get(), "a frame is not counted in the word");
    assertEquals(Leases.Done.TOO_MANY, leases.done(), "none left");
  }
}
