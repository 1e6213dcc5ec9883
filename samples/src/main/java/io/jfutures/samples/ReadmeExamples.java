package io.jfutures.samples;

import io.jfutures.api.*;
import io.jfutures.hazelcast.HazelcastBackend;
import io.jfutures.hazelcast.LocalCluster;
import io.jfutures.impl.BackendExecutor;
import io.jfutures.impl.ProcessPoolExecutor;
import io.jfutures.impl.WorkerDeathPolicy;
import io.jfutures.multiprocessing.*;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The README's examples, line for line, so that they are compiled and run: {@code ReadmeExamplesIT}
 * checks that each line of the README's Java blocks appears here (or, for the test example, in
 * {@code LegacyParserTest}) in the same order, and runs this program.
 */
public final class ReadmeExamples {
  private ReadmeExamples() {}

  /** Stands in for a native library a worker loads once, as the README's initializer does. */
  static final class NativeLib {
    private NativeLib() {}

    static void load() {
      System.setProperty("native.lib.loaded", "true");
    }
  }

  /** The README's process pool. */
  static void processPool() throws Exception {
    List<Integer> inputs = List.of(1, 2, 3);
    try (ProcessPoolExecutor pool =
        ProcessPoolExecutor.newBuilder()
            .maxWorkers(4) // default: number of processors
            .initializer(() -> NativeLib.load()) // once per worker, before its first task
            .maxTasksPerChild(100) // recycle leaky workers
            .taskTimeout(Duration.ofMinutes(1)) // a task past it fails; its worker is replaced
            .build()) {
      CompletableFuture<Integer> f = pool.submit(() -> 6 * 7); // a serializable lambda
      try (Stream<Long> squares =
          pool.map((Integer x) -> (long) x * x, inputs, 1_000, Duration.ofMinutes(5))) {
        squares.forEach(System.out::println); // in order, lazily, 1,000 a task
      }
      List<CompletableFuture<Integer>> futures = List.of(f, pool.submit(() -> 1));
      for (CompletableFuture<Integer> done : Futures.asCompleted(futures, Duration.ofSeconds(30))) {
        System.out.println(done.join()); // 1 or 42 first: as they end
      }
    }
  }

  /** The README's processes, queue and Manager. */
  static void processesAndManager() throws Exception {
    ProcessQueue<String> q = new ProcessQueue<>(); // q = Queue()
    JvmProcess p = new JvmProcess(() -> q.put("hello from " + JvmProcess.current().pid()));
    p.start(); // Process(target=f, args=(q,)).start()
    System.out.println(q.get()); // q.get()
    p.join(); // exitCode(): OptionalInt[0]

    try (Manager m = Manager.start()) { // with Manager() as m:
      ManagedMap<String, Integer> d = m.dict(); // d = m.dict(), a ConcurrentMap
      ProcessLock lock = m.lock();
      new JvmProcess(
              () -> {
                lock.lock();
                try {
                  d.put("child", 42);
                } finally {
                  lock.unlock();
                }
              })
          .start()
          .join();
      System.out.println(d); // {child=42}
    }
    System.out.println(p.exitCode());
    q.close();
  }

  /** The README's cluster: the same map on two Hazelcast members. */
  static void cluster() throws Exception {
    try (LocalCluster cluster =
            LocalCluster.start(2); // two member JVMs here; elsewhere, WorkerMember
        BackendExecutor members =
            BackendExecutor.newBuilder(HazelcastBackend.client(cluster.clientConfig()))
                .workerDeathPolicy(
                    WorkerDeathPolicy.REPLACE_WORKER) // a dead member fails its tasks
                .retryOnWorkerLoss(2) // ... or runs them again on another member, twice at most
                .build()) {
      members.map((Integer x) -> x * x, List.of(1, 2, 3)).forEach(System.out::println); // 1 4 9
    }
  }

  /** Runs the examples. */
  public static void main(String[] args) throws Exception {
    processPool();
    processesAndManager();
    cluster();
  }
}
