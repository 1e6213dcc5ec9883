package io.jfutures.benchmarks;

import io.jfutures.impl.ThreadPoolExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * jfutures' {@link ThreadPoolExecutor} against the JDK's fixed thread pool (held as an {@link
 * ExecutorService}, from {@link Executors#newFixedThreadPool}): {@value #TASKS} tiny tasks
 * submitted, then all awaited. The score is the time per task.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(ThreadPoolBenchmark.TASKS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ThreadPoolBenchmark {
  /** Tasks per invocation. */
  static final int TASKS = 100_000;

  private static final Callable<Integer> TINY = () -> 1;

  /** Threads in each pool. */
  @Param("2")
  public int threads;

  private ThreadPoolExecutor jfuturesPool;
  private ExecutorService jdkPool;

  /** Starts both pools. */
  @Setup(Level.Trial)
  public void start() {
    jfuturesPool = ThreadPoolExecutor.newBuilder().maxWorkers(threads).build();
    jdkPool = Executors.newFixedThreadPool(threads);
  }

  /** Stops both pools. */
  @TearDown(Level.Trial)
  public void stop() throws InterruptedException {
    jfuturesPool.close();
    jdkPool.shutdown();
    if (!jdkPool.awaitTermination(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the JDK pool did not terminate");
    }
  }

  /** {@link #TASKS} tasks on {@code io.jfutures.impl.ThreadPoolExecutor}. */
  @Benchmark
  public long jfutures() throws InterruptedException, ExecutionException {
    List<CompletableFuture<Integer>> futures = new ArrayList<>(TASKS);
    for (int i = 0; i < TASKS; i++) {
      futures.add(jfuturesPool.submit(TINY));
    }
    long sum = 0;
    for (CompletableFuture<Integer> f : futures) {
      sum += f.get();
    }
    return sum;
  }

  /** {@link #TASKS} tasks on {@code Executors.newFixedThreadPool}. */
  @Benchmark
  public long jdk() throws InterruptedException, ExecutionException {
    List<Future<Integer>> futures = new ArrayList<>(TASKS);
    for (int i = 0; i < TASKS; i++) {
      futures.add(jdkPool.submit(TINY));
    }
    long sum = 0;
    for (Future<Integer> f : futures) {
      sum += f.get();
    }
    return sum;
  }
}
