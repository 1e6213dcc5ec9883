package io.jfutures.impl.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.impl.internal.TaskFuture;
import io.jfutures.impl.internal.TaskName;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The workers' lifecycle alone: when a worker is started, what its reports change, and its end. The
 * workers' sender threads are made by a factory that hands out threads which do nothing, or none at
 * all: no worker is launched.
 */
final class WorkersTest {
  /** The error a thread that cannot start throws, as the JVM's "unable to create native thread". */
  private final OutOfMemoryError noThread = new OutOfMemoryError("unable to create native thread");

  /** Threads made for senders so far; each does nothing. */
  private final List<Thread> threads = new ArrayList<>();

  private boolean threadsFail;

  /**
   * Lends its lock and the workers' constructor, with this test's thread factory; never started.
   */
  private final ProcessPool owner =
      new ProcessPool(
          TestPools.config(
              2,
              r -> {
                if (threadsFail) {
                  throw noThread;
                }
                Thread t = new Thread(() -> {});
                threads.add(t);
                return t;
              }));

  private final ReentrantLock lock = owner.lock;
  private final TaskQueue queue = new TaskQueue(lock.newCondition());
  private final FakePool pool = new FakePool();

  /** Two workers at most, each retired after three tasks. */
  private final Workers workers = new Workers(lock, queue, 2, 3, pool);

  /** The pool's state as the lifecycle reads it, and what it was asked. */
  private final class FakePool implements Workers.Pool {
    boolean broken;
    boolean killing;
    boolean terminated;
    final List<Task> clocked = new ArrayList<>();
    final List<PoolWorker> readied = new ArrayList<>();
    final List<String> retiring = new ArrayList<>();

    @Override
    public boolean broken() {
      return broken;
    }

    @Override
    public boolean killing() {
      return killing;
    }

    @Override
    public boolean terminated() {
      return terminated;
    }

    @Override
    public PoolWorker newWorker(String name) {
      return new PoolWorker(owner, name);
    }

    @Override
    public void startClock(Task task) {
      clocked.add(task);
    }

    @Override
    public void workerReady(PoolWorker worker) {
      readied.add(worker);
    }

    @Override
    public void workerRetiring(PoolWorker worker, String why) {
      retiring.add(worker.name + ": " + why);
    }
  }

  /** The pool calls the lifecycle holding its lock (its on* reports take it themselves). */
  @BeforeEach
  void lock() {
    lock.lock();
  }

  @AfterEach
  void unlock() {
    lock.unlock();
  }

  private static Task task(long id, long timeoutNanos) {
    return new Task(
        null,
        id,
        new TaskFuture<>(id, TaskName.of("task " + id)),
        new Codec.Payload(),
        timeoutNanos,
        null);
  }

  private void queued(int n) {
    for (int i = 0; i < n; i++) {
      queue.add(task(i + 1, 0));
    }
  }

  /** A worker started earlier, launched and in {@code state}. */
  private PoolWorker started(PoolWorker.State state) {
    assertNull(workers.start());
    PoolWorker w = workers.list().get(workers.list().size() - 1);
    w.handle = new StubHandle();
    w.state = state;
    return w;
  }

  @Test
  void maybeStart_oneWorkerPerWaitingTask_uptoMaxWorkers() {
    queued(1);
    assertNull(workers.maybeStart());
    assertEquals(1, workers.list().size());
    assertEquals(PoolWorker.State.STARTING, workers.list().get(0).state);
    assertNull(workers.maybeStart(), "the starting worker will take the task");
    assertEquals(1, workers.list().size());
    queued(5);
    assertNull(workers.maybeStart());
    assertEquals(2, workers.list().size());
    assertEquals(2, threads.size(), "a sender thread each, started");
    assertTrue(threads.stream().allMatch(t -> t.getState() != Thread.State.NEW));
  }

  @Test
  void maybeStart_countsIdleWorkers_andNotThoseThatTakeNoWork() {
    started(PoolWorker.State.READY);
    queued(1);
    assertNull(workers.maybeStart());
    assertEquals(1, workers.list().size(), "an idle worker takes it");
    workers.list().get(0).inFlight.add(task(99, 0));
    assertNull(workers.maybeStart());
    assertEquals(2, workers.list().size(), "the only worker is busy");
    workers.list().get(1).state = PoolWorker.State.RETIRING;
    assertNull(workers.maybeStart());
    assertEquals(3, workers.list().size(), "a retiring worker counts for nothing");
  }

