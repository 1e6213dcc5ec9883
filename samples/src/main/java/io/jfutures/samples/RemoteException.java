package io.jfutures.samples;

import io.jfutures.api.Executor;
import io.jfutures.api.SerializableCallable;
import io.jfutures.impl.ProcessPoolExecutor;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * A task that throws: {@code get()} throws {@link ExecutionException} whose cause is the task's own
 * exception, with its class, its message and the stack trace it had in the worker JVM. A failed
 * task leaves the pool usable. As in Python:
 *
 * <pre>
 * try:
 *     pool.submit(parse_port, "70000").result()
 * except ValueError as e:
 *     traceback.print_exception(e)   # shows the worker's traceback too
 * </pre>
 */
public final class RemoteException {
  private RemoteException() {}

  /**
   * What the caller saw.
   *
   * @param cause the cause of the {@link ExecutionException} that {@code get()} threw
   * @param frames the cause's stack trace: the frames of the worker, not of the caller
   * @param afterwards the result of a task submitted after the failure: the pool still works
   */
  public record Observed(Throwable cause, List<StackTraceElement> frames, int afterwards) {
    /** Copies the frames. */
    public Observed {
      frames = List.copyOf(frames);
    }
  }

  /**
   * Parses a TCP port; the exception comes from a nested call, so that the worker's stack trace has
   * something to show.
   */
  static final class ParsePort implements SerializableCallable<Integer> {
    private static final long serialVersionUID = 1L;

    private final String text;

    ParsePort(String text) {
      this.text = text;
    }

    @Override
    public Integer call() {
      return checkRange(Integer.parseInt(text));
    }

    private static int checkRange(int port) {
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
      }
      return port;
    }
  }

  /** Submits a failing task to a child JVM and prints what comes back. */
  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  /** As {@link #run(Executor, PrintStream)} on a new process pool of one worker. */
  public static Observed run(PrintStream out)
      throws InterruptedException, ExecutionException, TimeoutException {
    try (ProcessPoolExecutor pool = ProcessPoolExecutor.newBuilder().maxWorkers(1).build()) {
      return run(pool, out);
    }
  }

  /**
   * Submits {@code new ParsePort("70000")} to {@code pool}, prints the exception {@code get()}
   * throws with the worker's stack trace, then shows that the pool still runs tasks.
   *
   * @return what the caller saw
   * @throws IllegalStateException if the task does not fail
   */
  public static Observed run(Executor pool, PrintStream out)
      throws InterruptedException, ExecutionException, TimeoutException {
    out.printf("== RemoteException: a task that throws, seen from pid %d%n", Workers.pid());
    Throwable cause;
    try {
      Integer port = Workers.get(pool.submit(new ParsePort("70000")));
      throw new IllegalStateException("the task did not fail; it returned " + port);
    } catch (ExecutionException e) {
      cause = e.getCause();
    }
    out.printf("get() threw ExecutionException caused by %s%n", cause.getClass().getName());
    out.printf("message: %s%n", cause.getMessage());
    out.println("stack trace, as it was in the worker:");
    StackTraceElement[] frames = cause.getStackTrace();
    for (StackTraceElement frame : frames) {
      out.println("\tat " + frame);
    }
    int afterwards = Workers.get(pool.submit(new ParsePort("8080")));
    out.printf("the pool still works: the next task returned %d%n", afterwards);
    return new Observed(cause, Arrays.asList(frames), afterwards);
  }
}
