package io.jfutures.multiprocessing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queues between real child JVMs, and what happens when a producer or consumer dies. */
final class ProcessQueueIT {
  private static final Duration LONG = ChildProcesses.LONG;

  @TempDir Path dir;

  @AfterEach
  void noChildLeft() {
    ChildProcesses.awaitNone();
  }

  @Test
  void aChildsPuts_reachTheParent_inOrder() throws Exception {
    ProcessQueue<String> q = new ProcessQueue<>();
    JvmProcess producer =
        new JvmProcess(
                () -> {
                  for (int i = 0; i < 100; i++) {
                    q.put("item " + i);
                  }
                })
            .start();
    for (int i = 0; i < 100; i++) {
      assertEquals("item " + i, q.get(LONG));
    }
    producer.join();
    assertEquals(OptionalInt.of(0), producer.exitCode());
  }

  @Test
  void f1_itemsPutByAProducerThatHaltsRightAfter_areAllDelivered_andItsExitWaitsForNobody()
      throws Exception {
    ProcessQueue<Integer> q = new ProcessQueue<>();
    JvmProcess producer =
        new JvmProcess(
                () -> {
                  for (int i = 0; i < 1_000; i++) {
                    q.put(i);
                  }
                  Runtime.getRuntime().halt(7); // no hook, no flush: only what put promised
                })
            .start();
    assertTrue(producer.join(LONG), "the producer exits without anybody reading its items");
    assertEquals(OptionalInt.of(7), producer.exitCode());
    for (int i = 0; i < 1_000; i++) {
      assertEquals(i, q.get(LONG));
    }
    assertTrue(q.empty());
  }

  @Test
  void aProducersSmallPuts_andItsLaterLargeOne_reachTheHubInTheOrderItMadeThem() throws Exception {
    // After its first puts, a producer's small items go through its lane in shared memory, and a
    // large one through its socket: the hub still takes them in the order they were put.
    ProcessQueue<Integer> items = new ProcessQueue<>();
    ProcessQueue<String> rounds = new ProcessQueue<>();
    JvmProcess producer =
        new JvmProcess(
                () -> {
                  for (int round = 0; round < 20; round++) {
                    for (int i = 0; i < 500; i++) {
                      items.put(round * 500 + i);
                    }
                    rounds.put(round + "x".repeat(40_000)); // too large for the lane
                  }
                })
            .start();
    for (int round = 0; round < 20; round++) {
      assertTrue(rounds.get(LONG).startsWith(round + "x"));
      assertTrue(
          items.qsize() >= (round + 1) * 500,
          "round " + round + ": " + items.qsize() + " items in before the round's end");
    }
    for (int i = 0; i < 20 * 500; i++) {
      assertEquals(i, items.get(LONG));
    }
    assertTrue(producer.join(LONG));
    assertEquals(OptionalInt.of(0), producer.exitCode());
  }

  @Test
  void aProducerKilledInTheMiddleOfSmallPuts_leavesEveryItemItPut_inOrder() throws Exception {
    ProcessQueue<Integer> q = new ProcessQueue<>();
    JvmProcess producer =
        new JvmProcess(
                () -> {
                  for (int i = 0; ; i++) {
                    q.put(i); // through its lane, after the first few
                  }
                })
            .start();
    for (int i = 0; i < 5_000; i++) {
      assertEquals(i, q.get(LONG));
    }
    ChildProcesses.kill9(producer); // most likely in the middle of a put
    List<Integer> rest = new ArrayList<>();
    q.drainTo(rest);
    for (int k = 0; k < rest.size(); k++) {
      assertEquals(5_000 + k, rest.get(k), "no item lost or out of order");
    }
    q.put(-1);
    assertEquals(-1, q.get(LONG), "the queue goes on");
  }

  @Test
  void aBoundedQueue_blocksAChildsPutUntilTheParentGets() throws Exception {
    ProcessQueue<Integer> q = new ProcessQueue<>(1);
    JvmProcess producer =
        new JvmProcess(
                () -> {
                  for (int i = 0; i < 20; i++) {
                    q.put(i);
                  }
                })
            .start();
    for (int i = 0; i < 20; i++) {
      assertEquals(i, q.get(LONG));
      assertTrue(q.qsize() <= 1);
    }
    producer.join();
  }

  /** Puts {@code n} integers, says so, then waits for {@code release}: its places stay held. */
  static void putThenStall(
      ProcessQueue<Integer> q, int n, ProcessQueue<String> said, ProcessQueue<Boolean> release)
      throws Exception {
    for (int i = 0; i < n; i++) {
      q.put(i);
    }
    said.put("put " + n);
    release.take();
  }

