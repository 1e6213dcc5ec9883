package io.jfutures.impl;

import static io.jfutures.impl.Awaits.await;
import static io.jfutures.impl.Awaits.awaitNoChildren;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.MoreExecutors;
import io.jfutures.api.Futures;
import io.jfutures.api.SerializableCallable;
import io.jfutures.api.TaskTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process pool under ordinary java.util.concurrent and CompletableFuture code, with real child
 * JVMs: what cannot travel to a child JVM is refused at the call, what can works, and callbacks
 * that use the pool again do not deadlock. One pool of one worker serves the tests that need no
 * other.
 */
final class ProcessPoolDropInIT {
  private static ProcessPoolExecutor pool;

  @BeforeAll
  static void startPool() {
    pool = ProcessPoolExecutor.newBuilder().maxWorkers(1).build();
  }

  @AfterAll
  static void closePool() {
    pool.close();
    assertTrue(pool.isTerminated());
    awaitNoChildren();
  }

  @Test
  void completableFutureSupplyAsyncAndRunAsync_areRefusedAtTheCall_namingTheFix() {
    RejectedExecutionException supply =
        assertThrows(
            RejectedExecutionException.class, () -> CompletableFuture.supplyAsync(() -> 1, pool));
    assertTrue(supply.getMessage().contains("CompletableFuture$AsyncSupply"), supply.getMessage());
    assertTrue(supply.getMessage().contains("cannot be serialized"), supply.getMessage());
    assertTrue(supply.getMessage().contains("Futures.supplyAsync"), supply.getMessage());
    RejectedExecutionException run =
        assertThrows(
            RejectedExecutionException.class, () -> CompletableFuture.runAsync(() -> {}, pool));
    assertTrue(run.getMessage().contains("CompletableFuture$AsyncRun"), run.getMessage());
  }

  @Test
  void plainRunnableAndCallable_areRefusedAtTheCall() {
    Runnable plain = () -> {};
    RejectedExecutionException e =
        assertThrows(RejectedExecutionException.class, () -> pool.execute(plain));
    assertTrue(
        e.getMessage().contains("a lambda of " + ProcessPoolDropInIT.class.getName()),
        e.getMessage());
    assertTrue(e.getMessage().contains("is not Serializable"), e.getMessage());
    assertThrows(RejectedExecutionException.class, () -> pool.submit(plain));
    Callable<Integer> callable = () -> 1;
    assertThrows(RejectedExecutionException.class, () -> pool.submit(callable));
  }

  @Test
  void capturedStateThatCannotBeSerialized_isRefusedAtTheCall() {
    Object notSerializable = new Object();
    RejectedExecutionException e =
        assertThrows(
            RejectedExecutionException.class, () -> pool.submit(() -> notSerializable.hashCode()));
    assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    assertTrue(e.getMessage().contains("ProcessPoolDropInIT.java:"), "names the lambda's line");
  }

  @Test
  void futuresSupplyAsyncAndRunAsync_runInAChildJvm() throws Exception {
    long parent = ProcessHandle.current().pid();
    long child = Futures.supplyAsync(() -> ProcessHandle.current().pid(), pool).get(30, SECONDS);
    assertTrue(child != parent);
    assertNull(Futures.runAsync(() -> Thread.sleep(1), pool).get(30, SECONDS)); // inside a task
    assertEquals(
        "6!",
        Futures.supplyAsync(() -> 6, pool).thenApply(n -> n + "!").get(30, SECONDS),
        "the stages after it run in this JVM");
  }

