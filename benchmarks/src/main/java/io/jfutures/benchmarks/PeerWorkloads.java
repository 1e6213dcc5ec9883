package io.jfutures.benchmarks;

import io.jfutures.api.Executor;
import io.jfutures.impl.ProcessPoolExecutor;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The workloads of {@code shared/bench/python_peer.py} on jfutures' {@link ProcessPoolExecutor}:
 * same names, units, sizes, checks and JSON shape, so that {@link Compare} can put the two side by
 * side. The workloads are defined in that script's docstring; where this side differs, the result's
 * {@code params} say so ({@code jit_warmup}, {@code note}).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.jfutures.benchmarks.PeerWorkloads \
 *     [--workers N] [--quick] [--json PATH] [--only W1,W3,...] [--no-jit-warmup]
 * </pre>
 *
 * <p>Differences from the Python peer: on top of the peer's warm-up (all N workers started and 100
 * noops run), the body of W2 to W8 runs untimed first, {@code --warmup-runs} times (default {@value
 * PeerOptions#DEFAULT_WARMUP_RUNS}; W7 at most once, on a pool of its own, as W7 may not warm its
 * pool and its workers are new JVMs anyway), so that the JIT has compiled the paths in this JVM and
 * in the workers, as JMH's warm-up iterations would. Every timed interval starts after a {@code
 * System.gc()} in this JVM, so that one workload's garbage is not collected in the next one's
 * interval; {@code compare.sh} runs this JVM with {@code -XX:MaxHeapFreeRatio=100}, so that the
 * collection does not also give the heap back to the OS (G1 does after a full collection), which
 * made the next interval pay the page faults of taking it again. W1 has no warm-up: it measures a
 * cold start. W7b (multiprocessing.Pool) has no Java counterpart; W8 runs W4's measurement again,
 * as Java has one process pool. RSS (the resident set of a worker that has run one task) and A5 (a
 * pipe round trip through {@code cat}) are extra. A failed check throws, and nothing is written.
 */
public final class PeerWorkloads {
  /** Bytes in a MiB. */
  static final int MIB = 1 << 20;

  /** The longest any one wait for a result may take before the run fails. */
  static final Duration RESULT_TIMEOUT = Duration.ofSeconds(120);

  /** The sizes of {@code python_peer.py}. */
  record Sizes(
      int coldPools,
      double coldSleepS,
      int roundtripCalls,
      int throughputTasks,
      int mapItems,
      int mapChunksize,
      int fibN,
      int fibLongN,
      int fibRepeats,
      int payloadTasks,
      int payloadBytes,
      int recycleTasks,
      int recycleMaxTasksPerChild,
      double recycleStallS,
      int pipeRoundtrips,
      int rssPools) {

    /** The full sizes. */
    static final Sizes FULL =
        new Sizes(
            5, 0.05, 2_000, 20_000, 1_000_000, 10_000, 27, 34, 5, 20, 10 * MIB, 200, 10, 5.0,
            20_000, 3);

    /** The {@code --quick} sizes. */
    static final Sizes QUICK =
        new Sizes(
            3, 0.05, 200, 2_000, 100_000, 1_000, 24, 30, 3, 2, 10 * MIB, 20, 10, 5.0, 2_000, 3);
  }

  /**
   * One workload's outcome, before the common params are added.
   *
   * @param value the number, or null when it could not be measured
   */
  record Result(Double value, String unit, String notes, Map<String, Object> params) {}

  private final PeerOptions options;
  private final Sizes size;
  private final int n;

  PeerWorkloads(PeerOptions options) {
    this.options = options;
    this.size = options.quick() ? Sizes.QUICK : Sizes.FULL;
    this.n = options.workers();
  }

  /** Runs the selected workloads; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    PeerOptions options;
    try {
      options = PeerOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("PeerWorkloads: " + e.getMessage());
      System.err.println(PeerOptions.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(PeerOptions.USAGE);
      return;
    }
    Map<String, Object> results = new PeerWorkloads(options).runAll(System.out);
    if (options.json().isPresent()) {
      Files.writeString(Path.of(options.json().get()), Json.write(results) + "\n");
    }
  }

  /** The params every result carries, as the Python peer's {@code common}. */
  static Map<String, Object> commonParams(PeerOptions options) {
    Map<String, Object> common = new LinkedHashMap<>();
    common.put("workers", options.workers());
    common.put("quick", options.quick());
    common.put("java", Runtime.version().toString());
    common.put("java_feature", Runtime.version().feature());
    common.put("java_vm", System.getProperty("java.vm.name"));
    common.put("cpus", Runtime.getRuntime().availableProcessors());
    common.put("jit_warmup_runs", options.warmupRuns());
    common.put("peer", "jfutures");
    return common;
  }

