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
import io.jfutures.api.SerializableFunction;
import io.jfutures.api.TaskSerializationException;
import io.jfutures.api.TaskTimeoutException;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash isolation, timeouts, retiring workers, a bounded queue and the crash matrix: every stage of
 * a task's life has a defined outcome. One pool (REPLACE_WORKER, small heap) serves most tests,
 * which also shows it survives them all.
 */
final class FaultToleranceIT {
  private static ProcessPoolExecutor pool;
  private static final List<Long> seen = new ArrayList<>();

  @BeforeAll
  static void startPool() {
    pool =
        ProcessPoolExecutor.newBuilder()
            .maxWorkers(2)
            .workerDeathPolicy(WorkerDeathPolicy.REPLACE_WORKER)
            .jvmOptions(List.of("-Xmx64m"))
            .build();
  }

  @AfterAll
  static void closePool() throws Exception {
    assertEquals(1, pool.submit(() -> 1).get(30, SECONDS), "the pool survived every test");
    seen.addAll(pool.workerPids());
    pool.close();
    awaitGone(seen);
  }

  private static long pid() throws Exception {
    long pid = pool.submit(() -> ProcessHandle.current().pid()).get(30, SECONDS);
    seen.add(pid);
    return pid;
  }

  // ---- timeouts ------------------------------------------------------------------------------

  @Test
  void perSubmitTimeout_killsAndReplacesTheWorker() throws Exception {
    CompletableFuture<Integer> slow =
        pool.submit(
            () -> {
              sleep(60_000);
              return 1;
            },
            Duration.ofMillis(500));
    ExecutionException e = assertThrows(ExecutionException.class, () -> slow.get(30, SECONDS));
    TaskTimeoutException timeout = assertInstanceOf(TaskTimeoutException.class, e.getCause());
    assertEquals(Duration.ofMillis(500), timeout.timeout());
    assertTrue(timeout.task().startsWith("task #"), timeout.task());
    assertTrue(timeout.getMessage().contains("PT0.5S"), timeout.getMessage());
    assertEquals(2, pool.submit(() -> 2).get(30, SECONDS));
  }

  @Test
  void builderTimeout_underBreakPool_isNotACrash() throws Exception {
    try (ProcessPoolExecutor timed =
        ProcessPoolExecutor.newBuilder()
            .maxWorkers(1)
            .taskTimeout(Duration.ofMillis(400))
            .build()) {
      CompletableFuture<Object> slow =
          timed.submit(
              () -> {
                sleep(60_000);
                return null;
              });
      CompletableFuture<Integer> next = timed.submit(() -> 3);
      ExecutionException e = assertThrows(ExecutionException.class, () -> slow.get(30, SECONDS));
      assertInstanceOf(TaskTimeoutException.class, e.getCause());
      assertEquals(3, next.get(30, SECONDS));
      assertEquals(4, timed.submit(() -> 4).get(30, SECONDS));
    }
  }

  @Test
  void timedTask_whoseOutcomeWaitsBehindASlowCallback_isNotTimedOut() throws Exception {
    // A non-async callback runs on the worker's receiver thread. While it runs, the next task's
    // outcome waits unread; judged then, a task that finished in time would be failed as timed
    // out, and its worker killed.
    try (ProcessPoolExecutor one = ProcessPoolExecutor.newBuilder().maxWorkers(1).build()) {
      long pid = one.submit(() -> ProcessHandle.current().pid()).get(30, SECONDS);
      CountDownLatch inCallback = new CountDownLatch(1);
      CompletableFuture<Long> first =
          one.submit(() -> ProcessHandle.current().pid())
              .whenComplete(
                  (r, e) -> {
                    inCallback.countDown();
                    sleep(1_500); // a slow callback: the receiver is busy with it
                  });
      assertTrue(inCallback.await(30, SECONDS));
      CompletableFuture<Long> timed =
          one.submit(() -> ProcessHandle.current().pid(), Duration.ofMillis(300));
      assertEquals(pid, timed.get(30, SECONDS), "ran in time, on the same worker");
      assertEquals(pid, first.get(30, SECONDS));
      assertEquals(pid, one.submit(() -> ProcessHandle.current().pid()).get(30, SECONDS));
    }
  }

