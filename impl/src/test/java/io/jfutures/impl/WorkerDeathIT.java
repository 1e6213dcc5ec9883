package io.jfutures.impl;

import static io.jfutures.impl.Awaits.await;
import static io.jfutures.impl.Awaits.awaitFile;
import static io.jfutures.impl.Awaits.awaitGone;
import static io.jfutures.impl.ProcessPoolExecutorIT.sleep;
import static io.jfutures.impl.ProcessPoolExecutorIT.touch;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.api.BrokenProcessPoolException;
import io.jfutures.api.WorkerDiedException;
import io.jfutures.api.WorkerFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker dies abruptly: the pool breaks (default) or replaces it; real processes, real kills. */
final class WorkerDeathIT {

  @Test
  void close_whenATaskLeftAShutdownHookThatBlocks_returnsAndNoWorkerIsLeft() throws Exception {
    // STOP makes the worker exit; a hook that blocks must hold up neither close() nor the exit.
    ProcessPoolExecutor one = ProcessPoolExecutor.newBuilder().maxWorkers(1).build();
    long pid =
        one.submit(
                () -> {
                  Runtime.getRuntime().addShutdownHook(new Thread(() -> sleep(60_000)));
                  return ProcessHandle.current().pid();
                })
            .get(30, SECONDS);
    CompletableFuture<Void> closed = CompletableFuture.runAsync(one::close);
    closed.get(30, SECONDS);
    awaitGone(List.of(pid));
  }

