package io.jfutures.samples;

import io.jfutures.api.Executor;
import io.jfutures.api.SerializableFunction;
import io.jfutures.impl.ProcessPoolExecutor;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * CPU-bound tasks on one worker, then on one worker per processor: the point of a process pool in
 * Python, where threads share one interpreter lock. As in Python:
 *
 * <pre>
 * for workers in (1, os.cpu_count()):
 *     with ProcessPoolExecutor(max_workers=workers) as pool:
 *         start = time.perf_counter()
 *         results = list(pool.map(fib, inputs))
 *         print(workers, time.perf_counter() - start)
 * </pre>
 *
 * <p>Java is faster than Python at naive recursion, so the inputs are larger than Python's usual
 * {@code fib(27..30)}, to make each task last long enough to measure.
 */
public final class CpuSpeedup {
  /** The inputs of {@link #main}: about 0.1 to 0.4 s each, on a 2020s machine. */
  public static final List<Integer> DEFAULT_INPUTS = List.of(39, 36, 38, 37, 39, 36, 38, 37);

  private CpuSpeedup() {}

  /**
   * What was measured.
   *
   * @param inputs the inputs
   * @param workers how many workers the second pool had
   * @param oneWorker the results on one worker, in input order
   * @param manyWorkers the results on {@code workers} workers, in input order
   * @param oneWorkerTime how long one worker took, after warming up
   * @param manyWorkersTime how long {@code workers} workers took, after warming up
   */
  public record Result(
      List<Integer> inputs,
      int workers,
      List<Long> oneWorker,
      List<Long> manyWorkers,
      Duration oneWorkerTime,
      Duration manyWorkersTime) {
    /** Copies the lists. */
    public Result {
      inputs = List.copyOf(inputs);
      oneWorker = List.copyOf(oneWorker);
      manyWorkers = List.copyOf(manyWorkers);
    }

    /** Returns how many times faster the many workers were than the one. */
    public double speedup() {
      return (double) oneWorkerTime.toNanos() / Math.max(1, manyWorkersTime.toNanos());
    }
  }

  /** Compares one worker with one per processor (at least two) on {@link #DEFAULT_INPUTS}. */
  public static void main(String[] args) throws Exception {
    run(DEFAULT_INPUTS, defaultWorkers(), System.out);
  }

  /** Returns the number of processors, but at least 2. */
  public static int defaultWorkers() {
    return Math.max(2, Runtime.getRuntime().availableProcessors());
  }

  /** Naive recursive Fibonacci: exponential time, no allocation, pure CPU. */
  public static long fib(int n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
  }

  /**
   * Maps {@link #fib} over {@code inputs} on a process pool of one worker, then of {@code workers},
   * each warmed up first, and prints the times and the speedup.
   *
   * @return the results and times
   */
  public static Result run(List<Integer> inputs, int workers, PrintStream out)
      throws InterruptedException, ExecutionException, TimeoutException {
    out.printf(
        "== CpuSpeedup: fib(n) for n in %s, on 1 worker then %d (%d processors)%n",
        inputs, workers, Runtime.getRuntime().availableProcessors());
    Timed one = timeOn(1, inputs, out);
    Timed many = timeOn(workers, inputs, out);
    Result result = new Result(inputs, workers, one.results, many.results, one.time, many.time);
    out.printf(
        Locale.ROOT,
        "speedup of %d workers over 1: %.2fx (a machine busy with other work shows less)%n",
        workers,
        result.speedup());
    return result;
  }

  private record Timed(List<Long> results, Duration time) {}

  private static Timed timeOn(int workers, List<Integer> inputs, PrintStream out)
      throws InterruptedException, ExecutionException, TimeoutException {
    try (ProcessPoolExecutor pool = ProcessPoolExecutor.newBuilder().maxWorkers(workers).build()) {
      Workers.warmUp(pool, workers, out);
      warmUpJit(pool, workers);
      long start = System.nanoTime();
      List<Long> results = fibs(pool, inputs);
      Duration time = Duration.ofNanos(System.nanoTime() - start);
      out.printf("%d worker(s): %s in %s%n", workers, results, Workers.seconds(time));
      return new Timed(results, time);
    }
  }

  /** Runs a few small inputs on each worker, so that the JIT has compiled fib before timing. */
  private static void warmUpJit(Executor pool, int workers) {
    fibs(pool, Stream.generate(() -> 25).limit(4L * workers).collect(Collectors.toList()));
  }

  private static List<Long> fibs(Executor pool, List<Integer> inputs) {
    SerializableFunction<Integer, Long> fib = CpuSpeedup::fib;
    try (Stream<Long> results = pool.map(fib, inputs, 1, Workers.RESULT_TIMEOUT)) {
      return results.collect(Collectors.toList());
    }
  }
}