  @Test
  void timedTask_whoseLargeResultIsStillArrivingAtItsDeadline_isNotTimedOut() throws Exception {
    // The task returns at once, but its 32 MiB result reaches the pool in 64 KiB pieces 5 ms apart
    // (over 2.5 s), so the 1 s deadline passes while it is being read. Judged then, a task that
    // finished in time would be failed as timed out, and its worker killed.
    long pid;
    try (ProcessPoolExecutor one =
        ProcessPoolExecutor.newBuilder()
            .maxWorkers(1)
            .launcher(SlowChannelLauncher.delaying(5))
            .build()) {
      pid = one.submit(() -> ProcessHandle.current().pid()).get(30, SECONDS);
      CompletableFuture<byte[]> timed = one.submit(() -> new byte[32 << 20], Duration.ofSeconds(1));
      assertEquals(32 << 20, timed.get(30, SECONDS).length);
      assertEquals(
          pid,
          one.submit(() -> ProcessHandle.current().pid()).get(30, SECONDS),
          "the same worker: it was not killed");
    }
    awaitGone(List.of(pid));
  }

  @Test
  void timedTask_whoseResultStopsArrivingMidway_timesOutAfterAll() throws Exception {
    // The result's bytes stop after the first 64 KiB, as from a worker frozen mid-frame: the
    // verdict waits for more only so long, then kills the worker and fails the task.
    long pid;
    try (ProcessPoolExecutor one =
        ProcessPoolExecutor.newBuilder()
            .maxWorkers(1)
            .launcher(SlowChannelLauncher.stalling())
            .build()) {
      pid = one.submit(() -> ProcessHandle.current().pid()).get(30, SECONDS);
      CompletableFuture<byte[]> timed = one.submit(() -> new byte[8 << 20], Duration.ofMillis(250));
      ExecutionException e = assertThrows(ExecutionException.class, () -> timed.get(30, SECONDS));
      assertInstanceOf(TaskTimeoutException.class, e.getCause());
      awaitGone(List.of(pid));
      assertNotEquals(pid, one.submit(() -> ProcessHandle.current().pid()).get(30, SECONDS));
    }
  }

  @Test
  void aBlockingCallbackOnATimedOutTask_doesNotHoldUpOtherTimeouts() throws Exception {
    // Timeouts of every pool fire on one timer thread; the callbacks of a timed-out future must
    // not run there, or one that blocks would stop every other timeout.
    CountDownLatch inCallback = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Integer> first =
        pool.submit(FaultToleranceIT::sleepLong, Duration.ofMillis(300));
    first.whenComplete(
        (r, e) -> {
          inCallback.countDown();
          try {
            release.await(50, SECONDS); // longer than the test waits for the second timeout
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
          }
        });
    try {
      assertTrue(inCallback.await(30, SECONDS));
      CompletableFuture<Integer> second =
          pool.submit(FaultToleranceIT::sleepLong, Duration.ofMillis(300));
      ExecutionException e = assertThrows(ExecutionException.class, () -> second.get(20, SECONDS));
      assertInstanceOf(TaskTimeoutException.class, e.getCause());
    } finally {
      release.countDown();
    }
    assertInstanceOf(
        TaskTimeoutException.class,
        assertThrows(ExecutionException.class, () -> first.get(30, SECONDS)).getCause());
  }

  @Test
  void closeInTheCallbackOfATimedOutTask_returnsAndThePoolTerminates() throws Exception {
    // The worker must be killed before the future completes: close() in the callback would
    // otherwise wait for a task that runs on and on.
    ProcessPoolExecutor one = ProcessPoolExecutor.newBuilder().maxWorkers(1).build();
    CountDownLatch closed = new CountDownLatch(1);
    CompletableFuture<Integer> timed =
        one.submit(FaultToleranceIT::sleepLong, Duration.ofMillis(300));
    timed.whenComplete(
        (r, e) -> {
          one.close();
          closed.countDown();
        });
    assertInstanceOf(
        TaskTimeoutException.class,
        assertThrows(ExecutionException.class, () -> timed.get(30, SECONDS)).getCause());
    assertTrue(closed.await(30, SECONDS), "close() in the callback returned");
    assertTrue(one.awaitTermination(30, SECONDS));
  }

  private static int sleepLong() {
    sleep(60_000); // inside a task: runs past its timeout
    return 1;
  }