  @Test
  void workerThatCannotStart_breaksThePoolWithItsExitCodeAndStandardError() {
    // A bad JVM option: the child JVM exits at once, before it connects. The pool's message must
    // say so, with what the child printed, rather than that it "did not connect".
    try (ProcessPoolExecutor bad =
        ProcessPoolExecutor.newBuilder().maxWorkers(1).jvmOptions(List.of("-Xmx-1")).build()) {
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> bad.submit(() -> 1).get(60, SECONDS));
      String message =
          assertInstanceOf(BrokenProcessPoolException.class, e.getCause()).getMessage();
      assertTrue(message.contains("exited with exit code 1 before it connected"), message);
      assertTrue(message.contains("Invalid maximum heap size: -Xmx-1"), message);
    }
  }

  @Test
  void jvmFatalError_crashReportCarriesTheBannerTheJvmPrintsOnStdout(@TempDir Path dir)
      throws Exception {
    try (ProcessPoolExecutor pool =
        ProcessPoolExecutor.newBuilder()
            .maxWorkers(1)
            .jvmOptions(
                List.of(
                    "-Xmx24m",
                    "-XX:+CrashOnOutOfMemoryError",
                    "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log")))
            .build()) {
      CompletableFuture<Integer> crash =
          pool.submit(
              () -> {
                List<long[]> hog = new ArrayList<>();
                while (true) {
                  hog.add(new long[1 << 20]);
                }
              });
      ExecutionException e = assertThrows(ExecutionException.class, () -> crash.get(60, SECONDS));
      BrokenProcessPoolException broken =
          assertInstanceOf(BrokenProcessPoolException.class, e.getCause());
      WorkerFailure failure = broken.failure().orElseThrow();
      String tail = String.join("\n", failure.stderrTail());
      assertTrue(tail.contains("A fatal error has been detected"), tail);
      assertTrue(tail.contains("hs_err_"), "names the error report file: " + tail);
      assertTrue(
          broken.getMessage().contains("A fatal error has been detected"), broken.getMessage());
    }
  }

  @Test
  void sigkillOfABusyWorker_breaksPoolNamingPidAndSignal(@TempDir Path dir) throws Exception {
    Path started = dir.resolve("started");
    String startedPath = started.toString();
    ProcessPoolExecutor pool = ProcessPoolExecutor.newBuilder().maxWorkers(2).build();
    CompletableFuture<Long> victim =
        pool.submit(
            () -> {
              writePid(startedPath);
              sleep(60_000);
              return ProcessHandle.current().pid();
            });
    List<CompletableFuture<Integer>> pending = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      pending.add(
          pool.submit(
              () -> {
                sleep(300);
                return 1;
              }));
    }
    long pid = Awaits.awaitPid(started);
    List<Long> pids = pool.workerPids();
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();

    ExecutionException e = assertThrows(ExecutionException.class, () -> victim.get(30, SECONDS));
    BrokenProcessPoolException broken =
        assertInstanceOf(BrokenProcessPoolException.class, e.getCause());
    assertEquals(pid, broken.pid());
    assertTrue(broken.getMessage().contains("pid " + pid), broken.getMessage());
    assertTrue(broken.getMessage().contains("SIGKILL"), broken.getMessage());
    WorkerFailure failure = broken.failure().orElseThrow();
    assertEquals(137, failure.exitCode());
    assertEquals("SIGKILL", failure.signal());
    assertTrue(failure.task().startsWith("task #1 "), failure.task());
    // every pending future completes (failed, or done before the crash); none hangs
    for (CompletableFuture<Integer> f : pending) {
      try {
        f.get(30, SECONDS);
      } catch (ExecutionException x) {
        assertInstanceOf(BrokenProcessPoolException.class, x.getCause());
      }
    }
    BrokenProcessPoolException refused =
        assertThrows(BrokenProcessPoolException.class, () -> pool.submit(() -> 1));
    assertTrue(refused.getMessage().contains("not usable anymore"), refused.getMessage());
    pool.close(); // returns promptly on a broken pool
    assertTrue(pool.isTerminated());
    awaitGone(pids);
  }

  @Test
  void systemExitInATask_givesExitCodeInMessage() throws Exception {
    ProcessPoolExecutor pool = ProcessPoolExecutor.newBuilder().maxWorkers(1).build();
    long pid = pool.submit(() -> ProcessHandle.current().pid()).get(30, SECONDS);
    CompletableFuture<Object> exits =
        pool.submit(
            () -> {
              System.exit(3);
              return null;
            });
    ExecutionException e = assertThrows(ExecutionException.class, () -> exits.get(30, SECONDS));
    BrokenProcessPoolException broken =
        assertInstanceOf(BrokenProcessPoolException.class, e.getCause());
    assertTrue(broken.getMessage().contains("exit code 3"), broken.getMessage());
    assertTrue(broken.getMessage().contains("pid " + pid), broken.getMessage());
    assertEquals(3, broken.failure().orElseThrow().exitCode());
    assertEquals(1, broken.failure().orElseThrow().tasksCompleted());
    pool.close();
    awaitGone(List.of(pid));
  }

  @Test
  void haltInATask_lastStderrLinesInReport() throws Exception {
    ProcessPoolExecutor pool = ProcessPoolExecutor.newBuilder().maxWorkers(1).build();
    CompletableFuture<Object> halts =
        pool.submit(
            () -> {
              System.err.println("about to halt: native library gave up");
              System.err.flush();
              Runtime.getRuntime().halt(42);
              return null;
            });
    ExecutionException e = assertThrows(ExecutionException.class, () -> halts.get(30, SECONDS));
    BrokenProcessPoolException broken =
        assertInstanceOf(BrokenProcessPoolException.class, e.getCause());
    assertTrue(broken.getMessage().contains("exit code 42"), broken.getMessage());
    assertTrue(
        broken.getMessage().contains("about to halt: native library gave up"), broken.getMessage());
    pool.close();
  }

  @Test
  void failingInitializer_breaksPoolWithItsExceptionAsCause() throws Exception {
    ProcessPoolExecutor pool =
        ProcessPoolExecutor.newBuilder()
            .maxWorkers(1)
            .initializer(
                () -> {
                  throw new IllegalStateException("cannot open the model file");
                })
            .build();
    CompletableFuture<Integer> f = pool.submit(() -> 1);
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, SECONDS));
    BrokenProcessPoolException broken =
        assertInstanceOf(BrokenProcessPoolException.class, e.getCause());
    IllegalStateException cause = assertInstanceOf(IllegalStateException.class, broken.getCause());
    assertEquals("cannot open the model file", cause.getMessage());
    BrokenProcessPoolException refused =
        assertThrows(BrokenProcessPoolException.class, () -> pool.submit(() -> 2));
    assertInstanceOf(IllegalStateException.class, refused.getCause());
    pool.close();
    await().until(pool::isTerminated);
  }

  @Test
  void idleWorkerKilled_breaksPool() throws Exception {
    ProcessPoolExecutor pool = ProcessPoolExecutor.newBuilder().maxWorkers(1).build();
    long pid = pool.submit(() -> ProcessHandle.current().pid()).get(30, SECONDS);
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    await().until(() -> pool.workerPids().isEmpty()); // the pool noticed
    BrokenProcessPoolException refused =
        assertThrows(BrokenProcessPoolException.class, () -> pool.submit(() -> 1));
    assertTrue(refused.getMessage().contains("while idle"), refused.getMessage());
    pool.close();
  }

  @Test
  void replaceWorker_onlyTheRunningTaskFails(@TempDir Path dir) throws Exception {
    Path started = dir.resolve("started");
    String startedPath = started.toString();
    ProcessPoolExecutor pool =
        ProcessPoolExecutor.newBuilder()
            .maxWorkers(1)
            .workerDeathPolicy(WorkerDeathPolicy.REPLACE_WORKER)
            .build();
    CompletableFuture<Long> victim =
        pool.submit(
            () -> {
              touch(startedPath);
              sleep(60_000);
              return 0L;
            });
    List<CompletableFuture<Long>> others = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      others.add(pool.submit(() -> ProcessHandle.current().pid()));
    }
    awaitFile(started);
    long pid = pool.workerPids().get(0);
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    ExecutionException e = assertThrows(ExecutionException.class, () -> victim.get(30, SECONDS));
    WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, e.getCause());
    assertEquals(pid, died.pid());
    assertTrue(died.getMessage().contains("task #1 "), died.getMessage());
    List<Long> pids = new ArrayList<>();
    for (CompletableFuture<Long> f : others) {
      long p = f.get(30, SECONDS);
      assertNotEquals(pid, p);
      pids.add(p);
    }
    assertEquals(7, pool.submit(() -> 7).get(30, SECONDS));
    pool.close();
    awaitGone(pids);
  }

  /** Writes this JVM's pid to a new file, atomically, so a reader never sees it half-written. */
  static Object writePid(String path) {
    try {
      Path tmp = Files.createTempFile(Path.of(path).getParent(), "pid", ".tmp");
      Files.writeString(tmp, Long.toString(ProcessHandle.current().pid()));
      return Files.move(tmp, Path.of(path), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
