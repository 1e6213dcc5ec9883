package io.jfutures.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A manager in a JVM of its own, with clients in others, some killed with SIGKILL. */
final class ManagerIT {
  /** One manager JVM for the tests that do not kill it. */
  private static Manager shared;

  @BeforeAll
  static void startManager() {
    shared =
        Manager.newBuilder()
            .register("Counter", ManagerTest.CounterImpl::new, ManagerTest.Counter.class)
            .start();
  }

  @AfterAll
  static void stopManager() {
    shared.shutdown();
    ChildProcesses.awaitNone();
  }

  @Test
  void theManagersJvm_servesCalls_soC2CompilesJfuturesCodeThere() {
    JvmProcess server =
        JvmProcess.activeChildren().stream()
            .filter(p -> p.name().startsWith("jfutures-manager-"))
            .findFirst()
            .orElseThrow();
    List<String> options =
        List.of(ProcessHandle.of(server.pid()).orElseThrow().info().arguments().orElseThrow());
    assertFalse(
        options.stream().anyMatch(o -> o.startsWith("-XX:CompilerDirectivesFile=")),
        options.toString());
  }

  @AfterEach
  void noClientLeft() {
    org.awaitility.Awaitility.await()
        .atMost(ChildProcesses.LONG)
        .until(
            () ->
                JvmProcess.activeChildren().stream()
                    .allMatch(p -> p.name().startsWith("jfutures-manager")));
  }

  /** Python's manager tutorial: a child fills a dict and reverses a list. */
  @Test
  void aChildWritesTheManagersDictAndList_andTheParentSeesIt() throws Exception {
    ManagedMap<Object, Object> d = shared.dict();
    ManagedList<Integer> l = shared.list(IntStream.range(0, 10).boxed().toList());
    JvmProcess p =
        new JvmProcess(
                () -> {
                  d.put(1, "1");
                  d.put("2", 2);
                  d.put(0.25, null);
                  Collections.reverse(l);
                })
            .start();
    assertTrue(p.join(ChildProcesses.LONG));
    assertEquals(0, p.exitCode().orElseThrow());
    assertEquals("{1=1, 2=2, 0.25=null}", d.copy().toString());
    assertEquals(List.of(9, 8, 7, 6, 5, 4, 3, 2, 1, 0), l.copy());
  }

  /** BaseManager.register: one object shared by a pool's workers. */
  @Test
  void aRegisteredObject_isSharedByAPoolsWorkers() throws Exception {
    ManagerTest.Counter counter = shared.create("Counter", ManagerTest.Counter.class);
    try (Pool pool = Pool.create(2)) {
      List<Integer> seen =
          pool.map(i -> counter.increment(1), IntStream.range(0, 50).boxed().toList());
      assertEquals(50, seen.size());
      assertEquals(IntStream.rangeClosed(1, 50).boxed().collect(Collectors.toSet()), setOf(seen));
    }
    assertEquals(50, counter.value());
  }

  @Test
  void anInterruptedThreadsCall_runsToItsEnd_andKeepsTheInterrupt() {
    ManagedMap<String, Integer> d = shared.dict(Map.of("a", 1));
    Thread.currentThread().interrupt();
    try {
      assertEquals(1, d.get("a"));
      d.put("b", 2);
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept");
    } finally {
      Thread.interrupted();
    }
    assertEquals(Map.of("a", 1, "b", 2), d.copy());
  }

  /**
   * More threads call at once than there are call lines: each gets its own replies, on a line or on
   * the shared connection.
   */
  @Test
  void manyThreadsCallingAtOnce_eachGetTheirOwnReplies() throws Exception {
    ManagedMap<Integer, Integer> d = shared.dict();
    int threads = 6;
    int calls = 200;
    java.util.concurrent.ExecutorService callers =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<Boolean>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int base = t * calls;
        done.add(
            callers.submit(
                () -> {
                  for (int i = base; i < base + calls; i++) {
                    d.put(i, -i);
                    if (d.get(i) != -i) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (java.util.concurrent.Future<Boolean> f : done) {
        assertTrue(
            f.get(ChildProcesses.LONG.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
      }
    } finally {
      callers.shutdownNow();
      assertTrue(callers.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS));
    }
    assertEquals(threads * calls, d.size());
  }

  @Test
  void aConditionsLock_mustBeTheManagers() {
    assertThrows(IllegalArgumentException.class, () -> shared.condition(new ProcessLock()));
  }

  /** F11: a client killed while it holds the manager's lock frees it, with ownerDied. */
  @Test
  void aClientKilledHoldingTheManagersLock_freesIt() throws Exception {
    ProcessLock lock = shared.lock();
    ProcessQueue<String> said = shared.queue();
    JvmProcess holder =
        new JvmProcess(
                () -> {
                  lock.lock();
                  said.put("holding");
                  Thread.sleep(120_000); // inside a task: until killed
                })
            .start();
    assertEquals("holding", said.get(ChildProcesses.LONG));
    ChildProcesses.kill9(holder);
    assertTrue(
        lock.tryLock(ChildProcesses.LONG.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
    assertTrue(lock.ownerDied());
    lock.unlock();
  }

  /** F10: the manager's death fails every call at once, waiting or not. */
  @Test
  void whenTheManagersJvmIsKilled_everyCallFailsAtOnce() throws Exception {
    Manager doomed = Manager.start();
    ManagedMap<String, Integer> d = doomed.dict(Map.of("a", 1));
    ProcessQueue<String> q = doomed.queue();
    ProcessQueue<String> said = new ProcessQueue<>();
    JvmProcess waiter =
        new JvmProcess(
                () -> {
                  said.put("waiting");
                  try {
                    q.get(); // nothing ever comes
                    said.put("got something");
                  } catch (HubUnavailableException e) {
                    said.put("unavailable");
                  }
                })
            .start();
    assertEquals("waiting", said.get(ChildProcesses.LONG));
    assertEquals(1, d.get("a"));
    long pid = ChildProcesses.managerPid(doomed);
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    org.awaitility.Awaitility.await().atMost(ChildProcesses.LONG).until(() -> !doomed.isAlive());
    assertThrows(ManagerUnavailableException.class, () -> d.get("a"));
    assertThrows(ManagerUnavailableException.class, doomed::dict);
    assertEquals("unavailable", said.get(ChildProcesses.LONG));
    assertTrue(waiter.join(ChildProcesses.LONG));
    doomed.shutdown(); // nothing left to stop: returns
    said.close();
  }

  @Test
  void afterShutdown_theManagersJvmHasExited_andCallsFail() throws Exception {
    Manager m = Manager.start();
    ManagedList<String> l = m.list();
    l.add("x");
    m.shutdown();
    assertFalse(m.isAlive());
    assertThrows(ManagerUnavailableException.class, () -> l.add("y"));
  }

  private static <T> java.util.Set<T> setOf(List<T> l) {
    return new java.util.HashSet<>(new ArrayList<>(l));
  }
}
