package io.jfutures.junit;

import io.jfutures.multiprocessing.JvmProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * What a test may leave running by mistake: this JVM's child processes and the threads of jfutures
 * pools. A snapshot taken before the test is compared with what runs after it; whatever is new and
 * still running after a grace period (a process that is exiting, a thread that is ending) is a
 * leftover.
 */
final class Leftovers {
  /** The names of a process pool's own threads (each worker's sender and receiver). */
  static final String PROCESS_POOL_THREADS = "jfutures-worker-";

  /** The names of a thread pool's workers, unless the pool was given a prefix of its own. */
  private static final String THREAD_POOL_THREADS = "jfutures-thread-pool-";

  /** A thread pool's keep-alive thread: not a worker, and it ends with its pool. */
  private static final String KEEP_ALIVE = "jfutures-thread-pool-keepalive";

  /** How long what is ending may take to end before it counts as left running. */
  private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final Set<Long> children;
  private final Set<Thread> threads;

  private Leftovers(Set<Long> children, Set<Thread> threads) {
    this.children = children;
    this.threads = threads;
  }

  static Leftovers snapshot() {
    return new Leftovers(
        ProcessHandle.current()
            .children()
            .filter(ProcessHandle::isAlive)
            .map(ProcessHandle::pid)
            .collect(Collectors.toSet()),
        poolThreads(List.of()).collect(Collectors.toSet()));
  }

  /**
   * Returns what was started since the snapshot and still runs after the grace period, described
   * for a person: processes other than {@code allowedPids} and idle standby JVMs, and pool threads
   * other than those named by {@code allowedPrefixes}.
   */
  List<String> leftAfter(Set<Long> allowedPids, List<String> allowedPrefixes)
      throws InterruptedException {
    long deadline = System.nanoTime() + GRACE_NANOS;
    List<String> left = new ArrayList<>();
    Set<Long> jvmProcesses =
        JvmProcess.activeChildren().stream().map(JvmProcess::pid).collect(Collectors.toSet());
    List<ProcessHandle> processes =
        ProcessHandle.current()
            .children()
            .filter(p -> !children.contains(p.pid()) && !allowedPids.contains(p.pid()))
            .filter(p -> !isIdleStandby(p, jvmProcesses))
            .toList();
    for (ProcessHandle p : processes) {
      try {
        p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        left.add("process " + p.pid() + " (" + commandOf(p) + ")");
      } catch (ExecutionException e) {
        throw new IllegalStateException(e); // cannot be: onExit never fails
      }
    }
    for (Thread t : poolThreads(allowedPrefixes).filter(t -> !threads.contains(t)).toList()) {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      if (t.isAlive()) {
        left.add("thread \"" + t.getName() + "\"");
      }
    }
    return left;
  }

  private static java.util.stream.Stream<Thread> poolThreads(List<String> allowedPrefixes) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(
            t -> {
              String name = t.getName();
              boolean pool =
                  name.startsWith(PROCESS_POOL_THREADS)
                      || (name.startsWith(THREAD_POOL_THREADS) && !name.startsWith(KEEP_ALIVE));
              return pool && allowedPrefixes.stream().noneMatch(name::startsWith);
            });
  }

  /** A standby JVM not yet given a target: the library keeps it on purpose. */
  private static boolean isIdleStandby(ProcessHandle p, Set<Long> jvmProcesses) {
    Optional<String[]> args = p.info().arguments();
    return args.isPresent()
        && args.get().length > 0
        && args.get()[args.get().length - 1].equals("standby")
        && !jvmProcesses.contains(p.pid());
  }

  private static String commandOf(ProcessHandle p) {
    String command = p.info().commandLine().orElse("command unknown");
    return command.length() <= 160 ? command : command.substring(0, 157) + "...";
  }
}