  /** Runs the selected workloads, printing a line each; returns the JSON results. */
  Map<String, Object> runAll(PrintStream out) throws Exception {
    Map<String, Object> common = commonParams(options);
    out.printf(
        Locale.ROOT,
        "# jfutures peer: java %s (%s) launcher=local-jvm workers=%d cpus=%d quick=%s"
            + " warmup_runs=%d%n",
        common.get("java"),
        common.get("java_vm"),
        n,
        common.get("cpus"),
        options.quick(),
        options.warmupRuns());
    if (!options.skipped().isEmpty()) {
      out.println("# skipped (Python only): " + String.join(",", options.skipped()));
    }
    out.flush();
    Map<String, Object> results = new LinkedHashMap<>();
    for (Workload w : options.selected()) {
      Result r = run(w);
      out.println(line(w, r));
      out.flush();
      Map<String, Object> params = new LinkedHashMap<>(r.params());
      params.putAll(common);
      params.put("notes", r.notes());
      if (w.usesPool()) {
        params.putIfAbsent("launcher", "local-jvm");
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("value", r.value());
      entry.put("unit", r.unit());
      entry.put("params", params);
      results.put(w.resultName(), entry);
    }
    return results;
  }

  /** The printed line: {@code name value unit [id] notes}, as the Python peer prints it. */
  static String line(Workload w, Result r) {
    String value = r.value() == null ? "n/a" : String.format(Locale.ROOT, "%.3f", r.value());
    return String.format(
        Locale.ROOT, "%-28s %14s %-8s [%s] %s", w.resultName(), value, r.unit(), w.id(), r.notes());
  }

  private Result run(Workload w) throws Exception {
    switch (w) {
      case W1:
        return coldStart();
      case W2:
        return roundTrip();
      case W3:
        return throughput();
      case W4:
        return mapChunked(Workload.W4, null);
      case W5:
        return cpuSpeedup();
      case W6:
        return payload();
      case W7:
        return recycle();
      case W8:
        return mapChunked(
            Workload.W8,
            "no separate multiprocessing.Pool in Java: the same measurement as W4"
                + " (ProcessPoolExecutor.map) on a fresh pool");
      case RSS:
        return idleWorkerRss();
      case RSSI:
        return settledWorkerRss();
      case RSSP:
        return parentRssPerWorker();
      case WS:
        return workerStartCpu();
      case A5:
        return pipeRoundTrip();
    }
    throw new AssertionError(w);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static ProcessPoolExecutor newPool(int workers) {
    return ProcessPoolExecutor.newBuilder().maxWorkers(workers).build();
  }

  private static <T> T get(CompletableFuture<T> future)
      throws InterruptedException, ExecutionException, TimeoutException {
    return future.get(RESULT_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
  }

  private static <T> List<T> getAll(List<CompletableFuture<T>> futures)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<T> values = new ArrayList<>(futures.size());
    for (CompletableFuture<T> f : futures) {
      values.add(get(f));
    }
    return values;
  }

  /** Fails the run, as the Python peer's {@code assert}s do. */
  static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("check failed: " + what);
    }
  }

  /**
   * Called right before each timed interval: collects this JVM's garbage from earlier work, so that
   * its pause does not land in the interval. (Workers are separate JVMs and are not touched.)
   */
  private static void settle() {
    System.gc();
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static Iterable<Integer> range(int n) {
    return () -> IntStream.range(0, n).iterator();
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  /** Says what the JIT warm-up was: {@code runs} untimed runs of {@code body}. */
  private static String describeJit(int runs, String body) {
    return runs == 0 ? "off (--warmup-runs 0)" : fmt("%d untimed run(s) of %s", runs, body);
  }

  /**
   * The Python peer's warm-up: rounds of N {@code sleep_then_getpid(0.05)} until N distinct pids
   * were seen (at most 10 rounds), then 100 noops. Untimed. Returns the pids seen.
   */
  static int warm(Executor pool, int workers) throws Exception {
    Set<Long> pids = new HashSet<>();
    for (int round = 0; round < 10 && pids.size() < workers; round++) {
      List<CompletableFuture<Long>> futures = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        futures.add(pool.submit(Tasks.SLEEP_THEN_GETPID, 0.05));
      }
      pids.addAll(getAll(futures));
    }
    List<CompletableFuture<Integer>> noops = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      noops.add(pool.submit(Tasks.NOOP, i));
    }
    getAll(noops);
    return pids.size();
  }

  // ---- W1 ------------------------------------------------------------------------------------

