package io.jfutures.samples;

import io.jfutures.api.Executor;
import io.jfutures.api.SerializableCallable;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What the samples share: who runs a task, warming a pool up, and formatting times. */
final class Workers {
  /** How long a sample waits for any one result before it gives up. */
  static final Duration RESULT_TIMEOUT = Duration.ofSeconds(60);

  private Workers() {}

  /** Returns the process id of the JVM this code runs in. */
  static long pid() {
    return ProcessHandle.current().pid();
  }

  /**
   * Names the worker running this code by its pid and thread, as {@code pid 1234
   * (jfutures-worker-3)}. In a process pool the pid alone tells workers apart; in a thread pool the
   * thread does.
   */
  static String workerId() {
    return "pid " + pid() + " (" + Thread.currentThread().getName() + ")";
  }

  /** Waits for {@code future} at most {@link #RESULT_TIMEOUT}. */
  static <T> T get(CompletableFuture<T> future)
      throws InterruptedException, ExecutionException, TimeoutException {
    return future.get(RESULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Runs rounds of {@code workers} short tasks until each of {@code workers} workers has run one,
   * so that the workers are started (a JVM takes a moment to start) before what is measured.
   *
   * @return the ids of the workers seen, as {@link #workerId()}
   * @throws TimeoutException if that takes longer than {@link #RESULT_TIMEOUT}
   */
  static Set<String> warmUp(Executor pool, int workers, PrintStream out)
      throws InterruptedException, ExecutionException, TimeoutException {
    out.printf("warming up: waiting until each of the %d worker(s) has run a task%n", workers);
    Instant deadline = Instant.now().plus(RESULT_TIMEOUT);
    Set<String> seen = new TreeSet<>();
    long rounds = 0;
    while (seen.size() < workers) {
      if (Instant.now().isAfter(deadline)) {
        throw new TimeoutException(
            "only " + seen.size() + " of " + workers + " workers ran a task: " + seen);
      }
      List<CompletableFuture<String>> probes = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        probes.add(pool.submit(probe()));
      }
      for (CompletableFuture<String> probe : probes) {
        seen.add(get(probe));
      }
      rounds++;
    }
    out.printf("warmed up in %d round(s): %s%n", rounds, seen);
    return seen;
  }

  private static SerializableCallable<String> probe() {
    return () -> {
      Thread.sleep(100); // long enough that each idle worker gets a probe of its own
      return workerId();
    };
  }

  /** Formats the time from {@code origin} to {@code instant} as {@code +1.234 s}. */
  static String since(Instant origin, Instant instant) {
    return String.format(Locale.ROOT, "%+.3f s", Duration.between(origin, instant).toNanos() / 1e9);
  }

  /** Formats {@code duration} as {@code 1.234 s}. */
  static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.3f s", duration.toNanos() / 1e9);
  }
}
