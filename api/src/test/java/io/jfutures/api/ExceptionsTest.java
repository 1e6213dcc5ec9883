package io.jfutures.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.io.NotSerializableException;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** The exceptions without state of their own: hierarchy, message, cause, serialization. */
final class ExceptionsTest {

  @Test
  void brokenExecutor_isARejectedExecution() throws Exception {
    IOException cause = new IOException("pipe");
    BrokenExecutorException e = new BrokenExecutorException("broken", cause);

    assertInstanceOf(RejectedExecutionException.class, e);
    assertEquals("broken", e.getMessage());
    assertSame(cause, e.getCause());
    assertEquals("broken", new BrokenExecutorException("broken").getMessage());
    assertRoundTrip(e, BrokenExecutorException.class);
  }

  @Test
  void brokenThreadPool_isABrokenExecutor() throws Exception {
    IllegalStateException cause = new IllegalStateException("initializer failed");
    BrokenThreadPoolException e = new BrokenThreadPoolException("broken", cause);

    assertInstanceOf(BrokenExecutorException.class, e);
    assertSame(cause, e.getCause());
    assertRoundTrip(e, BrokenThreadPoolException.class);
  }

  @Test
  void taskSerialization_keepsMessageAndCause() throws Exception {
    TaskSerializationException e =
        new TaskSerializationException(
            "task captures com.example.Db, which is not serializable",
            new NotSerializableException("com.example.Db"));

    assertInstanceOf(RuntimeException.class, e);
    assertRoundTrip(e, TaskSerializationException.class);
  }

  private static <T extends Throwable> void assertRoundTrip(T e, Class<T> type) throws Exception {
    T copy = Reserialize.roundTrip(e, type);

    assertEquals(e.getMessage(), copy.getMessage());
    assertEquals(e.getCause().getClass(), copy.getCause().getClass());
    assertEquals(e.getCause().getMessage(), copy.getCause().getMessage());
  }
}
