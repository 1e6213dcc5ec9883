package io.jfutures.api;

import static io.jfutures.api.Awaits.awaitElapsed;
import static io.jfutures.api.TestTimeouts.SHORT_DELAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
final class FuturesAsCompletedTest {

  /* ---------------- order ---------------- */

  @Test
  void asCompleted_doneFirst_thenCompletionOrder() {
    CompletableFuture<String> f1 = new CompletableFuture<>();
    CompletableFuture<String> f2 = CompletableFuture.completedFuture("2");
    CompletableFuture<String> f3 = new CompletableFuture<>();
    CompletableFuture<String> f4 = CompletableFuture.failedFuture(new IllegalStateException());
    Iterator<CompletableFuture<String>> iterator =
        Futures.asCompleted(List.of(f1, f2, f3, f4)).iterator();

    assertTrue(iterator.hasNext());
    f3.complete("3");
    f1.cancel(false);

    assertEquals(List.of(f2, f4, f3, f1), drain(iterator));
  }

  @Test
  void asCompleted_alreadyDone_inInputOrder() {
    CompletableFuture<String> f1 = CompletableFuture.completedFuture("1");
    CompletableFuture<String> f2 = new CompletableFuture<>();
    CompletableFuture<String> f3 = new CompletableFuture<>();
    Iterable<CompletableFuture<String>> iterable = Futures.asCompleted(List.of(f3, f2, f1));
    f2.complete("2");
    f3.complete("3");

    assertEquals(List.of(f3, f2, f1), drain(iterable.iterator()));
  }

  @Test
  void asCompleted_next_blocksUntilOneCompletes() throws Exception {
    CompletableFuture<String> f1 = new CompletableFuture<>();
    CompletableFuture<String> f2 = new CompletableFuture<>();
    Iterator<CompletableFuture<String>> iterator =
        Futures.asCompleted(List.of(f1, f2), null).iterator();
    try (BlockingCall<CompletableFuture<String>> call = BlockingCall.start(iterator::next)) {
      call.awaitBlocked();
      f2.complete("2");

      assertSame(f2, call.get());
    }
    f1.complete("1");
    assertSame(f1, iterator.next());
    assertFalse(iterator.hasNext());
  }

  @Test
  void asCompleted_failedAndCancelled_areYielded() {
    CompletableFuture<String> failing = new CompletableFuture<>();
    CompletableFuture<String> cancelled = new CompletableFuture<>();
    Iterator<CompletableFuture<String>> iterator =
        Futures.asCompleted(List.of(failing, cancelled)).iterator();

    assertTrue(iterator.hasNext());
    cancelled.cancel(true);
    failing.completeExceptionally(new IllegalStateException());

    assertEquals(List.of(cancelled, failing), drain(iterator));
  }

  @Test
  void asCompleted_duplicates_yieldedOnce() {
    CompletableFuture<String> done = CompletableFuture.completedFuture("x");
    CompletableFuture<String> pending = new CompletableFuture<>();
    Iterator<CompletableFuture<String>> iterator =
        Futures.asCompleted(List.of(done, pending, done, pending)).iterator();

    assertTrue(iterator.hasNext());
    pending.complete("y");

    assertEquals(List.of(done, pending), drain(iterator));
  }

  @Test
  void asCompleted_eachIterator_isANewPass() {
    CompletableFuture<String> f1 = new CompletableFuture<>();
    CompletableFuture<String> f2 = new CompletableFuture<>();
    Iterable<CompletableFuture<String>> iterable = Futures.asCompleted(List.of(f1, f2));
    Iterator<CompletableFuture<String>> first = iterable.iterator();
    assertTrue(first.hasNext());
    f2.complete("2");
    f1.complete("1");
    assertEquals(List.of(f2, f1), drain(first));

    assertEquals(List.of(f1, f2), drain(iterable.iterator()));
  }

  @Test
  void asCompleted_inputChangedLater_isIgnored() {
    CompletableFuture<String> done = CompletableFuture.completedFuture("x");
    List<CompletableFuture<String>> futures = new ArrayList<>(List.of(done));
    Iterable<CompletableFuture<String>> iterable = Futures.asCompleted(futures, Duration.ZERO);

    futures.add(new CompletableFuture<>());

    assertEquals(List.of(done), drain(iterable.iterator()));
  }

  /* ---------------- end ---------------- */

  @Test
  void asCompleted_afterAll_hasNextFalseAndNextThrows() {
    CompletableFuture<String> f1 = CompletableFuture.completedFuture("1");
    CompletableFuture<String> f2 = CompletableFuture.completedFuture("2");
    Iterator<CompletableFuture<String>> iterator =
        Futures.asCompleted(List.of(f1, f2), Duration.ZERO).iterator();
    iterator.next();
    iterator.next();

    assertFalse(iterator.hasNext());
    assertFalse(iterator.hasNext());
    NoSuchElementException e = assertThrows(NoSuchElementException.class, iterator::next);
    assertTrue(e.getMessage().contains("2"), e::getMessage);
  }

