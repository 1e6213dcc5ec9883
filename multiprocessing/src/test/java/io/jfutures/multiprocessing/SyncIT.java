package io.jfutures.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Locks, semaphores, events, conditions and barriers between real child JVMs, and what happens when
 * a process that takes part is killed with SIGKILL.
 */
final class SyncIT {
  private static final Duration LONG = ChildProcesses.LONG;
  private final List<Runnable> cleanups = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    cleanups.forEach(Runnable::run);
    ChildProcesses.awaitNone();
  }

  private SharedInt sharedInt(int initial) {
    SharedInt value = SharedInt.create(initial);
    cleanups.add(value::unlink);
    return value;
  }

  private static void joinAll(List<JvmProcess> processes) throws InterruptedException {
    for (JvmProcess p : processes) {
      assertTrue(p.join(LONG), p + " did not end");
      assertEquals(0, p.exitCode().orElseThrow(), p + " failed");
    }
  }

  @Test
  void aValuesLock_makesAPlainReadAndWriteAtomicAcrossProcesses() throws Exception {
    SharedInt counter = SharedInt.create(0, new ProcessLock()); // Value('i', 0, lock=Lock())
    cleanups.add(counter::unlink);
    List<JvmProcess> children = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      children.add(
          new JvmProcess(
                  () -> {
                    ProcessLock lock = counter.getLock();
                    for (int k = 0; k < 300; k++) {
                      lock.lock();
                      try {
                        counter.set(counter.get() + 1); // lost updates without the lock
                      } finally {
                        lock.unlock();
                      }
                    }
                  })
              .start());
    }
    joinAll(children);
    assertEquals(900, counter.get());
  }

  /** F3: a holder killed with SIGKILL frees the lock, and the next holder learns it. */
  @Test
  void aHolderKilledWithSigkill_freesTheLock_forAWaiterInAnotherProcess() throws Exception {
    ProcessLock lock = new ProcessLock();
    ProcessQueue<String> said = new ProcessQueue<>();
    cleanups.add(said::close);
    JvmProcess holder =
        new JvmProcess(
                () -> {
                  lock.lock();
                  said.put("holding");
                  Thread.sleep(120_000); // inside a task: until killed, holding the lock
                })
            .start();
    assertEquals("holding", said.get());
    JvmProcess waiter =
        new JvmProcess(
                () -> {
                  said.put("waiting");
                  lock.lock();
                  try {
                    said.put("took it, owner died: " + lock.ownerDied());
                  } finally {
                    lock.unlock();
                  }
                })
            .start();
    assertEquals("waiting", said.get());
    assertTrue(lock.isLocked());
    ChildProcesses.kill9(holder);
    assertEquals("took it, owner died: true", said.get(LONG));
    joinAll(List.of(waiter));
    assertTrue(lock.tryLock());
    assertTrue(!lock.ownerDied(), "a hold taken from a live owner");
    lock.unlock();
  }

  @Test
  void onlyTheHolder_mayUnlock_fromAnyProcess() throws Exception {
    ProcessLock lock = new ProcessLock();
    ProcessQueue<String> said = new ProcessQueue<>();
    cleanups.add(said::close);
    lock.lock();
    try {
      JvmProcess other =
          new JvmProcess(
                  () -> {
                    try {
                      lock.unlock();
                      said.put("unlocked");
                    } catch (IllegalMonitorStateException e) {
                      said.put("refused");
                    }
                  })
              .start();
      assertEquals("refused", said.get(LONG));
      joinAll(List.of(other));
    } finally {
      lock.unlock();
    }
  }

  @Test
  void permitsOfAProcessKilledWithSigkill_comeBack() throws Exception {
    ProcessSemaphore slots = new ProcessSemaphore(2);
    ProcessQueue<String> said = new ProcessQueue<>();
    cleanups.add(said::close);
    JvmProcess holder =
        new JvmProcess(
                () -> {
                  slots.acquire(2);
                  said.put("holding");
                  Thread.sleep(120_000); // inside a task: until killed
                })
            .start();
    assertEquals("holding", said.get());
    assertEquals(0, slots.availablePermits());
    ChildProcesses.kill9(holder);
    assertTrue(slots.tryAcquire(2, LONG), "the dead holder's permits did not come back");
    slots.release(2);
  }

  /**
   * A semaphore of one permit excludes like a lock between processes, and two semaphores pass a
   * turn back and forth exactly, while permits go through shared memory and, under contention,
   * through the hub.
   */
  @Test
  void semaphoresBetweenProcesses_exclude_andPassTurnsExactly() throws Exception {
    ProcessSemaphore mutex = new ProcessSemaphore(1);
    SharedInt counter = sharedInt(0);
    ProcessSemaphore ping = new ProcessSemaphore(0);
    ProcessSemaphore pong = new ProcessSemaphore(0);
    List<JvmProcess> children = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      children.add(
          new JvmProcess(
                  () -> {
                    for (int k = 0; k < 300; k++) {
                      mutex.acquire();
                      try {
                        counter.set(counter.get() + 1); // lost updates without exclusion
                      } finally {
                        mutex.release();
                      }
                    }
                  })
              .start());
    }
    children.add(
        new JvmProcess(
                () -> {
                  for (int i = 0; i < 500; i++) {
                    ping.acquire();
                    pong.release();
                  }
                })
            .start());
    for (int i = 0; i < 500; i++) {
      ping.release();
      assertTrue(pong.tryAcquire(LONG), "round " + i + " was not answered");
    }
    joinAll(children);
    assertEquals(900, counter.get());
    assertEquals(1, mutex.availablePermits());
    assertEquals(0, pong.availablePermits());
    // What the echo acquired and did not release came back when it ended (see the class doc).
    assertEquals(500, ping.availablePermits());
  }

  @Test
  void aProcessThatEndsHoldingLocksAndPermits_hasReleasedThemWhenJoinReturns() throws Exception {
    int many = 200; // so that the hub's release of them takes a while after the process ends
    List<ProcessLock> locks = new ArrayList<>();
    List<ProcessSemaphore> semaphores = new ArrayList<>();
    for (int i = 0; i < many; i++) {
      locks.add(new ProcessLock());
      semaphores.add(new ProcessSemaphore(3));
    }
    JvmProcess holder =
        new JvmProcess(
                () -> {
                  for (int i = 0; i < many; i++) { // none released: it ends holding them
                    locks.get(i).lock();
                    semaphores.get(i).acquire(2);
                  }
                })
            .start();
    joinAll(List.of(holder));
    // No wait here: join() returns once the hub has released what the process held.
    for (int i = many - 1; i >= 0; i--) {
      assertEquals(3, semaphores.get(i).availablePermits(), "semaphore " + i);
      assertTrue(locks.get(i).tryLock(), "lock " + i);
      assertTrue(locks.get(i).ownerDied(), "lock " + i);
      locks.get(i).unlock();
    }
  }

  /**
   * A process lets go of the hub when its target returns, before its exit hooks run: a lock it
   * still holds then looks held by a live process, and waits for a second look. One whose hooks
   * keep its JVM a while: the lock is free when its {@code join()} returns all the same, not at the
   * next look (which comes up to a second later).
   */
  @Test
  void aProcessThatHoldsALockWhileItsExitHooksRun_hasReleasedItWhenJoinReturns() throws Exception {
    ProcessLock lock = new ProcessLock();
    JvmProcess holder =
        new JvmProcess(
                () -> {
                  lock.lock();
                  Runtime.getRuntime()
                      .addShutdownHook(
                          new Thread(
                              () -> {
                                try {
                                  Thread.sleep(300); // an exit hook that must take time
                                } catch (InterruptedException e) {
                                  Thread.currentThread().interrupt();
                                }
                              }));
                })
            .start();
    joinAll(List.of(holder));
    assertTrue(lock.tryLock(), "the lock is free when join returns");
    assertTrue(lock.ownerDied());
    lock.unlock();
  }

  /**
   * Four processes (three children and this JVM) meet at a barrier with an action many times: each
   * round hands out each index once and runs the action once, as the peer's L4 checks.
   */
  @Test
  void aBarrierBetweenProcesses_handsOutEachIndexOnceARound_andRunsTheActionOnce()
      throws Exception {
    int rounds = 300;
    SharedInt actions = sharedInt(0);
    SharedLongArray sums = SharedLongArray.create(4);
    cleanups.add(sums::unlink);
    ProcessBarrier barrier = new ProcessBarrier(4, actions::incrementAndGet);
    List<JvmProcess> children = new ArrayList<>();
    for (int c = 1; c < 4; c++) {
      int slot = c;
      children.add(
          new JvmProcess(
                  () -> {
                    for (int i = 0; i < rounds; i++) {
                      sums.addAndGet(slot, barrier.await());
                    }
                  })
              .start());
    }
    for (int i = 0; i < rounds; i++) {
      sums.addAndGet(0, barrier.await(LONG));
    }
    joinAll(children);
    long total = 0;
    for (long s : sums.toArray()) {
      total += s;
    }
    assertEquals(rounds * (0 + 1 + 2 + 3), total);
    assertEquals(rounds, actions.get());
    assertEquals(0, barrier.getNumberWaiting());
  }

  /** F12: set() wakes the live waiters and does not wait for a dead one. */
  @Test
  void setWakesWaitersInOtherProcesses_evenAfterOneWasKilledWhileWaiting() throws Exception {
    ProcessEvent go = new ProcessEvent();
    ProcessQueue<String> said = new ProcessQueue<>();
    cleanups.add(said::close);
    List<JvmProcess> waiters = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      int me = c;
      waiters.add(
          new JvmProcess(
                  () -> {
                    said.put("waiting " + me);
                    go.await();
                    said.put("woke " + me);
                  })
              .start());
    }
    List<String> waiting = List.of(said.get(), said.get());
    assertTrue(waiting.containsAll(List.of("waiting 0", "waiting 1")), waiting.toString());
    ChildProcesses.kill9(waiters.get(0));
    go.set();
    assertEquals("woke 1", said.get(LONG));
    joinAll(List.of(waiters.get(1)));
  }

  @Test
  void aConditionWaiterInAnotherProcess_wakesWhenSignalledAndThePredicateHolds() throws Exception {
    ProcessReentrantLock lock = new ProcessReentrantLock();
    ProcessCondition changed = lock.newCondition();
    SharedInt value = sharedInt(0);
    ProcessQueue<String> said = new ProcessQueue<>();
    cleanups.add(said::close);
    JvmProcess waiter =
        new JvmProcess(
                () -> {
                  lock.lock();
                  try {
                    said.put("waiting");
                    boolean seen = changed.waitFor(() -> value.get() >= 2, Duration.ofSeconds(30));
                    said.put(
                        "saw " + value.get() + " " + seen + " " + lock.isHeldByCurrentThread());
                  } finally {
                    lock.unlock();
                  }
                })
            .start();
    assertEquals("waiting", said.get());
    for (int i = 1; i <= 2; i++) {
      lock.lock();
      try {
        value.set(i);
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
    assertEquals("saw 2 true true", said.get(LONG));
    joinAll(List.of(waiter));
  }

  /**
   * F12: a waiter killed with SIGKILL takes no signal with it. Signalled first, it waits for the
   * lock, which this thread holds, when it dies: the hub passes the signal to the next waiter, in
   * another process.
   */
  @Test
  void aConditionWaiterKilledWithSigkill_takesNoSignalWithIt() throws Exception {
    ProcessLock lock = new ProcessLock();
    ProcessCondition cond = lock.newCondition();
    ProcessQueue<String> said = new ProcessQueue<>();
    cleanups.add(said::close);
    List<JvmProcess> waiters = new ArrayList<>();
    for (String name : List.of("doomed", "survivor")) {
      waiters.add(
          new JvmProcess(
                  () -> {
                    lock.lock();
                    try {
                      said.put(name + " waiting");
                      said.put(name + " woke " + cond.await(Duration.ofSeconds(60)));
                    } finally {
                      lock.unlock();
                    }
                  })
              .start());
      assertEquals(name + " waiting", said.get(LONG));
      lock.lock(); // free only once the waiter gave it back to wait: it is in line
      lock.unlock();
    }
    lock.lock();
    try {
      assertEquals(1, cond.signal(1), "the longest waiter: doomed");
      ChildProcesses.kill9(waiters.get(0));
    } finally {
      lock.unlock();
    }
    assertEquals("survivor woke true", said.get(LONG));
    joinAll(List.of(waiters.get(1)));
  }

  /**
   * signal() sends its message without waiting for the hub's answer, from this JVM (the hub's) and
   * from a child: each side's wait is ended by the other's signal, round after round.
   */
  @Test
  void signalsThatDoNotWaitForTheHub_stillWakeTheOtherSide() throws Exception {
    ProcessReentrantLock lock = new ProcessReentrantLock();
    ProcessCondition cond = lock.newCondition();
    SharedInt ping = sharedInt(0);
    SharedInt pong = sharedInt(0);
    int rounds = 50;
    JvmProcess child =
        new JvmProcess(
                () -> {
                  lock.lock();
                  try {
                    for (int i = 1; i <= rounds; i++) {
                      int round = i;
                      if (!cond.waitFor(() -> ping.get() == round, Duration.ofSeconds(30))) {
                        System.exit(3);
                      }
                      pong.set(round);
                      cond.signal();
                    }
                  } finally {
                    lock.unlock();
                  }
                })
            .start();
    lock.lock();
    try {
      for (int i = 1; i <= rounds; i++) {
        int round = i;
        ping.set(round);
        cond.signal();
        assertTrue(cond.waitFor(() -> pong.get() == round, Duration.ofSeconds(30)), "round " + i);
      }
    } finally {
      lock.unlock();
    }
    joinAll(List.of(child));
  }

  /**
   * A signal from another process followed at once by an unlock: the unlock must not overtake the
   * signal, which the hub handles only while the signaller still holds the lock (a lost wake-up the
   * sample SyncTour found).
   */
  @Test
  void aSignalThenAnUnlockInAnotherProcess_wakesTheWaiterEveryTime() throws Exception {
    ProcessLock lock = new ProcessLock();
    ProcessCondition cond = lock.newCondition();
    SharedInt value = sharedInt(0);
    SharedInt asked = sharedInt(0);
    int rounds = 20;
    JvmProcess child =
        new JvmProcess(
                () -> {
                  for (int i = 1; i <= rounds; i++) {
                    while (asked.get() < i) {
                      Thread.onSpinWait(); // the parent is about to wait
                    }
                    lock.lock();
                    try {
                      value.set(i);
                      cond.signal();
                    } finally {
                      lock.unlock();
                    }
                  }
                })
            .daemon(true) // if a round fails, it ends with this JVM
            .start();
    lock.lock();
    try {
      for (int i = 1; i <= rounds; i++) {
        int round = i;
        asked.set(round);
        assertTrue(cond.waitFor(() -> value.get() == round, Duration.ofSeconds(10)), "round " + i);
      }
    } finally {
      lock.unlock();
    }
    joinAll(List.of(child));
  }

  /** F13: a waiting party killed with SIGKILL breaks the barrier at once for the others. */
  @Test
  void aPartyKilledWhileWaiting_breaksTheBarrierForTheOthers() throws Exception {
    ProcessBarrier barrier = new ProcessBarrier(3);
    ProcessQueue<String> said = new ProcessQueue<>();
    cleanups.add(said::close);
    JvmProcess doomed =
        new JvmProcess(
                () -> {
                  said.put("arriving");
                  barrier.await();
                })
            .start();
    assertEquals("arriving", said.get());
    org.awaitility.Awaitility.await().atMost(LONG).until(() -> barrier.getNumberWaiting() == 1);
    JvmProcess survivor =
        new JvmProcess(
                () -> {
                  try {
                    barrier.await(Duration.ofSeconds(60));
                    said.put("passed");
                  } catch (BrokenBarrierException e) {
                    said.put("broken");
                  }
                })
            .start();
    org.awaitility.Awaitility.await().atMost(LONG).until(() -> barrier.getNumberWaiting() == 2);
    ChildProcesses.kill9(doomed);
    assertEquals("broken", said.get(LONG)); // not after its 60 s timeout
    joinAll(List.of(survivor));
    assertThrows(BrokenBarrierException.class, barrier::await);
    barrier.reset();

    // Whole again: three processes pass it together, and the last runs the action.
    SharedInt actions = sharedInt(0);
    ProcessBarrier again = new ProcessBarrier(3, actions::incrementAndGet);
    List<JvmProcess> parties = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      parties.add(new JvmProcess(again::await).start());
    }
    again.await();
    joinAll(parties);
    assertEquals(1, actions.get());
  }
}
