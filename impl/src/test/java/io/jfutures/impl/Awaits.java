package io.jfutures.impl;

import static org.awaitility.Durations.ONE_MILLISECOND;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** The one way tests wait for a condition. */
final class Awaits {
  private Awaits() {}

  /** Returns Awaitility polling every millisecond, bounded by {@link TestTimeouts#LONG}. */
  static ConditionFactory await() {
    return Awaitility.with()
        .pollDelay(ONE_MILLISECOND)
        .pollInterval(ONE_MILLISECOND)
        .atMost(TestTimeouts.LONG);
  }

  /**
   * Calls {@code executor.close()} on a thread of its own, runs {@code whileWaiting} once that
   * thread waits in it, then interrupts it; fails unless close() then returns. Returns whether the
   * thread's interrupt status was still set when close() returned.
   */
  static boolean closeInterruptedWhileWaiting(AutoCloseable executor, Runnable whileWaiting)
      throws InterruptedException {
    AtomicBoolean interruptedAfterClose = new AtomicBoolean();
    Thread closer =
        new Thread(
            () -> {
              try {
                executor.close();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
              interruptedAfterClose.set(Thread.currentThread().isInterrupted());
            });
    closer.start();
    await().until(() -> closer.getState() == Thread.State.TIMED_WAITING); // in awaitTermination
    whileWaiting.run();
    closer.interrupt();
    closer.join(TestTimeouts.LONG.toMillis());
    assertFalse(closer.isAlive(), "close() returned after the interrupt");
    return interruptedAfterClose.get();
  }

  /** Waits until this JVM has no child process left. */
  static void awaitNoChildren() {
    await()
        .alias("no child process left: " + children())
        .until(() -> ProcessHandle.current().children().findAny().isEmpty());
  }

  /** Waits until none of these processes is alive. */
  static void awaitGone(List<Long> pids) {
    await()
        .alias("processes " + pids + " gone")
        .until(() -> pids.stream().noneMatch(Awaits::isRunning));
  }

  /**
   * Returns whether the process runs: exists and is not a zombie. An orphan's zombie lingers until
   * init reaps it, and ProcessHandle still reports it.
   */
  static boolean isRunning(long pid) {
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** Waits until a task has created the file at {@code path}: it has started. */
  static void awaitFile(java.nio.file.Path path) {
    await().alias(path + " exists").until(() -> java.nio.file.Files.exists(path));
  }

  /**
   * Waits until a task has written its pid to the file at {@code path}, and returns it: the file
   * exists before the number is in it ({@code Files.writeString} creates, then writes).
   */
  static long awaitPid(java.nio.file.Path path) {
    long[] pid = {0};
    await()
        .alias(path + " holds a pid")
        .until(
            () -> {
              try {
                pid[0] = Long.parseLong(java.nio.file.Files.readString(path).trim());
                return true;
              } catch (java.io.IOException | NumberFormatException e) {
                return false; // not there yet, or not all of it
              }
            });
    return pid[0];
  }

  static List<String> children() {
    return ProcessHandle.current()
        .children()
        .map(p -> p.pid() + " " + p.info().command().orElse("?"))
        .collect(Collectors.toList());
  }
}
