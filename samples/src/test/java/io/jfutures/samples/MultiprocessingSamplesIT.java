package io.jfutures.samples;

import static io.jfutures.samples.Awaits.awaitNoChildProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The multiprocessing tutorial programs, with real child JVMs. */
final class MultiprocessingSamplesIT {
  @AfterEach
  void noChildLeft() {
    awaitNoChildProcess();
  }

  @Test
  void queueWriterReader_theReaderGetsEveryItem() throws Exception {
    Narration narration = new Narration();
    assertEquals("1000 499500", QueueWriterReader.run(1_000, narration.out()));
    assertTrue(narration.text().contains("exited with 0"), narration.text());
  }

  @Test
  void joinableConsumers_joinReturnsOnceEveryItemIsDone() throws Exception {
    List<String> done = JoinableConsumers.run(3, 20, new Narration().out());
    assertEquals(20, done.size());
    assertEquals(
        java.util.stream.IntStream.range(0, 20).boxed().collect(Collectors.toSet()),
        done.stream().map(r -> Integer.valueOf(r.split("\\^")[0])).collect(Collectors.toSet()));
  }

  @Test
  void pipePair_bothPipesReadToEndOfFile() throws Exception {
    Narration narration = new Narration();
    List<Object> received = PipePair.run(narration.out());
    assertEquals(
        List.of(Arrays.asList(42, null, "hello"), "message 1", "message 2", "message 3"), received);
    assertTrue(narration.text().contains("two-way pipe: end-of-file"), narration.text());
    assertTrue(narration.text().contains("one-way pipe: end-of-file"), narration.text());
  }

  @Test
  void ticketRace_sellsEveryTicketOnce() throws Exception {
    List<String> sales = TicketRace.run(50, 3, new Narration().out());
    assertEquals(50, sales.size());
    assertEquals(
        50,
        new HashSet<>(sales.stream().map(s -> s.split(" to ")[0]).collect(Collectors.toList()))
            .size());
  }

  @Test
  void sharedValueArray_theParentReadsWhatTheChildWrote_andNoIncrementIsLost() throws Exception {
    Narration narration = new Narration();
    assertEquals(
        "3.1415927 [0, -1, -2, -3, -4, -5, -6, -7, -8, -9] 200000",
        SharedValueArray.run(2, 100_000, narration.out()));
    assertTrue(narration.text().contains("3.1415927"), narration.text());
  }

  @Test
  void lockCounter_reachesZero_andTheNextHolderLearnsItsOwnerDied() throws Exception {
    Narration narration = new Narration();
    assertEquals("0 true", LockCounter.run(6, narration.out()));
    assertTrue(narration.text().contains("counter under a ProcessLock: 0"), narration.text());
  }

  @Test
  void syncTour_twoAtOnce_everyoneFinishes_andThreeRounds() throws Exception {
    Narration narration = new Narration();
    String seen = SyncTour.run(3, narration.out());
    assertTrue(seen.equals("3 2 3") || seen.equals("3 1 3"), seen + "\n" + narration.text());
  }

  @Test
  void managerTour_theChildsWritesAreSeen_andThePoolsAddsAllCount() throws Exception {
    Narration narration = new Narration();
    assertEquals(
        "{1=1, 2=2, 0.25=null} [9, 8, 7, 6, 5, 4, 3, 2, 1, 0] x=10 4950",
        ManagerTour.run(narration.out()));
  }
}
