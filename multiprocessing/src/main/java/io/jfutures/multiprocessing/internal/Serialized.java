package io.jfutures.multiprocessing.internal;

import io.jfutures.multiprocessing.internal.hub.QueueBackend;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

/**
 * How the toolbox turns objects into bytes and back: a queue's items, a pipe's messages, a
 * process's launch. Written on the caller's thread, so that what cannot travel fails at the call;
 * read with a filter that bounds the depth of the object graph (the bytes come from peers that
 * proved themselves with the hub's or the parent's token), merged with the JVM-wide filter ({@code
 * -Djdk.serialFilter=...}) if one is set, so that a user's allow-list applies here too.
 */
public final class Serialized {
  private static final long MAX_DEPTH = 10_000;

  private Serialized() {}

  /**
   * Returns {@code value}'s bytes.
   *
   * @param what what the value is, for the message, as {@code "cannot put"}
   * @throws IllegalArgumentException if it cannot be serialized (naming the class that cannot), or
   *     its bytes exceed what a queue or pipe carries
   */
  public static byte[] toBytes(Object value, String what) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (NotSerializableException e) {
      throw new IllegalArgumentException(
          what
              + " "
              + describe(value)
              + ": "
              + e.getMessage()
              + " is not serializable; make it Serializable (a record, say)",
          e);
    } catch (IOException | OutOfMemoryError e) {
      throw new IllegalArgumentException(what + " " + describe(value) + ": " + e, e);
    }
    QueueBackend.checkSize(bytes.size());
    return bytes.toByteArray();
  }

  private static String describe(Object value) {
    return value == null ? "null" : "an instance of " + value.getClass().getName();
  }

  /**
   * Reads an object from {@code bytes}.
   *
   * @throws IOException if they are not a serialized object, or its class cannot be loaded here
   */
  public static Object fromBytes(byte[] bytes) throws IOException {
    try (ObjectInputStream in = input(bytes)) {
      return in.readObject();
    } catch (ClassNotFoundException e) {
      throw new IOException("cannot load the class of what was received: " + e, e);
    }
  }

  /** Returns a stream that reads {@code bytes} with the toolbox's filter. */
  static ObjectInputStream input(byte[] bytes) throws IOException {
    ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes));
    ObjectInputFilter depth =
        info ->
            info.depth() > MAX_DEPTH
                ? ObjectInputFilter.Status.REJECTED
                : ObjectInputFilter.Status.UNDECIDED;
    // A stream's own filter replaces the JVM-wide one (jdk.serialFilter) unless merged with it:
    // the user's filter keeps its say over what this JVM deserializes.
    ObjectInputFilter jvmWide = ObjectInputFilter.Config.getSerialFilter();
    in.setObjectInputFilter(jvmWide == null ? depth : ObjectInputFilter.merge(depth, jvmWide));
    return in;
  }
}
