package io.jfutures.impl.internal;

import io.jfutures.api.Executor;
import io.jfutures.api.SerializableFunction;
import io.jfutures.api.UncheckedTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The lazy engine behind {@code map} and {@code mapUnordered}: reads the input one chunk at a time,
 * keeps at most {@code window} chunks in flight, and yields their results in input order (or in
 * completion order). The input is read only on the consumer's thread, as results are consumed.
 *
 * <p>On the first failed chunk, on the deadline, and on {@link #close()}, every chunk not yet
 * yielded is cancelled: those not started never run. If reading the input or submitting a chunk
 * fails while chunks are in flight (the executor was shut down meanwhile, say), the results of
 * those chunks are yielded first and the failure is thrown in its place in the order: nothing
 * already computed is dropped. Not thread-safe, as iterators are not.
 */
public final class MapIterator<T, R> implements Iterator<R>, AutoCloseable {
  /** A chunk's list is sized for this many items at first, or chunkSize if smaller. */
  private static final int MAX_PRESIZE = 1 << 14;

  private final Executor executor;
  private final SerializableFunction<? super T, ? extends R> fn;
  private final Iterator<T> input;
  private final int chunkSize;
  private final int window;
  private final boolean ordered;
  private final Duration timeout;
  private final long deadline;

  /** Chunks submitted and not yet yielded, in input order. */
  private final ArrayDeque<CompletableFuture<List<R>>> inFlight = new ArrayDeque<>();

  /** For the unordered variant: chunks in the order they completed. */
  private final LinkedBlockingQueue<CompletableFuture<List<R>>> completed =
      new LinkedBlockingQueue<>();

  /**
   * The results of the chunk being yielded, and the next one's index. Each slot is cleared as it is
   * yielded, so that a result the caller has let go of is not kept alive here, as the JDK's own
   * stream iterators do not keep it.
   */
  private List<R> current = Collections.emptyList();

  private int next;

  /** Whether a slot of {@code current} is cleared as it is yielded. */
  private boolean clearsSlots;

  private boolean closed;

  /**
   * A failure to read the input or to submit a chunk, met with results still to yield: thrown once
   * they have been, in its place in the order. No chunk is read or submitted after it.
   */
  private Throwable deferred;

  /** Starts the map: submits the first chunks before returning. */
  public MapIterator(
      Executor executor,
      SerializableFunction<? super T, ? extends R> fn,
      Iterator<T> input,
      int chunkSize,
      int window,
      boolean ordered,
      Duration timeout) {
    this.executor = executor;
    this.fn = fn;
    this.input = input;
    this.chunkSize = chunkSize;
    this.window = window;
    this.ordered = ordered;
    this.timeout = timeout;
    this.deadline =
        timeout == null ? Long.MAX_VALUE : System.nanoTime() + Durations.toNanosSaturated(timeout);
    fill();
  }

  /**
   * Submits chunks until the window is full or the input is exhausted. A failure is thrown at once
   * if there is nothing left to yield before it, and deferred otherwise.
   */
  private void fill() {
    try {
      while (deferred == null && inFlight.size() < window && input.hasNext()) {
        List<T> items = new ArrayList<>(Math.min(chunkSize, MAX_PRESIZE));
        while (items.size() < chunkSize && input.hasNext()) {
          items.add(input.next());
        }
        CompletableFuture<List<R>> chunk = executor.submit(Calls.chunk(fn, items));
        inFlight.add(chunk);
        if (!ordered) {
          chunk.whenComplete((r, e) -> completed.add(chunk));
        }
      }
    } catch (RuntimeException | Error e) {
      if (inFlight.isEmpty() && !currentHasNext()) {
        close();
        throw e;
      }
      deferred = e;
    }
  }

  private R throwDeferred() {
    Throwable e = deferred;
    close();
    if (e instanceof RuntimeException) {
      throw (RuntimeException) e;
    }
    throw (Error) e;
  }

  private boolean currentHasNext() {
    return next < current.size();
  }

  @Override
  public boolean hasNext() {
    if (closed) {
      return false;
    }
    if (currentHasNext()) {
      return true;
    }
    if (inFlight.isEmpty() && deferred == null) {
      fill();
    }
    return !inFlight.isEmpty() || deferred != null;
  }

  @Override
  public R next() {
    while (!currentHasNext()) {
      if (!hasNext()) {
        throw new NoSuchElementException("map has no more results");
      }
      if (inFlight.isEmpty()) {
        return throwDeferred(); // every result before it has been yielded
      }
      current = Collections.emptyList(); // let go of the last chunk's list before waiting
      current = awaitNextChunk();
      clearsSlots = Calls.holdsObjects(current);
      next = 0;
      fill();
    }
    // A chunk's results come as a fresh list of its own (Calls.chunk's), so a slot that holds an
    // object can be cleared; one read back over an array of numbers holds none, and is read-only.
    return clearsSlots ? current.set(next++, null) : current.get(next++);
  }

  private List<R> awaitNextChunk() {
    try {
      CompletableFuture<List<R>> chunk;
      if (ordered) {
        chunk = inFlight.peek();
      } else {
        chunk = completed.poll(remainingNanos(), TimeUnit.NANOSECONDS);
        if (chunk == null) {
          throw new TimeoutException();
        }
      }
      List<R> results = chunk.get(remainingNanos(), TimeUnit.NANOSECONDS);
      inFlight.remove(chunk);
      return results;
    } catch (TimeoutException e) {
      int unfinished = inFlight.size();
      close();
      throw new UncheckedTimeoutException(
          new TimeoutException(
              "map did not finish within "
                  + timeout
                  + ": "
                  + unfinished
                  + " chunk(s) of "
                  + chunkSize
                  + " item(s) unfinished"));
    } catch (ExecutionException e) {
      close();
      throw new CompletionException(e.getCause());
    } catch (CancellationException e) {
      close();
      throw e;
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting for a map result");
    }
  }

  private long remainingNanos() {
    return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
  }

  /** Cancels every chunk not yet yielded; chunks not started never run. Idempotent. */
  @Override
  public void close() {
    closed = true;
    current = Collections.emptyList();
    for (CompletableFuture<List<R>> chunk : inFlight) {
      chunk.cancel(false);
    }
    inFlight.clear();
  }
}
