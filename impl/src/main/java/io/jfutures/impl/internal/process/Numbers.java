package io.jfutures.impl.internal.process;

import java.io.StreamCorruptedException;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;

/**
 * A chunk's numbers on the wire ({@link SentFunctions}): a kind byte, then the elements of an
 * {@code int[]}, {@code long[]} or {@code double[]}, big-endian, to the end of the value; a chunk
 * of pairs as the keys' form's length (an int), the keys' form, then the values'. A chunk's results
 * of numbers travel back as {@link #TAG} and their form ({@link Codec}). Stateless.
 */
final class Numbers {
  /**
   * The first byte of a message that is a chunk's results of numbers: neither a compact value's
   * tag, nor {@link SentFunctions#TAG}, nor an object stream's code.
   */
  static final byte TAG = 0x11;

  private static final byte INTS = 1;
  private static final byte LONGS = 2;
  private static final byte DOUBLES = 3;

  private Numbers() {}

  /**
   * Returns {@code array}'s form after {@code headroom} bytes left zero for the caller's header, so
   * that the message needs no second copy.
   *
   * @throws IllegalArgumentException if it is not an int[], long[] or double[]
   */
  static byte[] encode(Object array, int headroom) {
    ByteBuffer out = allocate(headroom + size(array)).position(headroom);
    put(array, out);
    return out.array();
  }

  /**
   * Returns the form of a chunk of pairs, {@code keys} and {@code values} (arrays as above), after
   * {@code headroom} bytes left zero.
   */
  static byte[] encodePair(Object keys, Object values, int headroom) {
    long keysSize = size(keys);
    ByteBuffer out =
        allocate(headroom + Integer.BYTES + keysSize + size(values))
            .position(headroom)
            .putInt((int) keysSize);
    put(keys, out);
    put(values, out);
    return out.array();
  }

  /** The bytes of {@code array}'s form. */
  private static long size(Object array) {
    if (array instanceof int[]) {
      return 1 + (long) ((int[]) array).length * Integer.BYTES;
    }
    if (array instanceof long[]) {
      return 1 + (long) ((long[]) array).length * Long.BYTES;
    }
    if (array instanceof double[]) {
      return 1 + (long) ((double[]) array).length * Double.BYTES;
    }
    throw new IllegalArgumentException("not an int[], long[] or double[]: " + array);
  }

  /** Allocates a message of {@code size} bytes, as {@link Codec.Payload} bounds one. */
  private static ByteBuffer allocate(long size) {
    if (size > Codec.MAX_MESSAGE) {
      throw new IllegalStateException("a message of over 2 GiB cannot be sent");
    }
    return ByteBuffer.allocate((int) size);
  }

  /** Writes {@code array}'s form at {@code out}'s position, and moves it past. */
  private static void put(Object array, ByteBuffer out) {
    int at = out.position() + 1;
    if (array instanceof int[]) {
      int[] a = (int[]) array;
      out.put(INTS).asIntBuffer().put(a);
      out.position(at + a.length * Integer.BYTES);
    } else if (array instanceof long[]) {
      long[] a = (long[]) array;
      out.put(LONGS).asLongBuffer().put(a);
      out.position(at + a.length * Long.BYTES);
    } else {
      double[] a = (double[]) array;
      out.put(DOUBLES).asDoubleBuffer().put(a);
      out.position(at + a.length * Double.BYTES);
    }
  }

  /**
   * Reads a chunk of pairs' two arrays, keys then values, of the {@code length} bytes from {@code
   * offset}.
   */
  static Object[] decodePair(byte[] data, int offset, int length) throws StreamCorruptedException {
    if (length < Integer.BYTES) {
      throw new StreamCorruptedException("a chunk of pairs of " + length + " bytes");
    }
    int keys = ByteBuffer.wrap(data, offset, length).getInt();
    int rest = length - Integer.BYTES;
    if (keys < 0 || keys > rest) {
      throw new StreamCorruptedException("a chunk of pairs' keys of " + keys + " bytes in " + rest);
    }
    Object k = decode(data, offset + Integer.BYTES, keys);
    Object v = decode(data, offset + Integer.BYTES + keys, rest - keys);
    if (Array.getLength(k) != Array.getLength(v)) {
      throw new StreamCorruptedException(
          "a chunk of " + Array.getLength(k) + " keys but " + Array.getLength(v) + " values");
    }
    return new Object[] {k, v};
  }

  /** Reads the array of the {@code length} bytes from {@code offset}. */
  static Object decode(byte[] data, int offset, int length) throws StreamCorruptedException {
    if (length < 1) {
      throw new StreamCorruptedException("a chunk's numbers without their kind");
    }
    ByteBuffer in = ByteBuffer.wrap(data, offset + 1, length - 1);
    int bytes = length - 1;
    switch (data[offset]) {
      case INTS:
        {
          int[] a = new int[whole(bytes, Integer.BYTES)];
          in.asIntBuffer().get(a);
          return a;
        }
      case LONGS:
        {
          long[] a = new long[whole(bytes, Long.BYTES)];
          in.asLongBuffer().get(a);
          return a;
        }
      case DOUBLES:
        {
          double[] a = new double[whole(bytes, Double.BYTES)];
          in.asDoubleBuffer().get(a);
          return a;
        }
      default:
        throw new StreamCorruptedException("unknown kind of numbers " + data[offset]);
    }
  }

  private static int whole(int bytes, int size) throws StreamCorruptedException {
    if (bytes % size != 0) {
      throw new StreamCorruptedException(bytes + " bytes are no whole number of " + size);
    }
    return bytes / size;
  }
}
