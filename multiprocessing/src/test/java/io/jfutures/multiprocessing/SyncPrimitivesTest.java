package io.jfutures.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jfutures.multiprocessing.internal.hub.AdaptiveSpin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The synchronization handles used by threads of the hub's own JVM: the same requests and replies
 * as from another process, answered in place. The ITs cross processes.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class SyncPrimitivesTest {
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stopThreads() throws InterruptedException {
    threads.shutdownNow();
    assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
  }

  @Test
  void aLock_excludesOtherThreads() throws Exception {
    ProcessLock lock = new ProcessLock();
    int[] plain = new int[1]; // not atomic: only the lock keeps the count right
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      done.add(
          threads.submit(
              () -> {
                for (int k = 0; k < 500; k++) {
                  lock.lock();
                  try {
                    plain[0]++;
                  } finally {
                    lock.unlock();
                  }
                }
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    lock.lock();
    try {
      assertEquals(2000, plain[0]);
    } finally {
      lock.unlock();
    }
  }

  @Test
  void aLock_answersForItsHolder_andRefusesOthersAndReentry() throws Exception {
    ProcessLock lock = new ProcessLock();
    assertFalse(lock.isLocked());
    assertThrows(IllegalMonitorStateException.class, lock::unlock);
    assertTrue(lock.acquire(Duration.ZERO));
    assertTrue(lock.isHeldByCurrentThread());
    assertFalse(lock.tryLock(), "not reentrant");
    IllegalStateException reentry = assertThrows(IllegalStateException.class, lock::lock);
    assertTrue(reentry.getMessage().contains("not reentrant"), reentry.getMessage());
    assertFalse(threads.submit(() -> lock.tryLock(50, TimeUnit.MILLISECONDS)).get());
    assertThrows(
        IllegalMonitorStateException.class,
        () -> {
          try {
            threads.submit(lock::unlock).get();
          } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause();
          }
        });
    assertFalse(lock.ownerDied());
    lock.release();
    assertFalse(lock.isLocked());
  }

  @Test
  void anInterruptedWaitForALock_takesNothing() throws Exception {
    ProcessLock lock = new ProcessLock();
    lock.lock();
    java.util.concurrent.atomic.AtomicReference<Thread> thread =
        new java.util.concurrent.atomic.AtomicReference<>();
    Future<?> waiter =
        threads.submit(
            () -> {
              thread.set(Thread.currentThread());
              assertThrows(InterruptedException.class, lock::lockInterruptibly);
              return null;
            });
    // Until it waits at the hub (parked), past its spins.
    await(() -> thread.get() != null && thread.get().getState() == Thread.State.WAITING);
    thread.get().interrupt();
    waiter.get(); // its assertion held: InterruptedException
    lock.unlock();
    assertTrue(lock.tryLock(5, TimeUnit.SECONDS), "the interrupted waiter took the lock");
    lock.unlock();

    Thread.currentThread().interrupt(); // on entry, as Lock.lockInterruptibly() requires
    assertThrows(InterruptedException.class, lock::lockInterruptibly);
    assertFalse(lock.isLocked());
  }

  @Test
  void aReentrantLock_countsHolds() {
    ProcessReentrantLock lock = new ProcessReentrantLock();
    lock.lock();
    lock.lock();
    assertEquals(2, lock.getHoldCount());
    lock.unlock();
    assertTrue(lock.isHeldByCurrentThread());
    lock.unlock();
    assertEquals(0, lock.getHoldCount());
  }

  @Test
  void aCondition_handsWorkBetweenThreads_andWaitForSeesThePredicate() throws Exception {
    ProcessReentrantLock lock = new ProcessReentrantLock();
    ProcessCondition changed = lock.newCondition();
    AtomicInteger value = new AtomicInteger();
    Future<Boolean> waiter =
        threads.submit(
            () -> {
              lock.lock();
              lock.lock(); // two holds: both given back while waiting, both back after
              try {
                boolean seen = changed.waitFor(() -> value.get() == 3, Duration.ofSeconds(20));
                assertEquals(2, lock.getHoldCount());
                return seen;
              } finally {
                lock.unlock();
                lock.unlock();
              }
            });
    for (int i = 1; i <= 3; i++) {
      lock.lock();
      try {
        value.set(i);
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
    assertTrue(waiter.get());
    assertThrows(IllegalMonitorStateException.class, changed::signal);
    lock.lock();
    try {
      assertFalse(changed.await(Duration.ofMillis(20)), "nobody signalled");
      assertTrue(lock.isHeldByCurrentThread(), "a timed-out waiter holds the lock again");
      assertEquals(0, changed.signal(5));
    } finally {
      lock.unlock();
    }
  }

  /**
   * More waiters than a condition has places in shared memory: the rest wait at the hub, and
   * signals, one at a time, still wake them all in the order they began to wait.
   */
  @Test
  void waitersPastTheConditionsPlaces_waitAtTheHub_andAllAreWokenInOrder() throws Exception {
    ProcessLock lock = new ProcessLock();
    ProcessCondition cond = lock.newCondition();
    List<Integer> woken = new ArrayList<>();
    int waiters = 40; // more than ConditionWords.SLOTS (31)
    List<Future<Boolean>> done = new ArrayList<>();
    for (int k = 0; k < waiters; k++) {
      int me = k;
      CountDownLatch inLine = new CountDownLatch(1);
      done.add(
          threads.submit(
              () -> {
                lock.lock();
                try {
                  inLine.countDown();
                  boolean signalled = cond.await(Duration.ofSeconds(20));
                  woken.add(me); // holding the lock again
                  return signalled;
                } finally {
                  lock.unlock();
                }
              }));
      assertTrue(inLine.await(10, TimeUnit.SECONDS));
      lock.lock(); // free only once waiter k gave it back to wait: it is in line
      lock.unlock();
    }
    for (int k = 0; k < waiters; k++) {
      lock.lock();
      try {
        assertEquals(1, cond.signal(1), "signal " + k);
      } finally {
        lock.unlock();
      }
      int expected = k + 1;
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(1))
          .until(
              () -> {
                lock.lock();
                try {
                  return woken.size() == expected;
                } finally {
                  lock.unlock();
                }
              });
    }
    for (Future<Boolean> f : done) {
      assertTrue(f.get());
    }
    List<Integer> inOrder = new ArrayList<>();
    for (int k = 0; k < waiters; k++) {
      inOrder.add(k);
    }
    assertEquals(inOrder, woken);
    lock.lock();
    try {
      assertEquals(0, cond.signal(1), "nobody waits");
    } finally {
      lock.unlock();
    }
  }

  @Test
  void anInterruptedConditionWaiter_throws_holdingTheLockAgain() throws Exception {
    ProcessReentrantLock lock = new ProcessReentrantLock();
    ProcessCondition cond = lock.newCondition();
    CountDownLatch inLine = new CountDownLatch(1);
    Future<String> waiter =
        threads.submit(
            () -> {
              lock.lock();
              try {
                inLine.countDown();
                cond.await();
                return "signalled";
              } catch (InterruptedException e) {
                return "interrupted, holding " + lock.getHoldCount();
              } finally {
                lock.unlock();
              }
            });
    assertTrue(inLine.await(10, TimeUnit.SECONDS));
    lock.lock(); // the waiter is in line
    try {
      threads.shutdownNow(); // interrupts it; it takes the lock back once this thread gives it up
    } finally {
      lock.unlock();
    }
    assertEquals("interrupted, holding 1", waiter.get(10, TimeUnit.SECONDS));
    lock.lock();
    try {
      assertEquals(0, cond.signal(1), "it left its place");
    } finally {
      lock.unlock();
    }
  }

  @Test
  void aSemaphore_limitsHolders_andABoundedOneItsReleases() throws Exception {
    ProcessSemaphore s = new ProcessSemaphore(2);
    s.acquire();
    assertTrue(s.tryAcquire(Duration.ofMillis(10)));
    assertFalse(s.tryAcquire());
    assertFalse(s.tryAcquire(Duration.ofMillis(20)));
    Future<?> waiter =
        threads.submit(
            () -> {
              s.acquire(2);
              return null;
            });
    s.release();
    s.release();
    waiter.get();
    assertEquals(0, s.availablePermits());
    s.release(2);
    assertEquals(2, s.availablePermits());

    ProcessSemaphore bounded = ProcessSemaphore.bounded(1);
    assertTrue(bounded.isBounded());
    IllegalStateException past = assertThrows(IllegalStateException.class, bounded::release);
    assertTrue(past.getMessage().contains("bounded"), past.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ProcessSemaphore(-1));
    assertThrows(IllegalArgumentException.class, () -> s.release(-1));
  }

  @Test
  void anEvent_wakesEveryWaiter() throws Exception {
    ProcessEvent event = new ProcessEvent();
    assertFalse(event.await(Duration.ofMillis(10)));
    CountDownLatch started = new CountDownLatch(3);
    List<Future<?>> waiters = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      waiters.add(
          threads.submit(
              () -> {
                started.countDown();
                event.await();
                return null;
              }));
    }
    started.await();
    event.set();
    for (Future<?> w : waiters) {
      w.get();
    }
    assertTrue(event.isSet());
    event.clear();
    assertFalse(event.isSet());
  }

  /**
   * An event's waits feed its handle's spin: after {@code PROBE_AFTER} waits in a row that parked,
   * the next watches long, so that two processes setting events for each other in turn do not both
   * stay parked once one of them was late.
   */
  @Test
  void anEventsWaitsThatPark_makeTheNextWatchLong() throws Exception {
    assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "no watching on one CPU");
    ProcessEvent event = new ProcessEvent();
    for (int i = 0; i < AdaptiveSpin.PROBE_AFTER - 1; i++) {
      assertFalse(event.await(Duration.ofMillis(3)));
    }
    assertTrue(event.spin().budget(-1) < AdaptiveSpin.MAX_NANOS, "not yet");
    assertFalse(event.await(Duration.ofMillis(3)));
    assertEquals(AdaptiveSpin.MAX_NANOS, event.spin().budget(-1));
  }

  /** Waiters that watched the flag long enough park at the hub; a set wakes them there. */
  @Test
  void anEvent_wakesWaitersParkedAtTheHub() throws Exception {
    ProcessEvent event = new ProcessEvent();
    List<Thread> waiters = new ArrayList<>();
    AtomicInteger woken = new AtomicInteger();
    for (int i = 0; i < 2; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  if (event.await(Duration.ofSeconds(30))) {
                    woken.incrementAndGet();
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      t.start();
      waiters.add(t);
    }
    await(() -> waiters.stream().allMatch(t -> t.getState() == Thread.State.TIMED_WAITING));
    event.set();
    for (Thread t : waiters) {
      t.join(10_000);
    }
    assertEquals(2, woken.get());
    event.clear();
    assertFalse(event.await(Duration.ZERO));
  }

  @Test
  void aBarrierWithMorePartiesThanCpus_tripsRoundAfterRound_andAnInterruptedWatcherBreaksIt()
      throws Exception {
    // Its waiters sleep between looks at the words: each round still trips, with every index once.
    int parties = 2 * Runtime.getRuntime().availableProcessors() + 1;
    ProcessBarrier barrier = new ProcessBarrier(parties);
    List<Future<Long>> sums = new ArrayList<>();
    for (int p = 0; p < parties; p++) {
      sums.add(
          threads.submit(
              () -> {
                long sum = 0;
                for (int round = 0; round < 200; round++) {
                  sum += barrier.await();
                }
                return sum;
              }));
    }
    long all = 0;
    for (Future<Long> s : sums) {
      all += s.get();
    }
    assertEquals(200L * parties * (parties - 1) / 2, all);

    Thread watcher = Thread.currentThread();
    ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    try {
      later.schedule(watcher::interrupt, 100, TimeUnit.MILLISECONDS);
      assertThrows(InterruptedException.class, barrier::await);
    } finally {
      later.shutdownNow();
      Thread.interrupted();
    }
    assertTrue(barrier.isBroken(), "an interrupted party breaks it, as CyclicBarrier's does");
  }

  @Test
  void aBarrier_behavesAsACyclicBarrier() throws Exception {
    AtomicInteger actions = new AtomicInteger();
    ProcessBarrier barrier = new ProcessBarrier(3, actions::incrementAndGet);
    for (int round = 0; round < 2; round++) {
      List<Future<Integer>> parties = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        parties.add(threads.submit(() -> barrier.await()));
      }
      List<Integer> indexes = new ArrayList<>();
      for (Future<Integer> p : parties) {
        indexes.add(p.get());
      }
      indexes.sort(null);
      assertEquals(List.of(0, 1, 2), indexes);
    }
    assertEquals(2, actions.get());
    assertEquals(3, barrier.getParties());

    Future<Integer> waiting = threads.submit(() -> barrier.await());
    assertThrows(TimeoutException.class, () -> barrier.await(Duration.ofMillis(300)));
    java.util.concurrent.ExecutionException broken =
        assertThrows(java.util.concurrent.ExecutionException.class, waiting::get);
    assertTrue(broken.getCause() instanceof BrokenBarrierException);
    assertTrue(barrier.isBroken());
    assertThrows(BrokenBarrierException.class, barrier::await);
    barrier.reset();
    assertFalse(barrier.isBroken());
    assertEquals(0, barrier.getNumberWaiting());
    assertThrows(IllegalArgumentException.class, () -> new ProcessBarrier(0));
    assertThrows(IllegalArgumentException.class, () -> new ProcessBarrier(1 << 24));

    // A reset breaks it for who waits, and leaves it whole; an interrupted waiter breaks it.
    Future<Integer> resetUnder = threads.submit(() -> barrier.await());
    org.awaitility.Awaitility.await().until(() -> barrier.getNumberWaiting() == 1);
    barrier.reset();
    broken = assertThrows(java.util.concurrent.ExecutionException.class, resetUnder::get);
    assertTrue(broken.getCause() instanceof BrokenBarrierException);
    assertFalse(barrier.isBroken());
    Future<Integer> interrupted = threads.submit(() -> barrier.await());
    org.awaitility.Awaitility.await().until(() -> barrier.getNumberWaiting() == 1);
    interrupted.cancel(true);
    org.awaitility.Awaitility.await().until(barrier::isBroken);
  }

  @Test
  void aFailingAction_breaksTheBarrier_andReachesTheLastParty() throws Exception {
    ProcessBarrier barrier =
        new ProcessBarrier(
            2,
            () -> {
              throw new IllegalStateException("the action failed");
            });
    Future<Integer> first = threads.submit(() -> barrier.await());
    await(() -> barrier.getNumberWaiting() == 1);
    IllegalStateException thrown = assertThrows(IllegalStateException.class, barrier::await);
    assertEquals("the action failed", thrown.getMessage());
    java.util.concurrent.ExecutionException broken =
        assertThrows(java.util.concurrent.ExecutionException.class, first::get);
    assertTrue(broken.getCause() instanceof BrokenBarrierException);
  }

  private static void await(java.util.concurrent.Callable<Boolean> condition) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(condition);
  }
}