  private Result coldStart() throws Exception {
    List<Double> runsMs = new ArrayList<>();
    List<Double> shutdownMs = new ArrayList<>();
    List<Integer> distinct = new ArrayList<>();
    for (int run = 0; run < size.coldPools(); run++) {
      settle();
      long t0 = System.nanoTime();
      ProcessPoolExecutor pool = newPool(n);
      try {
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          futures.add(pool.submit(Tasks.SLEEP_THEN_GETPID, size.coldSleepS()));
        }
        List<Long> pids = getAll(futures);
        long t1 = System.nanoTime();
        pool.shutdown(true, false);
        long t2 = System.nanoTime();
        runsMs.add((t1 - t0) / 1e6);
        shutdownMs.add((t2 - t1) / 1e6);
        distinct.add(new HashSet<>(pids).size());
      } finally {
        pool.close();
      }
    }
    String notes =
        fmt(
            "runs=%s shutdown_median=%.1fms distinct_pids=%s (want %d)",
            runsMs.stream().map(x -> fmt("%.1f", x)).collect(Collectors.toList()),
            Stats.median(shutdownMs),
            distinct,
            n);
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("pools", runsMs.size());
    params.put("task_sleep_ms", size.coldSleepS() * 1e3);
    params.put("runs_ms", runsMs);
    params.put("shutdown_ms", shutdownMs);
    params.put("distinct_pids", distinct);
    params.put(
        "jit_warmup",
        "none: a cold start by definition; run 1 also loads the pool's classes in this JVM");
    return new Result(Stats.median(runsMs), "ms", notes, params);
  }

  // ---- W2 ------------------------------------------------------------------------------------

  private Result roundTrip() throws Exception {
    int calls = size.roundtripCalls();
    double[] us;
    int warmPids;
    try (ProcessPoolExecutor pool = newPool(n)) {
      warmPids = warm(pool, n);
      for (int i = 0; i < options.warmupRuns(); i++) {
        roundTrips(pool, calls);
      }
      us = roundTrips(pool, calls);
    }
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("calls", calls);
    params.put("mean_us", Stats.mean(us));
    params.put("min_us", Stats.min(us));
    params.put("p90_us", Stats.percentile(us, 90));
    params.put("p99_us", Stats.percentile(us, 99));
    params.put("warm_pids", warmPids);
    params.put("jit_warmup", describeJit(options.warmupRuns(), fmt("the body (%d calls)", calls)));
    String notes =
        fmt(
            "mean_us=%.1f min_us=%.1f p90_us=%.1f p99_us=%.1f",
            params.get("mean_us"),
            params.get("min_us"),
            params.get("p90_us"),
            params.get("p99_us"));
    return new Result(Stats.median(us), "us", notes, params);
  }

  /** {@code calls} sequential {@code submit(noop, i).get()}, each timed; checks the results. */
  private static double[] roundTrips(Executor pool, int calls) throws Exception {
    double[] us = new double[calls];
    int[] values = new int[calls];
    settle();
    for (int i = 0; i < calls; i++) {
      long t0 = System.nanoTime();
      int value = get(pool.submit(Tasks.NOOP, i));
      us[i] = (System.nanoTime() - t0) / 1e3;
      values[i] = value;
    }
    for (int i = 0; i < calls; i++) {
      check(values[i] == i, "W2: wrong result " + values[i] + " for noop(" + i + ")");
    }
    return us;
  }

  // ---- W3 ------------------------------------------------------------------------------------

  private Result throughput() throws Exception {
    int tasks = size.throughputTasks();
    long[] timing;
    try (ProcessPoolExecutor pool = newPool(n)) {
      warm(pool, n);
      for (int i = 0; i < options.warmupRuns(); i++) {
        throughputBody(pool, tasks);
      }
      timing = throughputBody(pool, tasks);
    }
    double elapsed = seconds(timing[0]);
    double submit = seconds(timing[1]);
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("tasks", tasks);
    params.put("elapsed_s", elapsed);
    params.put("submit_phase_s", submit);
    params.put("jit_warmup", describeJit(options.warmupRuns(), fmt("the body (%d tasks)", tasks)));
    return new Result(
        tasks / elapsed,
        "tasks/s",
        fmt("elapsed=%.3fs submit_phase=%.3fs", elapsed, submit),
        params);
  }

  /** Returns {elapsed, submit phase} in nanoseconds; checks the results after the clock. */
  private static long[] throughputBody(Executor pool, int tasks) throws Exception {
    List<CompletableFuture<Integer>> futures = new ArrayList<>(tasks);
    settle();
    long t0 = System.nanoTime();
    for (int i = 0; i < tasks; i++) {
      futures.add(pool.submit(Tasks.NOOP, i));
    }
    long submitted = System.nanoTime();
    CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
        .get(RESULT_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
    long t1 = System.nanoTime();
    long sum = 0;
    for (CompletableFuture<Integer> f : futures) {
      sum += f.join();
    }
    check(sum == (long) tasks * (tasks - 1) / 2, "W3: wrong sum " + sum);
    return new long[] {t1 - t0, submitted - t0};
  }

  // ---- W4 and W8 -----------------------------------------------------------------------------

  private Result mapChunked(Workload w, String note) throws Exception {
    int items = size.mapItems();
    int chunk = size.mapChunksize();
    long elapsedNanos;
    try (ProcessPoolExecutor pool = newPool(n)) {
      warm(pool, n);
      for (int i = 0; i < options.warmupRuns(); i++) {
        mapBody(pool, items, chunk, w);
      }
      elapsedNanos = mapBody(pool, items, chunk, w);
    }
    double elapsed = seconds(elapsedNanos);
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("items", items);
    params.put("chunksize", chunk);
    params.put("elapsed_s", elapsed);
    params.put("jit_warmup", describeJit(options.warmupRuns(), fmt("the body (%d items)", items)));
    if (note != null) {
      params.put("note", note);
    }
    String notes =
        fmt("elapsed=%.3fs chunks=%d sum_ok", elapsed, (items + chunk - 1) / chunk)
            + (note == null ? "" : " (" + note + ")");
    return new Result(items / elapsed, "items/s", notes, params);
  }

  /** Times {@code list(map(square, range(items), chunksize))}; checks after the clock. */
  private static long mapBody(Executor pool, int items, int chunk, Workload w) throws Exception {
    settle();
    long t0 = System.nanoTime();
    List<Long> out;
    try (Stream<Long> results = pool.map(Tasks.SQUARE, range(items), chunk, RESULT_TIMEOUT)) {
      out = results.collect(Collectors.toCollection(() -> new ArrayList<>(items)));
    }
    long t1 = System.nanoTime();
    long expected = (long) (items - 1) * items * (2L * items - 1) / 6;
    long sum = 0;
    for (long v : out) {
      sum += v;
    }
    check(out.size() == items && sum == expected, w.id() + ": wrong sum " + sum);
    return t1 - t0;
  }

  // ---- W5 ------------------------------------------------------------------------------------

  /** How many of W5's batches each runner times for each of the peer's repeats. */
  static final int W5_REPEATS_PER_PEER_REPEAT = 3;

  /**
   * W5 as the peer defines it, fib(27) [fib(24)], and the same measurement again with tasks as long
   * as CPython's (fib(34) [fib(30)], about 25 ms in Java): Java runs fib(27) about 30 times faster
   * than CPython, so a batch of four lasts 4-8 ms and the peer's speedup becomes a measure of
   * dispatch and wake-up latency. The value is the peer's definition; the params also carry the
   * other.
   *
   * <p>Both are set beside the machine's own limit: the same batches run by plain threads of this
   * JVM, with no process or serialization between them. On a VM whose cores are not fully its own,
   * two threads of compiled Java code may not run twice as fast as one, and no pool can beat that.
   * The four runners (1 and N threads, 1 and N workers) take turns batch by batch, and each runs
   * {@value #W5_REPEATS_PER_PEER_REPEAT} times the peer's repeats: a batch of fib(27) lasts a few
   * milliseconds here, and with the peer's five, runs of one jar gave the pool 0.5x to 1.2x of the
   * threads' speedup (issue 17, session 13).
   */
  private Result cpuSpeedup() throws Exception {
    int fibN = size.fibN();
    int longN = size.fibLongN();
    int repeats = W5_REPEATS_PER_PEER_REPEAT * size.fibRepeats();
    int tasks = 2 * n;
    ExecutorService threads1 = Executors.newFixedThreadPool(1);
    ExecutorService threadsN = Executors.newFixedThreadPool(n);
    List<W5Runner> runners;
    try (ProcessPoolExecutor pool1 = newPool(1);
        ProcessPoolExecutor poolN = newPool(n)) {
      warm(pool1, 1);
      warm(poolN, n);
      runners =
          List.of(
              new W5Runner(fib -> threadFibBatch(threads1, tasks, fib), repeats),
              new W5Runner(fib -> threadFibBatch(threadsN, tasks, fib), repeats),
              new W5Runner(fib -> fibBatch(pool1, tasks, fib), repeats),
              new W5Runner(fib -> fibBatch(poolN, tasks, fib), repeats));
      // The runners take turns batch by batch, so that all four see the machine as it is at that
      // moment: on a shared VM, minutes apart it is another machine.
      for (int i = 0; i < Math.max(1, options.warmupRuns()); i++) {
        for (W5Runner r : runners) {
          r.batch().run(fibN);
        }
      }
      for (W5Runner r : runners) {
        r.batch().run(longN); // its JIT warm-up
      }
      for (int k = 0; k < repeats; k++) {
        for (W5Runner r : runners) {
          r.shortRuns()[k] = r.batch().run(fibN);
        }
      }
      for (int k = 0; k < repeats; k++) {
        for (W5Runner r : runners) {
          r.longRuns()[k] = r.batch().run(longN);
        }
      }
    } finally {
      threads1.shutdown();
      threadsN.shutdown();
    }
    Map<Integer, double[]> machineShortTimes =
        byWorkers(runners.get(0).shortRuns(), runners.get(1).shortRuns());
    Map<Integer, double[]> machineTimes =
        byWorkers(runners.get(0).longRuns(), runners.get(1).longRuns());
    Map<Integer, double[]> times =
        byWorkers(runners.get(2).shortRuns(), runners.get(3).shortRuns());
    Map<Integer, double[]> longTimes =
        byWorkers(runners.get(2).longRuns(), runners.get(3).longRuns());
    double machineSpeedup = Stats.median(machineTimes.get(1)) / Stats.median(machineTimes.get(n));
    double machineShortSpeedup =
        Stats.median(machineShortTimes.get(1)) / Stats.median(machineShortTimes.get(n));
    double t1 = Stats.median(times.get(1));
    double tn = Stats.median(times.get(n));
    double singleMs = t1 / tasks * 1e3;
    double longT1 = Stats.median(longTimes.get(1));
    double longTn = Stats.median(longTimes.get(n));
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("fib_n", fibN);
    params.put("tasks", tasks);
    params.put("repeats", repeats);
    params.put("t1_s", t1);
    params.put("tN_s", tn);
    params.put("single_task_ms", singleMs);
    params.put("t1_runs_s", times.get(1));
    params.put("tN_runs_s", times.get(n));
    params.put("long_fib_n", longN);
    params.put("long_speedup", longT1 / longTn);
    params.put("long_single_task_ms", longT1 / tasks * 1e3);
    params.put("long_t1_runs_s", longTimes.get(1));
    params.put("long_tN_runs_s", longTimes.get(n));
    params.put("machine_speedup", machineSpeedup);
    params.put("machine_t1_runs_s", machineTimes.get(1));
    params.put("machine_tN_runs_s", machineTimes.get(n));
    params.put("long_speedup_of_machine", longT1 / longTn / machineSpeedup);
    params.put("machine_short_speedup", machineShortSpeedup);
    params.put("machine_short_t1_runs_s", machineShortTimes.get(1));
    params.put("machine_short_tN_runs_s", machineShortTimes.get(n));
    params.put("speedup_of_machine", t1 / tn / machineShortSpeedup);
    params.put(
        "jit_warmup",
        describeJit(
            options.warmupRuns(),
            fmt("a batch of %d fib(%d) on each pool (fib(%d): 1 run)", tasks, fibN, longN)));
    String notes =
        fmt(
            "t1=%.1fms tN=%.1fms single_task_ms=%.1f (fib(%d), %d tasks);"
                + " fib(%d): speedup %.2f, single_task_ms=%.1f;"
                + " plain threads: fib(%d) speedup %.2f (the pool %.2fx of it), fib(%d) %.2f",
            t1 * 1e3,
            tn * 1e3,
            singleMs,
            fibN,
            tasks,
            longN,
            longT1 / longTn,
            longT1 / tasks * 1e3,
            fibN,
            machineShortSpeedup,
            t1 / tn / machineShortSpeedup,
            longN,
            machineSpeedup);
    return new Result(t1 / tn, "x", notes, params);
  }

  /** One of W5's runners: times a batch of fib({@code fibN}) tasks; returns seconds. */
  @FunctionalInterface
  private interface BatchRunner {
    double run(int fibN) throws Exception;
  }

  /** W5's runs with 1 and with N threads or workers, by that number (one entry if N is 1). */
  private Map<Integer, double[]> byWorkers(double[] one, double[] many) {
    Map<Integer, double[]> runs = new LinkedHashMap<>();
    runs.put(1, one);
    runs.put(n, many);
    return runs;
  }

  /** One of W5's four runners (1 or N threads, 1 or N workers), with its timed batches. */
  private record W5Runner(BatchRunner batch, double[] shortRuns, double[] longRuns) {
    W5Runner(BatchRunner batch, int repeats) {
      this(batch, new double[repeats], new double[repeats]);
    }
  }

  /** Times one batch of fib(fibN) on {@code pool} (submit all, wait for all); returns seconds. */
  private static double fibBatch(Executor pool, int tasks, int fibN) throws Exception {
    return fibBatch(() -> pool.submit(Tasks.FIB, fibN), tasks, fibN);
  }

  /** {@link #fibBatch} on plain threads: the machine's own speedup. */
  private static double threadFibBatch(ExecutorService threads, int tasks, int fibN)
      throws Exception {
    return fibBatch(() -> threads.submit(() -> Tasks.fib(fibN)), tasks, fibN);
  }

  /** Times one batch of {@code tasks} fib(fibN) tasks and checks their values; returns seconds. */
  private static double fibBatch(Supplier<Future<Long>> submit, int tasks, int fibN)
      throws Exception {
    settle();
    long t0 = System.nanoTime();
    List<Future<Long>> futures = new ArrayList<>(tasks);
    for (int i = 0; i < tasks; i++) {
      futures.add(submit.get());
    }
    List<Long> values = new ArrayList<>(tasks);
    for (Future<Long> f : futures) {
      values.add(f.get(RESULT_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS));
    }
    double elapsed = seconds(System.nanoTime() - t0);
    Long want = Tasks.FIB_VALUES.get(fibN);
    check(values.stream().allMatch(v -> v.equals(want)), "W5: wrong fib(" + fibN + ") " + values);
    return elapsed;
  }

  // ---- W6 ------------------------------------------------------------------------------------

  private Result payload() throws Exception {
    int tasks = size.payloadTasks();
    int bytes = size.payloadBytes();
    byte[] payload = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      payload[i] = (byte) i; // bytes(range(256)) repeated
    }
    long elapsedNanos;
    try (ProcessPoolExecutor pool = newPool(n)) {
      warm(pool, n);
      for (int i = 0; i < options.warmupRuns(); i++) {
        echoBody(pool, tasks, payload);
      }
      elapsedNanos = echoBody(pool, tasks, payload);
    }
    double elapsed = seconds(elapsedNanos);
    long moved = 2L * tasks * bytes;
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("tasks", tasks);
    params.put("payload_bytes", bytes);
    params.put("moved_bytes", moved);
    params.put("elapsed_s", elapsed);
    params.put("jit_warmup", describeJit(options.warmupRuns(), fmt("the body (%d tasks)", tasks)));
    return new Result(
        (double) moved / MIB / elapsed,
        "MiB/s",
        fmt("elapsed=%.3fs moved=%dMiB", elapsed, moved / MIB),
        params);
  }

  private static long echoBody(Executor pool, int tasks, byte[] payload) throws Exception {
    settle();
    long t0 = System.nanoTime();
    List<CompletableFuture<Tasks.Echoed>> futures = new ArrayList<>(tasks);
    for (int i = 0; i < tasks; i++) {
      futures.add(pool.submit(Tasks.ECHO, payload));
    }
    List<Tasks.Echoed> replies = getAll(futures);
    long t1 = System.nanoTime();
    check(
        replies.stream().allMatch(r -> r.echoes(payload)),
        "W6: a reply is not (len(payload), payload)");
    return t1 - t0;
  }

  // ---- W7 ------------------------------------------------------------------------------------

  /** What one W7 run saw. */
  record RecycleRun(boolean stalled, int completed, long nanos, int distinctPids, int maxPerPid) {}

  private Result recycle() throws Exception {
    int tasks = size.recycleTasks();
    int perChild = size.recycleMaxTasksPerChild();
    int warmupRuns = Math.min(1, options.warmupRuns()); // its workers are new JVMs anyway
    for (int i = 0; i < warmupRuns; i++) {
      recycleBody(tasks, perChild);
    }
    RecycleRun run = recycleBody(tasks, perChild);
    int expectedPids = (tasks + perChild - 1) / perChild;
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("tasks", tasks);
    params.put("max_tasks_per_child", perChild);
    params.put("stall_s", size.recycleStallS());
    params.put("expected_pids", expectedPids);
    params.put("stalled", run.stalled());
    params.put(
        "jit_warmup",
        describeJit(
            warmupRuns,
            "the whole body on a pool of its own (parent side only; every worker is a fresh"
                + " JVM)"));
    if (run.stalled()) {
      params.put("completed", run.completed());
      return new Result(
          null,
          "tasks/s",
          fmt(
              "STALLED after %d/%d tasks (no progress for %.0f s)",
              run.completed(), tasks, size.recycleStallS()),
          params);
    }
    double elapsed = seconds(run.nanos());
    params.put("elapsed_s", elapsed);
    params.put("distinct_pids", run.distinctPids());
    params.put("max_tasks_per_pid", run.maxPerPid());
    return new Result(
        tasks / elapsed,
        "tasks/s",
        fmt("elapsed=%.3fs distinct_pids=%d (want %d)", elapsed, run.distinctPids(), expectedPids),
        params);
  }

  /**
   * t0; a pool of N workers with maxTasksPerChild; submit all noop_pid tasks; wait (giving up once
   * a stall window passes with no task completing); t1. Checks: results in order, no worker ran
   * more than maxTasksPerChild tasks, so at least tasks / maxTasksPerChild workers ran.
   */
  private RecycleRun recycleBody(int tasks, int perChild) throws Exception {
    long stallNanos = (long) (size.recycleStallS() * 1e9);
    settle();
    long t0 = System.nanoTime();
    ProcessPoolExecutor pool =
        ProcessPoolExecutor.newBuilder().maxWorkers(n).maxTasksPerChild(perChild).build();
    try {
      CountDownLatch done = new CountDownLatch(tasks);
      List<CompletableFuture<Tasks.IndexAndPid>> futures = new ArrayList<>(tasks);
      for (int i = 0; i < tasks; i++) {
        CompletableFuture<Tasks.IndexAndPid> f = pool.submit(Tasks.NOOP_PID, i);
        f.whenComplete((r, e) -> done.countDown());
        futures.add(f);
      }
      long before = -1;
      while (!done.await(stallNanos, TimeUnit.NANOSECONDS)) {
        long now = done.getCount();
        if (now == before) {
          pool.shutdownNow();
          return new RecycleRun(true, (int) (tasks - now), 0, 0, 0);
        }
        before = now;
      }
      long t1 = System.nanoTime();
      pool.shutdown(true, false);
      List<Tasks.IndexAndPid> values = getAll(futures);
      Map<Long, Integer> perPid = new HashMap<>();
      for (int i = 0; i < tasks; i++) {
        check(values.get(i).index() == i, "W7: wrong index " + values.get(i) + " for " + i);
        perPid.merge(values.get(i).pid(), 1, Integer::sum);
      }
      int max = perPid.values().stream().mapToInt(Integer::intValue).max().orElse(0);
      check(
          max <= perChild,
          "W7: a worker ran " + max + " tasks, more than maxTasksPerChild " + perChild);
      return new RecycleRun(false, tasks, t1 - t0, perPid.size(), max);
    } finally {
      if (!pool.isTerminated()) {
        pool.shutdownNow();
      }
    }
  }

  // ---- RSS -----------------------------------------------------------------------------------

  private Result idleWorkerRss() throws Exception {
    List<Double> rssMib = new ArrayList<>();
    List<Double> hwmMib = new ArrayList<>();
    for (int i = 0; i < size.rssPools(); i++) {
      try (ProcessPoolExecutor pool = newPool(1)) {
        check(get(pool.submit(Tasks.NOOP, 0)) == 0, "RSS: wrong noop result");
        List<Long> pids = pool.workerPids();
        check(pids.size() == 1, "RSS: expected 1 worker, found " + pids);
        Map<String, Long> status;
        try {
          status = procStatusKb(pids.get(0));
        } catch (NoSuchFileException e) {
          return noProc();
        }
        rssMib.add(status.getOrDefault("VmRSS", -1L) / 1024.0);
        hwmMib.add(status.getOrDefault("VmHWM", -1L) / 1024.0);
      }
    }
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("pools", rssMib.size());
    params.put("runs_mib", rssMib);
    params.put("vm_hwm_mib", hwmMib);
    params.put(
        "worker_jvm_options",
        "jfutures defaults (-XX:+UseG1GC on JDK 17, -XX:+UseSerialGC after, JIT thresholds 5 times the default outside the"
            + " task's path, -XX:TrimNativeHeapInterval=5000 where the JDK has it, and the worker"
            + " class-data-sharing archive once it exists)");
    params.put(
        "definition",
        "VmRSS of the only worker of a 1-worker pool, right after it ran one noop task;"
            + " median over fresh pools");
    return new Result(
        Stats.median(rssMib),
        "MiB",
        fmt("runs=%s peak(VmHWM)=%s", oneDecimal(rssMib), oneDecimal(hwmMib)),
        params);
  }

  /** How long RSSI's workers stay idle before their resident sets are read. */
  private static final long SETTLE_MILLIS = 12_000;

  /**
   * RSSI: as RSS, but each worker's VmRSS is read after it has stayed idle for {@value
   * #SETTLE_MILLIS} ms, once the JVM has given back what its start used and freed (the JIT's
   * arenas, five seconds after; a trim of the native heap every five). The pools wait together.
   */
  private Result settledWorkerRss() throws Exception {
    List<ProcessPoolExecutor> pools = new ArrayList<>();
    List<Long> pids = new ArrayList<>();
    List<Double> rssMib = new ArrayList<>();
    try {
      for (int i = 0; i < size.rssPools(); i++) {
        ProcessPoolExecutor pool = newPool(1);
        pools.add(pool);
        check(get(pool.submit(Tasks.NOOP, 0)) == 0, "RSSI: wrong noop result");
        check(pool.workerPids().size() == 1, "RSSI: expected 1 worker");
        pids.add(pool.workerPids().get(0));
      }
      Thread.sleep(SETTLE_MILLIS); // what is measured: workers that stay idle
      for (long pid : pids) {
        try {
          rssMib.add(procStatusKb(pid).getOrDefault("VmRSS", -1L) / 1024.0);
        } catch (NoSuchFileException e) {
          return noProc();
        }
      }
    } finally {
      for (ProcessPoolExecutor pool : pools) {
        pool.close();
      }
    }
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("pools", rssMib.size());
    params.put("runs_mib", rssMib);
    params.put("settle_ms", SETTLE_MILLIS);
    params.put(
        "definition",
        "VmRSS of the only worker of a 1-worker pool, idle for "
            + SETTLE_MILLIS
            + " ms after it ran one noop task; median over pools that wait together");
    return new Result(Stats.median(rssMib), "MiB", fmt("runs=%s", oneDecimal(rssMib)), params);
  }

  /** RSS's or RSSI's result where there is no {@code /proc}. */
  private static Result noProc() {
    return new Result(null, "MiB", "no /proc/<pid>/status here", new LinkedHashMap<>());
  }

  private static List<String> oneDecimal(List<Double> values) {
    return values.stream().map(x -> fmt("%.1f", x)).collect(Collectors.toList());
  }

  /**
   * The parent's VmRSS before and after starting a pool of 4 workers that each ran one noop, after
   * a {@code System.gc()} each time: the growth per worker, median over fresh pools.
   */
  private Result parentRssPerWorker() throws Exception {
    int workers = 4;
    List<Double> perWorker = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    for (int i = -1; i < size.rssPools(); i++) { // run -1 is untimed: the heap settles first
      System.gc();
      double before = procStatusKb(self).getOrDefault("VmRSS", -1L) / 1024.0;
      try (ProcessPoolExecutor pool = newPool(workers)) {
        List<CompletableFuture<Integer>> warm = new ArrayList<>();
        for (int t = 0; t < 4 * workers; t++) {
          warm.add(pool.submit(Tasks.SLEEP_THEN_GETPID, 0.05).thenApply(pid -> 0));
        }
        getAll(warm);
        check(pool.workerPids().size() == workers, "RSSP: expected " + workers + " workers");
        System.gc();
        double after = procStatusKb(self).getOrDefault("VmRSS", -1L) / 1024.0;
        if (i >= 0) {
          perWorker.add((after - before) / workers);
        }
      }
    }
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("pools", perWorker.size());
    params.put("workers", workers);
    params.put("runs_mib", perWorker);
    params.put(
        "definition",
        "(parent VmRSS with a warmed pool of 4 idle workers - VmRSS before the pool) / 4, each"
            + " after System.gc(); median over fresh pools, after one untimed pool");
    return new Result(
        Stats.median(perWorker),
        "MiB",
        fmt("runs=%s", perWorker.stream().map(x -> fmt("%.2f", x)).collect(Collectors.toList())),
        params);
  }

  /**
   * A worker's CPU from its launch to the end of its first task: the CPU of all its threads, read
   * from {@code /proc/PID/task/TID/schedstat} right after a noop's result arrived, in a fresh
   * 1-worker pool; median over 5 [3] pools. The floor to read it against is {@code java -version}
   * on the same JDK (the Python peer's A3 or A4, whose CPU is in their params).
   */
  private Result workerStartCpu() throws Exception {
    List<Double> cpuMs = new ArrayList<>();
    Map<String, Double> byThread = new LinkedHashMap<>();
    int pools = size.rssPools() + 2;
    for (int i = 0; i < pools; i++) {
      try (ProcessPoolExecutor pool = newPool(1)) {
        check(get(pool.submit(Tasks.NOOP, 0)) == 0, "WS: wrong noop result");
        long pid = pool.workerPids().get(0);
        byThread.clear();
        double total = 0;
        try (var tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
          for (Path task : tasks) {
            double ms =
                Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]) / 1e6;
            total += ms;
            byThread.merge(Files.readString(task.resolve("comm")).trim(), ms, Double::sum);
          }
        } catch (NoSuchFileException e) {
          return new Result(null, "ms", "no /proc/<pid>/task here", new LinkedHashMap<>());
        }
        cpuMs.add(total);
      }
    }
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("pools", cpuMs.size());
    params.put("runs_ms", cpuMs);
    params.put("last_by_thread_ms", byThread);
    params.put(
        "definition",
        "CPU (all threads) of the only worker of a fresh 1-worker pool, from launch to just after"
            + " its first noop's result arrived; median over fresh pools");
    return new Result(
        Stats.median(cpuMs),
        "ms",
        fmt(
            "runs=%s last=%s",
            cpuMs.stream().map(x -> fmt("%.1f", x)).collect(Collectors.toList()),
            byThread.entrySet().stream()
                .filter(e -> e.getValue() >= 1)
                .map(e -> e.getKey() + ":" + fmt("%.0f", e.getValue()))
                .collect(Collectors.joining(","))),
        params);
  }

  /** Reads the {@code kB} fields of {@code /proc/<pid>/status}. */
  static Map<String, Long> procStatusKb(long pid) throws IOException {
    return parseProcStatus(Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")));
  }

  /** Parses lines such as {@code VmRSS: 41234 kB}; other lines are ignored. */
  static Map<String, Long> parseProcStatus(List<String> lines) {
    Map<String, Long> kb = new LinkedHashMap<>();
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String[] parts = line.substring(colon + 1).trim().split("\\s+");
      if (parts.length == 2 && parts[1].equals("kB")) {
        try {
          kb.put(line.substring(0, colon), Long.parseLong(parts[0]));
        } catch (NumberFormatException e) {
          // not a size
        }
      }
    }
    return kb;
  }

  // ---- A5 ------------------------------------------------------------------------------------

  private Result pipeRoundTrip() throws Exception {
    int rounds = size.pipeRoundtrips();
    int warmup = 1_000;
    byte[] message = "8 bytes!".getBytes(StandardCharsets.US_ASCII);
    byte[] reply = new byte[message.length];
    double[] us = new double[rounds];
    Process cat;
    try {
      cat = new ProcessBuilder("cat").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      return new Result(null, "us", "cannot start cat: " + e.getMessage(), new LinkedHashMap<>());
    }
    try (OutputStream toCat = cat.getOutputStream();
        InputStream fromCat = cat.getInputStream()) {
      for (int i = 0; i < warmup + rounds; i++) {
        long t0 = System.nanoTime();
        toCat.write(message);
        toCat.flush();
        readFully(fromCat, reply);
        long elapsed = System.nanoTime() - t0;
        if (i >= warmup) {
          us[i - warmup] = elapsed / 1e3;
        }
      }
      check(Arrays.equals(reply, message), "A5: cat echoed something else");
    } finally {
      if (!cat.waitFor(10, TimeUnit.SECONDS)) {
        cat.destroyForcibly();
      }
    }
    double min = Stats.min(us);
    double p99 = Stats.percentile(us, 99);
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("roundtrips", rounds);
    params.put("warmup", warmup);
    params.put("message_bytes", message.length);
    params.put("min_us", min);
    params.put("p99_us", p99);
    params.put(
        "note",
        "ProcessBuilder(\"cat\"), 8 bytes written to its stdin and read back from its stdout;"
            + " unpinned");
    return new Result(
        Stats.median(us), "us", fmt("min=%.1f p99=%.1f via cat, unpinned", min, p99), params);
  }

  private static void readFully(InputStream in, byte[] buffer) throws IOException {
    int got = 0;
    while (got < buffer.length) {
      int r = in.read(buffer, got, buffer.length - got);
      if (r < 0) {
        throw new EOFException("cat closed its output after " + got + " bytes");
      }
      got += r;
    }
  }
}
