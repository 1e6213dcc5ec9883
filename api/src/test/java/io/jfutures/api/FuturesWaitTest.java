package io.jfutures.api;

import static io.jfutures.api.Awaits.awaitElapsed;
import static io.jfutures.api.TestTimeouts.SHORT_DELAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(20)
final class FuturesWaitTest {

  /* ---------------- FIRST_COMPLETED ---------------- */

  @Test
  void wait_firstCompleted_returnsOnFirstDone() throws Exception {
    CompletableFuture<String> f1 = new CompletableFuture<>();
    CompletableFuture<String> f2 = new CompletableFuture<>();
    CompletableFuture<String> f3 = new CompletableFuture<>();
    try (BlockingCall<DoneAndNotDone<CompletableFuture<String>>> call =
        BlockingCall.start(
            () -> Futures.wait(List.of(f1, f2, f3), null, ReturnWhen.FIRST_COMPLETED))) {
      call.awaitBlocked();
      f2.complete("b");

      DoneAndNotDone<CompletableFuture<String>> result = call.get();
      assertSets(result, List.of(f2), List.of(f1, f3));
    }
  }

  @Test
  void wait_firstCompleted_alreadyDone_returnsAtOnce() throws Exception {
    CompletableFuture<String> pending = new CompletableFuture<>();
    CompletableFuture<String> done = CompletableFuture.completedFuture("x");

    DoneAndNotDone<CompletableFuture<String>> result =
        Futures.wait(List.of(pending, done), null, ReturnWhen.FIRST_COMPLETED);

    assertSets(result, List.of(done), List.of(pending));
  }

  @Test
  void wait_firstCompleted_failureCounts() throws Exception {
    CompletableFuture<String> pending = new CompletableFuture<>();
    CompletableFuture<String> failed = CompletableFuture.failedFuture(new IllegalStateException());

    DoneAndNotDone<CompletableFuture<String>> result =
        Futures.wait(List.of(pending, failed), null, ReturnWhen.FIRST_COMPLETED);

    assertSets(result, List.of(failed), List.of(pending));
  }

  @Test
  void wait_firstCompleted_cancellationCounts() throws Exception {
    CompletableFuture<String> pending = new CompletableFuture<>();
    CompletableFuture<String> cancelled = new CompletableFuture<>();
    try (BlockingCall<DoneAndNotDone<CompletableFuture<String>>> call =
        BlockingCall.start(
            () -> Futures.wait(List.of(pending, cancelled), null, ReturnWhen.FIRST_COMPLETED))) {
      call.awaitBlocked();
      cancelled.cancel(false);

      assertSets(call.get(), List.of(cancelled), List.of(pending));
    }
  }

  /* ---------------- FIRST_EXCEPTION ---------------- */

  @Test
  void wait_firstException_returnsOnFirstException() throws Exception {
    CompletableFuture<String> ok = CompletableFuture.completedFuture("ok");
    CompletableFuture<String> failing = new CompletableFuture<>();
    CompletableFuture<String> pending = new CompletableFuture<>();
    try (BlockingCall<DoneAndNotDone<CompletableFuture<String>>> call =
        BlockingCall.start(
            () -> Futures.wait(List.of(failing, ok, pending), null, ReturnWhen.FIRST_EXCEPTION))) {
      // A future that completed normally does not release the waiter.
      call.awaitBlocked();
      failing.completeExceptionally(new IllegalStateException("boom"));

      assertSets(call.get(), List.of(failing, ok), List.of(pending));
    }
  }

  @Test
  void wait_firstException_alreadyFailed_returnsAtOnce() throws Exception {
    CompletableFuture<String> pending = new CompletableFuture<>();
    CompletableFuture<String> failed = CompletableFuture.failedFuture(new IllegalStateException());

    DoneAndNotDone<CompletableFuture<String>> result =
        Futures.wait(List.of(pending, failed), null, ReturnWhen.FIRST_EXCEPTION);

    assertSets(result, List.of(failed), List.of(pending));
  }

  @ParameterizedTest
  @MethodSource("cancelledFutures")
  void wait_firstException_cancellationIsNoException(Future<?> cancelled) throws Exception {
    CompletableFuture<String> pending = new CompletableFuture<>();
    List<Future<?>> futures = List.of(cancelled, pending);
    try (BlockingCall<DoneAndNotDone<Future<?>>> call =
        BlockingCall.start(() -> Futures.wait(futures, null, ReturnWhen.FIRST_EXCEPTION))) {
      call.awaitBlocked();
      pending.complete("done");

      assertSets(call.get(), futures, List.of());
    }
  }

