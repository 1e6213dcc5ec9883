package io.jfutures.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

final class WorkerDiedExceptionTest {

  @Test
  void new_exposesFailure() {
    WorkerFailure failure = WorkerFailureTest.failure(137, "SIGKILL");

    WorkerDiedException e = new WorkerDiedException("jfutures-worker-3 died", failure);

    assertEquals("jfutures-worker-3 died", e.getMessage());
    assertEquals(Optional.of(failure), e.failure());
    assertEquals(4242, e.pid());
    assertNull(e.getCause());
    assertInstanceOf(BrokenProcessPoolException.class, e);
    assertInstanceOf(RejectedExecutionException.class, e);
  }

  @Test
  void serialization_keepsMessageAndFailure() throws Exception {
    WorkerFailure failure = WorkerFailureTest.failure(143, "SIGTERM");
    WorkerDiedException e = new WorkerDiedException("jfutures-worker-3 died", failure);

    WorkerDiedException copy = Reserialize.roundTrip(e, WorkerDiedException.class);

    assertEquals("jfutures-worker-3 died", copy.getMessage());
    assertNull(copy.getCause());
    assertEquals(Optional.of(failure), copy.failure());
    assertEquals("exit code 143 (SIGTERM)", copy.failure().orElseThrow().exitDescription());
  }
}
