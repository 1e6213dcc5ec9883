package io.jfutures.impl.internal.process;

import io.jfutures.api.RemoteTaskException;
import io.jfutures.api.TaskSerializationException;
import java.io.Serializable;

/**
 * A throwable on its way from a worker to the pool: the throwable itself, serialized on its own so
 * that a failure to read it cannot spoil the rest, and a {@link RemoteTaskException} that stands in
 * for it (class name, message, stack trace, causes) when it cannot be rebuilt. A class, not a
 * record: a JVM's first record read costs it about 20 ms of method-handle set-up, which a short
 * program's first failed task paid.
 */
final class EncodedThrowable implements Serializable {
  private static final long serialVersionUID = 2L;

  private static final int MAX_CAUSES = 16;

  /** The serialized throwable, or null if it could not be serialized. */
  private final byte[] original;

  /** The stand-in, always readable. */
  private final RemoteTaskException standIn;

  private EncodedThrowable(byte[] original, RemoteTaskException standIn) {
    this.original = original;
    this.standIn = standIn;
  }

  /** Encodes {@code t} with {@code table}. */
  static EncodedThrowable of(Throwable t, Codec.ClassTable table) {
    RemoteTaskException standIn = standInFor(t, 0);
    byte[] original;
    try {
      original = table.encode(t).toByteArray();
    } catch (Exception | StackOverflowError e) {
      original = null;
      standIn.addSuppressed(
          new TaskSerializationException(
              "the worker could not serialize " + t.getClass().getName() + ": " + e, null));
    }
    return new EncodedThrowable(original, standIn);
  }

  /** Rebuilds the throwable with {@code index}, or returns the stand-in saying why not. */
  Throwable decode(Codec.ClassIndex index) {
    if (original != null) {
      try {
        return (Throwable) index.decode(original, 0, original.length);
      } catch (Exception | LinkageError e) {
        standIn.addSuppressed(
            new TaskSerializationException(
                "the task's exception " + standIn.remoteClassName() + " could not be read: " + e,
                e));
      }
    }
    return standIn;
  }

  private static RemoteTaskException standInFor(Throwable t, int depth) {
    Throwable cause = t.getCause();
    String message;
    try {
      message = t.getMessage();
    } catch (RuntimeException e) {
      message = "(getMessage() threw " + e + ")";
    }
    return new RemoteTaskException(
        t.getClass().getName(),
        message,
        t.getStackTrace(),
        cause == null || cause == t || depth >= MAX_CAUSES ? null : standInFor(cause, depth + 1));
  }
}
