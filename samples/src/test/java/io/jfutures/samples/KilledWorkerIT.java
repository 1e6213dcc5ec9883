package io.jfutures.samples;

import static io.jfutures.samples.Awaits.awaitNoChildProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.api.BrokenProcessPoolException;
import io.jfutures.api.WorkerFailure;
import io.jfutures.samples.KilledWorker.Death;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class KilledWorkerIT {
  private static final boolean LINUX =
      System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux");

  @AfterEach
  void noChildLeft() {
    awaitNoChildProcess();
  }

  @Test
  void run_halt() throws Exception {
    Narration narration = new Narration();
    KilledWorker.Observed seen = KilledWorker.run(Death.HALT, narration.out());
    WorkerFailure failure = checkBroken(seen);
    assertEquals(OptionalInt.of(KilledWorker.HALT_STATUS), failure.exitCodeIfKnown());
    assertEquals(Optional.empty(), failure.signalIfKilled());
    assertTrue(failure.task().contains(KilledWorker.Halt.class.getName()), failure.task());
    assertTrue(seen.broken().getMessage().contains("exit code 3"), seen.broken().getMessage());
    String text = narration.text();
    assertTrue(text.contains("pid(): " + seen.workerPid()), text);
    assertTrue(text.contains("a later submit is refused"), text);
  }

  @Test
  void run_destroy() throws Exception {
    KilledWorker.Observed seen = KilledWorker.run(Death.DESTROY, new Narration().out());
    WorkerFailure failure = checkBroken(seen);
    assertTrue(failure.exitCodeIfKnown().isPresent(), failure.toString());
    assertNotEquals(0, failure.exitCode(), failure.toString());
    if (LINUX) {
      assertEquals(137, failure.exitCode(), failure.toString());
      assertEquals(Optional.of("SIGKILL"), failure.signalIfKilled());
    }
    assertTrue(
        failure.task().contains(KilledWorker.SleepAfterCreating.class.getName()), failure.task());
  }

  /** Checks what both deaths have in common, and returns the failure. */
  private static WorkerFailure checkBroken(KilledWorker.Observed seen) {
    assertTrue(seen.workerPid() > 0, seen.toString());
    assertNotEquals(Workers.pid(), seen.workerPid());
    BrokenProcessPoolException broken = seen.broken();
    assertEquals(seen.workerPid(), broken.pid());
    assertTrue(broken.getMessage().contains("pid " + seen.workerPid()), broken.getMessage());
    WorkerFailure failure = broken.failure().orElseThrow();
    assertEquals(seen.workerPid(), failure.pid());
    assertEquals(1, failure.tasksCompleted(), "the pid task: " + failure);
    assertTrue(failure.workerName().startsWith("jfutures-worker-"), failure.workerName());

    BrokenProcessPoolException refused =
        assertInstanceOf(BrokenProcessPoolException.class, seen.refused());
    assertEquals(seen.workerPid(), refused.pid());
    return failure;
  }
}