  @Test
  void maybeStart_noneWhileBrokenKillingOrTerminated() {
    queued(1);
    pool.broken = true;
    assertNull(workers.maybeStart());
    pool.broken = false;
    pool.killing = true;
    assertNull(workers.maybeStart());
    pool.killing = false;
    pool.terminated = true;
    assertNull(workers.maybeStart());
    assertTrue(workers.list().isEmpty());
  }

  @Test
  void maybeStart_aThreadThatCannotStart_forgetsItsWorker_andTriesNoMore() {
    queued(2);
    threadsFail = true;
    assertSame(noThread, workers.maybeStart());
    assertTrue(workers.list().isEmpty());
    assertTrue(workers.noneAcceptsWork());
  }

  @Test
  void noneAcceptsWork_onlyStartingAndReadyWorkersAccept() {
    assertTrue(workers.noneAcceptsWork());
    PoolWorker w = started(PoolWorker.State.RETIRING);
    assertTrue(workers.noneAcceptsWork());
    w.state = PoolWorker.State.STARTING;
    assertFalse(workers.noneAcceptsWork());
    w.state = PoolWorker.State.READY;
    assertFalse(workers.noneAcceptsWork());
  }

  @Test
  void onLaunched_falseOnceThePoolIsBrokenOrKillsItsWorkers() {
    assertTrue(workers.onLaunched());
    pool.broken = true;
    assertFalse(workers.onLaunched());
    pool.broken = false;
    pool.killing = true;
    assertFalse(workers.onLaunched());
  }

  @Test
  void onReady_startsTheClocksOfItsTimedTasks_once() {
    PoolWorker w = started(PoolWorker.State.STARTING);
    Task timed = task(1, TimeUnit.SECONDS.toNanos(1));
    w.inFlight.add(timed);
    w.inFlight.add(task(2, 0));
    workers.onReady(w);
    assertEquals(PoolWorker.State.READY, w.state);
    assertTrue(w.ready);
    assertEquals(List.of(timed), pool.clocked);
    workers.onReady(w);
    assertEquals(List.of(timed), pool.clocked, "started once");
    assertEquals(List.of(w), pool.readied, "reported ready once");
  }

  @Test
  void onReady_aRetiringWorkerStaysRetiring() {
    PoolWorker w = started(PoolWorker.State.RETIRING);
    workers.onReady(w);
    assertEquals(PoolWorker.State.RETIRING, w.state);
    assertTrue(w.ready);
  }

  @Test
  void onRetiring_retiresTheWorker_andStartsItsReplacement() {
    PoolWorker w = started(PoolWorker.State.READY);
    queued(1);
    workers.onRetiring(w);
    assertTrue(w.selfRetired);
    assertEquals(PoolWorker.State.RETIRING, w.state);
    assertEquals(1, pool.retiring.size(), "a recycle, reported");
    assertEquals(2, workers.list().size());
  }

  @Test
  void onSent_retiresAfterMaxTasksPerChild_andStartsItsReplacement() {
    PoolWorker w = started(PoolWorker.State.READY);
    w.inFlight.add(task(99, 0));
    queued(1);
    w.sent = 2;
    workers.onSent(w);
    assertEquals(PoolWorker.State.READY, w.state);
    assertEquals(1, workers.list().size(), "it may take the next task");
    assertEquals(List.of(), pool.retiring);
    w.sent = 3;
    workers.onSent(w);
    assertEquals(PoolWorker.State.RETIRING, w.state);
    assertEquals(List.of(w.name + ": sent its maxTasksPerChild (3)"), pool.retiring);
    assertEquals(2, workers.list().size());
  }

  @Test
  void gone_takesTheWorkerOut_dead() {
    PoolWorker w = started(PoolWorker.State.READY);
    workers.gone(w);
    assertEquals(PoolWorker.State.DEAD, w.state);
    assertTrue(workers.list().isEmpty());
  }

  @Test
  void killAll_marksEveryWorker_andHandsBackTheLaunchedOnesButTheSpared() {
    PoolWorker spared = started(PoolWorker.State.READY);
    PoolWorker other = started(PoolWorker.State.READY);
    PoolWorker unlaunched = started(PoolWorker.State.STARTING);
    unlaunched.handle = null;
    assertEquals(List.of(other.handle), workers.killAll(spared));
    assertTrue(spared.killed && other.killed && unlaunched.killed);
    assertEquals(List.of(spared.handle, other.handle), workers.killAll(null));
    assertFalse(((StubHandle) other.handle).killed, "killed by the pool, outside the lock");
  }
}