  @Test
  void futuresSupplyAsync_ofLambdasCapturingValues_eachRunsWithItsOwn() throws Exception {
    List<CompletableFuture<String>> futures = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      int k = i;
      String s = i % 2 == 0 ? "s" : null;
      List<Integer> list = i % 10 == 0 ? List.of(k) : null; // no compact form: goes whole
      futures.add(Futures.supplyAsync(() -> s + k + list, pool));
    }
    for (int i = 0; i < futures.size(); i++) {
      assertEquals(
          (i % 2 == 0 ? "s" : null) + "" + i + (i % 10 == 0 ? List.of(i) : null),
          futures.get(i).get(30, SECONDS));
    }
    Object notSerializable = new Object();
    RejectedExecutionException e =
        assertThrows(
            RejectedExecutionException.class,
            () -> Futures.supplyAsync(() -> notSerializable.hashCode(), pool));
    assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    assertTrue(e.getMessage().contains("ProcessPoolDropInIT.java:"), "names the supplier's line");
  }

  @Test
  void invokeAllAndInvokeAny_refusePlainCallables_andRunSerializableOnes() throws Exception {
    Callable<Integer> plain = () -> 1;
    assertThrows(RejectedExecutionException.class, () -> pool.invokeAll(List.of(plain)));
    assertThrows(RejectedExecutionException.class, () -> pool.invokeAny(List.of(plain)));
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      int n = i;
      SerializableCallable<Integer> square = () -> n * n;
      tasks.add(square);
    }
    List<Integer> squares = new ArrayList<>();
    for (Future<Integer> f : pool.invokeAll(tasks)) {
      squares.add(f.get());
    }
    assertEquals(List.of(0, 1, 4, 9), squares);
    assertTrue(List.of(0, 1, 4, 9).contains(pool.invokeAny(tasks)));
  }

  @Test
  void executorCompletionServiceAndGuavasListeningDecorator_areRefusedAtTheCall() {
    // Both hand execute() a wrapper of their own, which cannot be serialized.
    ExecutorCompletionService<Integer> service = new ExecutorCompletionService<>(pool);
    SerializableCallable<Integer> task = () -> 1;
    RejectedExecutionException e =
        assertThrows(RejectedExecutionException.class, () -> service.submit(task));
    assertTrue(e.getMessage().contains("QueueingFuture"), e.getMessage());
    assertTrue(e.getMessage().contains("cannot be serialized"), e.getMessage());
    assertThrows(
        RejectedExecutionException.class,
        () -> MoreExecutors.listeningDecorator(pool).submit(task));
  }

  @Test
  void executeOfATaskThatThrows_reachesAnUncaughtExceptionHandler() throws Exception {
    LinkedBlockingQueue<Throwable> uncaught = new LinkedBlockingQueue<>();
    Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
    try {
      pool.execute(
          () -> {
            throw new IllegalStateException("from the child");
          });
      Throwable e = uncaught.poll(30, SECONDS);
      assertInstanceOf(IllegalStateException.class, e);
      assertEquals("from the child", e.getMessage());
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(before);
    }
  }

  @Test
  void voidLambdaThatThrowsACheckedException_compilesAndFailsItsFuture() throws Exception {
    CompletableFuture<Void> printed = pool.submit(() -> System.out.println("printed by a task"));
    assertNull(printed.get(30, SECONDS));
    CompletableFuture<Void> failed =
        pool.submit(
            () -> {
              throw new java.io.IOException("checked");
            });
    ExecutionException e = assertThrows(ExecutionException.class, () -> failed.get(30, SECONDS));
    assertInstanceOf(java.io.IOException.class, e.getCause());
  }

  @Test
  void chainOfContinuationsThatSubmitAndJoin_completesOnOneWorker() throws Exception {
    CompletableFuture<Integer> chain = pool.submit(() -> 0);
    for (int i = 0; i < 20; i++) {
      chain = chain.thenApply(x -> pool.submit(() -> x + 1).join());
    }
    assertEquals(20, chain.get(60, SECONDS));
  }

  @Test
  void blockingCallback_delaysNeitherLaterResultsNorTimeouts(@TempDir Path dir) throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch callbackRunning = new CountDownLatch(1);
    // The task ends only once the callback is attached, so that the callback runs where the pool
    // completes the future, not on this thread.
    String go = dir.resolve("go").toString();
    CompletableFuture<Integer> first =
        pool.submit(
            () -> {
              while (!Files.exists(Path.of(go))) {
                Thread.sleep(1); // inside a task
              }
              return 1;
            });
    CompletableFuture<Object> blocked =
        first.thenApply(
            x -> {
              callbackRunning.countDown();
              try {
                return release.await(60, SECONDS);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    try {
      Files.createFile(Path.of(go));
      assertTrue(callbackRunning.await(30, SECONDS));
      // The same worker's next outcomes are read while the callback still blocks.
      assertEquals(2, pool.submit(() -> 2).get(30, SECONDS));
      CompletableFuture<Integer> overrun =
          pool.submit(
              () -> {
                Thread.sleep(60_000); // inside a task: it must time out
                return 0;
              },
              Duration.ofSeconds(1));
      ExecutionException e = assertThrows(ExecutionException.class, () -> overrun.get(30, SECONDS));
      assertInstanceOf(TaskTimeoutException.class, e.getCause());
      assertTrue(
          e.getCause().getMessage().contains("ProcessPoolDropInIT.java:"),
          "names the task by its lambda: " + e.getCause().getMessage());
      assertFalse(blocked.isDone(), "the callback still blocks");
    } finally {
      release.countDown();
    }
    assertEquals(true, blocked.get(30, SECONDS));
  }

  @Test
  void unreachablePool_letsItsWorkersExit() {
    long pid = startAndForgetAPool();
    await()
        .alias("worker " + pid + " exited once its pool was unreachable")
        .until(
            () -> {
              System.gc();
              return !Awaits.isRunning(pid);
            });
  }

  private static long startAndForgetAPool() {
    ProcessPoolExecutor forgotten = ProcessPoolExecutor.newBuilder().maxWorkers(1).build();
    return forgotten.submit(() -> ProcessHandle.current().pid()).join();
  }

  @Test
  void workerThreadThatCannotStart_failsTheSubmit_andThePoolStillCloses() {
    UnstartableThreads noThread = new UnstartableThreads();
    ProcessPoolExecutor starved =
        ProcessPoolExecutor.newBuilder().maxWorkers(1).threadFactory(noThread).build();
    RejectedExecutionException e =
        assertThrows(RejectedExecutionException.class, () -> starved.submit(() -> 1));
    assertTrue(e.getCause() == noThread.error, "the error is the cause: " + e);
    starved.close(); // bounded by the test's timeout
    assertTrue(starved.isTerminated());
  }
}
