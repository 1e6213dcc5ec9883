package io.jfutures.api;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What is known about a worker that died: who it was, how it ended, what it was doing. Carried by
 * {@link BrokenProcessPoolException}.
 *
 * @param workerName the worker's name, as {@code jfutures-worker-3}
 * @param pid the worker's process id, or -1 when unknown
 * @param exitCode the exit code, or null when unknown (on Linux a process killed by signal N
 *     reports 128 + N)
 * @param signal the name of the signal that killed the worker, as {@code SIGKILL}, or null
 * @param task a description of the task that was running, or null if the worker was idle
 * @param uptime how long the worker lived
 * @param tasksCompleted how many tasks the worker finished before it died
 * @param stderrTail the last lines the worker wrote to its standard error, oldest first
 */
public record WorkerFailure(
    String workerName,
    long pid,
    Integer exitCode,
    String signal,
    String task,
    Duration uptime,
    long tasksCompleted,
    List<String> stderrTail)
    implements Serializable {

  /**
   * Checks and copies the components.
   *
   * @param workerName the worker's name, as {@code jfutures-worker-3}
   * @param pid the worker's process id, or -1 when unknown
   * @param exitCode the exit code, or null when unknown
   * @param signal the name of the signal that killed the worker, as {@code SIGKILL}, or null
   * @param task a description of the task that was running, or null if the worker was idle
   * @param uptime how long the worker lived
   * @param tasksCompleted how many tasks the worker finished before it died
   * @param stderrTail the last lines the worker wrote to its standard error, oldest first; copied
   * @throws NullPointerException if {@code workerName}, {@code uptime} or {@code stderrTail} is
   *     null
   */
  public WorkerFailure {
    Objects.requireNonNull(workerName, "workerName");
    Objects.requireNonNull(uptime, "uptime");
    stderrTail = List.copyOf(Objects.requireNonNull(stderrTail, "stderrTail"));
  }

  /**
   * Returns the exit code, if known.
   *
   * @return the exit code, or an empty {@code OptionalInt} when unknown
   */
  public OptionalInt exitCodeIfKnown() {
    return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
  }

  /**
   * Returns the name of the killing signal, if the worker was killed by one.
   *
   * @return the signal's name, as {@code SIGKILL}, or empty if the worker was not killed by a
   *     signal
   */
  public Optional<String> signalIfKilled() {
    return Optional.ofNullable(signal);
  }

  /**
   * Describes how the worker ended, as {@code exit code 137 (SIGKILL)}.
   *
   * @return how the worker ended, or {@code "an unknown exit code"} when the exit code is unknown
   */
  public String exitDescription() {
    if (exitCode == null) {
      return "an unknown exit code";
    }
    return signal == null ? "exit code " + exitCode : "exit code " + exitCode + " (" + signal + ")";
  }
}
