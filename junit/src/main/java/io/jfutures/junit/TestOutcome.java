package io.jfutures.junit;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;

/**
 * How an isolated test ended in its child JVM, sent back to the parent: a status and, unless it
 * passed, what was thrown. A throwable that cannot be serialized travels as an {@link
 * AssertionError} that names its class and keeps its message, stack trace and causes. A class, not
 * a record: a JVM's first record read costs it about 20 ms of method-handle set-up, and the parent
 * read one for its first isolated test.
 */
final class TestOutcome implements Serializable {
  private static final long serialVersionUID = 2L;

  private final Status status;

  /** What was thrown, or null if the test passed. */
  private final Throwable thrown;

  private TestOutcome(Status status, Throwable thrown) {
    this.status = status;
    this.thrown = thrown;
  }

  Status status() {
    return status;
  }

  Throwable thrown() {
    return thrown;
  }

  /** The outcomes of the JUnit Platform, and one for a test the child could not find. */
  enum Status {
    SUCCESSFUL,
    FAILED,
    ABORTED,
    SKIPPED,
    NOT_FOUND
  }

  static TestOutcome passed() {
    return new TestOutcome(Status.SUCCESSFUL, null);
  }

  static TestOutcome of(Status status, Throwable thrown) {
    return new TestOutcome(status, thrown == null ? null : travelling(thrown));
  }

  /** Returns {@code t} if it serializes, else a stand-in with the same story. */
  static Throwable travelling(Throwable t) {
    try (ObjectOutputStream out = new ObjectOutputStream(OutputStream.nullOutputStream())) {
      out.writeObject(t);
      return t;
    } catch (IOException | RuntimeException e) {
      return standIn(t);
    }
  }

  private static Throwable standIn(Throwable t) {
    AssertionError copy =
        new AssertionError(
            t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage()),
            t.getCause() == null || t.getCause() == t ? null : standIn(t.getCause()));
    copy.setStackTrace(t.getStackTrace());
    for (Throwable s : t.getSuppressed()) {
      copy.addSuppressed(standIn(s));
    }
    return copy;
  }
}
