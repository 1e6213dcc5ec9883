package io.jfutures.samples;

import io.jfutures.api.SerializableCallable;
import io.jfutures.impl.ProcessPoolExecutor;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code maxTasksPerChild}: a worker exits after so many tasks and a fresh JVM takes its place, as
 * a guard against leaks in the tasks. As in Python:
 *
 * <pre>
 * with ProcessPoolExecutor(max_workers=1, max_tasks_per_child=2) as pool:
 *     for pid in pool.map(get_pid, range(8)):
 *         print(pid)
 * </pre>
 */
public final class Recycling {
  /** Counts the tasks run in this JVM; each new worker starts again from zero. */
  private static final AtomicInteger TASKS_RUN_HERE = new AtomicInteger();

  private Recycling() {}

  /**
   * Where a task ran.
   *
   * @param task the task's number, from 1
   * @param pid the process id of the worker's JVM
   * @param nthInWorker how many tasks that JVM had run, this one included
   */
  public record Run(int task, long pid, int nthInWorker) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** Runs eight tasks on one worker at a time, with two tasks per worker. */
  public static void main(String[] args) throws Exception {
    run(8, 2, System.out);
  }

  /**
   * Runs {@code tasks} tasks on a pool of one worker that is replaced every {@code
   * maxTasksPerChild} tasks, and prints where each ran.
   *
   * @return where each task ran, in task order
   */
  public static List<Run> run(int tasks, int maxTasksPerChild, PrintStream out)
      throws InterruptedException, ExecutionException, TimeoutException {
    out.printf(
        "== Recycling: %d tasks, one worker, maxTasksPerChild(%d)%n", tasks, maxTasksPerChild);
    List<Run> runs = new ArrayList<>();
    try (ProcessPoolExecutor pool =
        ProcessPoolExecutor.newBuilder().maxWorkers(1).maxTasksPerChild(maxTasksPerChild).build()) {
      List<CompletableFuture<Run>> futures = new ArrayList<>();
      for (int i = 1; i <= tasks; i++) {
        futures.add(pool.submit(whereAmI(i)));
      }
      long previousPid = -1;
      for (CompletableFuture<Run> future : futures) {
        Run run = Workers.get(future);
        runs.add(run);
        if (previousPid != -1 && run.pid() != previousPid) {
          out.printf("   worker pid %d retired, pid %d took over%n", previousPid, run.pid());
        }
        previousPid = run.pid();
        out.printf(
            "task %d ran in pid %d, task %d of that worker%n",
            run.task(), run.pid(), run.nthInWorker());
      }
    }
    out.printf(
        "%d tasks used %d worker JVMs%n",
        runs.size(), runs.stream().mapToLong(Run::pid).distinct().count());
    return runs;
  }

  private static SerializableCallable<Run> whereAmI(int task) {
    return () -> {
      Thread.sleep(20); // a little work
      return new Run(task, Workers.pid(), TASKS_RUN_HERE.incrementAndGet());
    };
  }
}
