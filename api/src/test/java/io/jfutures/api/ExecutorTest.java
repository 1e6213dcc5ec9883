package io.jfutures.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The default methods of {@link Executor}, against an executor that records what it is asked. */
final class ExecutorTest {
  private final RecordingExecutor executor = new RecordingExecutor();

  @Test
  void submit_lambda_isSerializableCallable() throws Exception {
    CompletableFuture<Integer> future = executor.submit(() -> 42);

    assertEquals(42, future.join());
    assertInstanceOf(SerializableCallable.class, executor.submitted);
    assertInstanceOf(Serializable.class, executor.submitted);
  }

  @Test
  void submit_serializableCallable_survivesSerialization() throws Exception {
    int base = 40;
    executor.submit(() -> base + 2);

    Callable<?> copy = Reserialize.roundTrip(executor.submitted, Callable.class);

    assertEquals(42, copy.call());
  }

  @Test
  void map_twoArguments_chunkOfOneAndNoDeadline() {
    List<Integer> items = List.of(1, 2, 3);

    List<Integer> results = executor.map((Integer x) -> x * 10, items).toList();

    assertEquals(List.of(10, 20, 30), results);
    assertSame(items, executor.mapItems);
    assertEquals(1, executor.mapChunkSize);
    assertNull(executor.mapTimeout);
  }

  @Test
  void shutdown_noArguments_neitherWaitsNorCancels() {
    executor.shutdown();

    assertEquals(List.of("shutdown(wait=false, cancelFutures=false)"), executor.shutdowns);
  }

  @Test
  void close_waitsWithoutCancelling() {
    try (Executor closing = executor) {
      assertSame(executor, closing);
    }

    assertEquals(List.of("shutdown(wait=true, cancelFutures=false)"), executor.shutdowns);
  }

  /** Runs tasks on the calling thread and records the calls the defaults delegate to. */
  private static final class RecordingExecutor extends AbstractExecutorService implements Executor {
    Callable<?> submitted;
    Iterable<?> mapItems;
    int mapChunkSize;
    Duration mapTimeout = Duration.ZERO;
    final List<String> shutdowns = new ArrayList<>();

    @Override
    public <T> CompletableFuture<T> submit(Callable<T> task) {
      submitted = task;
      try {
        return CompletableFuture.completedFuture(task.call());
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public CompletableFuture<?> submit(Runnable task) {
      return submit(task, null);
    }

    @Override
    public <T> CompletableFuture<T> submit(Runnable task, T result) {
      task.run();
      return CompletableFuture.completedFuture(result);
    }

    @Override
    public <T, R> CompletableFuture<R> submit(
        SerializableFunction<? super T, ? extends R> fn, T arg) {
      return CompletableFuture.completedFuture(fn.apply(arg));
    }

    @Override
    public <T, R> Stream<R> map(
        SerializableFunction<? super T, ? extends R> fn,
        Iterable<T> items,
        int chunkSize,
        Duration timeout) {
      mapItems = items;
      mapChunkSize = chunkSize;
      mapTimeout = timeout;
      List<R> results = new ArrayList<>();
      items.forEach(item -> results.add(fn.apply(item)));
      return results.stream();
    }

    @Override
    public <T, R> Stream<R> mapUnordered(
        SerializableFunction<? super T, ? extends R> fn,
        Iterable<T> items,
        int chunkSize,
        Duration timeout) {
      return map(fn, items, chunkSize, timeout);
    }

    @Override
    public void shutdown(boolean wait, boolean cancelFutures) {
      shutdowns.add("shutdown(wait=" + wait + ", cancelFutures=" + cancelFutures + ")");
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown(false, true);
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return !shutdowns.isEmpty();
    }

    @Override
    public boolean isTerminated() {
      return isShutdown();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return isTerminated();
    }

    @Override
    public void execute(Runnable command) {
      command.run();
    }
  }
}
