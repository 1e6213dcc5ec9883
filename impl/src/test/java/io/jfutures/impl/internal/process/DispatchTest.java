package io.jfutures.impl.internal.process;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.impl.internal.TaskFuture;
import io.jfutures.impl.internal.TaskName;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatch policy alone: which worker takes which task, when a busy worker may be sent another,
 * and which sender is woken. The workers are never started: each test sets their state by hand and
 * asks for the next action only where the answer does not wait.
 */
final class DispatchTest {
  /** Lends its lock and the workers' constructor; never started. */
  private final ProcessPool owner = new ProcessPool(TestPools.config(2, Thread::new));

  private final ReentrantLock lock = owner.lock;
  private final TaskQueue queue = new TaskQueue(lock.newCondition());
  private final List<PoolWorker> workers = new ArrayList<>();
  private final FakePool pool = new FakePool();
  private final Dispatch dispatch = new Dispatch(lock, workers, queue, pool);

  /** The pool's state as dispatch reads it, and what it was told. */
  private static final class FakePool implements Dispatch.Pool {
    boolean broken;
    boolean running = true;
    final List<Task> sent = new ArrayList<>();

    @Override
    public boolean broken() {
      return broken;
    }

    @Override
    public boolean running() {
      return running;
    }

    @Override
    public boolean cancelRunning(Task task) {
      return false;
    }

    @Override
    public void sent(PoolWorker worker, Task task) {
      sent.add(task);
    }
  }

  /** The pool calls dispatch holding its lock (nextAction takes it itself); so does each test. */
  @BeforeEach
  void lock() {
    lock.lock();
  }

  @AfterEach
  void unlock() {
    lock.unlock();
  }

  private PoolWorker worker(String name) {
    PoolWorker w = new PoolWorker(owner, name);
    w.handle = new StubHandle();
    w.state = PoolWorker.State.READY;
    w.ready = true;
    workers.add(w);
    return w;
  }

  private static Task task(long id, int bytes, long timeoutNanos) {
    Codec.Payload payload = new Codec.Payload();
    payload.write(new byte[bytes], 0, bytes);
    return new Task(
        null, id, new TaskFuture<>(id, TaskName.of("task " + id)), payload, timeoutNanos, null);
  }

  private Task queued(long id) {
    Task t = task(id, 10, 0);
    queue.add(t);
    return t;
  }

  /** Puts {@code n} tasks in flight on {@code w}, as if sent earlier. */
  private static void inFlight(PoolWorker w, int n) {
    for (int i = 0; i < n; i++) {
      w.inFlight.add(task(1000 + i, 10, 0));
    }
  }

  private static void assertSends(Task expected, Dispatch.Action action) {
    assertEquals(Dispatch.Kind.SEND, action.kind());
    assertSame(expected, action.task());
  }

  @Test
  void nextAction_idleWorker_isSentTheNextTask_thenFlushes() {
    PoolWorker w = worker("w");
    Task a = queued(1);
    assertSends(a, dispatch.nextAction(w, false));
    assertSame(w, a.worker);
    assertEquals(1, a.sends);
    assertEquals(List.of(a), List.copyOf(w.inFlight));
    assertEquals(List.of(a), pool.sent);
    assertEquals(Dispatch.Kind.FLUSH, dispatch.nextAction(w, true).kind());
  }

  @Test
  void nextAction_aTaskCancelledWhileQueued_isNeverSent() {
    PoolWorker w = worker("w");
    Task a = queued(1);
    Task b = queued(2);
    a.future.cancel(false);
    assertSends(b, dispatch.nextAction(w, false));
    assertNull(a.worker);
  }

