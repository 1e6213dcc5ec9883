package io.jfutures.multiprocessing.internal;

import io.jfutures.impl.internal.CompactValues;
import io.jfutures.multiprocessing.internal.hub.QueueBackend;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How the toolbox turns objects into bytes and back: a queue's items, a pipe's messages, a
 * process's launch. Written on the caller's thread, so that what cannot travel fails at the call;
 * read with a filter that bounds the depth of the object graph (the bytes come from peers that
 * proved themselves with the hub's or the parent's token), merged with the JVM-wide filter ({@code
 * -Djdk.serialFilter=...}) if one is set, so that a user's allow-list applies here too.
 *
 * <p>The commonest values (null, Integer, Long, Double, Boolean, a String of up to 21,845 chars, a
 * byte array) travel in their {@link CompactValues} form instead: a tag byte and the value, with no
 * object stream on either side, which cost most of a small item's trip (Q1 in {@code
 * benchmarks/README.md}). Reading one runs no code of a class and names none, so no filter is asked
 * about it.
 */
public final class Serialized {
  private static final long MAX_DEPTH = 10_000;

  /**
   * What a compact form starts with here: as an object stream starts with 0xACED, so that bytes
   * sent with {@code sendBytes} are no more likely to be read as a value by {@code recv} than they
   * were as an object stream.
   */
  private static final byte[] COMPACT_MAGIC = {(byte) 0xAC, (byte) 0xEE};

  private Serialized() {}

  /** Whether {@code bytes} are a value's compact form. */
  static boolean isCompact(byte[] bytes) {
    return bytes.length > COMPACT_MAGIC.length
        && bytes[0] == COMPACT_MAGIC[0]
        && bytes[1] == COMPACT_MAGIC[1];
  }

  /**
   * Returns {@code value}'s bytes.
   *
   * @param what what the value is, for the message, as {@code "cannot put"}
   * @throws IllegalArgumentException if it cannot be serialized (naming the class that cannot), its
   *     bytes would exceed {@link QueueBackend#MAX_ITEM_BYTES} (found as the count passes it,
   *     before anything more is buffered), or this JVM's heap cannot hold them; nothing was sent
   */
  public static byte[] toBytes(Object value, String what) {
    return toBytes(value, what, QueueBackend.MAX_ITEM_BYTES);
  }

  /** As {@link #toBytes(Object, String)}, with at most {@code limit} bytes: tests use less. */
  static byte[] toBytes(Object value, String what, int limit) {
    if (CompactValues.arrayBytes(value) > limit - 1 - COMPACT_MAGIC.length) {
      throw tooLarge(value, what, limit, null); // before a copy of it is made
    }
    byte[] compact;
    try {
      compact = CompactValues.toBytes(value, COMPACT_MAGIC.length);
    } catch (OutOfMemoryError e) {
      throw outOfMemory(value, what, 0, e);
    }
    if (compact != null && compact.length <= limit) {
      System.arraycopy(COMPACT_MAGIC, 0, compact, 0, COMPACT_MAGIC.length);
      return compact;
    }
    LimitedBytes bytes = new LimitedBytes(limit);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException | RuntimeException e) {
      if (bytes.overflowed) {
        throw tooLarge(value, what, limit, e);
      }
      if (e instanceof NotSerializableException) {
        throw failure(
            value,
            what,
            e.getMessage() + " is not serializable; make it Serializable (a record, say)",
            e);
      }
      if (e instanceof RuntimeException r) {
        throw r; // the value's own writeObject failed: its exception, as it threw it
      }
      throw failure(value, what, e.toString(), e);
    } catch (OutOfMemoryError e) {
      throw outOfMemory(value, what, bytes.count, e);
    }
    if (bytes.overflowed) { // the value's writeObject caught the exception and carried on
      throw tooLarge(value, what, limit, null);
    }
    try {
      return bytes.toByteArray();
    } catch (OutOfMemoryError e) {
      throw outOfMemory(value, what, bytes.count, e);
    }
  }

  private static IllegalArgumentException outOfMemory(
      Object value, String what, long count, OutOfMemoryError e) {
    return failure(
        value,
        what,
        "this JVM's heap (at most "
            + Runtime.getRuntime().maxMemory() / (1024 * 1024)
            + " MiB) ran out after "
            + count
            + " bytes of its serialized form; nothing was sent. Give the JVM more heap (-Xmx, or"
            + " JvmProcess.jvmOptions(\"-Xmx...\") for a child), or send it in parts",
        e);
  }

  private static IllegalArgumentException tooLarge(
      Object value, String what, int limit, Throwable cause) {
    return failure(
        value,
        what,
        "its serialized form is larger than "
            + QueueBackend.describeLimit(limit)
            + "; nothing was sent. Send it in parts: several smaller messages or items, or a"
            + " byte array as sendBytes chunks",
        cause);
  }

  /** "cannot send an instance of C: problem". */
  private static IllegalArgumentException failure(
      Object value, String what, String problem, Throwable cause) {
    String describe = value == null ? "null" : "an instance of " + value.getClass().getName();
    return new IllegalArgumentException(what + " " + describe + ": " + problem, cause);
  }

  /** Thrown by {@link LimitedBytes} as its count would pass its limit. */
  private static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(long limit) {
      super("the serialized form passed " + limit + " bytes");
    }
  }

  /**
   * A byte array output stream that refuses to grow past {@code limit}, and keeps its bytes in
   * chunks: growing copies nothing, and no chunk ends past the limit, so finding that an object is
   * too large costs at most the limit in heap (a ByteArrayOutputStream would need its old array and
   * one twice as large, 3 GiB on the way to 2 GiB). Single-threaded: ObjectOutputStream's.
   */
  private static final class LimitedBytes extends OutputStream {
    private static final int FIRST_CHUNK = 1024;
    private static final int MAX_CHUNK = 16 << 20;

    private final long limit;
    private final List<byte[]> chunks = new ArrayList<>(); // all full but the last
    private int inLast; // bytes in the last chunk
    private long count;
    private boolean overflowed;

    LimitedBytes(long limit) {
      this.limit = limit;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len > limit - count) {
        overflowed = true; // remembered, in case the value's writeObject swallows the exception
        throw new TooLargeException(limit);
      }
      while (len > 0) {
        byte[] last = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1);
        if (last == null || inLast == last.length) {
          int size = last == null ? FIRST_CHUNK : Math.min(2 * last.length, MAX_CHUNK);
          last = new byte[(int) Math.min(Math.max(size, len), Math.min(MAX_CHUNK, limit - count))];
          chunks.add(last);
          inLast = 0;
        }
        int n = Math.min(len, last.length - inLast);
        System.arraycopy(b, off, last, inLast, n);
        inLast += n;
        count += n;
        off += n;
        len -= n;
      }
    }

    byte[] toByteArray() {
      byte[] all = new byte[Math.toIntExact(count)];
      int at = 0;
      for (byte[] chunk : chunks) {
        int n = Math.min(chunk.length, all.length - at);
        System.arraycopy(chunk, 0, all, at, n);
        at += n;
      }
      return all;
    }
  }

  /**
   * Reads an object from {@code bytes}.
   *
   * @throws IOException if they are not a serialized object, or its class cannot be loaded here
   */
  public static Object fromBytes(byte[] bytes) throws IOException {
    if (isCompact(bytes)) {
      return CompactValues.read(bytes, COMPACT_MAGIC.length, bytes.length - COMPACT_MAGIC.length);
    }
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