  @Test
  void aBoundedQueuesPlacesHeldByAChild_comeBackForAPutterHere_andWhenTheChildIsKilled()
      throws Exception {
    ProcessQueue<Integer> q = new ProcessQueue<>(8);
    ProcessQueue<String> said = new ProcessQueue<>();
    ProcessQueue<Boolean> release = new ProcessQueue<>();
    JvmProcess producer = new JvmProcess(() -> putThenStall(q, 6, said, release)).start();
    try {
      assertEquals("put 6", said.get(LONG));
      assertEquals(6, q.qsize(), "its 2 places (a quarter of 8) are not items");
      assertTrue(q.offer(100), "its places are called back for a put that would not wait");
      assertTrue(q.offer(101));
      assertFalse(q.offer(102), "full: 8 items");

      for (int i = 0; i < 3; i++) {
        assertEquals(i, q.get(LONG)); // room for 3: the child is granted 2 places again
      }
      producer.kill();
      assertTrue(producer.join(LONG));
      for (int i = 0; i < 3; i++) {
        int item = 200 + i;
        await().atMost(LONG).until(() -> q.offer(item)); // its places came back at its death
      }
      assertFalse(q.offer(203), "full again, and no more");
      assertEquals(8, q.qsize());
    } finally {
      producer.kill();
      producer.join();
    }
  }

  @Test
  void aConsumerKilledWhileWaitingInGet_takesNothingWithIt() throws Exception {
    ProcessQueue<String> q = new ProcessQueue<>();
    String marker = dir.resolve("waiting").toString();
    JvmProcess consumer =
        new JvmProcess(
                () -> {
                  Files.createFile(Path.of(marker));
                  q.get(); // waits for ever
                })
            .start();
    await().atMost(LONG).until(() -> Files.exists(Path.of(marker)));
    ChildProcesses.kill9(consumer);
    q.put("for someone alive");
    assertEquals("for someone alive", q.get(LONG));
  }

  @Test
  void f4_aProducerKilledInTheMiddleOfLargePuts_leavesOnlyWholeItems() throws Exception {
    ProcessQueue<byte[]> q = new ProcessQueue<>();
    JvmProcess producer =
        new JvmProcess(
                () -> {
                  for (int i = 0; ; i++) {
                    byte[] item = new byte[4 << 20];
                    Arrays.fill(item, (byte) i);
                    q.put(item);
                  }
                })
            .jvmOptions("-Xmx128m")
            .start();
    byte[] first = q.get(LONG); // it is putting by now
    ChildProcesses.kill9(producer); // most likely in the middle of a put
    assertEquals(4 << 20, first.length);
    List<byte[]> rest = new ArrayList<>();
    q.drainTo(rest);
    for (byte[] item : rest) {
      assertEquals(4 << 20, item.length, "every item is whole");
      byte[] same = new byte[item.length];
      Arrays.fill(same, item[0]);
      assertArrayEquals(same, item);
    }
    q.put(new byte[] {42});
    assertArrayEquals(new byte[] {42}, q.get(LONG), "the queue goes on");
  }

  /** Takes two items, marks them done, then tries once more; says what that did. */
  static void takeTwoAndMarkThreeDone(JoinableProcessQueue<Integer> q, ProcessQueue<String> said)
      throws Exception {
    q.get();
    q.get();
    q.taskDone();
    q.taskDone();
    try {
      q.taskDone();
      said.put("no error");
    } catch (IllegalStateException e) {
      said.put(e.getMessage());
    }
  }

  @Test
  void aConsumerInAChild_marksWhatItTookDone_andOneTooManyFailsThere() throws Exception {
    JoinableProcessQueue<Integer> q = new JoinableProcessQueue<>();
    ProcessQueue<String> said = new ProcessQueue<>();
    q.put(1);
    q.put(2);
    JvmProcess consumer = new JvmProcess(() -> takeTwoAndMarkThreeDone(q, said)).start();
    assertTrue(q.join(LONG), "both marked done");
    String third = said.get(LONG);
    assertTrue(third.contains("more times than this process got items"), third);
    assertTrue(consumer.join(LONG));
    assertEquals(OptionalInt.of(0), consumer.exitCode());
  }

  @Test
  void f14_aConsumerThatDiesBeforeTaskDone_doesNotHangJoin_itsItemIsRequeued() throws Exception {
    JoinableProcessQueue<String> q = new JoinableProcessQueue<>();
    q.put("job");
    JvmProcess dying =
        new JvmProcess(
                () -> {
                  q.get();
                  Runtime.getRuntime().halt(1); // before taskDone
                })
            .start();
    dying.join();
    assertEquals("job", q.get(LONG), "back in the queue for another consumer");
    assertFalse(q.join(Duration.ofMillis(10)));
    q.taskDone();
    assertTrue(q.join(LONG));
  }

