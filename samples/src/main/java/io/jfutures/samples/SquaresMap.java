package io.jfutures.samples;

import io.jfutures.api.Executor;
import io.jfutures.api.SerializableFunction;
import io.jfutures.impl.ProcessPoolExecutor;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * {@code map} of squares in chunks: the items travel to workers three at a time, and the results
 * come back in input order whichever worker computed them. As in Python:
 *
 * <pre>
 * with ProcessPoolExecutor() as pool:
 *     for x, square in zip(numbers, pool.map(square, numbers, chunksize=3)):
 *         print(x, square)
 * </pre>
 */
public final class SquaresMap {
  private SquaresMap() {}

  /**
   * One item's result.
   *
   * @param x the input
   * @param square {@code x * x}
   * @param pid the process id of the JVM that computed it
   * @param worker the worker that computed it, as {@code pid 1234 (jfutures-worker-3)}
   */
  public record Square(int x, long square, long pid, String worker) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** Maps the squares of 1..20 in chunks of 3 over a pool of two child JVMs. */
  public static void main(String[] args) throws Exception {
    run(2, 20, 3, System.out);
  }

  /**
   * As {@link #run(Executor, int, int, PrintStream)} on a new process pool of {@code workers}
   * workers, warmed up first so that every worker takes chunks.
   */
  public static List<Square> run(int workers, int upTo, int chunkSize, PrintStream out)
      throws InterruptedException, ExecutionException, TimeoutException {
    out.printf("== SquaresMap: a map over %d worker JVMs%n", workers);
    try (ProcessPoolExecutor pool = ProcessPoolExecutor.newBuilder().maxWorkers(workers).build()) {
      Workers.warmUp(pool, workers, out);
      return run(pool, upTo, chunkSize, out);
    }
  }

  /**
   * Maps {@code x -> x * x} over 1..{@code upTo} on {@code pool} in chunks of {@code chunkSize},
   * and prints each chunk with the worker that computed it.
   *
   * @return the results, in input order
   */
  public static List<Square> run(Executor pool, int upTo, int chunkSize, PrintStream out)
      throws InterruptedException, ExecutionException, TimeoutException {
    out.printf("squares of 1..%d, in chunks of %d%n", upTo, chunkSize);
    List<Integer> numbers = IntStream.rangeClosed(1, upTo).boxed().collect(Collectors.toList());
    SerializableFunction<Integer, Square> square =
        x -> new Square(x, (long) x * x, Workers.pid(), Workers.workerId());
    List<Square> squares;
    try (Stream<Square> results = pool.map(square, numbers, chunkSize, Workers.RESULT_TIMEOUT)) {
      squares = results.collect(Collectors.toList());
    }
    for (int from = 0; from < squares.size(); from += chunkSize) {
      List<Square> chunk = squares.subList(from, Math.min(from + chunkSize, squares.size()));
      out.printf(
          "chunk %-12s -> %-16s computed in %s%n",
          chunk.stream().map(Square::x).collect(Collectors.toList()),
          chunk.stream().map(Square::square).collect(Collectors.toList()),
          chunk.stream().map(Square::worker).distinct().collect(Collectors.joining(" and ")));
    }
    out.printf(
        "results in input order: %s%n",
        squares.stream().map(Square::square).collect(Collectors.toList()));
    return squares;
  }
}