  @Test
  void asCompleted_empty_hasNoElements() {
    Iterator<Future<?>> iterator = Futures.asCompleted(List.<Future<?>>of()).iterator();

    assertFalse(iterator.hasNext());
    assertThrows(NoSuchElementException.class, iterator::next);
  }

  @Test
  void asCompleted_emptyWithZeroTimeout_hasNoElements() {
    Iterator<Future<?>> iterator =
        Futures.asCompleted(List.<Future<?>>of(), Duration.ZERO).iterator();

    assertFalse(iterator.hasNext());
    assertThrows(NoSuchElementException.class, iterator::next);
  }

  /* ---------------- timeouts ---------------- */

  @Test
  void asCompleted_timeout_throwsWithCount() {
    CompletableFuture<String> f1 = new CompletableFuture<>();
    CompletableFuture<String> f2 = CompletableFuture.completedFuture("2");
    CompletableFuture<String> f3 = new CompletableFuture<>();
    CompletableFuture<String> f4 = CompletableFuture.completedFuture("4");
    Iterator<CompletableFuture<String>> iterator =
        Futures.asCompleted(List.of(f1, f2, f3, f4), SHORT_DELAY).iterator();
    assertSame(f2, iterator.next());
    assertSame(f4, iterator.next());

    UncheckedTimeoutException e = assertThrows(UncheckedTimeoutException.class, iterator::next);

    assertEquals("2 (of 4) futures unfinished", e.getMessage());
    TimeoutException cause = assertInstanceOf(TimeoutException.class, e.getCause());
    assertEquals("2 (of 4) futures unfinished", cause.getMessage());
    assertTrue(iterator.hasNext());
  }

  @Test
  void asCompleted_zeroTimeout_yieldsDoneThenThrows() {
    CompletableFuture<String> done = CompletableFuture.completedFuture("x");
    FutureTask<String> pending = new FutureTask<>(() -> "never");
    List<Future<?>> futures = List.of(pending, done);
    Iterator<Future<?>> iterator = Futures.asCompleted(futures, Duration.ZERO).iterator();

    assertSame(done, iterator.next());
    UncheckedTimeoutException e = assertThrows(UncheckedTimeoutException.class, iterator::next);
    assertEquals("1 (of 2) futures unfinished", e.getMessage());
  }

  @Test
  void asCompleted_timeout_countsDistinctFutures() {
    CompletableFuture<String> done = CompletableFuture.completedFuture("x");
    CompletableFuture<String> pending = new CompletableFuture<>();
    Iterator<CompletableFuture<String>> iterator =
        Futures.asCompleted(List.of(done, pending, done, pending), Duration.ZERO).iterator();

    assertSame(done, iterator.next());
    UncheckedTimeoutException e = assertThrows(UncheckedTimeoutException.class, iterator::next);
    assertEquals("1 (of 2) futures unfinished", e.getMessage());
  }

  @Test
  void asCompleted_afterTimeout_canContinue() {
    CompletableFuture<String> pending = new CompletableFuture<>();
    Iterator<CompletableFuture<String>> iterator =
        Futures.asCompleted(List.of(pending), Duration.ZERO).iterator();
    assertThrows(UncheckedTimeoutException.class, iterator::next);

    pending.complete("late");

    assertSame(pending, iterator.next());
    assertFalse(iterator.hasNext());
  }

  @Test
  void asCompleted_deadlinePassedButFutureDone_yieldsIt() {
    CompletableFuture<String> f1 = new CompletableFuture<>();
    CompletableFuture<String> f2 = new CompletableFuture<>();
    Iterator<CompletableFuture<String>> iterator =
        Futures.asCompleted(List.of(f1, f2), Duration.ZERO).iterator();
    assertTrue(iterator.hasNext());

    f2.complete("2");

    assertSame(f2, iterator.next());
    UncheckedTimeoutException e = assertThrows(UncheckedTimeoutException.class, iterator::next);
    assertEquals("1 (of 2) futures unfinished", e.getMessage());
  }

  @Test
  void asCompleted_completedBeforeIterating_succeedsAfterTimeoutPassed() {
    CompletableFuture<String> f1 = new CompletableFuture<>();
    CompletableFuture<String> f2 = new CompletableFuture<>();
    long created = System.nanoTime();
    Iterable<CompletableFuture<String>> iterable =
        Futures.asCompleted(List.of(f1, f2), SHORT_DELAY);
    f1.complete("1");
    f2.complete("2");
    awaitElapsed(created, SHORT_DELAY.multipliedBy(2));

    assertEquals(List.of(f1, f2), drain(iterable.iterator()));
  }

