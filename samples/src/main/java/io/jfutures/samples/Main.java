package io.jfutures.samples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Runs the samples: {@code Main <name>} runs one, {@code Main all} or {@code Main} alone runs them
 * all. With Maven: {@code mvn -pl samples -Pdemo verify -DskipTests -Ddemo=squares}.
 */
public final class Main {
  /** The exit status for a bad command line. */
  public static final int USAGE_STATUS = 2;

  /** The name that runs every sample. */
  public static final String ALL = "all";

  private Main() {}

  /** A sample that can be run by name. */
  public enum Sample {
    /** {@link LongTasks}. */
    LONGTASKS(
        "five one-second tasks on four workers",
        out -> LongTasks.run(4, 5, Duration.ofSeconds(1), out)),
    /** {@link SquaresMap}. */
    SQUARES(
        "map of squares in chunks of 3, results in input order",
        out -> SquaresMap.run(2, 20, 3, out)),
    /** {@link Initializer}. */
    INITIALIZER(
        "an initializer sets up each worker",
        out -> Initializer.run(2, 6, "jdbc:example://db.local/orders", out)),
    /** {@link Recycling}. */
    RECYCLING("maxTasksPerChild(2): a new worker every two tasks", out -> Recycling.run(8, 2, out)),
    /** {@link RemoteException}. */
    EXCEPTION("a task's exception, with the worker's stack trace", RemoteException::run),
    /** {@link KilledWorker}. */
    KILLED(
        "a worker dies: the pool breaks",
        out -> {
          KilledWorker.run(KilledWorker.Death.HALT, out);
          KilledWorker.run(KilledWorker.Death.DESTROY, out);
        }),
    /** {@link AsyncPipeline}. */
    ASYNC(
        "CompletableFuture code on a process pool: supplyAsync, continuations, invokeAll",
        out -> {
          try (io.jfutures.impl.ProcessPoolExecutor pool =
              io.jfutures.impl.ProcessPoolExecutor.newBuilder().maxWorkers(2).build()) {
            AsyncPipeline.run(pool, List.of("alpha", "beta", "gamma", "delta"), out);
          }
        }),
    /** {@link ProcessJoin}. */
    PROCESS(
        "multiprocessing: a JvmProcess runs f('bob') in a child JVM",
        out -> ProcessJoin.run("bob", out)),
    /** {@link PoolApplyAsync}. */
    POOL(
        "multiprocessing: Pool(4), applyAsync over 5 tasks with callbacks, then map",
        out -> PoolApplyAsync.run(4, 5, out)),
    /** {@link QueueWriterReader}. */
    QUEUE(
        "multiprocessing: a reader process takes 10,000 items from a ProcessQueue",
        out -> QueueWriterReader.run(10_000, out)),
    /** {@link JoinableConsumers}. */
    JOINABLE(
        "multiprocessing: 4 daemon consumers and JoinableProcessQueue.join()",
        out -> JoinableConsumers.run(4, 20, out)),
    /** {@link PipePair}. */
    PIPE("multiprocessing: two-way and one-way Pipes, to end-of-file", PipePair::run),
    /** {@link TicketRace}. */
    TICKETS(
        "multiprocessing: 4 buyer processes race for 100 tickets held in a queue",
        out -> TicketRace.run(100, 4, out)),
    /** {@link SharedValueArray}. */
    SHARED(
        "multiprocessing: a child writes a SharedDouble and a SharedIntArray in place;"
            + " 2 processes add to one SharedInt",
        out -> SharedValueArray.run(2, 100_000, out)),
    /** {@link LockCounter}. */
    LOCK(
        "multiprocessing: 20 processes decrement a counter under a ProcessLock; a holder is killed",
        out -> LockCounter.run(20, out)),
    /** {@link SyncTour}. */
    SYNC(
        "multiprocessing: Event, Semaphore, Condition and Barrier across 4 processes",
        out -> SyncTour.run(4, out)),
    /** {@link ManagerTour}. */
    MANAGER(
        "multiprocessing: a Manager's dict, list and namespace; a registered type shared by a Pool",
        ManagerTour::run),
    /** {@link ClusterMap}. */
    CLUSTER(
        "the same map on a local process pool and on a 2-member Hazelcast cluster",
        ClusterMap::run),
    /** {@link CpuSpeedup}. */
    CPU(
        "CPU-bound tasks on 1 worker, then on one per processor",
        out -> CpuSpeedup.run(CpuSpeedup.DEFAULT_INPUTS, CpuSpeedup.defaultWorkers(), out));

    private final String summary;
    private final Demo demo;

    Sample(String summary, Demo demo) {
      this.summary = summary;
      this.demo = demo;
    }

    /** Returns the name that selects this sample on the command line. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Returns what this sample shows, in a line. */
    public String summary() {
      return summary;
    }

    /** Runs this sample, printing to {@code out}. */
    public void run(PrintStream out) throws Exception {
      demo.run(out);
    }
  }

  /** A sample's body. */
  @FunctionalInterface
  interface Demo {
    void run(PrintStream out) throws Exception;
  }

  /** Runs the samples named by {@code args}; exits with status 2 on a bad command line. */
  public static void main(String[] args) throws Exception {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Runs what {@code args} names: one sample, or all of them when {@code args} is empty or {@code
   * all}; otherwise prints the usage to {@code err}.
   *
   * @return 0, or {@link #USAGE_STATUS} for a bad command line
   * @throws Exception what a sample threw
   */
  public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    Optional<List<Sample>> samples = parse(args);
    if (samples.isEmpty()) {
      err.print(usage());
      return USAGE_STATUS;
    }
    long tourStart = System.nanoTime();
    for (Sample sample : samples.get()) {
      long start = System.nanoTime();
      sample.run(out);
      out.printf("-- %s took %s%n%n", sample.id(), Workers.seconds(since(start)));
    }
    if (samples.get().size() > 1) {
      out.printf(
          "-- %d samples took %s%n", samples.get().size(), Workers.seconds(since(tourStart)));
    }
    return 0;
  }

  /**
   * Returns the samples {@code args} names, in the order they run, or empty if {@code args} is not
   * a valid command line. Names are matched ignoring case and surrounding blanks.
   */
  public static Optional<List<Sample>> parse(String... args) {
    if (args.length > 1) {
      return Optional.empty();
    }
    String name = args.length == 0 ? ALL : args[0].strip().toLowerCase(Locale.ROOT);
    if (name.equals(ALL) || name.isEmpty()) {
      return Optional.of(List.of(Sample.values()));
    }
    return Arrays.stream(Sample.values())
        .filter(s -> s.id().equals(name))
        .findFirst()
        .map(List::of);
  }

  private static Duration since(long nanoTime) {
    return Duration.ofNanos(System.nanoTime() - nanoTime);
  }

  /** Returns the usage text, which lists the sample names. */
  public static String usage() {
    String lines =
        Arrays.stream(Sample.values())
            .map(s -> String.format(Locale.ROOT, "  %-12s %s%n", s.id(), s.summary()))
            .collect(Collectors.joining());
    return "usage: Main ["
        + ALL
        + " | <sample>]\n"
        + "Runs one sample, or all of them when none is named. Samples:\n"
        + lines;
  }
}