  @ParameterizedTest
  @MethodSource("cancelledFutures")
  void wait_firstException_cancellationIsNoException_zeroTimeout(Future<?> cancelled)
      throws Exception {
    CompletableFuture<String> pending = new CompletableFuture<>();

    DoneAndNotDone<Future<?>> result =
        Futures.wait(List.of(cancelled, pending), Duration.ZERO, ReturnWhen.FIRST_EXCEPTION);

    assertSets(result, List.of(cancelled), List.of(pending));
  }

  static Stream<Named<Future<?>>> cancelledFutures() {
    return Stream.of(
        Named.of("CompletableFuture.cancel", cancelledByCancel()),
        Named.of("completeExceptionally(CancellationException)", completedWithCancellation()),
        Named.of("FutureTask.cancel", cancelledTask()));
  }

  private static Future<?> cancelledByCancel() {
    CompletableFuture<String> future = new CompletableFuture<>();
    future.cancel(true);
    return future;
  }

  private static Future<?> completedWithCancellation() {
    CompletableFuture<String> future = new CompletableFuture<>();
    future.completeExceptionally(new CancellationException("by hand"));
    return future;
  }

  private static Future<?> cancelledTask() {
    FutureTask<String> task = new FutureTask<>(() -> "never");
    task.cancel(false);
    return task;
  }

  @Test
  void wait_firstException_noException_returnsWhenAllDone() throws Exception {
    CompletableFuture<String> f1 = new CompletableFuture<>();
    CompletableFuture<String> f2 = new CompletableFuture<>();
    try (BlockingCall<DoneAndNotDone<CompletableFuture<String>>> call =
        BlockingCall.start(() -> Futures.wait(List.of(f1, f2), null, ReturnWhen.FIRST_EXCEPTION))) {
      call.awaitBlocked();
      f2.complete("b");
      f1.complete("a");

      assertSets(call.get(), List.of(f1, f2), List.of());
    }
  }

  @Test
  void wait_firstException_futureTaskFailed_returnsAtOnce() throws Exception {
    FutureTask<String> failing =
        new FutureTask<>(
            () -> {
              throw new IllegalStateException("boom");
            });
    failing.run();
    FutureTask<String> pending = new FutureTask<>(() -> "never");

    DoneAndNotDone<FutureTask<String>> result =
        Futures.wait(List.of(pending, failing), null, ReturnWhen.FIRST_EXCEPTION);

    assertSets(result, List.of(failing), List.of(pending));
  }

  /* ---------------- ALL_COMPLETED ---------------- */

  @Test
  void wait_allCompleted_waitsForAll() throws Exception {
    CompletableFuture<String> ok = CompletableFuture.completedFuture("ok");
    CompletableFuture<String> failed = CompletableFuture.failedFuture(new IllegalStateException());
    CompletableFuture<String> pending = new CompletableFuture<>();
    try (BlockingCall<DoneAndNotDone<CompletableFuture<String>>> call =
        BlockingCall.start(
            () -> Futures.wait(List.of(ok, failed, pending), null, ReturnWhen.ALL_COMPLETED))) {
      call.awaitBlocked();
      pending.complete("late");

      assertSets(call.get(), List.of(ok, failed, pending), List.of());
    }
  }

  @Test
  void wait_twoArguments_waitsForAll() throws Exception {
    CompletableFuture<String> ok = CompletableFuture.completedFuture("ok");
    CompletableFuture<String> pending = new CompletableFuture<>();
    try (BlockingCall<DoneAndNotDone<CompletableFuture<String>>> call =
        BlockingCall.start(() -> Futures.wait(List.of(ok, pending), null))) {
      call.awaitBlocked();
      pending.cancel(false);

      assertSets(call.get(), List.of(ok, pending), List.of());
    }
  }

  @Test
  void wait_twoArguments_timeout_returnsNotDone() throws Exception {
    CompletableFuture<String> ok = CompletableFuture.completedFuture("ok");
    CompletableFuture<String> pending = new CompletableFuture<>();

    DoneAndNotDone<CompletableFuture<String>> result =
        Futures.wait(List.of(ok, pending), Duration.ZERO);

    assertSets(result, List.of(ok), List.of(pending));
  }

