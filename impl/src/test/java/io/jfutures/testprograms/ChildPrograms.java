package io.jfutures.testprograms;

import io.jfutures.impl.ProcessPoolExecutor;
import io.jfutures.impl.ThreadPoolExecutor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Programs that ParentProgramsIT runs as a separate parent JVM. In a package of their own, so that
 * they can run on the class path while jfutures is on the module path.
 */
public final class ChildPrograms {
  private ChildPrograms() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "pool-and-block":
        {
          ProcessPoolExecutor pool = ProcessPoolExecutor.newBuilder().maxWorkers(2).build();
          // two tasks at once start both workers
          var a = pool.submit(() -> ProcessHandle.current().pid());
          var b =
              pool.submit(
                  () -> {
                    Thread.sleep(200); // inside a task
                    return ProcessHandle.current().pid();
                  });
          a.get();
          b.get();
          // under load: both workers busy with long tasks, more queued, when the parent is killed
          for (int i = 0; i < 10; i++) {
            pool.submit(
                () -> {
                  Thread.sleep(30_000); // inside a task
                  return 0;
                });
          }
          System.out.println(
              "PIDS "
                  + pool.workerPids().stream()
                      .map(String::valueOf)
                      .collect(Collectors.joining(",")));
          System.out.flush();
          new CountDownLatch(1).await(); // until killed
          break;
        }
      case "run-task":
        try (ProcessPoolExecutor pool = ProcessPoolExecutor.newBuilder().maxWorkers(1).build()) {
          System.out.println("RESULT " + pool.submit(() -> 6 * 7).get());
        }
        break;
      case "forget-thread-pool":
        {
          ThreadPoolExecutor pool = ThreadPoolExecutor.newBuilder().maxWorkers(2).build();
          for (int i = 0; i < 4; i++) {
            int n = i;
            pool.submit(
                () -> {
                  Thread.sleep(300); // inside a task
                  System.out.println("DONE " + n);
                  return null;
                });
          }
          break; // no shutdown: the JVM must still exit once the work is done
        }
      case "forget-process-pool":
        {
          ProcessPoolExecutor pool = ProcessPoolExecutor.newBuilder().maxWorkers(1).build();
          pool.submit(
              () -> {
                Thread.sleep(300); // inside a task
                System.out.println("CHILD DONE");
                return null;
              });
          break; // no close: the JVM waits for the task, then exits, and the hook kills the worker
        }
      case "oversized-result":
        // Run with a small heap: the result is larger than this JVM can hold, not the worker's.
        try (ProcessPoolExecutor pool = ProcessPoolExecutor.newBuilder().maxWorkers(1).build()) {
          try {
            pool.submit(() -> new byte[256 << 20]).get();
            System.out.println("READ");
          } catch (java.util.concurrent.ExecutionException e) {
            System.out.println("UNREADABLE " + e.getCause());
          }
          System.out.println("NEXT " + pool.submit(() -> 7).get());
        }
        break;
      case "exit-with-pool-open":
        {
          // The JVM exits with the pool open and a task running; another shutdown hook then
          // submits a task and looks at the running one.
          ProcessPoolExecutor pool = ProcessPoolExecutor.newBuilder().maxWorkers(1).build();
          System.out.println("WARM " + pool.submit(() -> 1).get());
          var running =
              pool.submit(
                  () -> {
                    Thread.sleep(60_000); // inside a task: the JVM exits meanwhile
                    return 0;
                  });
          Runtime.getRuntime()
              .addShutdownHook(
                  new Thread(
                      () -> {
                        long deadline = System.nanoTime() + 10_000_000_000L;
                        while (!pool.isShutdown() && System.nanoTime() < deadline) {
                          java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                        }
                        try {
                          pool.submit(() -> 2);
                          System.out.println("ACCEPTED");
                        } catch (java.util.concurrent.RejectedExecutionException e) {
                          System.out.println("REJECTED " + e.getMessage());
                        }
                        try {
                          System.out.println("RAN " + running.get(10, TimeUnit.SECONDS));
                        } catch (java.util.concurrent.CancellationException e) {
                          System.out.println("CANCELLED");
                        } catch (Exception e) {
                          System.out.println("FAILED " + e);
                        }
                        System.out.flush();
                      }));
          System.exit(0);
          break;
        }
      default:
        throw new IllegalArgumentException(args[0]);
    }
  }
}
