package io.jfutures.samples;

import io.jfutures.api.Executor;
import io.jfutures.api.SerializableCallable;
import io.jfutures.impl.ProcessPoolExecutor;
import java.io.PrintStream;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Five long tasks on four workers: four run at once, the fifth waits for a free worker. As in
 * Python:
 *
 * <pre>
 * with ProcessPoolExecutor(max_workers=4) as pool:
 *     futures = [pool.submit(long_task, i) for i in range(1, 6)]
 *     for f in futures:
 *         print(f.result())
 * </pre>
 */
public final class LongTasks {
  private LongTasks() {}

  /**
   * One run of a task, as the worker saw it.
   *
   * @param task the task's number, from 1
   * @param pid the process id of the worker's JVM
   * @param worker the worker, as {@code pid 1234 (jfutures-worker-3)}
   * @param start when the task started (wall clock, comparable across JVMs on one machine)
   * @param end when it ended
   */
  public record TaskRun(int task, long pid, String worker, Instant start, Instant end)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** Runs five one-second tasks on a pool of four child JVMs. */
  public static void main(String[] args) throws Exception {
    run(4, 5, Duration.ofSeconds(1), System.out);
  }

  /**
   * Runs {@code tasks} tasks that each sleep {@code sleep}, on a new process pool of {@code
   * workers} workers, warmed up first so that JVM start-up does not blur the picture.
   *
   * @return the runs, in task order
   */
  public static List<TaskRun> run(int workers, int tasks, Duration sleep, PrintStream out)
      throws InterruptedException, ExecutionException, TimeoutException {
    out.printf("== LongTasks: %d tasks of %s on %d worker JVMs%n", tasks, sleep, workers);
    try (ProcessPoolExecutor pool = ProcessPoolExecutor.newBuilder().maxWorkers(workers).build()) {
      Workers.warmUp(pool, workers, out);
      return run(pool, tasks, sleep, out);
    }
  }

  /**
   * Runs {@code tasks} tasks that each sleep {@code sleep} on {@code pool}, and prints when each
   * started and ended, in which worker.
   *
   * @return the runs, in task order
   */
  public static List<TaskRun> run(Executor pool, int tasks, Duration sleep, PrintStream out)
      throws InterruptedException, ExecutionException, TimeoutException {
    Instant origin = Instant.now();
    List<CompletableFuture<TaskRun>> futures = new ArrayList<>();
    for (int i = 1; i <= tasks; i++) {
      futures.add(pool.submit(longTask(i, sleep.toMillis())));
    }
    out.printf("submitted %d tasks at +0.000 s%n", tasks);
    List<TaskRun> runs = new ArrayList<>();
    for (CompletableFuture<TaskRun> future : futures) {
      TaskRun run = Workers.get(future);
      runs.add(run);
      out.printf(
          "task %d ran in %s from %s to %s%n",
          run.task(),
          run.worker(),
          Workers.since(origin, run.start()),
          Workers.since(origin, run.end()));
    }
    Instant firstEnd = runs.stream().map(TaskRun::end).min(Instant::compareTo).orElseThrow();
    long startedAtOnce = runs.stream().filter(r -> r.start().isBefore(firstEnd)).count();
    out.printf(
        "%d tasks started before the first one ended; the others waited for a free worker%n",
        startedAtOnce);
    return runs;
  }

  private static SerializableCallable<TaskRun> longTask(int task, long sleepMillis) {
    return () -> {
      Instant start = Instant.now();
      Thread.sleep(sleepMillis); // stands for a second of real work
      return new TaskRun(task, Workers.pid(), Workers.workerId(), start, Instant.now());
    };
  }
}
