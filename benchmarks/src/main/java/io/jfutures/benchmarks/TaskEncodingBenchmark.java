package io.jfutures.benchmarks;

import io.jfutures.api.SerializableCallable;
import io.jfutures.impl.internal.Calls;
import io.jfutures.impl.internal.process.TaskEncoding;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a process pool spends serializing a task on the submitting thread, and a worker reading it
 * back, with the pool's own {@link TaskEncoding}. One state is one connection: its class table
 * already knows the task's classes, as after a pool's first task.
 *
 * <ul>
 *   <li>{@code noop}: {@code submit(noop, 42)} as the pool sees it, {@code Calls.apply(noop, 42)}
 *   <li>{@code chunk1000}: one chunk of W4's {@code map(square, ..., chunksize=1000)}, {@code
 *       Calls.chunk(square, 1000 Integers)}
 *   <li>{@code capturing}: W5's task, {@code () -> fib(n)}, a lambda that captured an int
 *   <li>{@code capturingRecord}: {@code () -> order.quantity() * fib(n)}, a lambda that captured a
 *       record of a String, an int and a list of three Integers, as a user's task often does
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TaskEncodingBenchmark {
  /** Which task to encode. */
  @Param({"noop", "chunk1000", "capturing", "capturingRecord"})
  public String task;

  private TaskEncoding encoding;
  private Callable<?> call;

  /** Builds the task and encodes it once, so the class table is filled. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    encoding = new TaskEncoding();
    switch (task) {
      case "noop":
        call = Calls.apply(Tasks.NOOP, 42);
        break;
      case "chunk1000":
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
          items.add(i * 1000); // mostly outside the Integer cache, as W4's items are
        }
        call = Calls.chunk(Tasks.SQUARE, items);
        break;
      case "capturing":
        call = fib(27);
        break;
      case "capturingRecord":
        call = priced(new Order("pen", 3, List.of(100, 200, 300)), 27);
        break;
      default:
        throw new IllegalArgumentException("unknown task " + task);
    }
    encoding.decode(encoding.encode(call));
  }

  private static SerializableCallable<Long> fib(int n) {
    return () -> Tasks.fib(n);
  }

  /** A user's value: a record the task captures. */
  public record Order(String item, int quantity, List<Integer> lines)
      implements java.io.Serializable {}

  private static SerializableCallable<Long> priced(Order order, int n) {
    return () -> order.quantity() * Tasks.fib(n);
  }

  /** Serializes the task. */
  @Benchmark
  public byte[] encode() throws IOException {
    return encoding.encode(call);
  }

  /** Serializes the task and reads it back. */
  @Benchmark
  public Object encodeDecode() throws IOException, ClassNotFoundException {
    return encoding.decode(encoding.encode(call));
  }
}
