package io.jfutures.benchmarks;

import io.jfutures.api.SerializableRunnable;
import io.jfutures.multiprocessing.AsyncResult;
import io.jfutures.multiprocessing.Connection;
import io.jfutures.multiprocessing.JoinableProcessQueue;
import io.jfutures.multiprocessing.JvmProcess;
import io.jfutures.multiprocessing.Pipe;
import io.jfutures.multiprocessing.Pool;
import io.jfutures.multiprocessing.ProcessQueue;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The Java side of {@code shared/bench/python_mp_peer.py}: the same workloads, names, units and
 * checks, for the parts of the toolbox jfutures has (P1, P2, Q1, Q1c, Q2, Q3, J1, C1, PL1, PL2,
 * PL3). Every "process" is a child JVM. F0 and F1 are ours only: the floors of a child JVM's start
 * that P1 is judged against ({@link JvmFloors}), measured with the same {@code java}.
 *
 * <p>The crew gate differs, as the docstring allows: there is no cross-process Event yet, so a
 * child puts a hello on the crew's report queue, then takes a token from the crew's go queue; the
 * parent takes the hellos, takes {@code t0}, puts one token per child, and takes {@code t1} after
 * the last report. That gate's cost is inside every crew interval, as CPython's is in its.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.jfutures.benchmarks.MpPeerWorkloads \
 *     [--quick] [--json PATH] [--only P1,Q1,...] [--workers N] [--repeats R] [--warmup-runs W]
 * </pre>
 */
public final class MpPeerWorkloads {
  private static final List<String> ALL =
      List.of("F0", "F1", "P1", "P2", "Q1", "Q1c", "Q2", "Q3", "J1", "C1", "PL1", "PL2", "PL3");

  private final boolean quick;
  private final int workers;
  private final int repeats;

  /**
   * Untimed runs of each throughput body before the timed ones, for the JIT (CPython has none to
   * warm); 0 by default, so that the numbers are a cold program's, as the first run's were.
   */
  private final int warmupRuns;

  private MpPeerWorkloads(boolean quick, int workers, int repeats, int warmupRuns) {
    this.warmupRuns = warmupRuns;
    this.quick = quick;
    this.workers = workers;
    this.repeats = repeats;
  }

  /** A measured value, as the Python peer's JSON entry. */
  record Result(String name, double value, String unit, Map<String, Object> params) {}

  /** Runs the selected workloads; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    boolean quick = false;
    String json = null;
    List<String> only = ALL;
    int workers = 2;
    Integer repeats = null;
    int warmupRuns = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--json" -> json = args[++i];
        case "--only" -> only = Arrays.asList(args[++i].split(","));
        case "--workers" -> workers = Integer.parseInt(args[++i]);
        case "--repeats" -> repeats = Integer.parseInt(args[++i]);
        case "--warmup-runs" -> warmupRuns = Integer.parseInt(args[++i]);
        default -> {
          System.err.println(
              "usage: MpPeerWorkloads [--quick] [--json PATH] [--only P1,Q1,...] [--workers N]"
                  + " [--repeats R] [--warmup-runs W]; workloads: "
                  + ALL);
          System.exit(2);
        }
      }
    }
    for (String id : only) {
      if (!ALL.contains(id)) {
        throw new IllegalArgumentException("unknown workload " + id + "; known: " + ALL);
      }
    }
    MpPeerWorkloads w =
        new MpPeerWorkloads(quick, workers, repeats != null ? repeats : quick ? 1 : 3, warmupRuns);
    Map<String, Object> results = new LinkedHashMap<>();
    PrintStream out = System.out;
    out.printf(
        Locale.ROOT,
        "# jfutures mp peer: java %s cpus=%d workers=%d quick=%s%n",
        Runtime.version(),
        Runtime.getRuntime().availableProcessors(),
        workers,
        quick);
    for (String id : only) {
      for (Result r : w.run(id)) {
        out.println(line(id, r));
        out.flush();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("value", r.value()); // NaN (not measured) is written as null
        entry.put("unit", r.unit());
        Map<String, Object> params = new LinkedHashMap<>(r.params());
        params.put("peer", "jfutures");
        params.put("java", Runtime.version().toString());
        entry.put("params", params);
        results.put(r.name(), entry);
      }
    }
    if (json != null) {
      Files.writeString(Path.of(json), Json.write(results) + "\n");
    }
    System.exit(0); // daemon children and hubs end with this JVM
  }

  /** One result's line, as the Python peer prints it (without its notes); NaN is {@code n/a}. */
  static String line(String id, Result r) {
    String value = Double.isNaN(r.value()) ? "n/a" : String.format(Locale.ROOT, "%.3f", r.value());
    return String.format(Locale.ROOT, "%-34s %14s %-8s [%s]", r.name(), value, r.unit(), id);
  }

