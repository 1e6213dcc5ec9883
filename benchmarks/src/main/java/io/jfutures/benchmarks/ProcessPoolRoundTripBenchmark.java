package io.jfutures.benchmarks;

import io.jfutures.impl.ProcessPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@code submit(noop, i).get()} round trip on a warm process pool of one worker: the JMH
 * version of W2 (which uses 2 workers and reports the median; here {@code SampleTime} reports the
 * mean and the percentiles). Not thread-safe: JMH runs it on one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ProcessPoolRoundTripBenchmark {
  private ProcessPoolExecutor pool;
  private int i;

  /** Starts the worker and runs a task on it. */
  @Setup(Level.Trial)
  public void start() throws Exception {
    pool = ProcessPoolExecutor.newBuilder().maxWorkers(1).build();
    pool.submit(Tasks.NOOP, 0).get(PeerWorkloads.RESULT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Closes the pool; no worker is left. */
  @TearDown(Level.Trial)
  public void stop() {
    pool.close();
  }

  /** One round trip. */
  @Benchmark
  public Integer roundTrip() throws Exception {
    return pool.submit(Tasks.NOOP, i++)
        .get(PeerWorkloads.RESULT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }
}
