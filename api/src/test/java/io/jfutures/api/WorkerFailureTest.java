package io.jfutures.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

final class WorkerFailureTest {

  @Test
  void exitDescription_signal() {
    assertEquals("exit code 137 (SIGKILL)", failure(137, "SIGKILL").exitDescription());
  }

  @Test
  void exitDescription_noSignal() {
    assertEquals("exit code 3", failure(3, null).exitDescription());
  }

  @Test
  void exitDescription_zero() {
    assertEquals("exit code 0", failure(0, null).exitDescription());
  }

  @Test
  void exitDescription_unknown() {
    assertEquals("an unknown exit code", failure(null, null).exitDescription());
  }

  @Test
  void exitCodeIfKnown_known() {
    assertEquals(OptionalInt.of(143), failure(143, "SIGTERM").exitCodeIfKnown());
  }

  @Test
  void exitCodeIfKnown_unknown() {
    assertEquals(OptionalInt.empty(), failure(null, null).exitCodeIfKnown());
  }

  @Test
  void signalIfKilled_killed() {
    assertEquals(Optional.of("SIGSEGV"), failure(139, "SIGSEGV").signalIfKilled());
  }

  @Test
  void signalIfKilled_notKilled() {
    assertEquals(Optional.empty(), failure(1, null).signalIfKilled());
  }

  @Test
  void new_copiesStderrTail() {
    List<String> tail = new ArrayList<>(List.of("line 1", "line 2"));

    WorkerFailure failure = new WorkerFailure("w", 1, 1, null, null, Duration.ZERO, 0, tail);
    tail.add("line 3");

    assertEquals(List.of("line 1", "line 2"), failure.stderrTail());
  }

  @Test
  void stderrTail_isUnmodifiable() {
    WorkerFailure failure = failure(1, null);

    assertThrows(UnsupportedOperationException.class, () -> failure.stderrTail().add("more"));
  }

  @Test
  void new_nullStderrLine_throwsNpe() {
    List<String> tail = Arrays.asList("line", null);

    assertThrows(
        NullPointerException.class,
        () -> new WorkerFailure("w", 1, 1, null, null, Duration.ZERO, 0, tail));
  }

  @Test
  void new_nullStderrTail_throwsNpe() {
    NullPointerException e =
        assertThrows(
            NullPointerException.class,
            () -> new WorkerFailure("w", 1, 1, null, null, Duration.ZERO, 0, null));

    assertEquals("stderrTail", e.getMessage());
  }

  @Test
  void new_nullWorkerName_throwsNpe() {
    NullPointerException e =
        assertThrows(
            NullPointerException.class,
            () -> new WorkerFailure(null, 1, 1, null, null, Duration.ZERO, 0, List.of()));

    assertEquals("workerName", e.getMessage());
  }

  @Test
  void new_nullUptime_throwsNpe() {
    NullPointerException e =
        assertThrows(
            NullPointerException.class,
            () -> new WorkerFailure("w", 1, 1, null, null, null, 0, List.of()));

    assertEquals("uptime", e.getMessage());
  }

  @Test
  void new_optionalComponentsNull_accepted() {
    WorkerFailure failure =
        new WorkerFailure("w", -1, null, null, null, Duration.ZERO, 0, List.of());

    assertEquals(-1, failure.pid());
    assertEquals(Optional.empty(), Optional.ofNullable(failure.task()));
  }

  @Test
  void serialization_keepsEverything() throws Exception {
    WorkerFailure failure = failure(137, "SIGKILL");

    WorkerFailure copy = Reserialize.roundTrip(failure, WorkerFailure.class);

    assertEquals(failure, copy);
    assertEquals("exit code 137 (SIGKILL)", copy.exitDescription());
    assertEquals(List.of("OutOfMemoryError", "bye"), copy.stderrTail());
  }

  static WorkerFailure failure(Integer exitCode, String signal) {
    return new WorkerFailure(
        "jfutures-worker-3",
        4242,
        exitCode,
        signal,
        "Task[fib(30)]",
        Duration.ofSeconds(7),
        12,
        List.of("OutOfMemoryError", "bye"));
  }
}