  /** The rows of workload {@code id}: one for most, several for a workload that measures more. */
  private List<Result> run(String id) throws Exception {
    return List.of(runOne(id));
  }

  private Result runOne(String id) throws Exception {
    switch (id) {
      case "F0":
        return floor("java_version_ms", JvmFloors.javaVersion(quick ? 5 : 20));
      case "F1":
        return floor("least_child_ms", JvmFloors.leastChild(quick ? 5 : 20));
      case "P1":
        return processStartJoin();
      case "P2":
        return processStartJoin8();
      case "Q1":
        return queueItems("queue_int_items_per_s", 0);
      case "Q1c":
        return queueItems("queue_bounded_items_per_s", 1_000);
      case "Q2":
        return queuePingPong();
      case "Q3":
        return queueFourToOne();
      case "J1":
        return joinable();
      case "C1":
        return pipePingPong();
      case "PL1":
        return poolApplyAsync();
      case "PL2":
        return poolImapUnordered();
      case "PL3":
        return poolStarmap();
      default:
        throw new IllegalArgumentException(id);
    }
  }

  // ---- processes -----------------------------------------------------------------------------

  private Result processStartJoin() throws Exception {
    int runs = quick ? 5 : 20;
    run1(1); // untimed
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      int c = 1 + i % 100;
      long t0 = System.nanoTime();
      JvmProcess p = new JvmProcess(() -> System.exit(c)).start();
      p.join();
      ms[i] = (System.nanoTime() - t0) / 1e6;
      check(p.exitCode().orElseThrow() == c, "exit code " + p.exitCode() + " != " + c);
    }
    return new Result(
        "process_start_join_ms", Stats.median(ms), "ms", Map.of("runs", runs, "all", ms));
  }

  private static Result floor(String name, double[] ms) {
    return new Result(name, Stats.median(ms), "ms", Map.of("runs", ms.length, "all", ms));
  }

  private static void run1(int code) throws InterruptedException {
    JvmProcess p = new JvmProcess(() -> System.exit(code)).start();
    p.join();
  }

  private Result processStartJoin8() throws Exception {
    int runs = quick ? 2 : 5;
    run1(1);
    double[] ms = new double[runs];
    for (int r = 0; r < runs; r++) {
      long t0 = System.nanoTime();
      List<JvmProcess> ps = new ArrayList<>();
      for (int k = 1; k <= 8; k++) {
        int c = k;
        ps.add(new JvmProcess(() -> System.exit(c)));
      }
      ps.forEach(JvmProcess::start);
      for (JvmProcess p : ps) {
        p.join();
      }
      ms[r] = (System.nanoTime() - t0) / 1e6;
      for (int k = 1; k <= 8; k++) {
        check(ps.get(k - 1).exitCode().orElseThrow() == k, "exit codes");
      }
    }
    return new Result("process_start_join_8_ms", Stats.median(ms), "ms", Map.of("all", ms));
  }

  // ---- the crew ------------------------------------------------------------------------------

  /** A crew's gate and reports, shared with its children. */
  record Crew(ProcessQueue<long[]> reports, ProcessQueue<Boolean> go) implements Serializable {
    /** A report's member index that says hello. */
    static final long HELLO = -1;

    Crew() {
      this(new ProcessQueue<>(), new ProcessQueue<>());
    }

    /** In a child: say hello, then wait for the go. */
    void gate() throws InterruptedException {
      reports.put(new long[] {HELLO, 0});
      go.take();
    }

    /**
     * The next report, {@code [member, value]}; fails if a child exited without one (an exception
     * in its body), rather than waiting for ever.
     */
    long[] next(List<JvmProcess> children) throws InterruptedException {
      while (true) {
        long[] report = reports.poll(1, TimeUnit.SECONDS);
        if (report != null) {
          return report;
        }
        for (JvmProcess c : children) {
          if (c.exitCode().isPresent() && c.exitCode().getAsInt() != 0) {
            throw new IllegalStateException(c.name() + " failed: exit code " + c.exitCode());
          }
        }
      }
    }
  }

  /** A crew body: runs in a child, returns its report. */
  @FunctionalInterface
  interface Body extends Serializable {
    long run(Crew crew) throws Exception;
  }

  /** A crew body whose report has several values. */
  @FunctionalInterface
  interface Reporting extends Serializable {
    long[] run(Crew crew) throws Exception;
  }

  /** A crew's interval, and each member's report in the order the members were given. */
  record Reports(double seconds, long[][] values) {}

  /**
   * Starts one daemon child per body, opens the gate, runs {@code parentPart}, and waits for every
   * report; returns {@code [seconds, reports...]}.
   */
  private static double[] crew(List<Body> bodies, SerializableRunnable parentPart)
      throws Exception {
    List<Reporting> reporting = new ArrayList<>();
    for (Body b : bodies) {
      reporting.add(c -> new long[] {b.run(c)});
    }
    Reports r = crew(reporting, null, parentPart);
    double[] out = new double[bodies.size() + 1];
    out[0] = r.seconds();
    for (int m = 0; m < bodies.size(); m++) {
      out[m + 1] = r.values()[m][0];
    }
    return out;
  }

  /**
   * Starts one daemon child per body; once every child has said hello, runs {@code beforeGo}
   * (untimed), then opens the gate, runs {@code parentPart}, and waits for every report.
   */
  private static Reports crew(
      List<Reporting> bodies, SerializableRunnable beforeGo, SerializableRunnable parentPart)
      throws Exception {
    Crew crew = new Crew();
    List<JvmProcess> children = new ArrayList<>();
    for (int m = 0; m < bodies.size(); m++) {
      Reporting b = bodies.get(m);
      long member = m;
      children.add(
          new JvmProcess(() -> crew.reports().put(report(member, b.run(crew))))
              .daemon(true)
              .start());
    }
    for (int i = 0; i < bodies.size(); i++) {
      check(crew.next(children)[0] == Crew.HELLO, "a hello first");
    }
    if (beforeGo != null) {
      beforeGo.runChecked();
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < bodies.size(); i++) {
      crew.go().put(true);
    }
    if (parentPart != null) {
      parentPart.runChecked();
    }
    long[][] values = new long[bodies.size()][];
    for (int i = 0; i < bodies.size(); i++) {
      long[] report = crew.next(children); // in the order they come: placed by member
      values[(int) report[0]] = Arrays.copyOfRange(report, 1, report.length);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    for (JvmProcess c : children) {
      c.join();
      check(c.exitCode().orElseThrow() == 0, "child exit " + c.exitCode());
    }
    return new Reports(seconds, values);
  }

  /** A report on the crew's queue: the member's index, then its values. */
  private static long[] report(long member, long[] values) {
    long[] report = new long[values.length + 1];
    report[0] = member;
    System.arraycopy(values, 0, report, 1, values.length);
    return report;
  }

  private Result throughput(String name, String unit, long items, Crewed one) throws Exception {
    return throughput(name, unit, items, Map.of(), one);
  }

  private Result throughput(
      String name, String unit, long items, Map<String, Object> extra, Crewed one)
      throws Exception {
    List<Double> rates = new ArrayList<>();
    for (int r = 0; r < warmupRuns + repeats; r++) {
      rates.add(items / one.seconds());
    }
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("runs", timed(rates));
    params.put("n", items);
    params.putAll(extra);
    return new Result(name, Stats.median(timed(rates)), unit, params);
  }

  /** The timed runs' values: those after the warm-up runs. */
  private List<Double> timed(List<Double> rates) {
    return rates.subList(warmupRuns, rates.size());
  }

  @FunctionalInterface
  interface Crewed {
    double seconds() throws Exception;
  }

  // ---- queues --------------------------------------------------------------------------------

  private Result queueItems(String name, int maxSize) throws Exception {
    int n = quick ? 10_000 : 100_000;
    return throughput(
        name,
        "items/s",
        n,
        () -> {
          ProcessQueue<Integer> q = new ProcessQueue<>(maxSize);
          double[] r =
              crew(
                  List.of(
                      c -> {
                        c.gate();
                        for (int i = 0; i < n; i++) {
                          q.put(i);
                        }
                        return 0;
                      },
                      c -> {
                        c.gate();
                        long sum = 0;
                        for (int i = 0; i < n; i++) {
                          int x = q.take();
                          if (x != i) {
                            throw new IllegalStateException("got " + x + ", expected " + i);
                          }
                          sum += x;
                        }
                        return sum;
                      }),
                  null);
          check(r[2] == (double) n * (n - 1) / 2, "sum");
          return r[0];
        });
  }

  private Result queuePingPong() throws Exception {
    int warm = quick ? 50 : 500;
    int timed = quick ? 500 : 5_000;
    ProcessQueue<Integer> a = new ProcessQueue<>();
    ProcessQueue<Integer> b = new ProcessQueue<>();
    JvmProcess child =
        new JvmProcess(
                () -> {
                  for (int i = 0; i < warm + timed; i++) {
                    b.put(a.take());
                  }
                })
            .daemon(true)
            .start();
    double[] us = new double[timed];
    for (int i = 0; i < warm + timed; i++) {
      long t0 = System.nanoTime();
      a.put(i);
      int y = b.take();
      long t1 = System.nanoTime();
      check(y == i, "ping-pong order");
      if (i >= warm) {
        us[i - warm] = (t1 - t0) / 1e3;
      }
    }
    child.join();
    return latency("queue_pingpong_us", us);
  }

  private static Result latency(String name, double[] us) {
    double[] sorted = us.clone();
    Arrays.sort(sorted);
    return new Result(
        name,
        Stats.median(us),
        "us",
        Map.of(
            "n",
            us.length,
            "min",
            sorted[0],
            "p90",
            Stats.percentile(sorted, 90),
            "p99",
            Stats.percentile(sorted, 99)));
  }

  private Result queueFourToOne() throws Exception {
    int n = quick ? 10_000 : 100_000;
    int m = n / 4;
    return throughput(
        "queue_4to1_items_per_s",
        "items/s",
        n,
        () -> {
          ProcessQueue<Integer> q = new ProcessQueue<>();
          List<Body> bodies = new ArrayList<>();
          for (int k = 0; k < 4; k++) {
            int from = k * m;
            bodies.add(
                c -> {
                  c.gate();
                  for (int j = 0; j < m; j++) {
                    q.put(from + j);
                  }
                  return 0;
                });
          }
          bodies.add(
              c -> {
                c.gate();
                int[] next = new int[4];
                for (int k = 0; k < 4; k++) {
                  next[k] = k * m;
                }
                long sum = 0;
                for (int i = 0; i < n; i++) {
                  int x = q.take();
                  if (x != next[x / m]) {
                    throw new IllegalStateException("out of order: " + x);
                  }
                  next[x / m]++;
                  sum += x;
                }
                return sum;
              });
          double[] r = crew(bodies, null);
          check(r[5] == (double) n * (n - 1) / 2, "sum");
          return r[0];
        });
  }

  private Result joinable() throws Exception {
    int n = quick ? 5_000 : 50_000;
    return throughput(
        "joinable_queue_items_per_s",
        "items/s",
        n,
        () -> {
          JoinableProcessQueue<Integer> jq = new JoinableProcessQueue<>();
          AtomicLong joinedAt = new AtomicLong();
          Body consumer =
              c -> {
                c.gate();
                long count = 0;
                while (true) {
                  int x = jq.take();
                  jq.taskDone();
                  if (x < 0) {
                    return count;
                  }
                  count++;
                }
              };
          long[] t = new long[1];
          double[] r =
              crew(
                  List.of(consumer, consumer),
                  () -> {
                    t[0] = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                      jq.put(i);
                    }
                    jq.join();
                    joinedAt.set(System.nanoTime());
                    jq.put(-1);
                    jq.put(-1);
                  });
          check(r[1] + r[2] == n, "counts add up");
          return (joinedAt.get() - t[0]) / 1e9;
        });
  }

  // ---- pipes ---------------------------------------------------------------------------------

  private Result pipePingPong() throws Exception {
    int warm = quick ? 100 : 1_000;
    int timed = quick ? 1_000 : 10_000;
    Pipe pipe = Pipe.open();
    Connection a = pipe.first();
    Connection b = pipe.second();
    JvmProcess child =
        new JvmProcess(
                () -> {
                  for (int i = 0; i < warm + timed; i++) {
                    b.send(b.recv());
                  }
                })
            .daemon(true)
            .start();
    double[] us = new double[timed];
    for (int i = 0; i < warm + timed; i++) {
      long t0 = System.nanoTime();
      a.send(i);
      Object y = a.recv();
      long t1 = System.nanoTime();
      check(Integer.valueOf(i).equals(y), "ping-pong order");
      if (i >= warm) {
        us[i - warm] = (t1 - t0) / 1e3;
      }
    }
    child.join();
    return latency("pipe_pingpong_us", us);
  }

  // ---- pool ----------------------------------------------------------------------------------

  private Pool warmedPool() throws Exception {
    Pool pool = Pool.create(workers);
    java.util.Set<Long> pids = new java.util.HashSet<>();
    while (pids.size() < workers) {
      List<AsyncResult<Long>> probes = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        probes.add(
            pool.applyAsync(
                () -> {
                  Thread.sleep(50);
                  return ProcessHandle.current().pid();
                }));
      }
      for (AsyncResult<Long> p : probes) {
        pids.add(p.get());
      }
    }
    pool.map((Integer i) -> i, IntStream.range(0, 100).boxed().collect(Collectors.toList()), 1);
    return pool;
  }

  private Result poolApplyAsync() throws Exception {
    int n = quick ? 1_000 : 10_000;
    try (Pool pool = warmedPool()) {
      List<Double> rates = new ArrayList<>();
      for (int r = 0; r < warmupRuns + repeats; r++) {
        AtomicInteger calls = new AtomicInteger();
        AtomicLong sum = new AtomicLong();
        CountDownLatch all = new CountDownLatch(1);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          pool.applyAsync(
              (Integer x) -> x,
              i,
              y -> {
                sum.addAndGet(y);
                if (calls.incrementAndGet() == n) {
                  all.countDown();
                }
              },
              e -> {
                throw new IllegalStateException(e);
              });
        }
        check(all.await(5, TimeUnit.MINUTES), "all callbacks");
        rates.add(n / ((System.nanoTime() - t0) / 1e9));
        check(sum.get() == (long) n * (n - 1) / 2, "sum");
      }
      return new Result(
          "pool_apply_async_tasks_per_s",
          Stats.median(timed(rates)),
          "tasks/s",
          Map.of("runs", timed(rates)));
    }
  }

  private Result poolImapUnordered() throws Exception {
    int n = quick ? 100_000 : 1_000_000;
    List<Integer> inputs = IntStream.range(0, n).boxed().collect(Collectors.toList());
    try (Pool pool = warmedPool()) {
      List<Double> rates = new ArrayList<>();
      for (int r = 0; r < warmupRuns + repeats; r++) {
        long t0 = System.nanoTime();
        long[] countTotal = new long[2];
        pool.imapUnordered((Integer x) -> (long) x * x, inputs, 1_000)
            .forEach(
                y -> {
                  countTotal[0]++;
                  countTotal[1] += y;
                });
        rates.add(n / ((System.nanoTime() - t0) / 1e9));
        check(countTotal[0] == n, "count");
      }
      return new Result(
          "pool_imap_unordered_items_per_s",
          Stats.median(timed(rates)),
          "items/s",
          Map.of("runs", timed(rates)));
    }
  }

  private Result poolStarmap() throws Exception {
    int n = quick ? 100_000 : 1_000_000;
    List<Map.Entry<Integer, Integer>> args = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      args.add(Map.entry(i, i + 1));
    }
    try (Pool pool = warmedPool()) {
      List<Double> rates = new ArrayList<>();
      for (int r = 0; r < warmupRuns + repeats; r++) {
        long t0 = System.nanoTime();
        List<Long> out =
            pool.starmapAsync((Integer a, Integer b) -> (long) a * b, args, 1_000, null, null)
                .get();
        rates.add(n / ((System.nanoTime() - t0) / 1e9));
        for (int i = 0; i < n; i += 9_973) {
          check(out.get(i) == (long) i * (i + 1), "ordered products");
        }
      }
      return new Result(
          "pool_starmap_items_per_s",
          Stats.median(timed(rates)),
          "items/s",
          Map.of("runs", timed(rates)));
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("check failed: " + what);
    }
  }
}
