package io.jfutures.samples;

import io.jfutures.multiprocessing.AsyncResult;
import io.jfutures.multiprocessing.Pool;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Python's {@code Pool(4)} with {@code apply_async} over five tasks, in Java, with a callback per
 * result, then the same with {@code map}.
 *
 * <pre>{@code
 * with Pool(processes=4) as pool:
 *     results = [pool.apply_async(f, (i,), callback=collect) for i in range(5)]
 *     print([r.get(timeout=10) for r in results])
 *     print(pool.map(f, range(5)))
 * }</pre>
 */
public final class PoolApplyAsync {
  private PoolApplyAsync() {}

  /** The task: a square, and which worker computed it. */
  static String f(int x) {
    return x + "*" + x + "=" + (x * x) + " in pid " + ProcessHandle.current().pid();
  }

  /** What the sample saw: results in submission order, and callbacks in completion order. */
  public record Outcome(List<String> results, List<String> callbacks, List<Integer> mapped) {}

  /** Runs {@code tasks} tasks on a pool of {@code processes} worker JVMs. */
  public static Outcome run(int processes, int tasks, PrintStream out)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<String> callbacks = Collections.synchronizedList(new ArrayList<>());
    try (Pool pool = Pool.create(processes)) {
      List<AsyncResult<String>> pending = new ArrayList<>();
      for (int i = 0; i < tasks; i++) {
        int x = i;
        pending.add(
            pool.applyAsync(
                () -> f(x),
                result -> callbacks.add(result),
                error -> out.println("task " + x + " failed: " + error)));
      }
      List<String> results = new ArrayList<>();
      for (AsyncResult<String> r : pending) {
        results.add(r.get(Duration.ofSeconds(60)));
      }
      out.println("applyAsync results, in submission order:");
      results.forEach(r -> out.println("  " + r));
      out.println("callbacks, in completion order: " + callbacks.size());
      List<Integer> inputs = new ArrayList<>();
      for (int i = 0; i < tasks; i++) {
        inputs.add(i);
      }
      List<Integer> mapped = pool.map((Integer x) -> x * x, inputs);
      out.println("map: " + mapped);
      return new Outcome(results, List.copyOf(callbacks), mapped);
    }
  }
}
