package io.jfutures.impl;

import static io.jfutures.impl.Awaits.await;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.ListeningExecutorService;
import com.google.common.util.concurrent.MoreExecutors;
import io.jfutures.api.Futures;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The thread pool under ordinary java.util.concurrent and CompletableFuture code: it must behave as
 * the JDK's ThreadPoolExecutor does.
 */
final class ThreadPoolDropInTest {

  @Test
  void completableFutureSupplyAsyncAndRunAsync_complete() throws Exception {
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(2).build()) {
      assertEquals(42, CompletableFuture.supplyAsync(() -> 6 * 7, pool).get(5, SECONDS));
      AtomicInteger ran = new AtomicInteger();
      CompletableFuture.runAsync(ran::incrementAndGet, pool).get(5, SECONDS);
      assertEquals(1, ran.get());
      assertEquals(
          "x!", CompletableFuture.completedFuture("x").thenApplyAsync(s -> s + "!", pool).join());
      assertEquals(7, Futures.supplyAsync(() -> 7, pool).get(5, SECONDS));
    }
  }

  @Test
  void executeOfATaskThatThrows_reachesTheThreadsUncaughtExceptionHandler() throws Exception {
    LinkedBlockingQueue<Throwable> uncaught = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<String> threads = new LinkedBlockingQueue<>();
    try (ThreadPoolExecutor pool =
        ThreadPoolExecutor.newBuilder()
            .maxWorkers(1)
            .threadFactory(
                r -> {
                  Thread t = new Thread(r, "handled");
                  t.setDaemon(true);
                  t.setUncaughtExceptionHandler(
                      (thread, e) -> {
                        threads.add(thread.getName());
                        uncaught.add(e);
                      });
                  return t;
                })
            .build()) {
      IllegalStateException thrown = new IllegalStateException("boom");
      Runnable failing =
          () -> {
            throw thrown;
          };
      pool.execute(failing);
      assertSame(thrown, uncaught.poll(5, SECONDS), "the very exception, unwrapped");
      assertEquals("handled", threads.poll(5, SECONDS), "on the thread that ran it");
      // A checked exception from a lambda written in the call reaches it unwrapped too.
      pool.execute(
          () -> {
            throw new java.io.IOException("checked");
          });
      Throwable checked = uncaught.poll(5, SECONDS);
      assertInstanceOf(java.io.IOException.class, checked);
      // The thread carries on.
      assertEquals(1, pool.submit(() -> 1).get(5, SECONDS));
    }
  }

  @Test
  void invokeAllAndInvokeAny_withPlainCallables() throws Exception {
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(2).build()) {
      List<Callable<Integer>> tasks = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        int n = i;
        Callable<Integer> plain = () -> n * n;
        tasks.add(plain);
      }
      List<Future<Integer>> all = pool.invokeAll(tasks);
      List<Integer> squares = new ArrayList<>();
      for (Future<Integer> f : all) {
        squares.add(f.get());
      }
      assertEquals(List.of(0, 1, 4, 9, 16), squares);
      int any = pool.invokeAny(tasks);
      assertTrue(List.of(0, 1, 4, 9, 16).contains(any), "got " + any);
      Callable<Integer> failing =
          () -> {
            throw new IllegalStateException("no");
          };
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> pool.invokeAny(List.of(failing)));
      assertInstanceOf(IllegalStateException.class, e.getCause());
    }
  }

  @Test
  void executorCompletionService_yieldsInCompletionOrder() throws Exception {
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(2).build()) {
      ExecutorCompletionService<String> service = new ExecutorCompletionService<>(pool);
      CountDownLatch slowMayEnd = new CountDownLatch(1);
      service.submit(
          () -> {
            slowMayEnd.await(); // a task body that waits
            return "slow";
          });
      service.submit(() -> "fast");
      assertEquals("fast", service.poll(5, SECONDS).get());
      slowMayEnd.countDown();
      assertEquals("slow", service.poll(5, SECONDS).get());
    }
  }

  @Test
  void guavaListeningDecorator_completesItsListenableFutures() throws Exception {
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(2).build()) {
      ListeningExecutorService listening = MoreExecutors.listeningDecorator(pool);
      ListenableFuture<Integer> f = listening.submit(() -> 6 * 7);
      CountDownLatch listened = new CountDownLatch(1);
      f.addListener(listened::countDown, MoreExecutors.directExecutor());
      assertEquals(42, f.get(5, SECONDS));
      assertTrue(listened.await(5, SECONDS));
    }
  }

  @Test
  void voidLambdas_pickTheSerializableOverload_andMayThrowCheckedExceptions() throws Exception {
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(1).build()) {
      CompletableFuture<Void> slept = pool.submit(() -> Thread.sleep(10)); // inside a task
      assertNull(slept.get(5, SECONDS));
      CompletableFuture<Void> failed =
          pool.submit(
              () -> {
                throw new java.io.IOException("checked");
              });
      ExecutionException e = assertThrows(ExecutionException.class, () -> failed.get(5, SECONDS));
      assertInstanceOf(java.io.IOException.class, e.getCause(), "unwrapped, as a Callable's");
    }
  }

  @Test
  void chainOfContinuationsThatSubmitAndJoin_completesOnTwoThreads() throws Exception {
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(2).build()) {
      CompletableFuture<Integer> chain = pool.submit(() -> 0);
      for (int i = 0; i < 20; i++) {
        chain = chain.thenApply(x -> pool.submit(() -> x + 1).join());
      }
      assertEquals(20, chain.get(30, SECONDS));
    }
  }

  @Test
  void threadThatCannotStart_failsTheSubmitThatNeededIt_andThePoolStillCloses() {
    UnstartableThreads noThread = new UnstartableThreads();
    ThreadPoolExecutor pool =
        ThreadPoolExecutor.newBuilder().maxWorkers(2).threadFactory(noThread).build();
    RejectedExecutionException e =
        assertThrows(RejectedExecutionException.class, () -> pool.submit(() -> 1));
    assertSame(noThread.error, e.getCause());
    assertTrue(e.getMessage().contains("could not be started"), e.getMessage());
    pool.close(); // bounded by the test's timeout: a thread counted but never started hung it
    assertTrue(pool.isTerminated());
  }

  @Test
  void onlyWorkerThreadsCarryThePrefix() throws Exception {
    String prefix = "prefix-test-" + System.nanoTime();
    try (ThreadPoolExecutor pool =
        ThreadPoolExecutor.newBuilder().maxWorkers(2).threadNamePrefix(prefix).build()) {
      CountDownLatch bothRunning = new CountDownLatch(2);
      List<CompletableFuture<String>> names = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        names.add(
            pool.submit(
                () -> {
                  bothRunning.countDown();
                  bothRunning.await(); // a task body that waits for the other
                  return Thread.currentThread().getName();
                }));
      }
      for (CompletableFuture<String> name : names) {
        assertTrue(name.get(5, SECONDS).matches(prefix.replace("-", "\\-") + "_[0-9]+"));
      }
      List<String> withPrefix =
          Thread.getAllStackTraces().keySet().stream()
              .map(Thread::getName)
              .filter(n -> n.startsWith(prefix))
              .collect(Collectors.toList());
      assertTrue(
          withPrefix.stream().allMatch(n -> n.matches(prefix.replace("-", "\\-") + "_[0-9]+")),
          "only prefix_N: " + withPrefix);
    }
  }

  @Test
  void map_doesNotKeepAYieldedResultReachable() {
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(1).build();
        Stream<byte[]> results =
            pool.map((Integer n) -> new byte[1 << 20], List.of(1, 2, 3, 4, 5, 6), 3, null)) {
      Iterator<byte[]> it = results.iterator();
      WeakReference<byte[]> first = new WeakReference<>(it.next());
      // The chunk's other results are still to come; the first one was handed over and dropped.
      await()
          .until(
              () -> {
                System.gc();
                return first.get() == null;
              });
      int rest = 0;
      while (it.hasNext()) {
        assertEquals(1 << 20, it.next().length);
        rest++;
      }
      assertEquals(5, rest);
    }
  }

  @Test
  void mapStillYieldsEveryResultInOrder() {
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(2).build()) {
      List<Integer> in = IntStream.range(0, 1000).boxed().collect(Collectors.toList());
      assertEquals(
          in.stream().map(n -> n * 2).collect(Collectors.toList()),
          pool.map((Integer n) -> n * 2, in, 7, null).collect(Collectors.toList()));
    }
  }
}
