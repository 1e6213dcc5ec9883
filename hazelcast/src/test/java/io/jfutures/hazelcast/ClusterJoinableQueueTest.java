package io.jfutures.hazelcast;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The joinable queue's steps on one member in this JVM: order, join, a dead consumer's item taken
 * back in its place, a producer's number that never got its item skipped.
 */
@Timeout(60)
final class ClusterJoinableQueueTest {
  private static HazelcastInstance member;
  private static ClusterObjects shared;

  @BeforeAll
  static void startMember() throws Exception {
    int port = LocalCluster.freePorts(1).get(0); // one no outgoing connection takes meanwhile
    Config config =
        HazelcastWorkers.memberConfig(
            "joinable-" + UUID.randomUUID(), "127.0.0.1", port, List.of("127.0.0.1:" + port), 1);
    config.setProperty("hazelcast.logging.type", "none");
    member = Hazelcast.newHazelcastInstance(config);
    shared = ClusterObjects.using(member);
  }

  @AfterAll
  static void stopMember() {
    member.shutdown();
  }

  private static String unique() {
    return "q-" + UUID.randomUUID();
  }

  @Test
  void itemsComeInTheirOrder_andJoinWaitsForEachToBeDone() throws Exception {
    ClusterJoinableQueue<String> q = shared.joinableQueue(unique());
    assertTrue(q.join(Duration.ZERO), "nothing put");
    for (int i = 0; i < 20; i++) {
      q.put("item " + i);
    }
    assertEquals(20, q.unfinished());
    assertEquals(20, q.qsize());
    for (int i = 0; i < 20; i++) {
      assertEquals("item " + i, q.get(Duration.ofSeconds(5)));
    }
    assertEquals(0, q.qsize());
    assertEquals(20, q.unfinished(), "taken, not done");
    assertNull(q.get(Duration.ofMillis(20)));
    for (int i = 0; i < 19; i++) {
      q.taskDone();
    }
    assertFalse(q.join(Duration.ofMillis(50)), "one is not done");
    q.taskDone();
    assertTrue(q.join(Duration.ofSeconds(5)));
    assertThrows(IllegalStateException.class, q::taskDone);
    q.put("after");
    assertEquals("after", q.get(Duration.ofSeconds(5)), "the head moved past what was done");
    q.taskDone();
    assertTrue(q.join(Duration.ofSeconds(5)));
  }

  @Test
  void consumersOnManyThreads_takeEachItemOnce() throws Exception {
    String name = unique();
    ClusterJoinableQueue<Integer> q = shared.joinableQueue(name);
    int items = 300;
    List<CompletableFuture<List<Integer>>> consumers = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      consumers.add(
          CompletableFuture.supplyAsync(
              () -> {
                ClusterJoinableQueue<Integer> mine = shared.joinableQueue(name);
                List<Integer> got = new ArrayList<>();
                try {
                  Integer item;
                  while ((item = mine.get(Duration.ofMillis(500))) != null) {
                    got.add(item);
                    mine.taskDone();
                  }
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
                return got;
              }));
    }
    for (int i = 0; i < items; i++) {
      q.put(i);
    }
    assertTrue(q.join(Duration.ofSeconds(30)));
    List<Integer> all = new ArrayList<>();
    for (CompletableFuture<List<Integer>> c : consumers) {
      List<Integer> got = c.get(30, SECONDS);
      for (int i = 1; i < got.size(); i++) {
        assertTrue(got.get(i - 1) < got.get(i), "each consumer sees them in order: " + got);
      }
      all.addAll(got);
    }
    all.sort(null);
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      expected.add(i);
    }
    assertEquals(expected, all, "every item once");
  }

  @Test
  void anItemOfAConsumerThatIsGone_isTakenInItsPlace() throws Exception {
    String name = unique();
    ClusterJoinableQueue<String> q = shared.joinableQueue(name);
    q.put("first");
    q.put("second");
    // A consumer of a member that left took the first: its slot names it, its presence is free.
    IMap<Long, byte[]> slots = member.getMap("jfutures.joinable." + name);
    JoinableRecord first = JoinableRecord.of(slots.get(0L));
    String dead = "joinable:m" + UUID.randomUUID() + ":" + UUID.randomUUID() + ":" + name;
    assertTrue(slots.replace(0L, first.bytes(), first.takenBy(dead).bytes()));
    assertEquals("second", q.get(Duration.ofSeconds(5)), "a waiting item first");
    assertTrue(q.describeTaken().contains("owner gone"), q.describeTaken());
    assertEquals("first", q.get(Duration.ofSeconds(5)), "then the dead consumer's");
    q.taskDone();
    assertFalse(q.join(Duration.ofMillis(50)));
    q.taskDone();
    assertTrue(q.join(Duration.ofSeconds(5)));
    assertEquals(0, q.unfinished());
  }

  @Test
  void aNumberWhoseProducerDiedBeforeItsItem_becomesAHole_andTheRestFlows() throws Exception {
    String name = unique();
    ClusterJoinableQueue<String> q = shared.joinableQueue(name);
    q.put("before");
    shared.value("joinable-tail:" + name).addAndGet(1); // number 1 taken, its item never written
    q.put("after");
    assertEquals(2, q.unfinished(), "a number without an item is not an item");
    assertEquals("before", q.get(Duration.ofSeconds(5)));
    assertEquals("after", q.get(Duration.ofSeconds(5)));
    q.taskDone();
    q.taskDone();
    assertTrue(q.join(Duration.ofSeconds(5)));
    IMap<Long, byte[]> slots = member.getMap("jfutures.joinable." + name);
    await()
        .atMost(ClusterJoinableQueue.HOLE_GRACE_SECONDS + 10, SECONDS)
        .until(
            () -> {
              q.get(Duration.ofMillis(100)); // each look marks a slot empty for the grace
              JoinableRecord r = JoinableRecord.of(slots.get(1L));
              return r != null && r.state() == JoinableRecord.HOLE;
            });
    // A put still trying number 1 now finds the hole, and takes another number.
    assertTrue(slots.putIfAbsent(1L, JoinableRecord.waiting(new byte[] {1}).bytes()) != null);
    await().atMost(10, SECONDS).until(() -> shared.value("joinable-head:" + name).get() == 3);
    await().atMost(10, SECONDS).until(() -> !slots.containsKey(0L) && !slots.containsKey(2L));
    assertTrue(
        slots.containsKey(1L), "a hole outlives the head's passing, to turn a late put away");
  }
}