  @Test
  void nextAction_aQueuedTaskAlreadyStarted_isFailedOutsideTheLock_andTheNextIsSent() {
    PoolWorker w = worker("w");
    Task stray = queued(1);
    stray.future.start(null); // a bug's doing: queued, yet marked running
    Task b = queued(2);
    AtomicBoolean lockHeld = new AtomicBoolean(true);
    stray.future.whenComplete((r, e) -> lockHeld.set(lock.isHeldByCurrentThread()));
    lock.unlock(); // a sender calls nextAction without the lock
    try {
      assertSends(b, dispatch.nextAction(w, false));
    } finally {
      lock.lock();
    }
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> stray.future.get(0, SECONDS));
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertFalse(lockHeld.get(), "its callback ran without the pool's lock");
    assertNull(stray.worker);
  }

  @Test
  void nextAction_shutDownWithNothingWaiting_stopsAnIdleWorker() {
    PoolWorker w = worker("w");
    pool.running = false;
    assertEquals(Dispatch.Kind.STOP, dispatch.nextAction(w, true).kind());
    assertTrue(w.stopSent);
    assertEquals(PoolWorker.State.RETIRING, w.state);
  }

  @Test
  void nextAction_shutDown_stillSendsTheQueuedTasks() {
    PoolWorker w = worker("w");
    Task a = queued(1);
    pool.running = false;
    assertSends(a, dispatch.nextAction(w, false));
  }

  @Test
  void nextAction_broken_sendsNothing_andStops() {
    PoolWorker w = worker("w");
    queued(1);
    pool.broken = true;
    assertEquals(Dispatch.Kind.STOP, dispatch.nextAction(w, true).kind());
  }

  @Test
  void nextAction_killedOrDeadWorker_exits() {
    PoolWorker killed = worker("killed");
    killed.killed = true;
    PoolWorker dead = worker("dead");
    dead.state = PoolWorker.State.DEAD;
    queued(1);
    assertEquals(Dispatch.Kind.EXIT, dispatch.nextAction(killed, false).kind());
    assertEquals(Dispatch.Kind.EXIT, dispatch.nextAction(dead, false).kind());
    assertEquals(1, queue.waiting());
  }

  @Test
  void nextAction_retiringWorker_isHandedNothing() {
    PoolWorker w = worker("w");
    inFlight(w, 1);
    w.meanRunNanos = 0;
    w.state = PoolWorker.State.RETIRING;
    queued(1);
    assertEquals(Dispatch.Kind.FLUSH, dispatch.nextAction(w, true).kind());
    assertEquals(1, queue.waiting());
  }

  @Test
  void busyWorker_takesAnother_onlyWhileItsTasksAreEstimatedUnderTheBudget() {
    PoolWorker w = worker("w");
    inFlight(w, 2);
    Task a = queued(1);
    assertEquals(
        Dispatch.Kind.FLUSH, dispatch.nextAction(w, true).kind(), "no run time measured yet");
    w.meanRunNanos = Dispatch.PREFETCH_BUDGET_NANOS / 2; // two of them: the budget, not under it
    assertEquals(Dispatch.Kind.FLUSH, dispatch.nextAction(w, true).kind());
    w.meanRunNanos = Dispatch.PREFETCH_BUDGET_NANOS / 2 - 1;
    assertSends(a, dispatch.nextAction(w, true));
  }

  @Test
  void busyWorker_takesAtMostPrefetch() {
    PoolWorker w = worker("w");
    w.meanRunNanos = 0;
    inFlight(w, Dispatch.PREFETCH - 1);
    Task a = queued(1);
    queued(2);
    assertSends(a, dispatch.nextAction(w, true));
    assertEquals(Dispatch.Kind.FLUSH, dispatch.nextAction(w, true).kind());
    assertEquals(Dispatch.PREFETCH, w.inFlight.size());
  }

  @Test
  void busyWorker_takesNoTimedTask_andNoneBehindATimedOne() {
    PoolWorker w = worker("w");
    w.meanRunNanos = 0;
    inFlight(w, 1);
    Task timed = task(1, 10, TimeUnit.SECONDS.toNanos(1));
    queue.add(timed);
    assertEquals(Dispatch.Kind.FLUSH, dispatch.nextAction(w, true).kind(), "a timed task");
    w.inFlight.clear();
    assertSends(timed, dispatch.nextAction(w, true)); // idle: any task
    Task next = queued(2);
    assertEquals(Dispatch.Kind.FLUSH, dispatch.nextAction(w, true).kind(), "behind a timed task");
    w.inFlight.clear();
    assertSends(next, dispatch.nextAction(w, true));
  }

  @Test
  void busyWorker_takesAnother_onlyIfNoOtherStartedWorkerHasFewer() {
    PoolWorker busy = worker("busy");
    busy.meanRunNanos = 0;
    inFlight(busy, 1);
    PoolWorker idle = worker("idle");
    Task a = queued(1);
    assertEquals(Dispatch.Kind.FLUSH, dispatch.nextAction(busy, true).kind());
    idle.handle = null; // not launched yet: it does not count
    assertSends(a, dispatch.nextAction(busy, true));
    idle.handle = new StubHandle();
    idle.state = PoolWorker.State.RETIRING; // takes no work: it does not count
    Task b = queued(2);
    assertSends(b, dispatch.nextAction(busy, true));
  }

  @Test
  void takingATask_wakesAWaitingSenderWithFewerInFlight_whileTasksRemain() {
    PoolWorker taker = worker("taker");
    PoolWorker other = worker("other");
    other.waiting = true;
    Task a = queued(1);
    assertSends(a, dispatch.nextAction(taker, true));
    assertTrue(other.waiting, "nothing left queued: no wake-up");
    Task b = queued(2);
    queued(3);
    taker.inFlight.clear();
    assertSends(b, dispatch.nextAction(taker, true));
    assertFalse(other.waiting, "woken: it has fewer in flight, and a task waits");
  }

  @Test
  void workerToWriteTo_aSmallTaskAloneInTheQueue_takesAnIdleWaitingSendersTurn() {
    PoolWorker busy = worker("busy");
    busy.waiting = true;
    inFlight(busy, 1);
    PoolWorker starting = worker("starting");
    starting.waiting = true;
    starting.state = PoolWorker.State.STARTING;
    PoolWorker idle = worker("idle");
    idle.waiting = true;
    Task a = queued(1);
    assertSame(idle, dispatch.workerToWriteTo(a));
    assertTrue(idle.callerWriting);
    assertSame(idle, a.worker);
    assertEquals(List.of(a), List.copyOf(idle.inFlight));
  }

  @Test
  void workerToWriteTo_withNoIdleWorker_takesTheTurnOfABusyOneThatMayTakeItAhead() {
    PoolWorker busier = worker("busier");
    busier.waiting = true;
    busier.meanRunNanos = 1000;
    inFlight(busier, 2);
    PoolWorker busy = worker("busy");
    busy.waiting = true;
    busy.meanRunNanos = 1000;
    inFlight(busy, 1);
    Task a = queued(1);
    assertSame(busy, dispatch.workerToWriteTo(a), "the one with fewer in flight");
    assertTrue(busy.callerWriting);
    assertSame(a, busy.inFlight.peekLast());
    assertEquals(0, queue.waiting());
  }

  @Test
  void workerToWriteTo_leavesTheTaskQueued_forABusyWorkerThePrefetchRuleRefuses_orOneWithEnough() {
    PoolWorker unknownMean = worker("unknownMean");
    unknownMean.waiting = true;
    unknownMean.meanRunNanos = -1; // no task has ended on it yet
    inFlight(unknownMean, 1);
    Task a = queued(1);
    assertNull(dispatch.workerToWriteTo(a));
    assertFalse(unknownMean.callerWriting);
    unknownMean.state = PoolWorker.State.RETIRING;
    PoolWorker full = worker("full");
    full.waiting = true;
    full.meanRunNanos = 0;
    inFlight(full, Dispatch.DIRECT_PREFETCH);
    assertNull(dispatch.workerToWriteTo(a), "its socket holds enough: its sender sends more");
    assertFalse(full.callerWriting);
    assertEquals(1, queue.waiting());
  }

  @Test
  void workerToWriteTo_refusesALargeTask_aTaskNotAlone_andAWorkerWhoseTurnIsTaken() {
    PoolWorker w = worker("w");
    w.waiting = true;
    Task large = task(1, Dispatch.DIRECT_WRITE_MAX_BYTES + 1, 0);
    queue.add(large);
    assertNull(dispatch.workerToWriteTo(large));
    Task small = queued(2);
    assertNull(dispatch.workerToWriteTo(small), "another task waits");
    queue.drainTo(new ArrayList<>());
    queue.add(small);
    w.callerWriting = true;
    assertNull(dispatch.workerToWriteTo(small));
    assertEquals(1, queue.waiting());
  }

  @Test
  void writeDirectly_aFailedWrite_killsTheWorker_andGivesTheTurnBack() {
    PoolWorker w = worker("w");
    w.waiting = true;
    w.writer =
        new Frames.Writer(
            new OutputStream() {
              @Override
              public void write(int b) throws IOException {
                throw new IOException("channel closed");
              }
            },
            new Codec.ClassTable(new ClassFilter("")));
    Task a = queued(1);
    assertSame(w, dispatch.workerToWriteTo(a));
    w.senderWantsTurn = true;
    dispatch.writeDirectly(w, a);
    assertFalse(w.callerWriting);
    assertFalse(w.senderWantsTurn);
    assertTrue(((StubHandle) w.handle).killed);
  }

  @Test
  void wakeOne_prefersAnIdleWorkersSender() {
    PoolWorker busy = worker("busy");
    busy.waiting = true;
    inFlight(busy, 1);
    PoolWorker idle = worker("idle");
    idle.waiting = true;
    dispatch.wakeOne();
    assertFalse(idle.waiting);
    assertTrue(busy.waiting);
    dispatch.wakeOne();
    assertFalse(busy.waiting);
  }
}
