package io.jfutures.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

final class BrokenProcessPoolExceptionTest {

  @Test
  void new_withFailure_exposesIt() {
    WorkerFailure failure = WorkerFailureTest.failure(137, "SIGKILL");
    IOException cause = new IOException("channel closed");

    BrokenProcessPoolException e = new BrokenProcessPoolException("worker died", failure, cause);

    assertEquals("worker died", e.getMessage());
    assertSame(cause, e.getCause());
    assertEquals(Optional.of(failure), e.failure());
    assertEquals(4242, e.pid());
  }

  @Test
  void new_withoutFailure_hasNone() {
    IllegalStateException cause = new IllegalStateException("initializer failed");

    BrokenProcessPoolException e = new BrokenProcessPoolException("initializer failed", cause);

    assertEquals(Optional.empty(), e.failure());
    assertEquals(-1, e.pid());
    assertSame(cause, e.getCause());
  }

  @Test
  void new_isABrokenExecutorAndARejectedExecution() {
    BrokenProcessPoolException e = new BrokenProcessPoolException("broken", null);

    assertInstanceOf(BrokenExecutorException.class, e);
    assertInstanceOf(RejectedExecutionException.class, e);
    assertNull(e.getCause());
  }

  @Test
  void serialization_keepsMessageCauseAndFailure() throws Exception {
    WorkerFailure failure = WorkerFailureTest.failure(139, "SIGSEGV");
    BrokenProcessPoolException e =
        new BrokenProcessPoolException("worker died", failure, new IOException("eof"));

    BrokenProcessPoolException copy = Reserialize.roundTrip(e, BrokenProcessPoolException.class);

    assertEquals("worker died", copy.getMessage());
    assertInstanceOf(IOException.class, copy.getCause());
    assertEquals("eof", copy.getCause().getMessage());
    assertEquals(Optional.of(failure), copy.failure());
    assertEquals(4242, copy.pid());
  }

  @Test
  void serialization_withoutFailure() throws Exception {
    BrokenProcessPoolException e =
        new BrokenProcessPoolException("could not start", new IOException("no java"));

    BrokenProcessPoolException copy = Reserialize.roundTrip(e, BrokenProcessPoolException.class);

    assertEquals("could not start", copy.getMessage());
    assertEquals("no java", copy.getCause().getMessage());
    assertEquals(Optional.empty(), copy.failure());
    assertEquals(-1, copy.pid());
  }
}