  /* ---------------- timeouts ---------------- */

  @ParameterizedTest
  @EnumSource(ReturnWhen.class)
  void wait_timeout_returnsNotDoneWithoutThrowing(ReturnWhen returnWhen) throws Exception {
    CompletableFuture<String> f1 = new CompletableFuture<>();
    FutureTask<String> f2 = new FutureTask<>(() -> "never");
    List<Future<?>> futures = List.of(f1, f2);

    long start = System.nanoTime();
    DoneAndNotDone<Future<?>> result = Futures.wait(futures, SHORT_DELAY, returnWhen);
    long elapsed = System.nanoTime() - start;

    assertSets(result, List.of(), futures);
    assertTrue(elapsed >= SHORT_DELAY.toNanos(), () -> "returned after " + elapsed + " ns");
  }

  @Test
  void wait_timeout_returnsDoneAndNotDone() throws Exception {
    CompletableFuture<String> done = CompletableFuture.completedFuture("x");
    CompletableFuture<String> pending = new CompletableFuture<>();

    DoneAndNotDone<CompletableFuture<String>> result =
        Futures.wait(List.of(pending, done), SHORT_DELAY, ReturnWhen.ALL_COMPLETED);

    assertSets(result, List.of(done), List.of(pending));
  }

  @ParameterizedTest
  @EnumSource(ReturnWhen.class)
  void wait_zeroTimeout_onlyLooks(ReturnWhen returnWhen) throws Exception {
    CompletableFuture<String> cancelled = new CompletableFuture<>();
    cancelled.cancel(false);
    CompletableFuture<String> pending = new CompletableFuture<>();
    FutureTask<String> task = new FutureTask<>(() -> "never");
    List<Future<?>> futures = List.of(pending, cancelled, task);

    DoneAndNotDone<Future<?>> result = Futures.wait(futures, Duration.ZERO, returnWhen);

    assertSets(result, List.of(cancelled), List.of(pending, task));
  }

  @Test
  void wait_zeroTimeout_leavesNoCallbacks() throws Exception {
    CompletableFuture<String> pending = new CompletableFuture<>();
    for (int i = 0; i < 1_000; i++) {
      Futures.wait(List.of(pending), Duration.ZERO, ReturnWhen.ALL_COMPLETED);
    }
    assertEquals(0, pending.getNumberOfDependents());
  }

  @Test
  void wait_satisfiedAtOnce_leavesNoCallbacks() throws Exception {
    CompletableFuture<String> pending = new CompletableFuture<>();
    CompletableFuture<String> done = CompletableFuture.completedFuture("x");
    for (int i = 0; i < 1_000; i++) {
      Futures.wait(List.of(pending, done), null, ReturnWhen.FIRST_COMPLETED);
    }
    assertEquals(0, pending.getNumberOfDependents());
  }

  @Test
  void wait_nullTimeout_waits() throws Exception {
    CompletableFuture<String> pending = new CompletableFuture<>();
    try (BlockingCall<DoneAndNotDone<CompletableFuture<String>>> call =
        BlockingCall.start(() -> Futures.wait(List.of(pending), null, ReturnWhen.ALL_COMPLETED))) {
      call.awaitBlocked();
      awaitElapsed(System.nanoTime(), SHORT_DELAY);
      call.awaitBlocked();

      pending.complete("x");
      assertSets(call.get(), List.of(pending), List.of());
    }
  }

  @Test
  void wait_hugeTimeout_waits() throws Exception {
    CompletableFuture<String> pending = new CompletableFuture<>();
    Duration huge = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
    try (BlockingCall<DoneAndNotDone<CompletableFuture<String>>> call =
        BlockingCall.start(() -> Futures.wait(List.of(pending), huge, ReturnWhen.ALL_COMPLETED))) {
      call.awaitBlocked();
      pending.complete("x");

      assertSets(call.get(), List.of(pending), List.of());
    }
  }

  @Test
  void wait_negativeTimeout_throwsIae() {
    Duration negative = Duration.ofMillis(-1);
    List<CompletableFuture<String>> futures = List.of(CompletableFuture.completedFuture("x"));

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Futures.wait(futures, negative, ReturnWhen.ALL_COMPLETED));

