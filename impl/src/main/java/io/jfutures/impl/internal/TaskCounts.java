package io.jfutures.impl.internal;

import io.jfutures.api.TaskTimeoutException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * A pool's count of finished tasks by outcome, and the latency from submit to completion of those
 * whose latency was measured (a pool may measure only a sample).
 *
 * <p>A thread that finishes many tasks (a thread pool's worker) records them in a {@link Writer} of
 * its own: plain stores with release semantics, no atomic read-modify-write, no cache line shared
 * with another writer. Any other thread records into shared {@link LongAdder}s. Measured with the
 * thread-pool JMH benchmark (100,000 no-op tasks on 2 threads, 2 vCPUs): the four {@code LongAdder}
 * and {@code LongAccumulator} updates per task were about half of the pool's cost above {@code
 * java.util.concurrent}'s.
 *
 * <pre>
 * Invariants: every count only grows; a reader sums the shared counters and every writer's, each
 * read once, so a sum lies between the values before and after the updates it races with. Writers
 * are never removed (a pool makes a bounded number of threads), so no count ever goes back.
 * </pre>
 *
 * <p>This class is thread-safe; a {@link Writer} is written by one thread at a time.
 */
public final class TaskCounts {
  static final int COMPLETED = 0;
  static final int FAILED = 1;
  static final int CANCELLED = 2;
  static final int TIMED_OUT = 3;
  private static final int OUTCOMES = 4;

  /** The latency, and the submit time, of a task whose latency is not measured. */
  static final long UNTIMED = Long.MIN_VALUE;

  private final LongAdder[] shared = new LongAdder[OUTCOMES];
  private final LongAdder sharedTimed = new LongAdder();
  private final LongAdder sharedLatencyNanos = new LongAdder();
  private final LongAccumulator sharedLatencyMax = new LongAccumulator(Math::max, 0);
  private final CopyOnWriteArrayList<Writer> writers = new CopyOnWriteArrayList<>();

  TaskCounts() {
    for (int i = 0; i < OUTCOMES; i++) {
      shared[i] = new LongAdder();
    }
  }

  /** Returns a writer for the calling thread's own use; it counts until the pool is gone. */
  Writer newWriter() {
    Writer writer = new Writer();
    writers.add(writer);
    return writer;
  }

  /** Counts a finished task from any thread; its latency may be {@link #UNTIMED}. */
  void add(CompletableFuture<?> future, long latencyNanos) {
    shared[outcome(future)].increment();
    if (latencyNanos != UNTIMED) {
      sharedTimed.increment();
      sharedLatencyNanos.add(latencyNanos);
      sharedLatencyMax.accumulate(latencyNanos);
    }
  }

  /** Returns the count of tasks with this outcome ({@link #COMPLETED}, ...). */
  long count(int outcome) {
    long n = shared[outcome].sum();
    for (Writer w : writers) {
      n += w.get(outcome);
    }
    return n;
  }

  /** Returns the count of finished tasks, whatever their outcome. */
  long finished() {
    long n = 0;
    for (int i = 0; i < OUTCOMES; i++) {
      n += count(i);
    }
    return n;
  }

  /** Returns the count of finished tasks whose latency was measured. */
  long timed() {
    long n = sharedTimed.sum();
    for (Writer w : writers) {
      n += w.get(Writer.TIMED);
    }
    return n;
  }

  /** Returns the sum of the measured latencies. */
  long latencyNanos() {
    long n = sharedLatencyNanos.sum();
    for (Writer w : writers) {
      n += w.get(Writer.LATENCY);
    }
    return n;
  }

  /** Returns the longest measured latency. */
  long maxLatencyNanos() {
    long max = sharedLatencyMax.get();
    for (Writer w : writers) {
      max = Math.max(max, w.get(Writer.MAX));
    }
    return max;
  }

  static int outcome(CompletableFuture<?> done) {
    if (done.isCancelled()) {
      return CANCELLED;
    }
    if (!done.isCompletedExceptionally()) {
      return COMPLETED;
    }
    return cause(done) instanceof TaskTimeoutException ? TIMED_OUT : FAILED;
  }

  private static Throwable cause(CompletableFuture<?> done) {
    try {
      done.getNow(null);
      return null;
    } catch (CompletionException | CancellationException e) {
      return e.getCause();
    } catch (RuntimeException e) {
      return e;
    }
  }

  /** One thread's counts: the outcomes, then the measured tasks, their latency sum and maximum. */
  public static final class Writer {
    private static final int TIMED = OUTCOMES;
    private static final int LATENCY = OUTCOMES + 1;
    private static final int MAX = OUTCOMES + 2;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] slots = new long[OUTCOMES + 3];

    private Writer() {}

    /** Counts a finished task; only from the thread that owns this writer. */
    public void add(CompletableFuture<?> future, long latencyNanos) {
      int outcome = outcome(future);
      SLOT.setRelease(slots, outcome, slots[outcome] + 1);
      if (latencyNanos != UNTIMED) {
        SLOT.setRelease(slots, TIMED, slots[TIMED] + 1);
        SLOT.setRelease(slots, LATENCY, slots[LATENCY] + latencyNanos);
        if (latencyNanos > slots[MAX]) {
          SLOT.setRelease(slots, MAX, latencyNanos);
        }
      }
    }

    private long get(int slot) {
      return (long) SLOT.getAcquire(slots, slot);
    }
  }
}
