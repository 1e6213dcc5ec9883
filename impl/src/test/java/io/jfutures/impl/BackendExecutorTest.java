package io.jfutures.impl;

import static io.jfutures.impl.Awaits.await;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.api.BrokenProcessPoolException;
import io.jfutures.api.RetryOnWorkerLoss;
import io.jfutures.api.TaskTimeoutException;
import io.jfutures.api.WorkerDiedException;
import io.jfutures.spi.backend.BackendCapability;
import io.jfutures.spi.backend.BackendWorker;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The executor's queue, failure model, retries and timeouts, over a backend of threads. */
@Timeout(60)
final class BackendExecutorTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private BackendExecutor executor;

  @AfterEach
  void close() throws Exception {
    release.countDown();
    if (executor != null) {
      executor.shutdownNow();
      assertTrue(executor.awaitTermination(10, SECONDS));
    }
  }

  private BackendExecutor build(BackendExecutor.Builder b) {
    executor = b.build();
    return executor;
  }

  private boolean awaitRelease() throws InterruptedException {
    return release.await(30, SECONDS);
  }

  @Test
  void tasksGoToEveryWorker_upToItsSlots_andTheRestWaitHere() throws Exception {
    FakeBackend backend = new FakeBackend();
    BackendExecutor ex = build(BackendExecutor.newBuilder(backend));
    backend.add(1);
    backend.add(2);
    List<CompletableFuture<String>> blocked =
        IntStream.range(0, 3)
            .mapToObj(
                i ->
                    ex.submit(
                        () -> {
                          awaitRelease();
                          return Thread.currentThread().getName();
                        }))
            .toList();
    CompletableFuture<Integer> waiting = ex.submit(() -> 4);
    await().until(() -> ex.toString().contains("queued=1, running=3"));
    assertTrue(waiting.cancel(false), "a task still queued here cancels");
    release.countDown();
    Set<String> ranOn = blocked.stream().map(CompletableFuture::join).collect(Collectors.toSet());
    assertEquals(Set.of("fake-worker-1", "fake-worker-2"), ranOn);
    assertEquals(3, ex.parallelism());
  }

  @Test
  void aWorkerThatJoinsLater_takesTheQueuedTasks() throws Exception {
    FakeBackend backend = new FakeBackend();
    BackendExecutor ex = build(BackendExecutor.newBuilder(backend));
    CompletableFuture<Integer> f = ex.submit(() -> 6 * 7);
    assertFalse(f.isDone(), "no worker yet");
    backend.add(1);
    assertEquals(42, f.get(10, SECONDS));
    assertEquals(List.of(10, 20, 30), ex.map((Integer x) -> x * 10, List.of(1, 2, 3)).toList());
  }

  @Test
  void replaceWorker_failsOnlyTheLostWorkersTasks_namingIt() throws Exception {
    FakeBackend backend = new FakeBackend();
    BackendExecutor ex =
        build(
            BackendExecutor.newBuilder(backend)
                .workerDeathPolicy(WorkerDeathPolicy.REPLACE_WORKER));
    BackendWorker doomed = backend.add(1);
    BackendWorker stays = backend.add(1);
    CompletableFuture<Boolean> onDoomed = ex.submit(this::awaitRelease);
    CompletableFuture<Boolean> onStays = ex.submit(this::awaitRelease);
    await().until(() -> ex.toString().contains("running=2"));
    backend.lose(doomed);
    ExecutionException e = assertThrows(ExecutionException.class, () -> onDoomed.get(10, SECONDS));
    WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, e.getCause());
    assertTrue(died.getMessage().contains("fake-worker-1 (pid 1001)"), died.getMessage());
    assertTrue(died.getMessage().contains("SIGKILL"), died.getMessage());
    assertEquals("fake-worker-1", died.failure().orElseThrow().workerName());
    assertTrue(died.failure().orElseThrow().task().startsWith("task #1"));
    assertEquals(List.of(stays), ex.workers());
    release.countDown();
    assertTrue(onStays.get(10, SECONDS));
    assertEquals(7, ex.submit(() -> 7).get(10, SECONDS), "the executor carries on");
  }

  @Test
  void breakPool_failsEveryUnfinishedTask_andRefusesMore() throws Exception {
    FakeBackend backend = new FakeBackend(BackendCapability.INTERRUPT_RUNNING_TASK);
    BackendExecutor ex = build(BackendExecutor.newBuilder(backend));
    BackendWorker doomed = backend.add(1);
    backend.add(1);
    CompletableFuture<Boolean> a = ex.submit(this::awaitRelease);
    CompletableFuture<Boolean> b = ex.submit(this::awaitRelease);
    CompletableFuture<Boolean> queued = ex.submit(this::awaitRelease);
    await().until(() -> ex.toString().contains("queued=1"));
    backend.lose(doomed);
    for (CompletableFuture<Boolean> f : List.of(a, b, queued)) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, SECONDS));
      BrokenProcessPoolException broken =
          assertInstanceOf(BrokenProcessPoolException.class, e.getCause());
      assertEquals("fake-worker-1", broken.failure().orElseThrow().workerName());
      assertEquals(1001, broken.pid());
    }
    BrokenProcessPoolException refused =
        assertThrows(BrokenProcessPoolException.class, () -> ex.submit(() -> 1));
    assertTrue(refused.getMessage().contains("fake-worker-1"), refused.getMessage());
    assertTrue(ex.awaitTermination(10, SECONDS), "a broken executor terminates");
    assertTrue(backend.closed.await(1, SECONDS));
  }

  @Test
  void aWorkerLostWhileIdle_breaksNothing() throws Exception {
    FakeBackend backend = new FakeBackend();
    BackendExecutor ex = build(BackendExecutor.newBuilder(backend));
    BackendWorker idle = backend.add(1);
    backend.add(1);
    backend.lose(idle);
    assertEquals(1, ex.submit(() -> 1).get(10, SECONDS));
  }

  @Test
  void retryOnWorkerLoss_runsTheTaskElsewhere_upToTheBound() throws Exception {
    FakeBackend backend = new FakeBackend();
    BackendExecutor ex =
        build(
            BackendExecutor.newBuilder(backend)
                .workerDeathPolicy(WorkerDeathPolicy.REPLACE_WORKER)
                .retryOnWorkerLoss(1));
    BackendWorker first = backend.add(1);
    AtomicInteger runs = new AtomicInteger();
    CompletableFuture<String> f =
        ex.submit(
            () -> {
              if (runs.incrementAndGet() < 3) {
                awaitRelease(); // interrupted when its worker is lost
              }
              return Thread.currentThread().getName();
            });
    await().until(() -> runs.get() == 1);
    BackendWorker second = backend.add(1);
    backend.lose(first);
    await().until(() -> runs.get() == 2);
    assertFalse(f.isDone(), "run again on the worker left");
    BackendWorker third = backend.add(1);
    backend.lose(second);
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, SECONDS));
    WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, e.getCause());
    assertTrue(died.getMessage().contains("attempt 2 of 2"), died.getMessage());
    assertEquals(2, runs.get(), "not run a third time");
    assertEquals("fake-worker-3", ex.submit(() -> Thread.currentThread().getName()).get());
    assertEquals(List.of(third), ex.workers());
  }

  @Test
  void aTaskMarkedToRetry_runsAgainUpToItsOwnBound_whileAnUnmarkedOneFails() throws Exception {
    FakeBackend backend = new FakeBackend();
    BackendExecutor ex =
        build(
            BackendExecutor.newBuilder(backend)
                .workerDeathPolicy(WorkerDeathPolicy.REPLACE_WORKER));
    BackendWorker first = backend.add(2);
    AtomicInteger markedRuns = new AtomicInteger();
    AtomicInteger plainRuns = new AtomicInteger();
    CompletableFuture<String> marked =
        ex.submit(
            RetryOnWorkerLoss.upTo(
                2,
                () -> {
                  if (markedRuns.incrementAndGet() < 3) {
                    awaitRelease(); // interrupted when its worker is lost
                  }
                  return Thread.currentThread().getName();
                }));
    CompletableFuture<Object> plain =
        ex.submit(
            () -> {
              plainRuns.incrementAndGet();
              return awaitRelease();
            });
    await().until(() -> markedRuns.get() == 1 && plainRuns.get() == 1);
    BackendWorker second = backend.add(2);
    backend.lose(first);
    ExecutionException e = assertThrows(ExecutionException.class, () -> plain.get(10, SECONDS));
    assertInstanceOf(WorkerDiedException.class, e.getCause(), "not marked: not run again");
    await().until(() -> markedRuns.get() == 2);
    BackendWorker third = backend.add(1);
    backend.lose(second);
    assertEquals("fake-worker-3", marked.get(10, SECONDS), "its third run, on the third worker");
    assertEquals(3, markedRuns.get());
    assertEquals(1, plainRuns.get());
    assertEquals(List.of(third), ex.workers());
  }

  @Test
  void aTaskMarkedToRetry_isRefusedAtSubmit_whereItCouldNotBeRunAgain() {
    BackendExecutor ex = build(BackendExecutor.newBuilder(new FakeBackend()));
    RejectedExecutionException e =
        assertThrows(
            RejectedExecutionException.class,
            () -> ex.submit(RetryOnWorkerLoss.upTo(1, () -> "x")));
    assertTrue(e.getMessage().contains("REPLACE_WORKER"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RetryOnWorkerLoss.upTo(0, () -> "x"));
  }

  @Test
  void settingsTheBackendCannotHonour_areRefusedAtBuildTime() {
    FakeBackend plain = new FakeBackend();
    UnsupportedOperationException timeout =
        assertThrows(
            UnsupportedOperationException.class,
            () -> BackendExecutor.newBuilder(plain).taskTimeout(Duration.ofSeconds(1)));
    assertTrue(timeout.getMessage().contains("The fake backend cannot honour taskTimeout"));
    assertTrue(timeout.getMessage().contains("INTERRUPT_RUNNING_TASK"), timeout.getMessage());
    UnsupportedOperationException init =
        assertThrows(
            UnsupportedOperationException.class,
            () -> BackendExecutor.newBuilder(plain).initializer(() -> {}));
    assertTrue(init.getMessage().contains("WORKER_INITIALIZER"), init.getMessage());
    IllegalStateException retry =
        assertThrows(
            IllegalStateException.class,
            () -> BackendExecutor.newBuilder(plain).retryOnWorkerLoss(2).build());
    assertTrue(retry.getMessage().contains("REPLACE_WORKER"), retry.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> BackendExecutor.newBuilder(plain).allowClasses("com.example.*", "maxdepth=x"));
  }

  @Test
  void taskTimeout_failsTheFuture_andInterruptsTheTask() throws Exception {
    FakeBackend backend = new FakeBackend(BackendCapability.INTERRUPT_RUNNING_TASK);
    BackendExecutor ex =
        build(BackendExecutor.newBuilder(backend).taskTimeout(Duration.ofMillis(200)));
    backend.add(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    CompletableFuture<Boolean> f =
        ex.submit(
            () -> {
              try {
                return awaitRelease();
              } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
              }
            });
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, SECONDS));
    TaskTimeoutException t = assertInstanceOf(TaskTimeoutException.class, e.getCause());
    assertTrue(t.getMessage().contains("its thread was interrupted"), t.getMessage());
    assertTrue(interrupted.await(10, SECONDS));
    assertEquals(1, ex.submit(() -> 1).get(10, SECONDS), "the slot is free again");
  }

  @Test
  void cancelTrue_stopsARunningTask_cancelFalse_doesNot() throws Exception {
    FakeBackend backend = new FakeBackend(BackendCapability.INTERRUPT_RUNNING_TASK);
    BackendExecutor ex = build(BackendExecutor.newBuilder(backend));
    backend.add(1);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    CompletableFuture<Boolean> f =
        ex.submit(
            () -> {
              started.countDown();
              try {
                return awaitRelease();
              } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
              }
            });
    assertTrue(started.await(10, SECONDS));
    assertFalse(f.cancel(false), "running: cancel(false) leaves it alone");
    assertTrue(f.cancel(true));
    assertThrows(CancellationException.class, f::join);
    assertTrue(interrupted.await(10, SECONDS));
  }

  @Test
  void callbacksRunOnTheExecutorsThreads_notTheBackends() throws Exception {
    FakeBackend backend = new FakeBackend();
    BackendExecutor ex = build(BackendExecutor.newBuilder(backend).name("cb"));
    backend.add(1);
    CountDownLatch stalled = new CountDownLatch(1);
    CountDownLatch attached = new CountDownLatch(1); // else a quick task's callback runs here
    CompletableFuture<String> callbackThread = new CompletableFuture<>();
    CompletableFuture<Boolean> task = ex.submit(() -> attached.await(30, SECONDS));
    task.thenRun(
        () -> {
          callbackThread.complete(Thread.currentThread().getName());
          try {
            stalled.await(30, SECONDS); // a stalled callback
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    attached.countDown();
    assertEquals("cb-completer", callbackThread.get(10, SECONDS));
    assertEquals(2, ex.submit(() -> 2).get(10, SECONDS), "outcomes still arrive");
    stalled.countDown();
  }

  @Test
  void backendFailure_breaksTheExecutor() throws Exception {
    FakeBackend backend = new FakeBackend();
    BackendExecutor ex = build(BackendExecutor.newBuilder(backend));
    CompletableFuture<Integer> waiting = ex.submit(() -> 1);
    backend.listener.backendFailed(new IllegalStateException("the client gave up"));
    ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(10, SECONDS));
    assertTrue(e.getCause().getMessage().contains("the client gave up"), e.getMessage());
    assertThrows(RejectedExecutionException.class, () -> ex.submit(() -> 2));
  }

  @Test
  void shutdownWait_finishesTheTasks_thenClosesTheBackendOnItsOwnThread() throws Exception {
    FakeBackend backend = new FakeBackend();
    BackendExecutor ex = build(BackendExecutor.newBuilder(backend).allowClasses("com.example.*"));
    assertEquals("com.example.*", backend.allowedClasses);
    backend.add(2);
    List<CompletableFuture<Integer>> all =
        IntStream.range(0, 5).mapToObj(i -> ex.submit(() -> i)).toList();
    ex.shutdown(true, false);
    assertTrue(ex.isTerminated());
    for (int i = 0; i < 5; i++) {
      assertEquals(i, all.get(i).getNow(-1));
    }
    assertTrue(backend.closed.await(0, SECONDS));
    assertTrue(backend.closedOnItsOwnThread.get());
    RejectedExecutionException refused =
        assertThrows(RejectedExecutionException.class, () -> ex.submit(() -> 1));
    assertTrue(refused.getMessage().contains("is shut down"), refused.getMessage());
  }

  @Test
  void shutdownNow_returnsTheTasksThatNeverRan_andCancelsTheRunningOnes() throws Exception {
    FakeBackend backend = new FakeBackend(BackendCapability.INTERRUPT_RUNNING_TASK);
    BackendExecutor ex = build(BackendExecutor.newBuilder(backend));
    backend.add(1);
    CompletableFuture<Boolean> running = ex.submit(this::awaitRelease);
    CompletableFuture<Integer> queued = ex.submit(() -> 1);
    await().until(() -> ex.toString().contains("queued=1, running=1"));
    assertEquals(1, ex.shutdownNow().size());
    assertTrue(queued.isCancelled());
    assertTrue(running.isCancelled());
    assertTrue(ex.awaitTermination(10, SECONDS));
  }
}