  @Test
  void timeoutClock_startsAfterTheWorkersInitializer() throws Exception {
    // A task sent to a starting worker waits for its initializer. Were that wait counted, every
    // new worker's first timed task would time out, and its replacement's too, forever.
    try (ProcessPoolExecutor slowStart =
        ProcessPoolExecutor.newBuilder()
            .maxWorkers(1)
            .maxTasksPerChild(1) // each task a new worker: retiring at once, before it is ready
            .initializer(() -> sleep(1_500))
            .taskTimeout(Duration.ofMillis(500))
            .build()) {
      CompletableFuture<Integer> first = slowStart.submit(() -> 5);
      CompletableFuture<Integer> second = slowStart.submit(() -> 6, Duration.ofMillis(700));
      assertEquals(5, first.get(30, SECONDS));
      assertEquals(6, second.get(30, SECONDS));
      // The clock still runs for a task that runs too long once the worker is ready.
      CompletableFuture<Object> slow =
          slowStart.submit(
              () -> {
                sleep(60_000);
                return null;
              });
      ExecutionException e = assertThrows(ExecutionException.class, () -> slow.get(30, SECONDS));
      assertInstanceOf(TaskTimeoutException.class, e.getCause());
    }
  }

  @Test
  void timedTask_ofAWorkerWhoseInitializerHangs_failsAfterStartTimeoutAndItsTimeout()
      throws Exception {
    ProcessPoolExecutor hanging =
        ProcessPoolExecutor.newBuilder()
            .maxWorkers(1)
            .initializer(() -> sleep(60_000))
            .startTimeout(Duration.ofSeconds(1))
            .taskTimeout(Duration.ofMillis(300))
            .build();
    try {
      CompletableFuture<Integer> task = hanging.submit(() -> 1);
      ExecutionException e = assertThrows(ExecutionException.class, () -> task.get(30, SECONDS));
      TaskTimeoutException timeout = assertInstanceOf(TaskTimeoutException.class, e.getCause());
      assertTrue(timeout.getMessage().contains("never started"), timeout.getMessage());
      assertTrue(timeout.getMessage().contains("initializer"), timeout.getMessage());
    } finally {
      seen.addAll(hanging.workerPids());
      hanging.shutdownNow(); // a worker in its initializer reads no STOP: kill it
      assertTrue(hanging.awaitTermination(30, SECONDS));
    }
  }

  // ---- errors in the child ---------------------------------------------------------------------

  @Test
  void outOfMemoryError_failsTheTaskAndTheWorkerIsReplaced() throws Exception {
    long before = pid();
    CompletableFuture<Object> hog =
        pool.submit(
            () -> {
              List<long[]> hoard = new ArrayList<>();
              while (true) {
                hoard.add(new long[1 << 20]);
              }
            });
    ExecutionException e = assertThrows(ExecutionException.class, () -> hog.get(30, SECONDS));
    assertInstanceOf(OutOfMemoryError.class, e.getCause());
    await().until(() -> !Awaits.isRunning(before) || !pool.workerPids().contains(before));
  }