  @Test
  void f14_withCountAsDone_aDeadConsumersItemCountsDone() throws Exception {
    JoinableProcessQueue<String> q = new JoinableProcessQueue<>(0, false);
    q.put("job");
    JvmProcess dying =
        new JvmProcess(
                () -> {
                  q.get();
                  Runtime.getRuntime().halt(1);
                })
            .start();
    dying.join();
    assertTrue(q.join(LONG), "join returns: the item counts as done");
    assertTrue(q.empty());
  }

  /** Takes integers until a negative one, then writes the set of those it got to {@code file}. */
  static void consume(ProcessQueue<Integer> q, String file) throws Exception {
    BitSet got = new BitSet();
    for (int i = q.get(); i >= 0; i = q.get()) {
      if (got.get(i)) {
        throw new IllegalStateException("got " + i + " twice");
      }
      got.set(i);
    }
    Files.write(Path.of(file), got.toByteArray());
  }

  /** Takes one item, says which, then waits for {@code release}: items sent ahead stay held. */
  static void takeOneThenStall(
      ProcessQueue<Integer> q, ProcessQueue<String> said, ProcessQueue<Boolean> release)
      throws Exception {
    said.put("took " + q.get());
    release.take();
  }

  @Test
  void itemsSentAheadToAConsumerThatStalls_countInTheQueue_andGoToAGetterElsewhereInOrder()
      throws Exception {
    ProcessQueue<Integer> q = new ProcessQueue<>();
    ProcessQueue<String> said = new ProcessQueue<>();
    ProcessQueue<Boolean> release = new ProcessQueue<>();
    for (int i = 0; i < 10; i++) {
      q.put(i);
    }
    JvmProcess stalling = new JvmProcess(() -> takeOneThenStall(q, said, release)).start();
    try {
      assertEquals("took 0", said.get(LONG));
      assertEquals(9, q.qsize(), "what was sent ahead is still in the queue");
      for (int i = 1; i < 10; i++) {
        assertEquals(i, q.get(LONG), "called back from the stalled consumer, in order");
      }
      assertTrue(q.empty());
      release.put(true);
      assertTrue(stalling.join(LONG));
      assertEquals(OptionalInt.of(0), stalling.exitCode());
    } finally {
      stalling.kill();
      stalling.join();
    }
  }

  @Test
  void itemsSentAheadToAConsumerKilledWithSigkill_goBackToTheFront() throws Exception {
    ProcessQueue<Integer> q = new ProcessQueue<>();
    ProcessQueue<String> said = new ProcessQueue<>();
    ProcessQueue<Boolean> release = new ProcessQueue<>();
    for (int i = 0; i < 10; i++) {
      q.put(i);
    }
    JvmProcess killed = new JvmProcess(() -> takeOneThenStall(q, said, release)).start();
    assertEquals("took 0", said.get(LONG));
    killed.kill();
    assertTrue(killed.join(LONG));
    await().atMost(LONG).until(() -> q.qsize() == 9);
    for (int i = 1; i < 10; i++) {
      assertEquals(i, q.get(LONG));
    }
  }

  /**
   * Echoes each item of {@code a} into {@code b}; after a negative one, takes no more, and sleeps:
   * what is leased to it then stays in its lease lane.
   */
  static void echoUntilNegative(ProcessQueue<Integer> a, ProcessQueue<Integer> b) throws Exception {
    while (true) {
      int x = a.take();
      b.put(x);
      if (x < 0) {
        Thread.sleep(Long.MAX_VALUE);
      }
    }
  }

