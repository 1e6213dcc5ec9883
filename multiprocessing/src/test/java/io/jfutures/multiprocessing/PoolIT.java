package io.jfutures.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.api.TaskSerializationException;
import io.jfutures.api.WorkerDiedException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Python's classic Pool over child JVMs: its verbs, and what F5 to F7 become. */
final class PoolIT {
  private static final Duration LONG = ChildProcesses.LONG;
  private static Pool pool;

  @BeforeAll
  static void startPool() {
    pool = Pool.create(2);
  }

  @AfterAll
  static void closePool() {
    pool.close();
    ChildProcesses.awaitNone();
  }

  static int square(int x) {
    return x * x;
  }

  @Test
  void applyAndApplyAsync_withACallbackOnThePoolsCallbackThread() throws Exception {
    assertEquals(49, pool.apply(() -> square(7)));
    CountDownLatch called = new CountDownLatch(1);
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    AsyncResult<Integer> r =
        pool.applyAsync(
            () -> square(5),
            x -> {
              seen.add(x + " on " + Thread.currentThread().getName());
              called.countDown();
            },
            null);
    assertEquals(25, r.get(LONG));
    assertTrue(r.ready());
    assertTrue(r.successful());
    assertEquals(1, seen.size(), "the callback ran before the result was ready");
    assertTrue(seen.get(0).matches("25 on jfutures-pool-\\d+-callbacks"), seen.toString());
    assertEquals(9, pool.applyAsync(PoolIT::square, 3).get(LONG));
  }

  @Test
  void mapStarmapAndMapAsync_keepInputOrder() throws Exception {
    List<Integer> inputs = IntStream.range(0, 100).boxed().collect(Collectors.toList());
    List<Integer> squares = inputs.stream().map(PoolIT::square).collect(Collectors.toList());
    assertEquals(squares, pool.map(PoolIT::square, inputs));
    assertEquals(squares, pool.map(PoolIT::square, inputs, 7));
    assertEquals(
        List.of("a1", "b2"),
        pool.starmap(
            (String s, Integer i) -> s + i, List.of(Map.entry("a", 1), Map.entry("b", 2))));
    CountDownLatch called = new CountDownLatch(1);
    AsyncResult<List<Integer>> r =
        pool.mapAsync(PoolIT::square, inputs, 0, list -> called.countDown(), null);
    assertEquals(squares, r.get(LONG));
    assertEquals(0, called.getCount());
    assertEquals(List.of(), pool.map(PoolIT::square, List.<Integer>of()));
    // Items of mixed types travel as objects, chunk by chunk.
    List<Object> mixed = java.util.Arrays.asList(1, "b", null, 2.5, 3L);
    assertEquals(
        List.of("1", "b", "null", "2.5", "3"), pool.map((Object o) -> String.valueOf(o), mixed, 2));
    assertEquals(
        List.of("1b", "nullnull"),
        pool.<Object, Object, String>starmapAsync(
                (Object a, Object b) -> String.valueOf(a) + b,
                java.util.Arrays.asList(
                    Map.entry((Object) 1, (Object) "b"),
                    new java.util.AbstractMap.SimpleEntry<Object, Object>(null, null)),
                1,
                null,
                null)
            .get(LONG));
  }

  @Test
  void imap_isLazyOverAnEndlessInput_andImapUnorderedYieldsEverything() {
    Iterable<Integer> naturals = () -> Stream.iterate(0, i -> i + 1).iterator();
    try (Stream<Integer> s = pool.imap(PoolIT::square, naturals, 10)) {
      assertEquals(
          IntStream.range(0, 50).map(PoolIT::square).boxed().collect(Collectors.toList()),
          s.limit(50).collect(Collectors.toList()));
    }
    List<Integer> inputs = IntStream.range(0, 200).boxed().collect(Collectors.toList());
    try (Stream<Integer> s = pool.imapUnordered(PoolIT::square, inputs, 13)) {
      assertEquals(
          inputs.stream().map(PoolIT::square).sorted().collect(Collectors.toList()),
          s.sorted().collect(Collectors.toList()));
    }
  }

