package io.jfutures.samples;

import io.jfutures.api.BrokenProcessPoolException;
import io.jfutures.api.SerializableCallable;
import io.jfutures.api.WorkerFailure;
import io.jfutures.impl.ProcessPoolExecutor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * A worker JVM that dies in the middle of a task breaks the pool, as in Python: the task's future
 * fails with {@link BrokenProcessPoolException}, which names the worker, its pid and how it ended,
 * and later submits are refused. As in Python:
 *
 * <pre>
 * try:
 *     pool.submit(os._exit, 3).result()
 * except BrokenProcessPool as e:
 *     print(e)
 * </pre>
 */
public final class KilledWorker {
  /** The exit code of a worker that halts itself. */
  public static final int HALT_STATUS = 3;

  private KilledWorker() {}

  /** How the worker dies. */
  public enum Death {
    /** The task calls {@code Runtime.getRuntime().halt(3)}: its JVM exits with code 3. */
    HALT,
    /** This JVM kills the worker with {@code ProcessHandle.destroyForcibly()}: SIGKILL. */
    DESTROY
  }

  /**
   * What the caller saw.
   *
   * @param workerPid the dead worker's pid, as a task reported it before
   * @param broken the cause of the {@link ExecutionException} the dying task's {@code get()} threw
   * @param refused what a submit after the death threw
   */
  public record Observed(
      long workerPid, BrokenProcessPoolException broken, RejectedExecutionException refused) {}

  /** Kills a worker both ways. */
  public static void main(String[] args) throws Exception {
    run(Death.HALT, System.out);
    run(Death.DESTROY, System.out);
  }

  /**
   * Makes a pool of one worker, asks it for its pid, then runs a task during which the worker dies
   * as {@code death} says, and prints what the pool reports.
   *
   * @return what the caller saw
   * @throws IllegalStateException if the task does not fail with {@link
   *     BrokenProcessPoolException}, or a submit afterwards is not refused
   */
  public static Observed run(Death death, PrintStream out)
      throws InterruptedException, ExecutionException, TimeoutException, IOException {
    out.printf("== KilledWorker: the worker dies by %s%n", death);
    Path started = Files.createTempFile("jfutures-killed-worker-", ".started");
    Files.delete(started); // the task creates it when it has started
    try (ProcessPoolExecutor pool = ProcessPoolExecutor.newBuilder().maxWorkers(1).build()) {
      SerializableCallable<Long> getPid = Workers::pid;
      long pid = Workers.get(pool.submit(getPid));
      out.printf("the worker is pid %d%n", pid);
      CompletableFuture<Object> dying;
      if (death == Death.HALT) {
        dying = pool.submit(new Halt());
      } else {
        dying = pool.submit(new SleepAfterCreating(started.toString()));
        awaitFile(started);
        out.printf("the task has started; destroying pid %d%n", pid);
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
      BrokenProcessPoolException broken = brokenCauseOf(dying);
      out.printf("get() threw ExecutionException caused by %s%n", broken.getClass().getName());
      out.printf("message: %s%n", broken.getMessage());
      out.printf("pid(): %d%n", broken.pid());
      broken.failure().ifPresent(f -> describe(f, out));
      RejectedExecutionException refused;
      try {
        pool.submit(getPid);
        throw new IllegalStateException("the broken pool accepted a task");
      } catch (RejectedExecutionException e) {
        refused = e;
      }
      out.printf("a later submit is refused: %s%n", refused);
      return new Observed(pid, broken, refused);
    } finally {
      Files.deleteIfExists(started);
    }
  }

  private static void describe(WorkerFailure f, PrintStream out) {
    out.printf("failure(): worker %s, pid %d, %s%n", f.workerName(), f.pid(), f.exitDescription());
    out.printf(
        Locale.ROOT,
        "           running %s, after %d task(s) in %.3f s%n",
        f.task(),
        f.tasksCompleted(),
        f.uptime().toNanos() / 1e9);
    f.stderrTail().forEach(line -> out.println("           stderr: " + line));
  }

  private static BrokenProcessPoolException brokenCauseOf(CompletableFuture<?> future)
      throws InterruptedException, TimeoutException {
    try {
      Object result = Workers.get(future);
      throw new IllegalStateException("the task did not fail; it returned " + result);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof BrokenProcessPoolException) {
        return (BrokenProcessPoolException) e.getCause();
      }
      throw new IllegalStateException("the task failed otherwise: " + e.getCause(), e);
    }
  }

  /** Halts the worker's JVM; a named class, so that the pool's messages name it. */
  static final class Halt implements SerializableCallable<Object> {
    private static final long serialVersionUID = 1L;

    @Override
    public Object call() {
      Runtime.getRuntime().halt(HALT_STATUS); // no shutdown hooks, no finally blocks: gone
      return "unreachable";
    }
  }

  /** Creates a file to say it has started, then sleeps until the worker is killed. */
  static final class SleepAfterCreating implements SerializableCallable<Object> {
    private static final long serialVersionUID = 1L;

    private final String file;

    SleepAfterCreating(String file) {
      this.file = file;
    }

    @Override
    public Object call() throws IOException, InterruptedException {
      Files.createFile(Path.of(file));
      Thread.sleep(Workers.RESULT_TIMEOUT.toMillis()); // killed long before it wakes
      return "woke up";
    }
  }

  /** Waits until the task has created {@code file}. */
  private static void awaitFile(Path file) throws InterruptedException, TimeoutException {
    Instant deadline = Instant.now().plus(Workers.RESULT_TIMEOUT);
    while (!Files.exists(file)) {
      if (Instant.now().isAfter(deadline)) {
        throw new TimeoutException("the task did not create " + file);
      }
      Thread.sleep(5);
    }
  }
}
