package io.jfutures.hazelcast;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.jfutures.impl.BackendExecutor;
import io.jfutures.impl.WorkerDeathPolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The toolbox's objects on a cluster of three member JVMs: a lock whose holder's member is killed
 * with SIGKILL is released and its next holder told; queued items outlive their producer's member;
 * numbers and events work across members.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
final class SharedObjectsIT {
  private static LocalCluster members;
  private static HazelcastInstance client;
  private static ClusterObjects shared;
  private static BackendExecutor executor;

  @BeforeAll
  static void startCluster() throws Exception {
    // Hazelcast frees a dead client's locks itself when its members' cleanup runs (every 10 s by
    // default, but seen to take over 90 s): made rare here, so that the client test checks that
    // the client's lease takes them back, whatever the members' settings.
    members =
        LocalCluster.start(
            3,
            2,
            List.of(
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-Dhazelcast.client.cleanup.period.millis=600000"));
    client = HazelcastClient.newHazelcastClient(members.clientConfig());
    shared = ClusterObjects.using(client);
    executor =
        BackendExecutor.newBuilder(HazelcastBackend.using(client))
            .workerDeathPolicy(WorkerDeathPolicy.REPLACE_WORKER)
            .build();
    await().atMost(60, SECONDS).until(() -> executor.workers().size() == 3);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    executor.shutdownNow();
    assertTrue(executor.awaitTermination(30, SECONDS));
    client.shutdown();
    members.close();
  }

  @AfterEach
  void restoreCluster() throws Exception {
    members.startMembers(List.of(0, 1, 2));
    await().atMost(60, SECONDS).until(() -> executor.workers().size() == 3);
  }

  private static String unique(String what) {
    return what + "-" + UUID.randomUUID();
  }

  /** Kills with SIGKILL the member whose pid is {@code pid}. */
  private static void kill9(long pid) throws Exception {
    // One member's death loses nothing only once every backup is in sync: not while partitions
    // still move after the cluster formed or a member rejoined.
    assertTrue(HazelcastWorkers.awaitSafe(client, Duration.ofSeconds(60)), "the cluster is safe");
    for (int i = 0; i < 3; i++) {
      Process p = members.process(i);
      if (p != null && p.pid() == pid) {
        new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
        p.onExit().get(30, SECONDS);
        return;
      }
    }
    throw new AssertionError("no member has pid " + pid);
  }

  @Test
  void aLockWhoseHoldersMemberIsKilled_isReleased_andTheNextHolderIsTold() throws Exception {
    String name = unique("lock");
    String holderPid = unique("holder-pid");
    ClusterLock lock = shared.lock(name);
    CompletableFuture<Object> holder =
        executor.submit(
            () -> {
              ClusterObjects here = ClusterObjects.onThisMember();
              here.lock(name).lock();
              here.value(holderPid).set(ProcessHandle.current().pid());
              Thread.sleep(120_000); // inside a task: holds the lock until its member is killed
              return null;
            });
    ClusterLong pid = shared.value(holderPid);
    await().atMost(30, SECONDS).until(() -> pid.get() != 0);
    assertTrue(lock.isLocked());
    assertFalse(lock.tryLock(), "held by the task");
    kill9(pid.get());
    assertTrue(lock.tryLock(30, SECONDS), "released once its holder's member left");
    try {
      assertTrue(lock.ownerDied(), "the next holder is told that its holder died");
    } finally {
      lock.unlock();
    }
    assertTrue(lock.tryLock(10, SECONDS));
    try {
      assertFalse(lock.ownerDied(), "a lock unlocked by its holder is no news");
    } finally {
      lock.unlock();
    }
    assertThrows(Exception.class, () -> holder.get(60, SECONDS), "its task was lost");
    assertThrows(IllegalMonitorStateException.class, lock::unlock);
  }

  @Test
  void aClientHoldsARenewedLease_andOnlyAClientWithoutOneOrAMemberThatLeftIsGone() {
    Owners owners = new Owners(client);
    IMap<String, Long> leases = client.getMap(ClientLease.MAP);
    long written = leases.get(owners.tag());
    await()
        .atMost(30, SECONDS)
        .until(() -> leases.get(owners.tag()) > written); // renewed by its daemon thread
    assertFalse(owners.isGone(owners.tag()), "this client");
    assertTrue(owners.isGone("c" + UUID.randomUUID()), "a client with no lease");
    for (com.hazelcast.cluster.Member m : client.getCluster().getMembers()) {
      assertFalse(owners.isGone("m" + m.getUuid()), "a member of the cluster");
    }
    assertTrue(owners.isGone("m" + UUID.randomUUID()), "a member not in the cluster");
    assertFalse(owners.isGone("x" + UUID.randomUUID()), "neither: never judged gone");
    assertFalse(owners.isGone("m-not-a-uuid"));
    assertEquals(owners.tag(), Owners.tagOf(owners.tag() + " pid 1 (hz.client_1)"));
  }

  @Test
  void aLockAndAPermitHeldByAClientThatIsKilled_comeBack_andTheNextHolderIsTold() throws Exception {
    String lockName = unique("client-lock");
    String semaphoreName = unique("client-semaphore");
    ClusterLock lock = shared.lock(lockName);
    ClusterSemaphore semaphore = shared.semaphore(semaphoreName, 1);
    Process holder =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx128m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                ClientHolder.class.getName(),
                members.name(),
                String.join(",", members.addresses()),
                lockName,
                semaphoreName)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      CompletableFuture<Boolean> held = new CompletableFuture<>();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(holder.getInputStream(), UTF_8))) {
                  String line;
                  while ((line = out.readLine()) != null) {
                    if (line.equals("HELD")) {
                      held.complete(true);
                    }
                  }
                  held.complete(false);
                } catch (IOException e) {
                  held.completeExceptionally(e);
                }
              },
              "client-holder-output");
      reader.setDaemon(true);
      reader.start();
      assertTrue(held.get(60, SECONDS), "the client JVM took the lock and the permit");
      assertFalse(lock.tryLock(), "held by the client");
      assertFalse(semaphore.acquire(Duration.ZERO), "held by the client");
      holder.destroyForcibly(); // SIGKILL
      holder.onExit().get(30, SECONDS);
      long killed = System.nanoTime();
      // Hazelcast alone frees a dead client's locks when its members clean up after it (up to
      // minutes); the client's lapsed lease lets the waiters take them back within seconds.
      assertTrue(lock.tryLock(60, SECONDS), "released once the client's lease lapsed");
      System.out.printf(
          "a dead client's cluster lock was taken back %.1f s after its JVM was killed%n",
          (System.nanoTime() - killed) / 1e9);
      try {
        assertTrue(lock.ownerDied(), "the next holder is told that its holder died");
      } finally {
        lock.unlock();
      }
      assertTrue(semaphore.acquire(Duration.ofSeconds(60)), "its permit came back");
      semaphore.release();
      assertEquals(1, semaphore.availablePermits());
    } finally {
      holder.destroyForcibly();
      holder.onExit().get(30, SECONDS);
    }
  }

  @Test
  void aSemaphoresPermit_comesBack_whenItsHoldersMemberIsKilled() throws Exception {
    String name = unique("semaphore");
    String holders = unique("holders");
    ClusterSemaphore semaphore = shared.semaphore(name, 2);
    assertThrows(IllegalArgumentException.class, () -> shared.semaphore(name, 3));
    List<CompletableFuture<Object>> tasks = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      tasks.add(
          executor.submit(
              () -> {
                ClusterObjects here = ClusterObjects.onThisMember();
                here.semaphore(name, 2).acquire();
                here.queue(holders).put(ProcessHandle.current().pid());
                Thread.sleep(120_000); // inside a task: holds its permit until killed
                return null;
              }));
    }
    ClusterQueue<Long> pids = shared.queue(holders);
    long first = pids.get(Duration.ofSeconds(30));
    pids.get(Duration.ofSeconds(30));
    assertEquals(0, semaphore.availablePermits());
    assertFalse(semaphore.acquire(Duration.ofMillis(200)), "both permits are held");
    kill9(first);
    assertTrue(semaphore.acquire(Duration.ofSeconds(30)), "the dead holder's permit came back");
    semaphore.release();
    assertThrows(IllegalStateException.class, semaphore::release);
    for (CompletableFuture<Object> t : tasks) {
      t.cancel(true); // the holder that lives stops holding
    }
  }

  @Test
  void aBarrier_letsPartiesOnMembersAndHereGoTogether() throws Exception {
    String name = unique("barrier");
    List<CompletableFuture<Integer>> parties = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      parties.add(
          executor.submit(
              () -> ClusterObjects.onThisMember().barrier(name, 4).await(Duration.ofSeconds(60))));
    }
    Set<Integer> indexes = new HashSet<>();
    indexes.add(shared.barrier(name, 4).await(Duration.ofSeconds(60)));
    for (CompletableFuture<Integer> p : parties) {
      indexes.add(p.get(60, SECONDS));
    }
    assertEquals(Set.of(0, 1, 2, 3), indexes, "each party has its own arrival index");
    assertEquals(0, shared.barrier(name, 4).getNumberWaiting(), "ready for the next round");
  }

  @Test
  void aPartyWhoseMemberIsKilled_breaksTheBarrier_forEveryWaiter() throws Exception {
    String name = unique("barrier");
    String waiting = unique("waiting");
    List<CompletableFuture<String>> parties = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      parties.add(
          executor.submit(
              () -> {
                ClusterObjects here = ClusterObjects.onThisMember();
                ClusterBarrier barrier = here.barrier(name, 3);
                here.queue(waiting).put(ProcessHandle.current().pid());
                try {
                  barrier.await(Duration.ofSeconds(60));
                  return "went on";
                } catch (java.util.concurrent.BrokenBarrierException e) {
                  return "broken";
                }
              }));
    }
    ClusterQueue<Long> pids = shared.queue(waiting);
    long first = pids.get(Duration.ofSeconds(30));
    long second = pids.get(Duration.ofSeconds(30));
    ClusterBarrier barrier = shared.barrier(name, 3);
    await().atMost(30, SECONDS).until(() -> barrier.getNumberWaiting() == 2);
    kill9(first);
    if (second != first) {
      assertTrue(
          parties.stream()
              .anyMatch(
                  p -> {
                    try {
                      return "broken".equals(p.get(60, SECONDS));
                    } catch (Exception e) {
                      return false; // the killed member's party: lost
                    }
                  }),
          "the party that lives is told the barrier broke");
    }
    await().atMost(30, SECONDS).until(barrier::isBroken);
    assertThrows(
        java.util.concurrent.BrokenBarrierException.class,
        () -> barrier.await(Duration.ofSeconds(10)));
    barrier.reset();
    assertFalse(barrier.isBroken());
  }

  @Test
  void aMemberKilledWhileConsumersTakeItems_losesNoItem_andJoinReturns() throws Exception {
    String name = unique("joinable");
    String doomedTook = unique("doomed-took");
    ClusterJoinableQueue<Integer> q = shared.joinableQueue(name);
    int items = 200;
    for (int i = 0; i < items; i++) {
      q.put(i);
    }
    assertEquals(items, q.unfinished());
    String pids = unique("pids");
    executor.submit(
        () -> {
          ClusterObjects here = ClusterObjects.onThisMember();
          ClusterJoinableQueue<Integer> mine = here.joinableQueue(name);
          ClusterQueue<Integer> took = here.queue(doomedTook);
          here.queue(pids).put(ProcessHandle.current().pid());
          while (true) {
            Integer item = mine.get(Duration.ofSeconds(30));
            if (item != null) {
              took.put(item); // before it is done: an item may be recorded here and not done
              Thread.sleep(20); // inside a task: handling an item takes time
              mine.taskDone();
            }
          }
        });
    Long doomed = shared.<Long>queue(pids).get(Duration.ofSeconds(30));
    assertTrue(doomed != null, "the doomed consumer started");
    // The live consumer runs here, so that it cannot share the doomed one's member.
    List<Integer> live = new ArrayList<>();
    CompletableFuture<Void> liveDone = new CompletableFuture<>();
    CountDownLatch stop = new CountDownLatch(1);
    Thread consumer =
        new Thread(
            () -> {
              try {
                ClusterJoinableQueue<Integer> mine = shared.joinableQueue(name);
                while (stop.getCount() > 0) {
                  Integer item = mine.get(Duration.ofMillis(100));
                  if (item != null) {
                    synchronized (live) {
                      live.add(item);
                    }
                    Thread.sleep(
                        20); // a consumer body that must take time: items remain at the kill
                    mine.taskDone();
                  }
                }
                liveDone.complete(null);
              } catch (Throwable t) {
                liveDone.completeExceptionally(t);
              }
            },
            "live-consumer");
    consumer.start();
    await().atMost(60, SECONDS).until(() -> q.unfinished() < items * 3 / 4);
    kill9(doomed);
    long start = System.nanoTime();
    boolean joined = q.join(Duration.ofSeconds(60));
    stop.countDown();
    assertTrue(
        joined,
        "every item was done, the dead consumer's by the live one; unfinished "
            + q.unfinished()
            + ", queued "
            + q.qsize()
            + ", after "
            + (System.nanoTime() - start) / 1_000_000
            + " ms; the live consumer: "
            + liveDone
            + "; taken and not done: "
            + q.describeTaken());
    liveDone.get(60, SECONDS);
    assertEquals(0, q.unfinished());
    Set<Integer> byTheDead = new HashSet<>();
    shared.<Integer>queue(doomedTook).drainTo(byTheDead);
    Set<Integer> all = new HashSet<>(live);
    assertEquals(live.size(), all.size(), "the live consumer took no item twice: " + live);
    all.addAll(byTheDead);
    assertEquals(items, all.size(), "every item was taken, by one or the other");
    Set<Integer> both = new HashSet<>(live);
    both.retainAll(byTheDead);
    assertTrue(both.size() <= 1, "only the item the dead one held was taken again: " + both);
    assertTrue(byTheDead.size() > 0 && live.size() > items / 4, "both consumed before the kill");
    assertThrows(IllegalStateException.class, q::taskDone);
  }

  @Test
  void queuedItems_outliveTheirProducersMember_andEachIsTakenOnce() throws Exception {
    String name = unique("queue");
    String producerPid = unique("producer-pid");
    int items = 500;
    executor.submit(
        () -> {
          ClusterObjects here = ClusterObjects.onThisMember();
          ClusterQueue<Integer> q = here.queue(name);
          for (int i = 0; i < items; i++) {
            q.put(i);
          }
          here.value(producerPid).set(ProcessHandle.current().pid());
          Thread.sleep(120_000); // inside a task: runs until its member is killed
          return null;
        });
    ClusterLong pid = shared.value(producerPid);
    await().atMost(30, SECONDS).until(() -> pid.get() != 0);
    kill9(pid.get());
    ClusterQueue<Integer> q = shared.queue(name);
    Set<Integer> taken = new HashSet<>();
    for (int i = 0; i < items; i++) {
      Integer item = q.get(Duration.ofSeconds(30));
      assertTrue(item != null && taken.add(item), "item " + item + " taken once");
    }
    assertNull(q.poll(), "nothing more");
    assertEquals(items, taken.size());
  }

  @Test
  void aNumberCountsEveryAddition_fromEveryMember() throws Exception {
    String name = unique("count");
    List<CompletableFuture<Long>> adders = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      adders.add(
          executor.submit(
              () -> {
                ClusterLong n = ClusterObjects.onThisMember().value(name);
                for (int i = 0; i < 100; i++) {
                  n.addAndGet(1);
                }
                return ProcessHandle.current().pid();
              }));
    }
    for (CompletableFuture<Long> f : adders) {
      f.get(60, SECONDS);
    }
    assertEquals(600, shared.value(name).get());
    List<Long> pids = shared.list(name);
    for (CompletableFuture<Long> f : adders) {
      pids.add(f.get());
    }
    assertEquals(6, shared.<Long>list(name).size(), "a list shared by name");
    java.util.concurrent.ConcurrentMap<String, Integer> dict = shared.dict(name);
    dict.merge("adders", 6, Integer::sum);
    assertEquals(6, shared.<String, Integer>dict(name).get("adders"));
    assertTrue(shared.value(name).compareAndSet(600, 7));
    assertFalse(shared.value(name).compareAndSet(600, 8));
  }

  @Test
  void anEventSetHere_wakesItsWaitersOnTheMembers() throws Exception {
    String name = unique("event");
    List<CompletableFuture<Boolean>> waiters = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      waiters.add(
          executor.submit(
              () -> ClusterObjects.onThisMember().event(name).await(Duration.ofSeconds(60))));
    }
    ClusterEvent event = shared.event(name);
    assertFalse(event.await(Duration.ofMillis(100)));
    event.set();
    for (CompletableFuture<Boolean> w : waiters) {
      assertTrue(w.get(60, SECONDS));
    }
    event.clear();
    assertFalse(event.isSet());
  }
}
