package io.jfutures.hazelcast;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.jfutures.api.BrokenProcessPoolException;
import io.jfutures.api.RetryOnWorkerLoss;
import io.jfutures.api.TaskTimeoutException;
import io.jfutures.api.WorkerDiedException;
import io.jfutures.impl.BackendExecutor;
import io.jfutures.impl.WorkerDeathPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A jfutures executor on a cluster of three worker members on loopback, each a JVM of its own,
 * reached by a client in this JVM: tasks spread, members are killed with SIGKILL under load, and
 * each failure policy gives the outcome it promises.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
final class HazelcastExecutorIT {
  private static final int SLOTS = 2;
  private static final List<Integer> ALL = List.of(0, 1, 2);
  private static LocalCluster members;
  private static HazelcastInstance client;
  private BackendExecutor executor;

  @BeforeAll
  static void startCluster() throws Exception {
    members = LocalCluster.start(3, SLOTS, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));
    client = HazelcastClient.newHazelcastClient(members.clientConfig());
    await().atMost(60, SECONDS).until(() -> client.getCluster().getMembers().size() == 3);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (client != null) {
      client.shutdown();
    }
    List<Process> processes = live();
    members.close();
    for (Process p : processes) {
      assertFalse(p.isAlive(), "member " + p.pid() + " is gone");
    }
  }

  @AfterEach
  void restoreCluster() throws Exception {
    if (executor != null) {
      executor.shutdownNow();
      assertTrue(executor.awaitTermination(30, SECONDS));
    }
    if (live().size() < 3) {
      members.startMembers(ALL);
      await().atMost(60, SECONDS).until(() -> client.getCluster().getMembers().size() == 3);
    }
  }

  private BackendExecutor executor(BackendExecutor.Builder b) {
    executor = b.build();
    await().atMost(30, SECONDS).until(() -> executor.workers().size() == 3);
    return executor;
  }

  private static BackendExecutor.Builder onCluster() {
    return BackendExecutor.newBuilder(HazelcastBackend.using(client));
  }

  private static List<Process> live() {
    List<Process> list = new ArrayList<>();
    for (int i : ALL) {
      if (members.process(i) != null) {
        list.add(members.process(i));
      }
    }
    return list;
  }

  private static Set<Long> memberPids() {
    return live().stream().map(Process::pid).collect(Collectors.toSet());
  }

  /** Kills member {@code index} with SIGKILL, returns its pid once it is gone. */
  private static long kill9(int index) throws Exception {
    // As a user would: a member's death is survived once every backup is in sync.
    assertTrue(HazelcastWorkers.awaitSafe(client, Duration.ofSeconds(60)), "the cluster is safe");
    Process p = members.process(index);
    killSentMillis = System.currentTimeMillis();
    new ProcessBuilder("kill", "-9", Long.toString(p.pid())).start().waitFor();
    p.onExit().get(30, SECONDS);
    return p.pid();
  }

  /** When the last {@link #kill9} sent its signal, by this machine's wall clock. */
  private static volatile long killSentMillis;

  /**
   * A task's pid and the wall-clock time it ended: a task may end on a member before that member is
   * killed (the kill waits for the cluster to be safe first), and only then may its result name the
   * killed member.
   */
  private static long[] sleepThenPidAndEnd(long millis) throws InterruptedException {
    long pid = sleepThenPid(millis);
    return new long[] {pid, System.currentTimeMillis()};
  }

  private static void assertNotFromKilledMemberAfterKill(
      long victimPid, long[] result, String why) {
    assertTrue(result[0] != victimPid || result[1] < killSentMillis, why);
  }

  private static long sleepThenPid(long millis) throws InterruptedException {
    Thread.sleep(millis); // inside a task: a task that takes time
    return ProcessHandle.current().pid();
  }

  @Test
  void tasksSpreadOverTheMembers_andMapKeepsInputOrder() throws Exception {
    BackendExecutor ex = executor(onCluster());
    assertEquals(6, ex.workers().stream().mapToInt(w -> w.slots()).sum());
    Set<Long> expected = memberPids();
    assertEquals(expected, ex.workers().stream().map(w -> w.pid()).collect(Collectors.toSet()));
    List<CompletableFuture<Long>> pids =
        IntStream.range(0, 12).mapToObj(i -> ex.submit(() -> sleepThenPid(300))).toList();
    Set<Long> ranOn = new HashSet<>();
    for (CompletableFuture<Long> f : pids) {
      ranOn.add(f.get(60, SECONDS));
    }
    assertEquals(expected, ranOn, "every member ran tasks");
    assertEquals(
        IntStream.range(0, 50).map(i -> i * i).boxed().toList(),
        ex.map((Integer x) -> x * x, IntStream.range(0, 50).boxed().toList(), 5, null).toList());
  }

  @Test
  void aMemberKilledUnderLoad_failsOnlyItsRunningTasks_underReplaceWorker() throws Exception {
    BackendExecutor ex = executor(onCluster().workerDeathPolicy(WorkerDeathPolicy.REPLACE_WORKER));
    List<CompletableFuture<long[]>> tasks =
        IntStream.range(0, 12).mapToObj(i -> ex.submit(() -> sleepThenPidAndEnd(3000))).toList();
    await().atMost(30, SECONDS).until(() -> ex.toString().contains("queued=6, running=6"));
    String victim = members.addresses().get(1);
    long victimPid = kill9(1);
    int failed = 0;
    for (CompletableFuture<long[]> f : tasks) {
      try {
        assertNotFromKilledMemberAfterKill(
            victimPid, f.get(60, SECONDS), "no task completed on the killed member");
      } catch (ExecutionException e) {
        WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, e.getCause());
        assertEquals(victimPid, died.pid());
        assertTrue(died.getMessage().contains("member " + victim), died.getMessage());
        failed++;
      }
    }
    assertEquals(SLOTS, failed, "exactly the tasks running on the killed member failed");
    assertEquals(2, ex.workers().size());
    assertEquals(3, ex.submit(() -> 3).get(30, SECONDS), "the executor carries on");
  }

  @Test
  void tasksMarkedToRetry_complete_whenAMemberIsKilled_andOnlyUnmarkedOnesOnItFail()
      throws Exception {
    BackendExecutor ex = executor(onCluster().workerDeathPolicy(WorkerDeathPolicy.REPLACE_WORKER));
    List<CompletableFuture<long[]>> tasks =
        IntStream.range(0, 12)
            .mapToObj(
                i ->
                    i % 2 == 0
                        ? ex.submit(RetryOnWorkerLoss.upTo(2, () -> sleepThenPidAndEnd(2000)))
                        : ex.submit(() -> sleepThenPidAndEnd(2000)))
            .toList();
    await().atMost(30, SECONDS).until(() -> ex.toString().contains("running=6"));
    long victimPid = kill9(2);
    int unmarkedLost = 0;
    for (int i = 0; i < tasks.size(); i++) {
      CompletableFuture<long[]> f = tasks.get(i);
      if (i % 2 == 0) {
        assertNotFromKilledMemberAfterKill(
            victimPid, f.get(60, SECONDS), "a marked task ran again on a live member");
        continue;
      }
      try {
        assertNotFromKilledMemberAfterKill(
            victimPid, f.get(60, SECONDS), "no task completed on the killed member");
      } catch (ExecutionException e) {
        WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, e.getCause());
        assertEquals(victimPid, died.pid(), "only the killed member's tasks fail");
        unmarkedLost++;
      }
    }
    assertTrue(unmarkedLost <= 2, "at most the unmarked tasks running on the killed member");
  }

  /** What initializers did on a member: counts by key, in the member's JVM. */
  static final Map<String, AtomicInteger> INITIALIZED = new ConcurrentHashMap<>();

  private static int initializedHere(String key) {
    AtomicInteger n = INITIALIZED.get(key);
    return n == null ? 0 : n.get();
  }

  @Test
  void anInitializer_runsOnceOnEachMember_beforeItsTasks() throws Exception {
    String key = "init-" + UUID.randomUUID();
    BackendExecutor ex =
        executor(
            onCluster()
                .initializer(
                    () ->
                        INITIALIZED
                            .computeIfAbsent(key, k -> new AtomicInteger())
                            .incrementAndGet()));
    List<CompletableFuture<String>> tasks =
        IntStream.range(0, 12)
            .mapToObj(i -> ex.submit(() -> initializedHere(key) + "@" + sleepThenPid(300)))
            .toList();
    Set<String> seen = new HashSet<>();
    for (CompletableFuture<String> f : tasks) {
      seen.add(f.get(60, SECONDS));
    }
    Set<String> expected = memberPids().stream().map(pid -> "1@" + pid).collect(Collectors.toSet());
    assertEquals(expected, seen, "each member ran it once, before its first task");
  }

  @Test
  void anInitializerThatFails_breaksTheExecutor_withItsCause() throws Exception {
    BackendExecutor ex =
        executor(
            onCluster()
                .initializer(
                    () -> {
                      throw new IllegalStateException("no licence on this member");
                    }));
    CompletableFuture<Integer> task = ex.submit(() -> 1);
    ExecutionException e = assertThrows(ExecutionException.class, () -> task.get(60, SECONDS));
    BrokenProcessPoolException broken =
        assertInstanceOf(BrokenProcessPoolException.class, e.getCause());
    assertTrue(broken.getMessage().contains("initializer failed"), broken.getMessage());
    assertTrue(broken.getMessage().contains("no licence on this member"), broken.getMessage());
    assertThrows(BrokenProcessPoolException.class, () -> ex.submit(() -> 2));
    assertTrue(ex.awaitTermination(30, SECONDS));
  }

  @Test
  void aMemberKilled_breaksTheExecutor_underBreakPool() throws Exception {
    BackendExecutor ex = executor(onCluster());
    List<CompletableFuture<Long>> tasks =
        IntStream.range(0, 9).mapToObj(i -> ex.submit(() -> sleepThenPid(5000))).toList();
    await().atMost(30, SECONDS).until(() -> ex.toString().contains("running=6"));
    long victimPid = kill9(1);
    for (CompletableFuture<Long> f : tasks) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, SECONDS));
      BrokenProcessPoolException broken =
          assertInstanceOf(BrokenProcessPoolException.class, e.getCause());
      assertEquals(victimPid, broken.pid());
    }
    assertThrows(BrokenProcessPoolException.class, () -> ex.submit(() -> 1));
    assertTrue(ex.awaitTermination(30, SECONDS));
  }

  @Test
  void theAllowList_appliesOnTheMembers() throws Exception {
    BackendExecutor ex =
        executor(onCluster().allowClasses("!io.jfutures.hazelcast.HazelcastExecutorIT*"));
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> ex.submit(() -> 1).get(30, SECONDS));
    String message = e.getCause().getMessage();
    assertTrue(message.contains("the member could not read the task"), message);
    assertTrue(message.contains("HazelcastExecutorIT"), message);
  }

  @Test
  void cancelTrue_andTimeouts_interruptTheTaskOnItsMember() throws Exception {
    BackendExecutor ex = executor(onCluster().taskTimeout(Duration.ofMillis(1500)));
    String key = "interrupted-" + System.nanoTime();
    CompletableFuture<Long> cancelled =
        ex.submit(
            () -> {
              try {
                return sleepThenPid(60_000);
              } catch (InterruptedException e) {
                Hazelcast.getAllHazelcastInstances()
                    .iterator()
                    .next()
                    .getMap("it-flags")
                    .put(key, "yes");
                throw e;
              }
            });
    await().atMost(30, SECONDS).until(() -> ex.toString().contains("running=1"));
    assertTrue(cancelled.cancel(true));
    assertThrows(CancellationException.class, cancelled::join);
    await().atMost(30, SECONDS).until(() -> "yes".equals(client.getMap("it-flags").get(key)));
    CompletableFuture<Long> slow = ex.submit(() -> sleepThenPid(60_000));
    ExecutionException e = assertThrows(ExecutionException.class, () -> slow.get(30, SECONDS));
    TaskTimeoutException timeout = assertInstanceOf(TaskTimeoutException.class, e.getCause());
    assertTrue(timeout.getMessage().contains("its thread was interrupted"), timeout.getMessage());
  }
}
