package io.jfutures.impl.internal.process;

import java.io.StreamCorruptedException;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;

/**
 * A chunk's numbers on the wire ({@link StatelessFunctions}): a kind byte, then the elements of an
 * {@code int[]}, {@code long[]} or {@code double[]}, big-endian, to the end of the value; a chunk
 * of pairs as the keys' form's length (an int), the keys' form, then the values'. Stateless.
 */
final class Numbers {
  private static final byte INTS = 1;
  private static final byte LONGS = 2;
  private static final byte DOUBLES = 3;

  private Numbers() {}

  /**
   * Returns {@code array}'s form.
   *
   * @throws IllegalArgumentException if it is not an int[], long[] or double[]
   */
  static byte[] encode(Object array) {
    ByteBuffer out;
    if (array instanceof int[]) {
      int[] a = (int[]) array;
      out = ByteBuffer.allocate(1 + a.length * Integer.BYTES).put(INTS);
      out.asIntBuffer().put(a);
    } else if (array instanceof long[]) {
      long[] a = (long[]) array;
      out = ByteBuffer.allocate(1 + a.length * Long.BYTES).put(LONGS);
      out.asLongBuffer().put(a);
    } else if (array instanceof double[]) {
      double[] a = (double[]) array;
      out = ByteBuffer.allocate(1 + a.length * Double.BYTES).put(DOUBLES);
      out.asDoubleBuffer().put(a);
    } else {
      throw new IllegalArgumentException("not an int[], long[] or double[]: " + array);
    }
    return out.array();
  }

  /** Returns the form of a chunk of pairs: {@code keys} and {@code values}, arrays as above. */
  static byte[] encodePair(Object keys, Object values) {
    byte[] k = encode(keys);
    byte[] v = encode(values);
    return ByteBuffer.allocate(Integer.BYTES + k.length + v.length)
        .putInt(k.length)
        .put(k)
        .put(v)
        .array();
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