    assertTrue(e.getMessage().contains(negative.toString()), e::getMessage);
  }

  @Test
  void wait_negativeTimeout_emptyCollection_throwsIae() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Futures.wait(List.<Future<?>>of(), Duration.ofNanos(-1), ReturnWhen.ALL_COMPLETED));
  }

  /* ---------------- arguments ---------------- */

  @Test
  void wait_duplicates_countedOnce() throws Exception {
    CompletableFuture<String> done = CompletableFuture.completedFuture("x");
    CompletableFuture<String> pending = new CompletableFuture<>();

    DoneAndNotDone<CompletableFuture<String>> result =
        Futures.wait(
            List.of(done, pending, done, pending), Duration.ZERO, ReturnWhen.ALL_COMPLETED);

    assertSets(result, List.of(done), List.of(pending));
  }

  @Test
  void wait_duplicatesAllDone_returnsAtOnce() throws Exception {
    CompletableFuture<String> done = CompletableFuture.completedFuture("x");

    DoneAndNotDone<CompletableFuture<String>> result =
        Futures.wait(List.of(done, done, done), null, ReturnWhen.ALL_COMPLETED);

    assertSets(result, List.of(done), List.of());
  }

  @ParameterizedTest
  @EnumSource(ReturnWhen.class)
  void wait_empty_returnsAtOnce(ReturnWhen returnWhen) throws Exception {
    DoneAndNotDone<Future<?>> result = Futures.wait(List.of(), null, returnWhen);

    assertSets(result, List.of(), List.of());
  }

  @Test
  void wait_nullElement_throwsNpe() {
    List<CompletableFuture<String>> futures =
        Arrays.asList(CompletableFuture.completedFuture("x"), null);

    assertThrows(
        NullPointerException.class,
        () -> Futures.wait(futures, Duration.ZERO, ReturnWhen.ALL_COMPLETED));
  }

  @Test
  void wait_nullFutures_throwsNpe() {
    Collection<Future<?>> futures = null;
    assertThrows(
        NullPointerException.class,
        () -> Futures.wait(futures, Duration.ZERO, ReturnWhen.ALL_COMPLETED));
  }

  @Test
  void wait_nullReturnWhen_throwsNpe() {
    List<Future<?>> futures = List.of();
    assertThrows(NullPointerException.class, () -> Futures.wait(futures, Duration.ZERO, null));
  }

  @Test
  void wait_inputChangedLater_resultUnaffected() throws Exception {
    CompletableFuture<String> done = CompletableFuture.completedFuture("x");
    List<CompletableFuture<String>> futures = new ArrayList<>(List.of(done));

    DoneAndNotDone<CompletableFuture<String>> result =
        Futures.wait(futures, Duration.ZERO, ReturnWhen.ALL_COMPLETED);
    futures.add(new CompletableFuture<>());

    assertSets(result, List.of(done), List.of());
  }

  @Test
  void wait_keepsInputOrder() throws Exception {
    List<CompletableFuture<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      futures.add(new CompletableFuture<>());
    }
    futures.get(5).complete(5);
    futures.get(2).complete(2);
    futures.get(0).complete(0);

    DoneAndNotDone<CompletableFuture<Integer>> result =
        Futures.wait(futures, Duration.ZERO, ReturnWhen.ALL_COMPLETED);

    assertSets(
        result,
        List.of(futures.get(0), futures.get(2), futures.get(5)),
        List.of(futures.get(1), futures.get(3), futures.get(4)));
  }

  @Test
  void wait_result_isUnmodifiable() throws Exception {
    CompletableFuture<String> done = CompletableFuture.completedFuture("x");
    CompletableFuture<String> pending = new CompletableFuture<>();

    DoneAndNotDone<CompletableFuture<String>> result =
        Futures.wait(List.of(done, pending), Duration.ZERO, ReturnWhen.ALL_COMPLETED);

    assertThrows(UnsupportedOperationException.class, () -> result.done().add(pending));
    assertThrows(UnsupportedOperationException.class, () -> result.notDone().clear());
  }

  /* ---------------- futures that are not CompletionStages ---------------- */

  @Test
  void wait_futureTask_isPolled() throws Exception {
    FutureTask<String> task = new FutureTask<>(() -> "x");
    try (BlockingCall<DoneAndNotDone<FutureTask<String>>> call =
        BlockingCall.start(() -> Futures.wait(List.of(task), null, ReturnWhen.ALL_COMPLETED))) {
      call.awaitBlocked();
      task.run();

      assertSets(call.get(), List.of(task), List.of());
    }
  }

  @Test
  void wait_futureTask_firstException() throws Exception {
    FutureTask<String> failing =
        new FutureTask<>(
            () -> {
              throw new IllegalStateException("boom");
            });
    FutureTask<String> pending = new FutureTask<>(() -> "never");
    try (BlockingCall<DoneAndNotDone<FutureTask<String>>> call =
        BlockingCall.start(
            () -> Futures.wait(List.of(pending, failing), null, ReturnWhen.FIRST_EXCEPTION))) {
      call.awaitBlocked();
      failing.run();

      assertSets(call.get(), List.of(failing), List.of(pending));
    }
  }

  @Test
  void wait_mixedFutures_firstCompleted() throws Exception {
    CompletableFuture<String> stage = new CompletableFuture<>();
    FutureTask<String> task = new FutureTask<>(() -> "x");
    List<Future<?>> futures = List.of(stage, task);
    try (BlockingCall<DoneAndNotDone<Future<?>>> call =
        BlockingCall.start(() -> Futures.wait(futures, null, ReturnWhen.FIRST_COMPLETED))) {
      call.awaitBlocked();
      task.run();

      assertSets(call.get(), List.of(task), List.of(stage));
    }
  }

  /* ---------------- interruption ---------------- */

  @Test
  void wait_interrupted_throwsInterruptedException() throws Exception {
    CompletableFuture<String> pending = new CompletableFuture<>();
    BlockingCall<DoneAndNotDone<CompletableFuture<String>>> call =
        BlockingCall.start(() -> Futures.wait(List.of(pending), null, ReturnWhen.ALL_COMPLETED));
    call.awaitBlocked();

    call.close();

    ExecutionException e = assertThrows(ExecutionException.class, call::get);
    assertInstanceOf(InterruptedException.class, e.getCause());
  }

  @Test
  void wait_alreadyInterruptedAndSatisfied_returns() throws Exception {
    CompletableFuture<String> failed = CompletableFuture.failedFuture(new IllegalStateException());
    Thread.currentThread().interrupt();
    try {
      DoneAndNotDone<CompletableFuture<String>> result =
          Futures.wait(List.of(failed), null, ReturnWhen.FIRST_EXCEPTION);

      assertSets(result, List.of(failed), List.of());
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }

  /** Asserts both sets, in order. */
  private static <F extends Future<?>> void assertSets(
      DoneAndNotDone<F> result,
      Collection<? extends Future<?>> done,
      Collection<? extends Future<?>> notDone) {
    assertEquals(List.copyOf(done), List.copyOf(result.done()), "done");
    assertEquals(List.copyOf(notDone), List.copyOf(result.notDone()), "notDone");
  }

  @Test
  void repeatedBlockingWaits_leaveOneCallbackPerFuture() throws Exception {
    // Python's `while not_done: done, not_done = wait(not_done, FIRST_COMPLETED)`: a callback per
    // wait and future would pile up on the futures still running.
    CompletableFuture<Integer> running = new CompletableFuture<>();
    CompletableFuture<Integer> alsoRunning = new CompletableFuture<>();
    for (int i = 0; i < 50; i++) {
      DoneAndNotDone<CompletableFuture<Integer>> r =
          Futures.wait(
              List.of(running, alsoRunning), Duration.ofMillis(1), ReturnWhen.FIRST_COMPLETED);
      assertEquals(2, r.notDone().size());
    }
    assertEquals(1, running.getNumberOfDependents());
    assertEquals(1, alsoRunning.getNumberOfDependents());
    running.complete(1);
    assertEquals(0, running.getNumberOfDependents());
    DoneAndNotDone<CompletableFuture<Integer>> r =
        Futures.wait(List.of(running, alsoRunning), null, ReturnWhen.FIRST_COMPLETED);
    assertEquals(List.of(running), new ArrayList<>(r.done()));
  }

  @Test
  void twoThreadsWaitingOnOneFuture_bothWake() throws Exception {
    CompletableFuture<Integer> shared = new CompletableFuture<>();
    List<CompletableFuture<DoneAndNotDone<CompletableFuture<Integer>>>> waits = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      waits.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return Futures.wait(List.of(shared), null);
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    awaitElapsed(System.nanoTime(), SHORT_DELAY); // both are likely waiting by now
    shared.complete(7);
    for (CompletableFuture<DoneAndNotDone<CompletableFuture<Integer>>> w : waits) {
      assertEquals(1, w.get(30, TimeUnit.SECONDS).done().size());
    }
  }
}
