package io.jfutures.samples;

import io.jfutures.api.SerializableCallable;
import io.jfutures.api.SerializableRunnable;
import io.jfutures.impl.ProcessPoolExecutor;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * An initializer that each worker runs once, before its first task, to set up state its tasks then
 * read: here a system property and a static field. As in Python:
 *
 * <pre>
 * def init(url):
 *     global connection
 *     connection = connect(url)
 *
 * with ProcessPoolExecutor(max_workers=2, initializer=init, initargs=(url,)) as pool:
 *     ...
 * </pre>
 */
public final class Initializer {
  /** The system property the initializer sets in each worker. */
  public static final String PROPERTY = "jfutures.samples.connection";

  /** Set by the initializer in each worker JVM; null in the JVM that made the pool. */
  private static volatile String connection;

  private Initializer() {}

  /**
   * What a task saw in its worker.
   *
   * @param task the task's number, from 1
   * @param pid the process id of the worker's JVM
   * @param property the value of {@link #PROPERTY} there
   * @param field the value of the static field the initializer set there
   */
  public record Seen(int task, long pid, String property, String field) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** Runs six tasks on two child JVMs set up by an initializer. */
  public static void main(String[] args) throws Exception {
    run(2, 6, "jdbc:example://db.local/orders", System.out);
  }

  /**
   * Makes a pool of {@code workers} child JVMs whose initializer receives {@code url} and stores
   * it, with its own pid, in a system property and a static field; then runs {@code tasks} tasks
   * that read them back.
   *
   * @return what each task saw, in task order
   */
  public static List<Seen> run(int workers, int tasks, String url, PrintStream out)
      throws InterruptedException, ExecutionException, TimeoutException {
    out.printf("== Initializer: %d tasks on %d workers set up by an initializer%n", tasks, workers);
    SerializableRunnable init = () -> initWorker(url); // captures url: it travels to each worker
    List<Seen> seen = new ArrayList<>();
    try (ProcessPoolExecutor pool =
        ProcessPoolExecutor.newBuilder().maxWorkers(workers).initializer(init).build()) {
      List<CompletableFuture<Seen>> futures = new ArrayList<>();
      for (int i = 1; i <= tasks; i++) {
        futures.add(pool.submit(readBack(i)));
      }
      for (CompletableFuture<Seen> future : futures) {
        Seen s = Workers.get(future);
        seen.add(s);
        out.printf(
            "task %d in pid %d sees %s=\"%s\" and connection=\"%s\"%n",
            s.task(), s.pid(), PROPERTY, s.property(), s.field());
      }
    }
    out.printf(
        "this JVM (pid %d) sees %s=%s: the initializer ran in the workers only%n",
        Workers.pid(), PROPERTY, System.getProperty(PROPERTY));
    return seen;
  }

  /** Returns what the initializer stores for {@code url} in the worker with this pid. */
  public static String expectedValue(String url, long pid) {
    return url + " (opened in pid " + pid + ")";
  }

  private static void initWorker(String url) {
    String value = expectedValue(url, Workers.pid());
    System.setProperty(PROPERTY, value);
    connection = value;
  }

  private static SerializableCallable<Seen> readBack(int task) {
    return () -> {
      Thread.sleep(100); // a little work, so that both workers take tasks
      return new Seen(task, Workers.pid(), System.getProperty(PROPERTY), connection);
    };
  }
}