  @Test
  void jvmCrash_reportedAndTheWorkerIsReplaced(@TempDir Path dir) throws Exception {
    // A real HotSpot fatal error, provoked safely: the VM's error handler writes its report and
    // (with core dumps off) exits with 1.
    try (ProcessPoolExecutor crashing =
        ProcessPoolExecutor.newBuilder()
            .maxWorkers(1)
            .workerDeathPolicy(WorkerDeathPolicy.REPLACE_WORKER)
            .jvmOptions(
                List.of(
                    "-Xmx32m",
                    "-XX:+CrashOnOutOfMemoryError",
                    "-XX:-CreateCoredumpOnCrash",
                    "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log")))
            .build()) {
      CompletableFuture<Object> crash =
          crashing.submit(
              () -> {
                List<long[]> hoard = new ArrayList<>();
                while (true) {
                  hoard.add(new long[1 << 20]);
                }
              });
      ExecutionException e = assertThrows(ExecutionException.class, () -> crash.get(60, SECONDS));
      BrokenProcessPoolException died =
          assertInstanceOf(BrokenProcessPoolException.class, e.getCause());
      assertEquals(1, died.failure().orElseThrow().exitCode());
      assertTrue(died.getMessage().contains("exit code 1"), died.getMessage());
      assertTrue(died.getMessage().contains("task #1 "), died.getMessage());
      assertEquals(8, crashing.submit(() -> 8).get(60, SECONDS));
    }
  }

  @Test
  void stackOverflowError_failsOnlyTheTask() throws Exception {
    CompletableFuture<Integer> deep = pool.submit(() -> recurse(0));
    ExecutionException e = assertThrows(ExecutionException.class, () -> deep.get(30, SECONDS));
    assertInstanceOf(StackOverflowError.class, e.getCause());
    assertEquals(5, pool.submit(() -> 5).get(30, SECONDS));
  }

  private static int recurse(int depth) {
    return recurse(depth + 1) + 1;
  }

  @Test
  void heapInUseAboveLimit_recyclesTheWorkerWithoutACrash() throws Exception {
    try (ProcessPoolExecutor leaky =
        ProcessPoolExecutor.newBuilder()
            .maxWorkers(1)
            .jvmOptions(List.of("-Xmx256m"))
            .maxWorkerHeapInUse(32L << 20)
            .build()) {
      long first = leaky.submit(() -> ProcessHandle.current().pid()).get(30, SECONDS);
      long leaked = leaky.submit(() -> Leak.leak(64)).get(30, SECONDS);
      assertEquals(first, leaked);
      long after = leaky.submit(() -> ProcessHandle.current().pid()).get(30, SECONDS);
      assertNotEquals(first, after, "the leaky worker was recycled");
      seen.add(first);
      seen.add(after);
    }
  }

  /** A library that leaks: keeps what it allocates in a static field. */
  static final class Leak {
    static final List<byte[]> KEPT = new ArrayList<>();

    static long leak(int mib) {
      for (int i = 0; i < mib; i++) {
        KEPT.add(new byte[1 << 20]);
      }
      return ProcessHandle.current().pid();
    }
  }

  // ---- the crash matrix ----------------------------------------------------------------------

  /** Fails, exits or halts when serialized or deserialized, as told. */
  static final class Trap implements Serializable {
    private static final long serialVersionUID = 1L;
    final String onWrite;
    final String onRead;

    Trap(String onWrite, String onRead) {
      this.onWrite = onWrite;
      this.onRead = onRead;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
      spring(onWrite);
      out.defaultWriteObject();
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      spring(onRead);
    }

    private static void spring(String how) throws IOException {
      switch (how) {
        case "throw":
          throw new IOException("trap sprung");
        case "exit":
          System.exit(5);
          break;
        case "halt":
          Runtime.getRuntime().halt(6);
          break;
        case "error":
          throw new AssertionError("trap sprung as an Error");
        default:
          // harmless
      }
    }
  }

  private static final SerializableFunction<Object, Long> PID = x -> ProcessHandle.current().pid();

  @Test
  void argumentFailsToSerializeInParent_isRefusedAtSubmit() throws Exception {
    java.util.concurrent.RejectedExecutionException e =
        assertThrows(
            java.util.concurrent.RejectedExecutionException.class,
            () -> pool.submit(PID, new Trap("throw", "")));
    assertInstanceOf(TaskSerializationException.class, e.getCause());
    assertTrue(e.getMessage().contains("trap sprung"), e.getMessage());
    assertEquals(1, pool.submit(() -> 1).get(30, SECONDS), "the pool goes on");
  }

  @Test
  void argumentFailsToDeserializeInChild_failsOnlyItsFuture() throws Exception {
    long before = pid();
    CompletableFuture<Long> f = pool.submit(PID, new Trap("", "throw"));
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, SECONDS));
    TaskSerializationException cause =
        assertInstanceOf(TaskSerializationException.class, e.getCause());
    assertTrue(cause.getMessage().contains("could not read task"), cause.getMessage());
    assertTrue(pool.workerPids().contains(before), "the worker lives on");
  }

  @Test
  void argumentExitsOrHaltsTheChildWhileRead_failsOnlyItsFutureUnderReplaceWorker()
      throws Exception {
    for (String how : List.of("exit", "halt")) {
      CompletableFuture<Long> f = pool.submit(PID, new Trap("", how));
      ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, SECONDS));
      BrokenProcessPoolException died =
          assertInstanceOf(BrokenProcessPoolException.class, e.getCause());
      int code = how.equals("exit") ? 5 : 6;
      assertTrue(died.getMessage().contains("exit code " + code), died.getMessage());
    }
  }

  @Test
  void resultFailsToSerializeInChild_failsOnlyItsFuture() throws Exception {
    CompletableFuture<Trap> f = pool.submit(() -> new Trap("throw", ""));
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, SECONDS));
    TaskSerializationException cause =
        assertInstanceOf(TaskSerializationException.class, e.getCause());
    assertTrue(cause.getMessage().contains(Trap.class.getName()), cause.getMessage());
  }

  @Test
  void resultExitsTheChildWhileSerialized_failsOnlyItsFuture() throws Exception {
    CompletableFuture<Trap> f = pool.submit(() -> new Trap("exit", ""));
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, SECONDS));
    BrokenProcessPoolException died =
        assertInstanceOf(BrokenProcessPoolException.class, e.getCause());
    assertTrue(died.getMessage().contains("exit code 5"), died.getMessage());
  }

  @Test
  void resultThatThrowsAnErrorWhenReadInParent_failsOnlyItsFuture() throws Exception {
    // An Error (not an Exception) out of readObject on the pool's receiver thread: it must fail
    // the task, not end the thread that reads this worker's every outcome.
    long before = pid();
    CompletableFuture<Trap> f = pool.submit(() -> new Trap("", "error"));
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, SECONDS));
    TaskSerializationException cause =
        assertInstanceOf(TaskSerializationException.class, e.getCause());
    assertTrue(cause.getMessage().contains("trap sprung as an Error"), cause.getMessage());
    assertTrue(pool.workerPids().contains(before), "the worker lives on");
    assertEquals(7, pool.submit(() -> 7).get(30, SECONDS));
  }

  @Test
  void resultThatThrowsAnErrorWhenWrittenInChild_failsOnlyItsFuture() throws Exception {
    // An Error out of writeObject in the worker, whose JVM a task left a non-daemon thread in:
    // the worker must report it, not end its loop and linger, alive, with its channel open.
    CompletableFuture<Trap> f =
        pool.submit(
            () -> {
              Thread lingering = new Thread(() -> sleep(60_000)); // inside a task
              lingering.start();
              return new Trap("error", "");
            });
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, SECONDS));
    TaskSerializationException cause =
        assertInstanceOf(TaskSerializationException.class, e.getCause());
    assertTrue(cause.getMessage().contains("trap sprung as an Error"), cause.getMessage());
    assertEquals(8, pool.submit(() -> 8).get(30, SECONDS));
  }

  @Test
  void resultFailsToDeserializeInParent_failsOnlyItsFuture() throws Exception {
    long before = pid();
    CompletableFuture<Trap> f = pool.submit(() -> new Trap("", "throw"));
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, SECONDS));
    TaskSerializationException cause =
        assertInstanceOf(TaskSerializationException.class, e.getCause());
    assertTrue(cause.getMessage().contains("could not read the result"), cause.getMessage());
    assertTrue(pool.workerPids().contains(before), "the worker lives on");
  }

  @Test
  void workerDiesWhileSentAPayloadLargerThanThePipe_noDeadlock() throws Exception {
    try (ProcessPoolExecutor one = ProcessPoolExecutor.newBuilder().maxWorkers(1).build()) {
      CompletableFuture<Object> dies =
          one.submit(
              () -> {
                Runtime.getRuntime().halt(9);
                return null;
              });
      byte[] big = new byte[32 << 20];
      CompletableFuture<Integer> large = one.submit((byte[] b) -> b.length, big);
      assertThrows(ExecutionException.class, () -> dies.get(30, SECONDS));
      ExecutionException e = assertThrows(ExecutionException.class, () -> large.get(30, SECONDS));
      assertInstanceOf(BrokenProcessPoolException.class, e.getCause());
    }
  }

  // ---- lifecycle under stress ----------------------------------------------------------------

  @Test
  void callbacksThatSubmitAndShutDown_doNotDeadlock() throws Exception {
    ProcessPoolExecutor one = ProcessPoolExecutor.newBuilder().maxWorkers(1).build();
    CompletableFuture<Integer> chained =
        one.submit(() -> 1)
            .thenCompose(x -> one.submit(() -> x + 1))
            .thenApply(
                x -> {
                  one.shutdown(true, false);
                  return x;
                });
    assertEquals(2, chained.get(30, SECONDS));
    assertTrue(one.awaitTermination(30, SECONDS));
  }

  @Test
  void shutdownNow_whileAWorkerKilledByCancelIsHandled_cancelsTheTaskSentAheadToIt(
      @TempDir Path dir) throws Exception {
    // cancel(true) kills the worker running the first task; the second, short, was sent ahead to
    // it. While the pool waits for that worker's exit, shutdownNow() empties the queue: the second
    // must not be put back there afterwards, where no worker would ever take it.
    GatedExitLauncher launcher = new GatedExitLauncher();
    ProcessPoolExecutor one =
        ProcessPoolExecutor.newBuilder().maxWorkers(1).launcher(launcher).build();
    try {
      // Short tasks, until the pool's estimate of this worker's run time (a moving mean, whose
      // first sample is a cold JVM's) says they are: then it sends the next one ahead.
      for (int i = 0; i < 40; i++) {
        assertEquals(0, one.submit(() -> 0).get(30, SECONDS));
      }
      String started = dir.resolve("started").toString();
      CompletableFuture<Object> running =
          one.submit(
              () -> {
                touch(started);
                sleep(60_000); // inside a task: until cancelled
                return null;
              });
      CompletableFuture<Integer> sentAhead = one.submit(() -> 2);
      awaitFile(Path.of(started));
      await()
          .alias("both tasks in flight on the worker: " + one)
          .until(() -> one.toString().matches(".*running \\[#\\d+, #\\d+\\].*"));
      assertTrue(running.cancel(true));
      one.shutdownNow();
      launcher.open();
      assertTrue(one.awaitTermination(30, SECONDS), one.toString());
      assertTrue(sentAhead.isCancelled(), sentAhead.toString());
    } finally {
      launcher.open();
      one.shutdownNow();
    }
  }

  @Test
  void maxQueued_aBlockedSubmitGetsInOnceTheQueuedTaskItWaitsBehindIsCancelled(@TempDir Path dir)
      throws Exception {
    Path started = dir.resolve("started");
    Path release = dir.resolve("release");
    String startedName = started.toString();
    String releaseName = release.toString();
    try (ProcessPoolExecutor blocking =
        ProcessPoolExecutor.newBuilder()
            .maxWorkers(1)
            .maxQueued(1, QueueFullPolicy.BLOCK)
            .build()) {
      CompletableFuture<Integer> blocker =
          blocking.submit(
              () -> {
                touch(startedName);
                for (int i = 0; i < 3_000 && !new java.io.File(releaseName).exists(); i++) {
                  sleep(10); // inside a task: until the test releases it
                }
                return 0;
              });
      awaitFile(started);
      CompletableFuture<Integer> queued = blocking.submit(() -> 1);
      CompletableFuture<CompletableFuture<Integer>> producer = new CompletableFuture<>();
      Thread thread = new Thread(() -> producer.complete(blocking.submit(() -> 2)));
      thread.start();
      await().until(() -> thread.getState() == Thread.State.WAITING);
      assertTrue(queued.cancel(false));
      touch(releaseName);
      assertEquals(0, blocker.get(30, SECONDS));
      assertEquals(2, producer.get(30, SECONDS).get(30, SECONDS));
    }
  }

  @Test
  void maxQueued_rejectOrBlock(@TempDir Path dir) throws Exception {
    String started = dir.resolve("started").toString();
    try (ProcessPoolExecutor rejecting =
        ProcessPoolExecutor.newBuilder()
            .maxWorkers(1)
            .maxQueued(2, QueueFullPolicy.REJECT)
            .build()) {
      CompletableFuture<Integer> blocker =
          rejecting.submit(
              () -> {
                touch(started);
                sleep(500);
                return 0;
              });
      awaitFile(Path.of(started));
      rejecting.submit(() -> 1);
      rejecting.submit(() -> 2);
      RejectedExecutionException e =
          assertThrows(RejectedExecutionException.class, () -> rejecting.submit(() -> 3));
      assertTrue(e.getMessage().contains("queue is full"), e.getMessage());
      assertEquals(0, blocker.get(30, SECONDS));
    }
    String started2 = dir.resolve("started2").toString();
    try (ProcessPoolExecutor blocking =
        ProcessPoolExecutor.newBuilder()
            .maxWorkers(1)
            .maxQueued(1, QueueFullPolicy.BLOCK)
            .build()) {
      blocking.submit(
          () -> {
            touch(started2);
            sleep(500);
            return 0;
          });
      awaitFile(Path.of(started2));
      blocking.submit(() -> 1);
      CompletableFuture<CompletableFuture<Integer>> producer = new CompletableFuture<>();
      Thread thread = new Thread(() -> producer.complete(blocking.submit(() -> 2)));
      thread.start();
      await().until(() -> thread.getState() == Thread.State.WAITING);
      assertEquals(2, producer.get(30, SECONDS).get(30, SECONDS));
    }
  }
}
