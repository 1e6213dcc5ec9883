package io.jfutures.benchmarks;

import io.jfutures.api.Executor;
import io.jfutures.hazelcast.HazelcastBackend;
import io.jfutures.hazelcast.LocalCluster;
import io.jfutures.impl.BackendExecutor;
import io.jfutures.impl.ProcessPoolExecutor;
import io.jfutures.impl.WorkerDeathPolicy;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What running on a cluster costs per task: the same workloads on a local process pool of two child
 * JVMs and on a cluster of two Hazelcast worker members on loopback (one slot each, reached as a
 * client), in one run, so that their ratio is the cluster's overhead on this machine.
 *
 * <ul>
 *   <li>H1: one task at a time, submit to result: microseconds per task;
 *   <li>H2: 5,000 tiny tasks submitted at once: tasks per second;
 *   <li>H3: {@code map} of {@code x + 1} over 200,000 ints in chunks of 1,000: items per second.
 * </ul>
 *
 * <pre>
 * usage: ClusterWorkloads [--quick] [--json PATH] [--only H1,H2,H3]
 * </pre>
 *
 * Each workload runs untimed first on each side (the JIT, the members' first tasks), then timed;
 * JSON entries are {@code H1_local}, {@code H1_cluster}, ... as {@code {value, unit, params}}.
 */
public final class ClusterWorkloads {
  private static final Logger HAZELCAST = Logger.getLogger("com.hazelcast");

  private ClusterWorkloads() {}

  /** The sizes of a full and a quick run. */
  private record Sizes(int roundTrips, int tinyTasks, int mapItems) {}

  private static final Sizes FULL = new Sizes(2_000, 5_000, 200_000);
  private static final Sizes QUICK = new Sizes(200, 500, 20_000);

  /** Runs the workloads; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    boolean quick = false;
    String json = null;
    List<String> only = List.of("H1", "H2", "H3");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--json" -> json = args[++i];
        case "--only" -> only = List.of(args[++i].split(","));
        default -> {
          System.err.println("usage: ClusterWorkloads [--quick] [--json PATH] [--only H1,H2,H3]");
          System.exit(2);
        }
      }
    }
    Map<String, Object> results = run(quick ? QUICK : FULL, only, System.out);
    if (json != null) {
      Files.writeString(Path.of(json), Json.write(results) + "\n");
    }
    System.exit(0); // Hazelcast's client leaves non-daemon threads behind for a moment
  }

  static Map<String, Object> run(Sizes size, List<String> only, PrintStream out) throws Exception {
    HAZELCAST.setLevel(Level.WARNING);
    Map<String, Object> results = new LinkedHashMap<>();
    try (ProcessPoolExecutor local = ProcessPoolExecutor.newBuilder().maxWorkers(2).build();
        LocalCluster cluster = LocalCluster.start(2, 1, List.of("-Xmx256m"));
        BackendExecutor members =
            BackendExecutor.newBuilder(HazelcastBackend.client(cluster.clientConfig()))
                .workerDeathPolicy(WorkerDeathPolicy.REPLACE_WORKER)
                .build()) {
      out.printf("local: %s%ncluster: %s, workers %s%n", local, cluster, members.workers());
      for (String id : only) {
        for (String side : List.of("local", "cluster")) {
          Executor ex = side.equals("local") ? local : members;
          measure(id, ex, size); // untimed: the JIT, the first tasks of each worker
          double value = measure(id, ex, size);
          String unit = id.equals("H1") ? "us" : "/s";
          out.printf(Locale.ROOT, "%s %-7s %12.1f %s%n", id, side, value, unit);
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("value", value);
          entry.put("unit", unit);
          entry.put("params", Map.of("java", Runtime.version().toString(), "workers", 2));
          results.put(id + "_" + side, entry);
        }
      }
    }
    return results;
  }

  private static double measure(String id, Executor ex, Sizes size) throws Exception {
    switch (id) {
      case "H1" -> {
        long start = System.nanoTime();
        for (int i = 0; i < size.roundTrips(); i++) {
          ex.submit(() -> null).get(60, TimeUnit.SECONDS);
        }
        return (System.nanoTime() - start) / 1e3 / size.roundTrips();
      }
      case "H2" -> {
        long start = System.nanoTime();
        List<CompletableFuture<Integer>> all = new ArrayList<>(size.tinyTasks());
        for (int i = 0; i < size.tinyTasks(); i++) {
          all.add(ex.submit(() -> 1));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
        return size.tinyTasks() / ((System.nanoTime() - start) / 1e9);
      }
      case "H3" -> {
        List<Integer> items =
            IntStream.range(0, size.mapItems()).boxed().collect(Collectors.toList());
        long start = System.nanoTime();
        long sum = ex.map((Integer x) -> x + 1, items, 1_000, null).mapToLong(x -> x).sum();
        if (sum != (long) size.mapItems() * (size.mapItems() + 1) / 2) {
          throw new IllegalStateException("wrong sum " + sum);
        }
        return size.mapItems() / ((System.nanoTime() - start) / 1e9);
      }
      default -> throw new IllegalArgumentException("unknown workload " + id + "; H1, H2 or H3");
    }
  }
}
