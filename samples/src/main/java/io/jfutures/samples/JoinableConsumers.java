package io.jfutures.samples;

import io.jfutures.multiprocessing.JoinableProcessQueue;
import io.jfutures.multiprocessing.JvmProcess;
import io.jfutures.multiprocessing.ProcessQueue;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Python's JoinableQueue producer/consumer with daemon consumers, in Java: four daemon consumer
 * processes work on items for as long as they live, and the producer waits with {@code join()}
 * until every item is done; the daemons end with the program.
 *
 * <pre>{@code
 * def consumer(q, results):
 *     while True:
 *         item = q.get()
 *         results.put(do_work(item))
 *         q.task_done()
 *
 * for i in range(4):
 *     Process(target=consumer, args=(q, results), daemon=True).start()
 * for item in range(20):
 *     q.put(item)
 * q.join()
 * }</pre>
 */
public final class JoinableConsumers {
  private JoinableConsumers() {}

  /** The work: a square, tagged with the consumer's pid. */
  static String doWork(int item) {
    return item + "^2=" + (item * item) + " by pid " + ProcessHandle.current().pid();
  }

  static void consumer(JoinableProcessQueue<Integer> q, ProcessQueue<String> results)
      throws InterruptedException {
    while (true) {
      int item = q.get();
      results.put(doWork(item));
      q.taskDone();
    }
  }

  /** Runs {@code items} items through {@code consumers} daemon consumers; returns the results. */
  public static List<String> run(int consumers, int items, PrintStream out) throws Exception {
    JoinableProcessQueue<Integer> q = new JoinableProcessQueue<>();
    ProcessQueue<String> results = new ProcessQueue<>();
    List<JvmProcess> started = new ArrayList<>();
    for (int i = 0; i < consumers; i++) {
      started.add(new JvmProcess(() -> consumer(q, results)).daemon(true).start());
    }
    for (int item = 0; item < items; item++) {
      q.put(item);
    }
    q.join(); // every item taken and marked done
    List<String> done = new ArrayList<>();
    results.drainTo(done);
    out.printf("%d items done by %d daemon consumers; join() returned%n", done.size(), consumers);
    done.stream().sorted().limit(5).forEach(r -> out.println("  " + r));
    for (JvmProcess p : started) {
      p.terminate(); // daemons would end with this JVM anyway
      p.join();
    }
    return done;
  }
}
