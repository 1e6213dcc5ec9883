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

  @Test
  void theWindowIsAskedForOnce_untilARecall_whichNamesItsGeneration() {
    leases.activate(asked::add);
    leases.activate(asked::add);
    assertEquals(List.of(0L), asked);

    leases.recall(3, givenBack::add);
    leases.activate(asked::add);
    assertEquals(List.of(0L, 3L), asked, "asked again, naming the recalls seen");
  }

  @Test
  void heldItemsAreTakenInOrder_andARecallGivesBackTheRestOldestFirst() {
    leases.add(10, new byte[] {0});
    leases.add(11, new byte[] {1});
    leases.add(12, new byte[] {2});
    assertEquals(10, leases.poll().lease());

    leases.recall(1, givenBack::add);
    assertEquals(1, givenBack.size());
    assertArrayEquals(new long[] {11, 12}, givenBack.get(0));
    assertNull(leases.poll());
  }

  @Test
  void anItemThereIsNoHeapFor_endsTheWindow_andGoesBackLast() {
    leases.activate(asked::add);
    leases.add(5, new byte[] {0});
    List<Long> ended = new ArrayList<>();
    leases.refuse(6, ended::add, givenBack::add);
    assertEquals(List.of(0L), ended);
    assertArrayEquals(new long[] {5, 6}, givenBack.get(0));
    leases.activate(asked::add);
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
    leases.poll();
    assertTrue(leases.claimInFrame(), "no claim word");
    LockWords.Word claims = LockWords.detached();
    LockWords.Word full = LockWords.detached();
    leases.claimIn(claims);
    leases.fullIn(full);
    leases.poll();
    assertFalse(leases.claimInFrame());
    assertEquals(2, claims.get());
    full.set(1);
    leases.poll();
    assertTrue(leases.claimInFrame(), "a sender waits for the room this take made");
    assertEquals(3, claims.get());
  }

  @Test
  void aTaskDone_goesInTheDoneWord_onlyWhileThisProcessStillHoldsItemsOfTheQueue() {
    assertEquals(Leases.Done.TOO_MANY, leases.done(), "nothing taken");

    leases.took();
    leases.took();
    assertEquals(Leases.Done.BY_FRAME, leases.done(), "no done word: always a frame");

    LockWords.Word word = LockWords.detached();
    leases.doneIn(word);
    leases.add(10, new byte[] {0});
    assertEquals(Leases.Done.IN_WORD, leases.done(), "item 10 is still held here");
    assertEquals(1, word.get());
    assertEquals(Leases.Done.TOO_MANY, leases.done(), "both taken are done");
    leases.poll(); // takes item 10: counted as taken
    leases.took();
    assertEquals(Leases.Done.IN_WORD, leases.done(), "one taken is not done yet");
    assertEquals(2, word.get());
    assertEquals(Leases.Done.BY_FRAME, leases.done(), "the last: the hub hears at once");
    assertEquals(2, word.get(), "a frame is not counted in the word");
    assertEquals(Leases.Done.TOO_MANY, leases.done(), "none left");
  }
}
