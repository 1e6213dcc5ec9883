package io.jfutures.impl.internal.process;

import io.jfutures.api.BrokenProcessPoolException;
import io.jfutures.api.WorkerDiedException;
import io.jfutures.api.WorkerFailure;
import io.jfutures.spi.WorkerExit;
import io.jfutures.spi.WorkerHandle;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a pool says when a worker dies: how it ended (its exit code or signal, waited for), and the
 * report its tasks fail with, naming the worker, its pid, how it ended, the task it ran, its uptime
 * and the last lines it wrote to stderr. {@link ProcessPool#onWorkerGone} decides which tasks fail
 * and whether the pool breaks; this class only words it. Stateless.
 */
final class WorkerDeaths {
  /** How long to wait for a worker whose channel closed to report its exit code. */
  private static final long EXIT_WAIT_SECONDS = 5;

  private WorkerDeaths() {}

  /** How a worker ended, in a word for a count by cause: its signal, its exit code, or unknown. */
  static String cause(WorkerExit exit) {
    if (exit.signal() != null) {
      return exit.signal();
    }
    return exit.exitCode() != null ? "exit code " + exit.exitCode() : "unknown";
  }

  /**
   * Waits for the worker's exit code; kills it if it does not come, and says UNKNOWN if even that
   * does not bring one.
   */
  static WorkerExit awaitExit(WorkerHandle handle) {
    try {
      return handle.onExit().get(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      handle.kill();
      try {
        return handle.onExit().get(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception again) {
        return WorkerExit.UNKNOWN;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return WorkerExit.UNKNOWN;
    } catch (Exception e) {
      return WorkerExit.UNKNOWN;
    }
  }

  /**
   * The failure of the task {@code running} (or of an idle worker) under REPLACE_WORKER; {@code
   * killedFor}, if not null, says the pool itself killed the worker to stop another task.
   */
  static WorkerDiedException died(
      PoolWorker worker, WorkerExit exit, Task running, String killedFor) {
    WorkerFailure failure = failureOf(worker, exit, running);
    String message = deathMessage(failure, worker, null);
    if (killedFor != null) {
      message += "; it was killed " + killedFor + ", which had just finished";
    }
    return new WorkerDiedException(message + ". A replacement worker takes over.", failure);
  }

  /** What breaks the pool under BREAK_POOL. */
  static BrokenProcessPoolException broken(
      PoolWorker worker, WorkerExit exit, Task running, IOException channelError) {
    WorkerFailure failure = failureOf(worker, exit, running);
    return new BrokenProcessPoolException(
        deathMessage(failure, worker, channelError) + ". The process pool is not usable anymore.",
        failure,
        channelError);
  }

  static WorkerFailure failureOf(PoolWorker worker, WorkerExit exit, Task running) {
    return new WorkerFailure(
        worker.name,
        worker.pid(),
        exit.exitCode(),
        exit.signal(),
        running == null ? null : running.toString(),
        Duration.ofNanos(System.nanoTime() - worker.startNanos),
        worker.completed,
        worker.handle == null ? List.of() : worker.handle.stderrTail());
  }

  static String deathMessage(WorkerFailure failure, PoolWorker worker, IOException channelError) {
    StringBuilder message = new StringBuilder();
    message
        .append("Worker ")
        .append(failure.workerName())
        .append(" (pid ")
        .append(failure.pid())
        .append(") terminated abruptly with ")
        .append(failure.exitDescription())
        .append(failure.task() == null ? " while idle" : " while running " + failure.task())
        .append(", after ")
        .append(failure.tasksCompleted())
        .append(" completed task(s) in ")
        .append(failure.uptime().toMillis())
        .append(" ms");
    if (channelError != null) {
      message.append(" (channel: ").append(channelError).append(')');
    }
    if (!failure.stderrTail().isEmpty()) {
      message.append("; its last lines on stderr:");
      for (String line : failure.stderrTail()) {
        message.append("\n  ").append(line);
      }
      message.append('\n');
    }
    return message.toString();
  }
}
