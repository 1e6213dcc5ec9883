package io.jfutures.impl;

import static io.jfutures.impl.Awaits.await;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.api.SerializableCallable;
import io.jfutures.api.TaskTimeoutException;
import io.jfutures.api.WorkerDiedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The backend SPI's child-JVM implementation behind a BackendExecutor: real processes, killed. */
@Timeout(120)
final class LocalProcessBackendIT {

  private static long sleepThenPid(long millis) throws InterruptedException {
    Thread.sleep(millis); // inside a task: a task that takes time
    return ProcessHandle.current().pid();
  }

  @Test
  void tasksRunInTwoChildren_anInitializerRunsInEach_andNoneOutlivesTheExecutor() throws Exception {
    List<Long> pids;
    try (BackendExecutor ex =
        BackendExecutor.newBuilder(new LocalProcessBackend(2))
            .initializer(() -> System.setProperty("initialized", "yes"))
            .build()) {
      List<CompletableFuture<String>> tasks =
          IntStream.range(0, 6)
              .mapToObj(
                  i -> ex.submit(() -> sleepThenPid(200) + ":" + System.getProperty("initialized")))
              .toList();
      Set<String> seen = tasks.stream().map(CompletableFuture::join).collect(Collectors.toSet());
      pids = seen.stream().map(s -> Long.parseLong(s.split(":")[0])).distinct().toList();
      assertEquals(2, pids.size(), seen.toString());
      assertTrue(seen.stream().allMatch(s -> s.endsWith(":yes")), seen.toString());
      Object notSerializable = new Object();
      RejectedExecutionException refused =
          assertThrows(
              RejectedExecutionException.class, () -> ex.submit(() -> notSerializable.hashCode()));
      assertTrue(refused.getMessage().contains("java.lang.Object"), refused.getMessage());
    }
    Awaits.awaitGone(pids);
  }

  @Test
  void aChildKilledUnderATask_isRetriedInAnother_whenTasksAreSafeToRetry(@TempDir Path dir)
      throws Exception {
    try (BackendExecutor ex =
        BackendExecutor.newBuilder(new LocalProcessBackend(2))
            .workerDeathPolicy(WorkerDeathPolicy.REPLACE_WORKER)
            .retryOnWorkerLoss(1)
            .build()) {
      String started = dir.resolve("started").toString();
      CompletableFuture<Long> f =
          ex.submit(
              () -> {
                Path marker = Path.of(started);
                if (Files.exists(marker)) {
                  return ProcessHandle.current().pid(); // the second run
                }
                Files.writeString(marker, Long.toString(ProcessHandle.current().pid()));
                return sleepThenPid(60_000);
              });
      long first = Awaits.awaitPid(Path.of(started));
      new ProcessBuilder("kill", "-9", Long.toString(first)).start().waitFor();
      long second = f.get(60, SECONDS);
      assertNotEquals(first, second, "run again in another child");
      await().until(() -> ex.workers().size() == 2); // the replacement joined
    }
  }

  @Test
  void aChildKilledUnderATask_failsIt_namingItsPidAndSignal_underReplaceWorker(@TempDir Path dir)
      throws Exception {
    try (BackendExecutor ex =
        BackendExecutor.newBuilder(new LocalProcessBackend(1))
            .workerDeathPolicy(WorkerDeathPolicy.REPLACE_WORKER)
            .build()) {
      String started = dir.resolve("started").toString();
      CompletableFuture<Long> f =
          ex.submit(
              () -> {
                Files.writeString(Path.of(started), Long.toString(ProcessHandle.current().pid()));
                return sleepThenPid(60_000);
              });
      long pid = Awaits.awaitPid(Path.of(started));
      new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
      ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, SECONDS));
      WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, e.getCause());
      assertEquals(pid, died.pid());
      assertTrue(died.getMessage().contains("SIGKILL"), died.getMessage());
      assertNotEquals(pid, ex.submit(() -> ProcessHandle.current().pid()).get(60, SECONDS));
    }
  }

  @Test
  void aTaskTimeout_killsItsChild(@TempDir Path dir) throws Exception {
    try (BackendExecutor ex =
        BackendExecutor.newBuilder(new LocalProcessBackend(1))
            .taskTimeout(Duration.ofSeconds(2))
            .build()) {
      String started = dir.resolve("started").toString();
      CompletableFuture<Long> f =
          ex.submit(
              (SerializableCallable<Long>)
                  () -> {
                    Files.writeString(
                        Path.of(started), Long.toString(ProcessHandle.current().pid()));
                    while (true) {
                      Thread.onSpinWait(); // ignores interrupts: only a kill stops it
                    }
                  });
      ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, SECONDS));
      TaskTimeoutException t = assertInstanceOf(TaskTimeoutException.class, e.getCause());
      assertTrue(t.getMessage().contains("it was stopped"), t.getMessage());
      long pid = Awaits.awaitPid(Path.of(started));
      Awaits.awaitGone(List.of(pid));
      assertEquals(7, ex.submit(() -> 7).get(60, SECONDS), "a new child took over");
    }
  }
}
