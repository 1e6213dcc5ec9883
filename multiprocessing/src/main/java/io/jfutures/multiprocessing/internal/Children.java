package io.jfutures.multiprocessing.internal;

import io.jfutures.multiprocessing.JvmProcess;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The processes this JVM started that have not yet exited, and what happens to them when this JVM
 * exits: daemon children are terminated (SIGTERM) and given a second before they are killed;
 * non-daemon children are waited for, as Python does at exit. A daemon child whose parent dies
 * without its shutdown hooks (SIGKILL) halts by itself within milliseconds, through its orphan
 * watch. Other exit work that must wait for the children (a hub's connections, which they may still
 * use) waits for {@link #awaitExitWork}.
 */
public final class Children {
  private static final Map<JvmProcess, Started> ACTIVE = new ConcurrentHashMap<>();
  private static final long DAEMON_GRACE_MILLIS = 1_000;
  private static boolean hookAdded; // guarded by Children.class

  /** Counted down when the exit hook has seen every child out (or was never needed). */
  private static final CountDownLatch EXIT_WORK = new CountDownLatch(1);

  private Children() {}

  /** Adds a started process. */
  public static void add(JvmProcess process, Started started) {
    addHookOnce();
    ACTIVE.put(process, started);
  }

  /** Removes a process that exited. */
  public static void remove(JvmProcess process) {
    ACTIVE.remove(process);
  }

  /** Returns the started processes that have not exited yet. */
  public static List<JvmProcess> active() {
    // A process whose report raced with its add() is dropped here.
    ACTIVE.values().removeIf(s -> s.exitCode().isDone());
    return List.copyOf(ACTIVE.keySet());
  }

  private static synchronized void addHookOnce() {
    if (!hookAdded) {
      Runtime.getRuntime().addShutdownHook(new Thread(Children::atExit, "jfutures-process-exit"));
      hookAdded = true; // after: a JVM already exiting refuses the hook, and nothing then waits
    }
  }

  /**
   * Waits, in a shutdown hook, until this JVM's children are out: at once if it started none (or is
   * not exiting, which no caller asks).
   */
  public static void awaitExitWork() throws InterruptedException {
    synchronized (Children.class) {
      if (!hookAdded) {
        return;
      }
    }
    EXIT_WORK.await();
  }

  private static void atExit() {
    try {
      seeOut();
    } finally {
      EXIT_WORK.countDown();
    }
  }

  private static void seeOut() {
    List<Started> left = List.copyOf(ACTIVE.values());
    left.stream().filter(Started::daemon).forEach(Started::terminate);
    for (Started s : left) {
      try {
        if (s.daemon()) {
          if (!s.awaitReported(TimeUnit.MILLISECONDS.toNanos(DAEMON_GRACE_MILLIS))) {
            s.kill();
          }
        } else {
          s.awaitReported(0);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