  @Test
  void aPingPongWithAChild_keepsItsOrder_andWhatItsLaneHoldsComesBack_recalledOrKilled()
      throws Exception {
    // The child's gets watch its lease lane, and the parent's the child's lane of puts: items cross
    // shared memory, and each must still arrive once, in order.
    ProcessQueue<Integer> a = new ProcessQueue<>();
    ProcessQueue<Integer> b = new ProcessQueue<>();
    JvmProcess recalled = new JvmProcess(() -> echoUntilNegative(a, b)).start();
    JvmProcess killed = null;
    try {
      for (int i = 0; i < 2_000; i++) {
        a.put(i);
        assertEquals(i, b.get(LONG), "round " + i);
      }
      a.put(-1);
      assertEquals(-1, b.get(LONG));
      for (int i = 0; i < 30; i++) {
        a.put(i); // leased ahead to the child, which no longer takes
      }
      for (int i = 0; i < 30; i++) {
        assertEquals(i, a.get(LONG), "recalled from the child, in order");
      }

      killed = new JvmProcess(() -> echoUntilNegative(a, b)).start();
      for (int i = 0; i < 200; i++) {
        a.put(i);
        assertEquals(i, b.get(LONG));
      }
      a.put(-1);
      assertEquals(-1, b.get(LONG));
      for (int i = 100; i < 130; i++) {
        a.put(i);
      }
      killed.kill(); // SIGKILL
      assertTrue(killed.join(LONG));
      for (int i = 100; i < 130; i++) {
        assertEquals(i, a.get(LONG), "back from the killed child, in order");
      }
      assertTrue(a.empty());
    } finally {
      recalled.kill();
      recalled.join();
      if (killed != null) {
        killed.kill();
        killed.join();
      }
    }
  }

  /** Takes integers and marks each done, until a negative one (marked done too). */
  /** Takes items that take 5 ms each until a sentinel, waiting for {@code go} after five. */
  static void takeSlowItems(ProcessQueue<Integer> q, ProcessEvent go, ProcessQueue<Integer> counts)
      throws Exception {
    int taken = 0;
    for (int x = q.take(); x >= 0; x = q.take()) {
      Thread.sleep(5); // the item's work
      if (++taken == 5) {
        assertTrue(go.await(Duration.ofSeconds(60)));
      }
    }
    counts.put(taken);
  }

  @Test
  void aConsumerOfSlowItems_holdsFewAhead_soThatAnotherStartedLaterTakesItsShare()
      throws Exception {
    ProcessQueue<Integer> q = new ProcessQueue<>();
    ProcessQueue<Integer> counts = new ProcessQueue<>();
    ProcessEvent go = new ProcessEvent();
    for (int i = 0; i < 300; i++) {
      q.put(i);
    }
    q.put(-1);
    q.put(-1); // a sentinel each, after every item: Python's pattern
    JvmProcess early = new JvmProcess(() -> takeSlowItems(q, go, counts)).start();
    await().atMost(LONG).until(() -> q.qsize() <= 297); // it took five, and leases ahead
    JvmProcess late =
        new JvmProcess(
                () -> {
                  go.set();
                  takeSlowItems(q, go, counts);
                })
            .start();
    int first = counts.get(LONG);
    int second = counts.get(LONG);
    assertEquals(300, first + second, "every item taken once");
    assertTrue(
        Math.min(first, second) >= 75,
        "each took a fair share, not what 256 leased ahead to one left over: "
            + first
            + ", "
            + second);
    assertTrue(early.join(LONG) && late.join(LONG));
  }

  static void takeAndMarkDone(JoinableProcessQueue<Integer> q) throws Exception {
    for (int i = q.take(); ; i = q.take()) {
      q.taskDone();
      if (i < 0) {
        return;
      }
    }
  }

