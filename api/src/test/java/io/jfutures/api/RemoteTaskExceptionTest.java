package io.jfutures.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

final class RemoteTaskExceptionTest {
  private static final StackTraceElement[] REMOTE_TRACE = {
    new StackTraceElement("com.example.Task", "compute", "Task.java", 42),
    new StackTraceElement("io.jfutures.impl.Worker", "run", "Worker.java", 7),
  };

  @Test
  void new_messageNamesClassAndMessage() {
    RemoteTaskException e =
        new RemoteTaskException("com.example.BoomException", "boom", REMOTE_TRACE, null);

    assertEquals("com.example.BoomException: boom", e.getMessage());
    assertEquals("com.example.BoomException", e.remoteClassName());
    assertNull(e.getCause());
  }

  @Test
  void new_nullMessage_messageIsClassName() {
    RemoteTaskException e =
        new RemoteTaskException("com.example.BoomException", null, REMOTE_TRACE, null);

    assertEquals("com.example.BoomException", e.getMessage());
  }

  @Test
  void new_stackTraceIsTheRemoteOne() {
    RemoteTaskException e =
        new RemoteTaskException("com.example.BoomException", "boom", REMOTE_TRACE, null);

    assertArrayEquals(REMOTE_TRACE, e.getStackTrace());
  }

  @Test
  void new_keepsCause() {
    RemoteTaskException cause =
        new RemoteTaskException("com.example.Root", "root", REMOTE_TRACE, null);

    RemoteTaskException e = new RemoteTaskException("com.example.Top", "top", REMOTE_TRACE, cause);

    assertSame(cause, e.getCause());
  }

  @Test
  void new_nullClassName_throwsNpe() {
    NullPointerException e =
        assertThrows(
            NullPointerException.class,
            () -> new RemoteTaskException(null, null, REMOTE_TRACE, null));

    assertEquals("remoteClassName", e.getMessage());
  }

  @Test
  void new_nullClassNameWithMessage_throwsNpe() {
    NullPointerException e =
        assertThrows(
            NullPointerException.class,
            () -> new RemoteTaskException(null, "boom", REMOTE_TRACE, null));

    assertEquals("remoteClassName", e.getMessage());
  }

  @Test
  void serialization_keepsClassNameMessageStackTraceAndCause() throws Exception {
    RemoteTaskException cause =
        new RemoteTaskException("com.example.Root", "root", REMOTE_TRACE, null);
    RemoteTaskException e = new RemoteTaskException("com.example.Top", "top", REMOTE_TRACE, cause);

    RemoteTaskException copy = Reserialize.roundTrip(e, RemoteTaskException.class);

    assertEquals("com.example.Top", copy.remoteClassName());
    assertEquals("com.example.Top: top", copy.getMessage());
    assertArrayEquals(REMOTE_TRACE, copy.getStackTrace());
    RemoteTaskException copiedCause = (RemoteTaskException) copy.getCause();
    assertEquals("com.example.Root", copiedCause.remoteClassName());
    assertArrayEquals(REMOTE_TRACE, copiedCause.getStackTrace());
  }
}