  @Test
  void f5_aWorkerKilledUnderATask_failsThatTaskWithItsPid_andIsReplaced() throws Exception {
    AsyncResult<Long> killed =
        pool.applyAsync(
            () -> {
              long pid = ProcessHandle.current().pid();
              Runtime.getRuntime().exec(new String[] {"kill", "-9", Long.toString(pid)});
              Thread.sleep(60_000); // inside a task
              return pid;
            });
    ExecutionException e = assertThrows(ExecutionException.class, () -> killed.get(LONG));
    WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, e.getCause());
    assertTrue(died.getMessage().contains("SIGKILL"), died.getMessage());
    assertFalse(killed.successful());
    // The pool goes on, on a new worker.
    assertEquals(4, pool.apply(() -> square(2)));
  }

  @Test
  void f6_anErrorAnUnserializableResultAndAThrowingCallback_affectOnlyTheirOwnResult()
      throws Exception {
    AsyncResult<Integer> error =
        pool.applyAsync(
            () -> {
              throw new AssertionError("an Error in a task");
            });
    AsyncResult<Object> unserializable = pool.applyAsync(() -> new Object());
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    AsyncResult<Integer> throwingCallback;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      throwingCallback =
          pool.applyAsync(
              () -> square(3),
              x -> {
                throw new IllegalStateException("a callback that throws");
              },
              null);
      assertEquals(9, throwingCallback.get(LONG));
    } finally {
      System.setErr(saved);
    }
    assertInstanceOf(
        AssertionError.class, assertThrows(ExecutionException.class, error::get).getCause());
    assertInstanceOf(
        TaskSerializationException.class,
        assertThrows(ExecutionException.class, unserializable::get).getCause());
    assertTrue(throwingCallback.successful());
    assertTrue(
        err.toString(StandardCharsets.UTF_8).contains("a callback that throws"), err.toString());
    assertEquals(16, pool.apply(() -> square(4)));
  }

  /** A callback that says it runs, then holds the callback thread until {@code release}. */
  private static Consumer<Integer> holdsTheCallbackThread(
      CountDownLatch inCallback, CountDownLatch release) {
    return x -> {
      inCallback.countDown();
      try {
        release.await(LONG.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  @Test
  void aBlockingCallback_delaysNeitherResultReadingNorResultsWithoutCallbacks() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch inCallback = new CountDownLatch(1);
    AsyncResult<Integer> slow =
        pool.applyAsync(() -> 1, holdsTheCallbackThread(inCallback, release), null);
    try {
      assertTrue(inCallback.await(LONG.toSeconds(), TimeUnit.SECONDS));
      assertEquals(2, pool.applyAsync(() -> 2).get(LONG));
      assertEquals(List.of(1, 4), pool.map(PoolIT::square, List.of(1, 2)));
      assertFalse(slow.ready(), "ready once its callback has run");
    } finally {
      release.countDown();
    }
    assertEquals(1, slow.get(LONG));
  }

  @Test
  void close_returnsOnceEveryResultIsReady_aCallbackStillRunningIncluded() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch inCallback = new CountDownLatch(1);
    Pool closing = Pool.create(1);
    AsyncResult<Integer> slow =
        closing.applyAsync(() -> 1, holdsTheCallbackThread(inCallback, release), null);
    List<AsyncResult<Integer>> quick = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      int n = i;
      quick.add(closing.applyAsync(() -> n)); // no callback: ready without waiting for slow's
    }
    assertTrue(inCallback.await(LONG.toSeconds(), TimeUnit.SECONDS));
    CompletableFuture<Void> closed = CompletableFuture.runAsync(closing::close);
    try {
      assertThrows(
          TimeoutException.class,
          () -> closed.get(300, TimeUnit.MILLISECONDS),
          "close waits for the callback");
      assertFalse(slow.ready());
    } finally {
      release.countDown();
    }
    closed.get(LONG.toSeconds(), TimeUnit.SECONDS);
    assertTrue(slow.ready());
    assertEquals(1, slow.get(Duration.ZERO));
    for (int i = 0; i < 100; i++) {
      assertEquals(i, quick.get(i).get(Duration.ZERO));
    }
  }

  @Test
  void aCallbackThatWouldWaitForItself_getsAnError_andNothingHangs() throws Exception {
    CompletableFuture<List<String>> refused = new CompletableFuture<>();
    List<AsyncResult<Integer>> later = new ArrayList<>();
    AsyncResult<Integer> first =
        pool.applyAsync(
            () -> 1,
            x -> {
              // Its callback runs on this thread, after this one: never ready while this waits.
              later.add(pool.applyAsync(() -> 2, y -> {}, null));
              List<String> errors = new ArrayList<>();
              for (Callable<?> call :
                  List.<Callable<?>>of(
                      () -> {
                        pool.close();
                        return null;
                      },
                      () -> {
                        pool.join();
                        return null;
                      },
                      () -> later.get(0).get(),
                      () -> pool.map(PoolIT::square, List.of(3)))) { // no callback: fine
                try {
                  errors.add("returned " + call.call());
                } catch (IllegalStateException e) {
                  errors.add(e.getMessage());
                } catch (Exception e) {
                  errors.add(e.toString());
                }
              }
              refused.complete(errors);
            },
            null);
    List<String> errors = refused.get(LONG.toSeconds(), TimeUnit.SECONDS);
    assertEquals(4, errors.size(), errors.toString());
    assertTrue(errors.get(0).startsWith("cannot close the pool in a callback"), errors.get(0));
    assertTrue(errors.get(1).startsWith("cannot join the pool in a callback"), errors.get(1));
    assertTrue(
        errors.get(2).startsWith("cannot wait for this result in a callback"), errors.get(2));
    assertEquals("returned [9]", errors.get(3));
    assertEquals(1, first.get(LONG));
    assertEquals(2, later.get(0).get(LONG));
    assertEquals(4, pool.apply(() -> 4), "the pool was not closed");
  }

  @Test
  void f7_terminateWithTenThousandTasksQueued_isBounded_andEveryResultCompletes() throws Exception {
    Pool doomed = Pool.create(2);
    AtomicInteger errorCallbacks = new AtomicInteger();
    List<AsyncResult<Integer>> results = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      results.add(
          doomed.applyAsync(
              () -> {
                Thread.sleep(60_000); // inside a task
                return 0;
              },
              null,
              e -> errorCallbacks.incrementAndGet()));
    }
    long start = System.nanoTime();
    doomed.terminate();
    doomed.join();
    System.out.printf(
        "terminate and join with 10,000 tasks: %d ms%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    int cancelled = 0;
    int sigterm = 0;
    for (AsyncResult<Integer> r : results) {
      assertTrue(r.ready());
      assertFalse(r.successful());
      try {
        r.get();
      } catch (CancellationException e) {
        cancelled++; // it had not started
      } catch (ExecutionException e) {
        assertInstanceOf(WorkerDiedException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("SIGTERM"), e.getCause().getMessage());
        sigterm++; // it ran in a worker that got SIGTERM
      }
    }
    assertEquals(10_000, cancelled + sigterm);
    assertTrue(sigterm <= 2, "at most one running task per worker: " + sigterm);
    assertEquals(10_000, errorCallbacks.get());
    assertThrows(IllegalStateException.class, () -> doomed.apply(() -> 1));
  }

  @Test
  void initializerAndMaxTasksPerChild() throws Exception {
    try (Pool recycling =
        Pool.newBuilder()
            .processes(1)
            .maxTasksPerChild(2)
            .initializer(() -> System.setProperty("initialized", "yes"))
            .build()) {
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        seen.add(
            recycling.apply(
                () -> ProcessHandle.current().pid() + " " + System.getProperty("initialized")));
      }
      assertTrue(seen.stream().allMatch(s -> s.endsWith(" yes")), seen.toString());
      assertEquals(seen.get(0), seen.get(1));
      assertNotEquals(seen.get(1), seen.get(2), "a new worker after two tasks");
    }
  }

  @Test
  void badCalls_failAtTheCall() throws Exception {
    Object notSerializable = new Object();
    RejectedExecutionException e =
        assertThrows(
            RejectedExecutionException.class,
            () -> pool.applyAsync(() -> notSerializable.hashCode()));
    assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Pool.create(0));
    assertThrows(
        IllegalArgumentException.class,
        () -> pool.mapAsync(PoolIT::square, List.of(1), -1, null, null));
    assertThrows(IllegalStateException.class, () -> pool.join());
    AsyncResult<Integer> pending = pool.applyAsync(() -> 1);
    pending.get(LONG);
    Pool closed = Pool.create(1);
    closed.shutdown();
    assertThrows(IllegalStateException.class, () -> closed.apply(() -> 1));
    closed.join();
  }
}