  @Test
  void twoConsumersInChildren_markingEachItemDone_letJoinReturn_roundAfterRound() throws Exception {
    // Their dones go in a word of shared memory while they hold items, as frames otherwise: join
    // must hear of the last one whichever way each came (a lost one hangs it).
    JoinableProcessQueue<Integer> q = new JoinableProcessQueue<>();
    List<JvmProcess> consumers = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      consumers.add(new JvmProcess(() -> takeAndMarkDone(q)).start());
    }
    try {
      for (int round = 0; round < 5; round++) {
        for (int i = 0; i < 20_000; i++) {
          q.put(i);
        }
        assertTrue(q.join(LONG), "round " + round + ": " + q.unfinished() + " not done");
        assertEquals(0, q.qsize());
      }
      q.put(-1);
      q.put(-1);
      for (JvmProcess c : consumers) {
        assertTrue(c.join(LONG));
        assertEquals(OptionalInt.of(0), c.exitCode());
      }
      assertTrue(q.join(LONG));
    } finally {
      for (JvmProcess c : consumers) {
        c.kill();
        c.join();
      }
    }
  }

  @Test
  void manyProducersAndConsumers_hundredThousandItems_eachDeliveredExactlyOnce() throws Exception {
    int n = 100_000;
    ProcessQueue<Integer> q = new ProcessQueue<>();
    List<JvmProcess> producers = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      int from = p * n / 2;
      producers.add(
          new JvmProcess(
                  () -> {
                    for (int i = from; i < from + n / 2; i++) {
                      q.put(i);
                    }
                  })
              .start());
    }
    List<JvmProcess> consumers = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      String file = dir.resolve("consumer" + c).toString();
      files.add(Path.of(file));
      consumers.add(new JvmProcess(() -> consume(q, file)).start());
    }
    long start = System.nanoTime();
    for (JvmProcess p : producers) {
      p.join();
      assertEquals(OptionalInt.of(0), p.exitCode());
    }
    for (int c = 0; c < consumers.size(); c++) {
      q.put(-1);
    }
    BitSet all = new BitSet();
    int total = 0;
    for (int c = 0; c < consumers.size(); c++) {
      consumers.get(c).join();
      assertEquals(OptionalInt.of(0), consumers.get(c).exitCode());
      BitSet got = BitSet.valueOf(Files.readAllBytes(files.get(c)));
      assertFalse(all.intersects(got), "no item went to two consumers");
      all.or(got);
      total += got.cardinality();
    }
    assertEquals(n, total);
    assertEquals(n, all.cardinality());
    System.out.printf(
        "100,000 items, 2 producers and 2 consumers in child JVMs: %d ms%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  @Test
  void whenTheHubsJvmDies_waitingAndLaterCalls_failAtOnce_withHubUnavailable() throws Exception {
    ProcessQueue<ProcessQueue<String>> handles = new ProcessQueue<>();
    JvmProcess owner =
        new JvmProcess(
                () -> {
                  ProcessQueue<String> its = new ProcessQueue<>(); // its hub is in this child
                  handles.put(its);
                  Thread.sleep(120_000); // inside a task
                })
            .start();
    ProcessQueue<String> remote = handles.get(LONG);
    remote.put("reaches the child's hub");
    assertEquals(1, remote.qsize());
    assertEquals("reaches the child's hub", remote.get(LONG));
    for (int i = 0; i < 500; i++) {
      remote.put("item " + i); // past the first few, through this JVM's lane to that hub
    }
    for (int i = 0; i < 500; i++) {
      assertEquals("item " + i, remote.get(LONG));
    }
    try (var lanes =
        Files.newDirectoryStream(
            io.jfutures.impl.internal.jvm.JvmTree.files(),
            "jfutures_internal_lane_" + owner.pid() + "_*")) {
      assertTrue(lanes.iterator().hasNext(), "the hub gave this JVM a lane");
    }
    CompletableFuture<Throwable> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                remote.get();
                return null;
              } catch (Throwable t) {
                return t;
              }
            });
    await().atMost(LONG).pollDelay(Duration.ofMillis(50)).until(() -> !waiting.isDone());
    ChildProcesses.kill9(owner);
    assertTrue(
        waiting.get(LONG.toSeconds(), TimeUnit.SECONDS) instanceof HubUnavailableException,
        "a waiting get fails at once");
    assertThrows(HubUnavailableException.class, () -> remote.put("x"), "not into the dead lane");
    assertThrows(HubUnavailableException.class, remote::qsize);
    // Its lane's block, which the killed hub could not unlink: this program's end would remove it.
    try (var left =
        Files.newDirectoryStream(
            io.jfutures.impl.internal.jvm.JvmTree.files(),
            "jfutures_internal_lane_" + owner.pid() + "_*")) {
      for (Path f : left) {
        Files.deleteIfExists(f);
      }
    }
    // What the killed hub left in /tmp: the next hub to start removes it; this test does now.
    try (var left =
        Files.newDirectoryStream(Path.of("/tmp"), "jfutures-hub-" + owner.pid() + "-*")) {
      for (Path d : left) {
        try (var files = Files.list(d)) {
          for (Path f : (Iterable<Path>) files::iterator) {
            Files.deleteIfExists(f);
          }
        }
        Files.deleteIfExists(d);
      }
    }
  }

  @Test
  void aJvmWideSerialFilter_alsoGovernsWhatAQueueDeliversInThatJvm() throws Exception {
    ProcessQueue<java.util.ArrayList<String>> items = new ProcessQueue<>();
    ProcessQueue<String> outcome = new ProcessQueue<>();
    items.put(new java.util.ArrayList<>(List.of("refused there")));
    JvmProcess filtered =
        new JvmProcess(
                () -> {
                  try {
                    outcome.put("got " + items.get());
                  } catch (IllegalStateException e) {
                    outcome.put("refused: " + e.getMessage());
                  }
                })
            .jvmOptions("-Djdk.serialFilter=!java.util.ArrayList")
            .start();
    String got = outcome.get(LONG);
    filtered.join();
    assertTrue(got.startsWith("refused: "), got);
    assertTrue(got.contains("REJECTED") || got.contains("filter"), got);
  }
}
