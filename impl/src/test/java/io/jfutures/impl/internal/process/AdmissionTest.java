package io.jfutures.impl.internal.process;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.api.BrokenProcessPoolException;
import io.jfutures.api.TaskSerializationException;
import io.jfutures.impl.internal.TaskFuture;
import io.jfutures.impl.internal.TaskName;
import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Admission alone: the pool's state, serializability, and room in the queue. */
final class AdmissionTest {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notFull = lock.newCondition();
  private final TaskQueue queue = new TaskQueue(notFull);
  private final FakeState pool = new FakeState();
  private final TaskFuture<Object> future = new TaskFuture<>(7, TaskName.of(this));

  /** Runs blocking submits; a wait that never ends fails its test by timeout. */
  private final ExecutorService submitter = Executors.newSingleThreadExecutor();

  private static final class FakeState implements Admission.PoolState {
    volatile BrokenProcessPoolException broken;
    volatile boolean running = true;
    volatile boolean jvmExiting;

    @Override
    public BrokenProcessPoolException broken() {
      return broken;
    }

    @Override
    public boolean running() {
      return running;
    }

    @Override
    public boolean jvmExiting() {
      return jvmExiting;
    }
  }

  @AfterEach
  void stopSubmitter() {
    submitter.shutdownNow();
  }

  private Admission admission(int maxQueued, boolean blockWhenFull) {
    return new Admission(
        notFull, queue, maxQueued, blockWhenFull, new Codec.ClassTable(new ClassFilter("")), pool);
  }

  /** Runs {@code body} holding the pool's lock, as the pool calls admission. */
  private void locked(Runnable body) {
    lock.lock();
    try {
      body.run();
    } finally {
      lock.unlock();
    }
  }

  private void fillQueue(int n) {
    for (int i = 0; i < n; i++) {
      long id = i + 1;
      Task task = new Task(null, id, new TaskFuture<>(id, TaskName.of(this)), null, 0, null);
      locked(() -> queue.add(task));
    }
  }

  /** Waits until a submit waits for room; then the test may make some. */
  private void awaitWaitingSubmit() {
    Awaitility.await()
        .atMost(10, SECONDS)
        .pollInterval(Duration.ofMillis(1))
        .until(
            () -> {
              lock.lock();
              try {
                return lock.hasWaiters(notFull);
              } finally {
                lock.unlock();
              }
            });
  }

  @Test
  void checkAccepting_brokenPool_refusesWithACopyOfItsBreakage() {
    pool.broken = new BrokenProcessPoolException("worker w died", null);
    BrokenProcessPoolException refused =
        assertThrows(
            BrokenProcessPoolException.class, () -> admission(0, false).checkAccepting(future));
    assertNotSame(pool.broken, refused);
    assertEquals("worker w died", refused.getMessage());
  }

  @Test
  void checkAccepting_shutDown_refuses_sayingSoIfTheJvmExits() {
    Admission admission = admission(0, false);
    admission.checkAccepting(future);
    pool.running = false;
    RejectedExecutionException refused =
        assertThrows(RejectedExecutionException.class, () -> admission.checkAccepting(future));
    assertEquals(
        "cannot submit " + future.description() + ": the process pool is shut down",
        refused.getMessage());
    pool.jvmExiting = true;
    refused =
        assertThrows(RejectedExecutionException.class, () -> admission.checkAccepting(future));
    assertTrue(refused.getMessage().endsWith(", as the JVM is exiting"), refused.getMessage());
  }

  @Test
  void checkAccepting_answersWithoutThePoolsLock_whileAnotherThreadHoldsIt() throws Exception {
    Admission admission = admission(0, false);
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread holder =
        new Thread(
            () -> {
              lock.lock();
              try {
                held.countDown();
                release.await(60, SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                lock.unlock();
              }
            });
    holder.start();
    try {
      assertTrue(held.await(10, SECONDS));
      assertTimeoutPreemptively(
          Duration.ofSeconds(5),
          () -> {
            admission.checkAccepting(future); // runs: admitted so far, without waiting
            pool.running = false;
            assertThrows(RejectedExecutionException.class, () -> admission.checkAccepting(future));
          },
          "answered while the lock is held elsewhere");
    } finally {
      release.countDown();
      holder.join();
    }
  }

  @Test
  void serialize_aSerializableTask_givesItsPayload() {
    Callable<Integer> call = (Callable<Integer> & Serializable) () -> 42;
    assertTrue(admission(0, false).serialize(call, call, future).size() > 0);
  }

  @Test
  void serialize_aTaskNotSerializable_isRefusedNamingTheFix() {
    Callable<Integer> call = () -> 42;
    RejectedExecutionException refused =
        assertThrows(
            RejectedExecutionException.class,
            () -> admission(0, false).serialize(call, call, future));
    assertInstanceOf(TaskSerializationException.class, refused.getCause());
    assertTrue(refused.getMessage().contains("is not Serializable"), refused.getMessage());
  }

  @Test
  void awaitRoom_noLimit_admitsAtOnce() {
    fillQueue(3);
    locked(() -> admission(0, false).awaitRoom(future));
  }

  @Test
  void awaitRoom_full_refusesUnlessBlockWhenFull() {
    fillQueue(2);
    Admission admission = admission(2, false);
    RejectedExecutionException refused =
        assertThrows(
            RejectedExecutionException.class, () -> locked(() -> admission.awaitRoom(future)));
    assertTrue(refused.getMessage().contains("the queue is full (2 tasks waiting"));
    locked(queue::poll);
    locked(() -> admission.awaitRoom(future));
  }

  @Test
  void awaitRoom_blockWhenFull_waitsUntilATaskLeaves() throws Exception {
    fillQueue(2);
    Admission admission = admission(2, true);
    Future<?> admitted = submitter.submit(() -> locked(() -> admission.awaitRoom(future)));
    awaitWaitingSubmit();
    locked(queue::poll);
    admitted.get(10, SECONDS);
  }

  @Test
  void awaitRoom_poolShutDownWhileWaiting_refuses() throws Exception {
    fillQueue(1);
    Admission admission = admission(1, true);
    Future<?> admitted = submitter.submit(() -> locked(() -> admission.awaitRoom(future)));
    awaitWaitingSubmit();
    pool.running = false;
    locked(admission::wakeWaiting);
    ExecutionException e = assertThrows(ExecutionException.class, () -> admitted.get(10, SECONDS));
    assertInstanceOf(RejectedExecutionException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("shut down"), e.getCause().getMessage());
  }

  @Test
  void awaitRoom_interrupted_refusesAndKeepsTheInterrupt() {
    fillQueue(1);
    Admission admission = admission(1, true);
    Thread.currentThread().interrupt();
    try {
      RejectedExecutionException refused =
          assertThrows(
              RejectedExecutionException.class, () -> locked(() -> admission.awaitRoom(future)));
      assertInstanceOf(InterruptedException.class, refused.getCause());
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }
}