  @Test
  void asCompleted_deadline_startsAtFirstHasNext() {
    CompletableFuture<String> done = CompletableFuture.completedFuture("x");
    CompletableFuture<String> pending = new CompletableFuture<>();
    long created = System.nanoTime();
    Iterable<CompletableFuture<String>> iterable =
        Futures.asCompleted(List.of(done, pending), SHORT_DELAY);
    awaitElapsed(created, SHORT_DELAY.multipliedBy(2));
    Iterator<CompletableFuture<String>> iterator = iterable.iterator();

    // The deadline counted from the call has passed; the one counted from here has not.
    long started = System.nanoTime();
    assertTrue(iterator.hasNext());
    assertSame(done, iterator.next());
    assertThrows(UncheckedTimeoutException.class, iterator::next);
    long waited = System.nanoTime() - started;

    assertTrue(waited >= SHORT_DELAY.toNanos(), () -> "timed out after " + waited + " ns");
  }

  @Test
  void asCompleted_deadline_startsAtFirstNext() {
    CompletableFuture<String> pending = new CompletableFuture<>();
    long created = System.nanoTime();
    Iterable<CompletableFuture<String>> iterable =
        Futures.asCompleted(List.of(pending), SHORT_DELAY);
    Iterator<CompletableFuture<String>> iterator = iterable.iterator();
    awaitElapsed(created, SHORT_DELAY.multipliedBy(2));

    long started = System.nanoTime();
    assertThrows(UncheckedTimeoutException.class, iterator::next);
    long waited = System.nanoTime() - started;

    assertTrue(waited >= SHORT_DELAY.toNanos(), () -> "timed out after " + waited + " ns");
  }

  @Test
  void asCompleted_hugeTimeout_waits() throws Exception {
    CompletableFuture<String> pending = new CompletableFuture<>();
    Duration huge = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
    Iterator<CompletableFuture<String>> iterator =
        Futures.asCompleted(List.of(pending), huge).iterator();
    try (BlockingCall<CompletableFuture<String>> call = BlockingCall.start(iterator::next)) {
      call.awaitBlocked();
      pending.complete("x");

      assertSame(pending, call.get());
    }
  }

  /* ---------------- futures that are not CompletionStages ---------------- */

  @Test
  void asCompleted_futureTask_isPolled() throws Exception {
    FutureTask<String> done = new FutureTask<>(() -> "done");
    done.run();
    FutureTask<String> pending = new FutureTask<>(() -> "pending");
    Iterator<FutureTask<String>> iterator =
        Futures.asCompleted(List.of(pending, done), null).iterator();
    assertSame(done, iterator.next());
    try (BlockingCall<FutureTask<String>> call = BlockingCall.start(iterator::next)) {
      call.awaitBlocked();
      pending.run();

      assertSame(pending, call.get());
    }
    assertFalse(iterator.hasNext());
  }

  @Test
  void asCompleted_mixedFutures_allYielded() throws Exception {
    CompletableFuture<String> stage = new CompletableFuture<>();
    FutureTask<String> task = new FutureTask<>(() -> "task");
    List<Future<?>> futures = List.of(stage, task);
    Iterator<Future<?>> iterator = Futures.asCompleted(futures).iterator();
    try (BlockingCall<Future<?>> call = BlockingCall.start(iterator::next)) {
      call.awaitBlocked();
      task.run();

      assertSame(task, call.get());
    }
    stage.complete("stage");
    assertSame(stage, iterator.next());
    assertFalse(iterator.hasNext());
  }

  @Test
  void asCompleted_futureTaskTimeout_throwsWithCount() {
    FutureTask<String> pending = new FutureTask<>(() -> "never");
    Iterator<FutureTask<String>> iterator =
        Futures.asCompleted(List.of(pending), SHORT_DELAY).iterator();

    UncheckedTimeoutException e = assertThrows(UncheckedTimeoutException.class, iterator::next);
    assertEquals("1 (of 1) futures unfinished", e.getMessage());
  }

  /* ---------------- arguments ---------------- */

  @Test
  void asCompleted_negativeTimeout_throwsIaeAtCall() {
    Duration negative = Duration.ofSeconds(-3);
    List<Future<?>> futures = List.of();

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Futures.asCompleted(futures, negative));

    assertTrue(e.getMessage().contains(negative.toString()), e::getMessage);
  }

  @Test
  void asCompleted_nullElement_throwsNpeAtCall() {
    List<CompletableFuture<String>> futures =
        Arrays.asList(CompletableFuture.completedFuture("x"), null);

    assertThrows(NullPointerException.class, () -> Futures.asCompleted(futures));
  }

  @Test
  void asCompleted_nullFutures_throwsNpeAtCall() {
    Collection<Future<?>> futures = null;

    assertThrows(NullPointerException.class, () -> Futures.asCompleted(futures, null));
  }

  /* ---------------- interruption ---------------- */

  @Test
  void asCompleted_interrupted_throwsAndKeepsInterruptStatus() {
    CompletableFuture<String> pending = new CompletableFuture<>();
    Iterator<CompletableFuture<String>> iterator = Futures.asCompleted(List.of(pending)).iterator();
    Thread.currentThread().interrupt();
    try {
      assertThrows(CancellationException.class, iterator::next);
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }

  private static <F> List<F> drain(Iterator<F> iterator) {
    List<F> yielded = new ArrayList<>();
    while (iterator.hasNext()) {
      yielded.add(iterator.next());
    }
    return yielded;
  }
}
