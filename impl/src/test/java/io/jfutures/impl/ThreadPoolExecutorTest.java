package io.jfutures.impl;

import static io.jfutures.impl.Awaits.await;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.api.BrokenThreadPoolException;
import io.jfutures.api.SerializableCallable;
import io.jfutures.api.UncheckedTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

final class ThreadPoolExecutorTest {

  @Test
  void maxWorkers_zeroOrNegative_rejectedNamingValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ThreadPoolExecutor.newBuilder().maxWorkers(0));
    assertEquals("maxWorkers must be greater than 0, was 0", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> ThreadPoolExecutor.newBuilder().maxWorkers(-3));
    assertTrue(e.getMessage().contains("-3"), e.getMessage());
  }

  @Test
  void builder_settingTwice_throws() {
    ThreadPoolExecutor.Builder b = ThreadPoolExecutor.newBuilder().maxWorkers(2);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.maxWorkers(3));
    assertTrue(e.getMessage().contains("already set to 2"), e.getMessage());
  }

  @Test
  void maxWorkers_default_isPythonsFormula() {
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.ofDefaults()) {
      assertEquals(Math.min(32, Runtime.getRuntime().availableProcessors() + 4), pool.maxWorkers());
    }
  }

  @Test
  void submit_sequential_reusesTheIdleThread() throws Exception {
    // A thread counts as idle once its future's callbacks have run, as in Python; so a submit
    // made the instant get() returns may find it not idle yet and start another thread (up to
    // maxWorkers), as java.util.concurrent's pool does. Once it is idle, it is reused.
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    try (ThreadPoolExecutor pool =
        ThreadPoolExecutor.newBuilder().maxWorkers(8).threadNamePrefix("seq").build()) {
      for (int i = 0; i < 20; i++) {
        pool.submit(() -> threads.add(Thread.currentThread())).get(10, SECONDS);
        await().until(() -> threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
      }
    }
    assertEquals(
        Set.of("seq_0"), threads.stream().map(Thread::getName).collect(Collectors.toSet()));
  }

  @Test
  void submit_saturating_usesExactlyMaxWorkers() throws Exception {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    CountDownLatch release = new CountDownLatch(1);
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(3).build()) {
      List<CompletableFuture<?>> fs = new ArrayList<>();
      for (int i = 0; i < 15; i++) {
        fs.add(
            pool.submit(
                () -> {
                  threads.add(Thread.currentThread().getName());
                  release.await();
                  return null;
                }));
      }
      await().until(() -> threads.size() == 3);
      release.countDown();
      CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0])).get(10, SECONDS);
    }
    assertEquals(3, threads.size());
  }

  @Test
  void initializer_runsOncePerThreadBeforeFirstTask() throws Exception {
    ConcurrentHashMap<String, AtomicInteger> inits = new ConcurrentHashMap<>();
    ThreadLocal<Boolean> initialized = ThreadLocal.withInitial(() -> false);
    try (ThreadPoolExecutor pool =
        ThreadPoolExecutor.newBuilder()
            .maxWorkers(2)
            .initializer(
                () -> {
                  inits
                      .computeIfAbsent(Thread.currentThread().getName(), n -> new AtomicInteger())
                      .incrementAndGet();
                  initialized.set(true);
                })
            .build()) {
      for (int i = 0; i < 10; i++) {
        assertTrue(pool.submit(initialized::get).get(10, SECONDS));
      }
    }
    assertTrue(inits.size() <= 2, "at most one per thread: " + inits);
    assertTrue(inits.values().stream().allMatch(n -> n.get() == 1), "once per thread: " + inits);
  }

  @Test
  void initializer_throwing_breaksPool() throws Exception {
    IllegalStateException boom = new IllegalStateException("no database");
    CountDownLatch initStarted = new CountDownLatch(1);
    CountDownLatch failInit = new CountDownLatch(1);
    ThreadPoolExecutor pool =
        ThreadPoolExecutor.newBuilder()
            .maxWorkers(1)
            .initializer(
                () -> {
                  initStarted.countDown();
                  try {
                    failInit.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  throw boom;
                })
            .build();
    CompletableFuture<Integer> pending = pool.submit(() -> 1);
    initStarted.await(10, SECONDS);
    failInit.countDown();
    ExecutionException e = assertThrows(ExecutionException.class, () -> pending.get(10, SECONDS));
    BrokenThreadPoolException broken =
        assertInstanceOf(BrokenThreadPoolException.class, e.getCause());
    assertSame(boom, broken.getCause());
    BrokenThreadPoolException later =
        assertThrows(BrokenThreadPoolException.class, () -> pool.submit(() -> 2));
    assertSame(boom, later.getCause());
    pool.close();
    assertTrue(pool.isTerminated());
  }

  @Test
  void cancel_queuedTask_neverRuns() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(1).build()) {
      CompletableFuture<Object> blocker =
          pool.submit(
              () -> {
                release.await();
                return null;
              });
      CompletableFuture<Integer> queued = pool.submit(ran::incrementAndGet);
      assertTrue(queued.cancel(false));
      assertTrue(queued.isCancelled());
      release.countDown();
      blocker.get(10, SECONDS);
      pool.submit(() -> 0).get(10, SECONDS);
    }
    assertEquals(0, ran.get());
  }

  @Test
  void cancel_running_falseLeavesItTrueInterrupts() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(1).build()) {
      CompletableFuture<Object> running =
          pool.submit(
              () -> {
                started.countDown();
                try {
                  new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                  interrupted.countDown();
                }
                return null;
              });
      started.await(10, SECONDS);
      assertFalse(running.cancel(false));
      assertFalse(running.isDone());
      assertTrue(running.cancel(true));
      assertTrue(interrupted.await(10, SECONDS));
      assertThrows(CancellationException.class, running::join);
      // the interrupt does not leak into the next task on that thread
      assertFalse(pool.submit(() -> Thread.currentThread().isInterrupted()).get(10, SECONDS));
    }
  }

  @Test
  void cancelTrue_racingTheTasksEnd_neverInterruptsTheNextTask() throws Exception {
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(1).build()) {
      for (int i = 0; i < 2_000; i++) {
        long spinNanos = (i % 50) * 1_000L; // ends at all sorts of points of the cancel
        CompletableFuture<Object> task =
            pool.submit(
                () -> {
                  long end = System.nanoTime() + spinNanos;
                  while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                  }
                  return null;
                });
        // Queued behind it on the one thread: runs right after, whatever the cancel did.
        CompletableFuture<Boolean> next = pool.submit(() -> Thread.currentThread().isInterrupted());
        task.cancel(true);
        assertFalse(next.get(10, SECONDS), "round " + i + ": the next task saw an interrupt");
      }
    }
  }

  @Test
  void completeByHand_doesNotDisturbThePool() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(1).build()) {
      CompletableFuture<Object> blocker =
          pool.submit(
              () -> {
                release.await();
                return "real";
              });
      CompletableFuture<Integer> queued = pool.submit(ran::incrementAndGet);
      assertTrue(queued.complete(-1));
      assertTrue(blocker.complete("by hand"));
      release.countDown();
      assertEquals(1, pool.submit(() -> 1).get(10, SECONDS));
      assertEquals("by hand", blocker.join());
      assertEquals(-1, queued.join());
    }
    assertEquals(0, ran.get());
  }

  @Test
  void shutdown_cancelFutures_cancelsOnlyQueued() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(1).build();
    CompletableFuture<String> running =
        pool.submit(
            () -> {
              started.countDown();
              release.await();
              return "done";
            });
    List<CompletableFuture<Integer>> queued = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      queued.add(pool.submit(() -> 1));
    }
    started.await(10, SECONDS);
    pool.shutdown(false, true);
    queued.forEach(f -> assertTrue(f.isCancelled()));
    release.countDown();
    assertEquals("done", running.get(10, SECONDS));
    assertTrue(pool.awaitTermination(10, SECONDS));
  }

  @Test
  void submit_afterShutdown_rejectedSayingShutDown() {
    ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(1).build();
    pool.shutdown();
    pool.shutdown(); // idempotent
    RejectedExecutionException e =
        assertThrows(RejectedExecutionException.class, () -> pool.submit(() -> 1));
    assertTrue(e.getMessage().contains("shut down"), e.getMessage());
    assertTrue(pool.isTerminated());
  }

  /** The pool's description counts tasks, not the item that tells its threads to stop. */
  @Test
  void toString_afterShutdown_countsNoQueuedTask() throws Exception {
    ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(1).build();
    pool.submit(() -> 1).get(10, SECONDS);
    pool.shutdown();
    assertTrue(pool.awaitTermination(10, SECONDS));
    RejectedExecutionException e =
        assertThrows(RejectedExecutionException.class, () -> pool.submit(() -> 1));
    assertTrue(e.getMessage().contains("terminated, threads=0/1, queued=0"), e.getMessage());
  }

  /** Submits a task that counts {@code started} down, then waits until it is interrupted. */
  private static CompletableFuture<Object> submitBlocked(
      ThreadPoolExecutor pool, CountDownLatch started) {
    return pool.submit(
        () -> {
          started.countDown();
          new CountDownLatch(1).await();
          return null;
        });
  }

  @Test
  void shutdownNow_returnsNeverRunAndCancelsThem() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(1).build();
    CompletableFuture<Object> running = submitBlocked(pool, started);
    CompletableFuture<Integer> queued = pool.submit(() -> 1);
    started.await(10, SECONDS);
    List<Runnable> neverRan = pool.shutdownNow();
    assertEquals(1, neverRan.size());
    assertTrue(queued.isCancelled());
    ExecutionException e = assertThrows(ExecutionException.class, () -> running.get(10, SECONDS));
    assertInstanceOf(InterruptedException.class, e.getCause());
    assertTrue(pool.awaitTermination(10, SECONDS));
  }

  @Test
  void close_interruptedWhileWaiting_stopsRunningTasksAndKeepsTheInterrupt() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(1).build();
    CompletableFuture<Object> running = submitBlocked(pool, started);
    CompletableFuture<Integer> queued = pool.submit(() -> 1);
    assertTrue(started.await(10, SECONDS));
    assertTrue(
        Awaits.closeInterruptedWhileWaiting(
            pool, () -> assertFalse(running.isDone(), "close() waits for the running task")),
        "the interrupt status is kept");
    assertTrue(pool.isTerminated());
    ExecutionException e = assertThrows(ExecutionException.class, () -> running.get(10, SECONDS));
    assertInstanceOf(InterruptedException.class, e.getCause());
    assertTrue(queued.isCancelled());
  }

  @Test
  void map_resultsInInputOrder_anyChunkSize() {
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(4).build()) {
      List<Integer> input = IntStream.range(0, 50).boxed().collect(Collectors.toList());
      List<Integer> expected = input.stream().map(x -> x * x).collect(Collectors.toList());
      for (int chunk : new int[] {1, 3, 7, 50, 1000}) {
        try (Stream<Integer> out = pool.map((Integer x) -> x * x, input, chunk, null)) {
          assertEquals(expected, out.collect(Collectors.toList()), "chunkSize " + chunk);
        }
      }
      assertEquals(List.of(), pool.map((Integer x) -> x, List.of()).collect(Collectors.toList()));
    }
  }

  @Test
  void map_infiniteInput_readLazily() {
    AtomicInteger read = new AtomicInteger();
    Iterable<Integer> naturals =
        () ->
            new Iterator<>() {
              @Override
              public boolean hasNext() {
                return true;
              }

              @Override
              public Integer next() {
                return read.getAndIncrement();
              }
            };
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(2).build();
        Stream<Integer> out = pool.map((Integer x) -> x + 1, naturals, 5, null)) {
      assertEquals(
          IntStream.rangeClosed(1, 100).boxed().collect(Collectors.toList()),
          out.limit(100).collect(Collectors.toList()));
      // window = 2 * maxWorkers chunks of 5 beyond what was consumed
      assertTrue(read.get() <= 100 + 4 * 5 + 5, "read " + read.get());
    }
  }

  @Test
  void strayInterruptOfAnIdleThread_doesNotLoseTheNextTask() throws Exception {
    // Only shutdownNow() may end an idle thread: one that ended on any interrupt while counted as
    // idle left the next submit queued with no thread to run it.
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(1).build()) {
      Thread thread = pool.submit(Thread::currentThread).get(30, SECONDS);
      await().until(() -> thread.getState() == Thread.State.WAITING); // idle, waiting for work
      thread.interrupt();
      await().until(() -> !thread.isInterrupted()); // it has seen the interrupt
      assertEquals(42, pool.submit(() -> 42).get(30, SECONDS));
      assertSame(thread, pool.submit(Thread::currentThread).get(30, SECONDS));
    }
  }

  @Test
  void map_readAfterShutdown_yieldsWhatWasSubmittedThenRejects() {
    // The Python idiom `with pool: results = pool.map(...)`, read after the block: a lazy map
    // cannot submit the rest, but must not drop the results it already has.
    Stream<Integer> out;
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(2).build()) {
      out = pool.map((Integer x) -> x * 10, IntStream.range(0, 100).boxed()::iterator, 1, null);
    }
    List<Integer> seen = new ArrayList<>();
    Iterator<Integer> it = out.iterator();
    RejectedExecutionException e =
        assertThrows(
            RejectedExecutionException.class,
            () -> {
              while (it.hasNext()) {
                seen.add(it.next());
              }
            });
    assertTrue(e.getMessage().contains("shut down"), e.getMessage());
    assertFalse(seen.isEmpty(), "the chunks submitted before the shutdown were yielded");
    assertEquals(
        IntStream.range(0, seen.size()).map(x -> x * 10).boxed().collect(Collectors.toList()),
        seen);
    assertFalse(it.hasNext(), "finished after the failure");
  }

  @Test
  void map_inputThatThrows_yieldsTheResultsBeforeItThenItsException() {
    Iterator<Integer> failsAtThree =
        new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public Integer next() {
            if (next == 3) {
              throw new IllegalStateException("input broke at 3");
            }
            return next++;
          }
        };
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(2).build();
        Stream<Integer> out = pool.map((Integer x) -> x + 1, () -> failsAtThree, 1, null)) {
      Iterator<Integer> it = out.iterator();
      assertEquals(1, it.next());
      assertEquals(2, it.next());
      assertEquals(3, it.next());
      IllegalStateException e = assertThrows(IllegalStateException.class, it::next);
      assertEquals("input broke at 3", e.getMessage());
      assertFalse(it.hasNext());
    }
  }

  @Test
  void map_argumentErrors_clearMessages() {
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(1).build()) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> pool.map((Integer x) -> x, List.of(1), 0, null));
      assertEquals("chunkSize must be at least 1, was 0", e.getMessage());
      e =
          assertThrows(
              IllegalArgumentException.class,
              () -> pool.map((Integer x) -> x, List.of(1), 1, Duration.ofSeconds(-1)));
      assertTrue(e.getMessage().contains("PT-1S"), e.getMessage());
    }
  }

  @Test
  void map_failure_throwsCauseAndCancelsTheRest() {
    AtomicInteger started = new AtomicInteger();
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(1).build()) {
      List<Integer> input = IntStream.range(0, 100).boxed().collect(Collectors.toList());
      Stream<Integer> out =
          pool.map(
              (Integer x) -> {
                started.incrementAndGet();
                if (x == 2) {
                  throw new IllegalArgumentException("bad item " + x);
                }
                return x;
              },
              input,
              1,
              null);
      CompletionException e =
          assertThrows(CompletionException.class, () -> out.collect(Collectors.toList()));
      assertInstanceOf(IllegalArgumentException.class, e.getCause());
      assertEquals("bad item 2", e.getCause().getMessage());
      pool.shutdown(true, false);
    }
    assertTrue(started.get() <= 2 + 2 + 1, "started " + started.get());
  }

  @Test
  void map_close_cancelsNotStarted() throws Exception {
    AtomicInteger started = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(1).build()) {
      Stream<Integer> out =
          pool.map(
              (Integer x) -> {
                started.incrementAndGet();
                awaitUninterruptibly(release);
                return x;
              },
              List.of(0, 1, 2, 3, 4, 5),
              1,
              null);
      await().until(() -> started.get() == 1);
      out.close();
      release.countDown();
      pool.shutdown(true, false);
    }
    assertEquals(1, started.get());
  }

  @Test
  void map_deadlineCountsFromCall() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(2).build()) {
      Stream<Integer> out =
          pool.map(
              (Integer x) -> {
                if (x > 0) {
                  awaitUninterruptibly(release);
                }
                return x;
              },
              List.of(0, 1, 2),
              1,
              Duration.ofMillis(200));
      long called = System.nanoTime();
      await().until(() -> System.nanoTime() - called > Duration.ofMillis(300).toNanos());
      Iterator<Integer> it = out.iterator();
      assertEquals(0, it.next()); // finished before the deadline: still returned
      UncheckedTimeoutException e = assertThrows(UncheckedTimeoutException.class, it::next);
      assertTrue(e.getMessage().contains("PT0.2S"), e.getMessage());
      release.countDown();
    }
  }

  @Test
  void mapUnordered_yieldsAll() {
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(3).build()) {
      List<Integer> input = IntStream.range(0, 30).boxed().collect(Collectors.toList());
      List<Integer> out =
          pool.mapUnordered((Integer x) -> x * 2, input, 4, null)
              .sorted()
              .collect(Collectors.toList());
      assertEquals(input.stream().map(x -> x * 2).collect(Collectors.toList()), out);
    }
  }

  @Test
  void invokeAllAndAny() throws Exception {
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(2).build()) {
      List<Callable<Integer>> tasks = List.of(() -> 1, () -> 2, () -> 3);
      List<Future<Integer>> all = pool.invokeAll(tasks);
      List<Integer> results = new ArrayList<>();
      for (Future<Integer> f : all) {
        results.add(f.get());
      }
      assertEquals(List.of(1, 2, 3), results);
      SerializableCallable<Integer> fails =
          () -> {
            throw new IllegalStateException("nope");
          };
      assertEquals(7, pool.invokeAny(List.of(fails, () -> 7)));
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> pool.invokeAny(List.of(fails)));
      assertInstanceOf(IllegalStateException.class, e.getCause());
    }
  }

  @Test
  void callbackCallingShutdownWait_doesNotDeadlock() throws Exception {
    ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(1).build();
    CompletableFuture<Void> callback =
        pool.submit(() -> 1).thenRun(() -> pool.shutdown(true, false));
    callback.get(10, SECONDS);
    assertTrue(pool.awaitTermination(10, SECONDS));
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Its figures over JMX: outcomes counted, threads busy or idle, the MXBean gone once closed. */
  @Test
  void itsMxBean_countsOutcomes_andGoesWithThePool() throws Exception {
    javax.management.MBeanServer jmx =
        java.lang.management.ManagementFactory.getPlatformMBeanServer();
    javax.management.ObjectName name =
        new javax.management.ObjectName("io.jfutures:type=ThreadPoolExecutor,name=\"tp-metrics\"");
    CountDownLatch release = new CountDownLatch(1);
    try (ThreadPoolExecutor pool =
        ThreadPoolExecutor.newBuilder().maxWorkers(2).threadNamePrefix("tp-metrics").build()) {
      assertTrue(jmx.isRegistered(name));
      assertEquals(1, pool.submit(() -> 1).get());
      CompletableFuture<Object> fails =
          pool.submit(
              () -> {
                throw new IllegalStateException("fails");
              });
      assertThrows(ExecutionException.class, fails::get);
      CompletableFuture<Boolean> blocked = pool.submit(() -> release.await(30, SECONDS));
      CompletableFuture<Boolean> queuedBehind = pool.submit(() -> release.await(30, SECONDS));
      CompletableFuture<Integer> queued = pool.submit(() -> 3);
      // The thread that ran "fails" may not be idle yet when the next three are submitted: then a
      // second thread is made for "blocked", and both queue until the first thread takes one.
      await()
          .until(
              () ->
                  pool.metrics().getBusyWorkers() == 2
                      && (Integer) jmx.getAttribute(name, "QueuedTasks") == 1);
      assertEquals(0, (int) (Integer) jmx.getAttribute(name, "IdleWorkers"));
      queued.cancel(false);
      release.countDown();
      assertTrue(blocked.get() && queuedBehind.get());
      await().until(() -> pool.metrics().getCancelledTasks() == 1);
      PoolMXBean m = pool.metrics();
      assertEquals(3, m.getCompletedTasks());
      assertEquals(1, m.getFailedTasks());
      assertEquals(2, m.getWorkerStarts());
      assertEquals(0, m.getTimedOutTasks());
      await().until(() -> m.getIdleWorkers() == 2);
    }
    assertFalse(jmx.isRegistered(name), "unregistered once terminated");
  }

  /**
   * Submits that race shutdown() on the lock-free path: each is accepted and its future completes,
   * or it is refused; none is left queued behind STOP with no thread to run it.
   */
  @Test
  void submit_racingShutdown_everyAcceptedTaskCompletes_everyOtherIsRefused() throws Exception {
    for (int round = 0; round < 200; round++) {
      ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(2).build();
      // Both threads made, so that submits take the path without the lock.
      CountDownLatch both = new CountDownLatch(2);
      pool.submit(() -> awaitBoth(both));
      pool.submit(() -> awaitBoth(both)).get(10, SECONDS);
      List<CompletableFuture<Integer>> accepted = new ArrayList<>();
      CountDownLatch submitting = new CountDownLatch(1);
      Thread submitter =
          new Thread(
              () -> {
                try {
                  while (true) {
                    accepted.add(pool.submit(() -> 1));
                    submitting.countDown();
                  }
                } catch (RejectedExecutionException e) {
                  // shut down: the submit that found it so was refused, and said so
                }
              });
      submitter.start();
      assertTrue(submitting.await(10, SECONDS));
      pool.shutdown(false, round % 2 == 0);
      submitter.join(10_000);
      assertFalse(submitter.isAlive(), "the submitter got its refusal");
      // Each completed, or was cancelled by the drain: allOf completes either way.
      CompletableFuture.allOf(accepted.toArray(CompletableFuture<?>[]::new))
          .handle((r, e) -> null)
          .get(10, SECONDS);
      assertTrue(pool.awaitTermination(10, SECONDS));
    }
  }

  private static boolean awaitBoth(CountDownLatch both) throws InterruptedException {
    both.countDown();
    return both.await(10, SECONDS);
  }

  /** The future a caller keeps holds neither the task (and what it captured) nor its thread. */
  @Test
  void aCompletedFuture_keepsNotItsTask() throws Exception {
    try (ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(1).build()) {
      List<java.lang.ref.WeakReference<byte[]>> refs = new ArrayList<>();
      CompletableFuture<Integer> future = submitCapturing(pool, refs);
      java.lang.ref.WeakReference<byte[]> captured = refs.get(0);
      assertEquals(1 << 20, future.get(10, SECONDS));
      await()
          .until(
              () -> {
                System.gc();
                return captured.get() == null;
              });
      assertTrue(future.isDone(), "the future itself is still here: " + future);
    }
  }

  /**
   * Submits a task that alone refers to a 1 MiB array; {@code refs} gets a weak reference to it.
   */
  private static CompletableFuture<Integer> submitCapturing(
      ThreadPoolExecutor pool, List<java.lang.ref.WeakReference<byte[]>> refs) {
    byte[] payload = new byte[1 << 20];
    refs.add(new java.lang.ref.WeakReference<>(payload));
    return pool.submit(() -> payload.length);
  }
}
