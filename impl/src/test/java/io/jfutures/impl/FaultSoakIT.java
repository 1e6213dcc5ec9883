package io.jfutures.impl;

import static io.jfutures.impl.Awaits.await;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.api.SerializableCallable;
import io.jfutures.api.TaskTimeoutException;
import io.jfutures.api.WorkerDiedException;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 5,000 tasks under REPLACE_WORKER with injected faults: SIGKILL of the worker, exceptions,
 * System.exit and timeouts. Every future must resolve with the outcome its fault implies, nothing
 * may hang, and after close() no child, no extra thread and no extra file descriptor may be left.
 */
final class FaultSoakIT {
  private static final int TASKS = 5_000;
  private static final Duration TIMEOUT = Duration.ofMillis(300);

  enum Fault {
    NONE,
    EXCEPTION,
    SIGKILL,
    EXIT,
    TIMEOUT
  }

  @Test
  @Timeout(value = 8, unit = java.util.concurrent.TimeUnit.MINUTES)
  void fiveThousandTasksWithInjectedFaults_everyOutcomeAsInjected() throws Exception {
    // A first round with every fault loads the classes and opens the jars that any use of the
    // pool needs once per JVM; the baseline is taken after it, so what follows measures leaks.
    soak(List.of(Fault.values()));
    Awaits.awaitNoChildren();
    await().until(() -> ourThreads().isEmpty());
    int threadsBefore = ourThreads().size();
    List<String> fdsBefore = openFds();
    Random random = new Random(20261123);
    List<Fault> faults = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) {
      double r = random.nextDouble();
      faults.add(
          r < 0.02
              ? Fault.SIGKILL
              : r < 0.05
                  ? Fault.EXCEPTION
                  : r < 0.06 ? Fault.EXIT : r < 0.07 ? Fault.TIMEOUT : Fault.NONE);
    }
    long start = System.nanoTime();
    Map<Fault, Integer> counts = soak(faults);
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    Awaits.awaitNoChildren();
    await()
        .alias("our threads back to " + threadsBefore)
        .until(() -> ourThreads().size() <= threadsBefore);
    await()
        .alias("open fds back to " + fdsBefore.size() + "; new: " + newFds(fdsBefore))
        .until(() -> openFds().size() <= fdsBefore.size());
    System.out.printf(
        "soak: %d tasks %s in %d ms; after close: children=%d, jfutures threads %d -> %d,"
            + " all threads now %d, open fds %d -> %d%n",
        TASKS,
        counts,
        elapsedMs,
        ProcessHandle.current().children().count(),
        threadsBefore,
        ourThreads().size(),
        Thread.getAllStackTraces().size(),
        fdsBefore.size(),
        openFds().size());
  }

  @Test
  void closeWhileWorkersCrashRecycleAndTimeOut_completesAndResolvesEveryFuture() throws Exception {
    Random random = new Random(7);
    List<CompletableFuture<Integer>> futures = new ArrayList<>();
    ProcessPoolExecutor pool =
        ProcessPoolExecutor.newBuilder()
            .maxWorkers(2)
            .maxTasksPerChild(7)
            .workerDeathPolicy(WorkerDeathPolicy.REPLACE_WORKER)
            .build();
    for (int i = 0; i < 300; i++) {
      double r = random.nextDouble();
      Fault fault =
          r < 0.05 ? Fault.SIGKILL : r < 0.1 ? Fault.EXIT : r < 0.15 ? Fault.TIMEOUT : Fault.NONE;
      SerializableCallable<Integer> task = task(i, fault);
      futures.add(fault == Fault.TIMEOUT ? pool.submit(task, TIMEOUT) : pool.submit(task));
    }
    pool.shutdown(true, false); // races with the crashes, recycling and timeouts under way
    assertTrue(pool.isTerminated());
    for (CompletableFuture<Integer> f : futures) {
      assertTrue(f.isDone(), "every future resolved before shutdown returned: " + f);
    }
    Awaits.awaitNoChildren();
  }

  /** Runs one task per fault on a fresh pool, checks every outcome; returns the fault counts. */
  private static Map<Fault, Integer> soak(List<Fault> faults) throws Exception {
    Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
    List<Long> pids = new ArrayList<>();
    try (ProcessPoolExecutor pool =
        ProcessPoolExecutor.newBuilder()
            .maxWorkers(2)
            .workerDeathPolicy(WorkerDeathPolicy.REPLACE_WORKER)
            .build()) {
      List<CompletableFuture<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < faults.size(); i++) {
        SerializableCallable<Integer> task = task(i, faults.get(i));
        futures.add(
            faults.get(i) == Fault.TIMEOUT ? pool.submit(task, TIMEOUT) : pool.submit(task));
      }
      for (int i = 0; i < faults.size(); i++) {
        Fault fault = faults.get(i);
        counts.merge(fault, 1, Integer::sum);
        CompletableFuture<Integer> f = futures.get(i);
        if (fault == Fault.NONE) {
          try {
            assertEquals(i, f.get(60, SECONDS));
          } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // Say where it happened: the faults around it and what each worker was running.
            throw new AssertionError(
                "task "
                    + i
                    + " failed, faults around it "
                    + faults.subList(Math.max(0, i - 4), Math.min(faults.size(), i + 3))
                    + ", pool "
                    + pool,
                e);
          }
          continue;
        }
        int index = i;
        ExecutionException e =
            org.junit.jupiter.api.Assertions.assertThrows(
                ExecutionException.class, () -> f.get(60, SECONDS), () -> "task " + index);
        switch (fault) {
          case EXCEPTION:
            assertEquals(
                "injected " + i,
                assertInstanceOf(IllegalStateException.class, e.getCause()).getMessage());
            break;
          case SIGKILL:
          case EXIT:
            WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, e.getCause());
            assertTrue(
                died.getMessage().contains(fault == Fault.EXIT ? "exit code 7" : "SIGKILL"),
                died.getMessage());
            pids.add(died.pid());
            break;
          case TIMEOUT:
            assertInstanceOf(TaskTimeoutException.class, e.getCause());
            break;
          default:
            throw new AssertionError(fault);
        }
      }
      pids.addAll(pool.workerPids());
    }
    Awaits.awaitGone(pids);
    return counts;
  }

  private static SerializableCallable<Integer> task(int i, Fault fault) {
    switch (fault) {
      case EXCEPTION:
        return () -> {
          throw new IllegalStateException("injected " + i);
        };
      case SIGKILL:
        return () -> {
          new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid()))
              .start()
              .waitFor();
          Thread.sleep(60_000); // inside a task: the kill lands first
          return i;
        };
      case EXIT:
        return () -> {
          System.exit(7);
          return i;
        };
      case TIMEOUT:
        return () -> {
          Thread.sleep(60_000); // inside a task: runs past its timeout
          return i;
        };
      default:
        return () -> i;
    }
  }

  /** Threads this library made (the shared timeout timer is created once and kept). */
  private static List<String> ourThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(n -> n.startsWith("jfutures-"))
        .filter(
            n ->
                !n.equals("jfutures-task-timeouts")
                    && !n.equals("jfutures-unreachable-pool-cleaner"))
        .collect(Collectors.toList());
  }

  /** Returns what each open file descriptor of this JVM points to. */
  private static List<String> openFds() {
    File[] fds = new File("/proc/self/fd").listFiles();
    if (fds == null) {
      throw new IllegalStateException(new IOException("cannot list /proc/self/fd"));
    }
    List<String> targets = new ArrayList<>();
    for (File fd : fds) {
      try {
        targets.add(fd.getName() + " -> " + java.nio.file.Files.readSymbolicLink(fd.toPath()));
      } catch (IOException e) {
        // closed while we looked
      }
    }
    return targets;
  }

  private static List<String> newFds(List<String> before) {
    List<String> now = openFds();
    now.removeAll(before);
    return now;
  }
}
