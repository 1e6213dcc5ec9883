package io.jfutures.impl;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.api.BrokenProcessPoolException;
import io.jfutures.api.RetryOnWorkerLoss;
import io.jfutures.api.TaskSerializationException;
import io.jfutures.spi.WorkerHandle;
import io.jfutures.spi.WorkerLauncher;
import io.jfutures.spi.WorkerSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The whole protocol, with workers on threads of this JVM: fast, and no child process. */
final class InProcessLauncherTest {

  @Test
  void launchers_foundByServiceLoader() {
    assertTrue(
        ProcessPoolExecutor.availableLaunchers().containsAll(List.of("local-jvm", "in-process")));
  }

  @Test
  void inProcess_runsTasksAcrossTheSerializationBoundary() throws Exception {
    try (ProcessPoolExecutor pool =
        ProcessPoolExecutor.newBuilder().maxWorkers(2).launcher("in-process").build()) {
      int[] captured = {1, 2, 3};
      assertEquals(6, pool.submit(() -> captured[0] + captured[1] + captured[2]).get(10, SECONDS));
      List<Integer> squares =
          pool.map(
                  (Integer x) -> x * x,
                  IntStream.range(0, 100).boxed().collect(Collectors.toList()),
                  7,
                  null)
              .collect(Collectors.toList());
      assertEquals(
          IntStream.range(0, 100).map(x -> x * x).boxed().collect(Collectors.toList()), squares);
      ExecutionException e =
          assertThrows(
              ExecutionException.class, () -> pool.submit(() -> new Object()).get(10, SECONDS));
      assertInstanceOf(TaskSerializationException.class, e.getCause());
    }
  }

  @Test
  void aTaskMarkedToRetry_isRefusedAtSubmit_byAPoolThatNeverRunsATaskTwice() throws Exception {
    try (ProcessPoolExecutor pool =
            ProcessPoolExecutor.newBuilder().maxWorkers(1).launcher("in-process").build();
        ThreadPoolExecutor threads = ThreadPoolExecutor.newBuilder().maxWorkers(1).build()) {
      RejectedExecutionException e =
          assertThrows(
              RejectedExecutionException.class,
              () -> pool.submit(RetryOnWorkerLoss.upTo(2, () -> 42)));
      assertTrue(e.getMessage().contains("LocalProcessBackend"), e.getMessage());
      assertEquals(7, pool.submit(() -> 7).get(10, SECONDS), "the pool carries on");
      assertEquals(
          42,
          threads.submit(RetryOnWorkerLoss.upTo(2, () -> 42)).get(10, SECONDS),
          "a thread pool's workers are never lost: the mark changes nothing");
    }
  }

  @Test
  void allowClasses_widensTheFilter() throws Exception {
    try (ProcessPoolExecutor strict =
            ProcessPoolExecutor.newBuilder().maxWorkers(1).launcher("in-process").build();
        ProcessPoolExecutor widened =
            ProcessPoolExecutor.newBuilder()
                .maxWorkers(1)
                .launcher("in-process")
                .allowClasses("com.google.common.collect.*")
                .build()) {
      ExecutionException e =
          assertThrows(
              ExecutionException.class,
              () ->
                  strict
                      .submit(() -> com.google.common.collect.ImmutableList.of(1))
                      .get(10, SECONDS));
      assertTrue(e.getCause().getMessage().contains("allowClasses"), e.getCause().getMessage());
      assertEquals(
          List.of(1),
          widened.submit(() -> com.google.common.collect.ImmutableList.of(1)).get(10, SECONDS));
    }
  }

  @Test
  void allowClasses_malformedPattern_rejectedAtTheCall() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ProcessPoolExecutor.newBuilder().allowClasses("maxdepth=oops"));
  }

  @Test
  void launcherThatThrows_breaksThePoolWithItsCause() throws Exception {
    WorkerLauncher failing =
        new WorkerLauncher() {
          @Override
          public String name() {
            return "failing";
          }

          @Override
          public WorkerHandle launch(WorkerSpec spec) throws IOException {
            throw new IOException("no capacity on host");
          }
        };
    ProcessPoolExecutor pool = ProcessPoolExecutor.newBuilder().launcher(failing).build();
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> pool.submit(() -> 1).get(10, SECONDS));
    BrokenProcessPoolException broken =
        assertInstanceOf(BrokenProcessPoolException.class, e.getCause());
    assertEquals("no capacity on host", broken.getCause().getMessage());
    assertThrows(BrokenProcessPoolException.class, () -> pool.submit(() -> 2));
    pool.close();
    assertTrue(pool.isTerminated());
  }

  @Test
  void launcherThatReturnsNull_breaksThePool() throws Exception {
    WorkerLauncher broken =
        new WorkerLauncher() {
          @Override
          public String name() {
            return "null";
          }

          @Override
          public WorkerHandle launch(WorkerSpec spec) {
            return null;
          }
        };
    ProcessPoolExecutor pool = ProcessPoolExecutor.newBuilder().launcher(broken).build();
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> pool.submit(() -> 1).get(10, SECONDS));
    assertInstanceOf(BrokenProcessPoolException.class, e.getCause());
    pool.close();
  }

  @Test
  void racingSubmitters_eachFutureGetsItsOwnOutcome() throws Exception {
    // A small task that finds a worker idle is written by its submitting thread, which holds the
    // worker's write turn; other submitters, the senders and cancels of queued tasks race with it.
    // A broken turn shows as a corrupt stream (a broken pool) or an outcome on the wrong future.
    int submitters = 4;
    int rounds = 400;
    ExecutorService threads = Executors.newFixedThreadPool(submitters);
    try (ProcessPoolExecutor pool =
        ProcessPoolExecutor.newBuilder().maxWorkers(2).launcher("in-process").build()) {
      List<CompletableFuture<Void>> loops = new ArrayList<>();
      for (int t = 0; t < submitters; t++) {
        int base = t * rounds;
        loops.add(
            CompletableFuture.runAsync(
                () -> {
                  for (int i = 0; i < rounds; i++) {
                    int v = base + i;
                    CompletableFuture<Integer> f = pool.submit(() -> v);
                    if (i % 5 == 0) {
                      CompletableFuture<Integer> maybe = pool.submit(() -> -v);
                      if (!maybe.cancel(false)) {
                        assertEquals(-v, maybe.join());
                      }
                    }
                    assertEquals(v, f.join());
                  }
                },
                threads));
      }
      CompletableFuture.allOf(loops.toArray(new CompletableFuture<?>[0])).get(60, SECONDS);
      assertEquals(7, pool.submit(() -> 7).get(10, SECONDS), "the pool is whole");
    } finally {
      threads.shutdownNow();
    }
  }
}
