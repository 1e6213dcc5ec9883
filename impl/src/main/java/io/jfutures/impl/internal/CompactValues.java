package io.jfutures.impl.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StreamCorruptedException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The commonest values in a form of their own, without an object stream: a tag byte, then the
 * value. Building an {@code ObjectOutputStream} and an {@code ObjectInputStream} for each value
 * costs more than the rest of a small value's trip between JVMs (an executor's result, a queue's
 * item, a pipe's message); reading one also walks the stack for a class loader and compiles the
 * stream's code in every new JVM.
 *
 * <p>The forms: null; Integer, Long and Double in big-endian order; Boolean; a String of at most
 * {@link #MAX_STRING_CHARS} chars in modified UTF-8 (as {@code DataOutput.writeUTF}); and, only
 * through {@link #toBytes}, a byte array as it is, and an int, long or double array as its elements
 * in big-endian order (their count is the form's length). No class is named and no code of the
 * value's runs when one is read, so no deserialization filter is asked about these. An array
 * through an object stream also cost a new JVM's first one the security providers, loaded to hash
 * the array class's serialVersionUID: 10 ms and more of a child's first put of a {@code long[]}.
 *
 * <p>A tag is 1 to 11. Java serialization's streams start with 0xAC (the stream header) and its
 * objects without a header with a TC_ code (0x70 to 0x7E), so neither is mistaken for a tag.
 */
public final class CompactValues {
  private static final byte NULL = 1;
  private static final byte INTEGER = 2;
  private static final byte LONG = 3;
  private static final byte DOUBLE = 4;
  private static final byte FALSE = 5;
  private static final byte TRUE = 6;
  private static final byte STRING = 7;
  private static final byte BYTES = 8;
  private static final byte INTS = 9;
  private static final byte LONGS = 10;
  private static final byte DOUBLES = 11;

  /** Longer strings go by object stream: writeUTF takes at most 65,535 bytes, 3 per char. */
  public static final int MAX_STRING_CHARS = 65_535 / 3;

  private CompactValues() {}

  /** Whether {@code first}, the first byte of a value's form, is a compact form's tag. */
  public static boolean isTag(byte first) {
    return first >= NULL && first <= DOUBLES;
  }

  /** Whether {@code value} has a compact form that {@link #write} writes: the one test of it. */
  public static boolean has(Object value) {
    return value == null
        || value instanceof Integer
        || value instanceof Long
        || value instanceof Double
        || value instanceof Boolean
        || (value instanceof String s && s.length() <= MAX_STRING_CHARS);
  }

  /**
   * Writes {@code value} in compact form if it has one (a byte array has none here: see {@link
   * #toBytes}); returns whether it did.
   */
  public static boolean write(Object value, OutputStream out) throws IOException {
    if (!has(value)) {
      return false;
    }
    if (value instanceof String s) {
      out.write(STRING);
      new DataOutputStream(out).writeUTF(s);
    } else {
      out.write(scalar(value));
    }
    return true;
  }

  /**
   * Returns {@code value}'s compact form, those of byte, int, long and double arrays included (a
   * copy of the elements behind the tag), or null if it has none.
   */
  public static byte[] toBytes(Object value) {
    return toBytes(value, 0);
  }

  /**
   * As {@link #toBytes(Object)}, behind {@code before} bytes of 0 that the caller fills (a header
   * of its own), so that a large array is copied once.
   */
  public static byte[] toBytes(Object value, int before) {
    long elements = arrayBytes(value);
    if (elements >= 0) {
      if (before + 1L + elements > Integer.MAX_VALUE - 16) {
        return null;
      }
      byte[] form = new byte[(int) (before + 1 + elements)];
      ByteBuffer body = ByteBuffer.wrap(form, before + 1, (int) elements).slice();
      if (value instanceof byte[] a) {
        form[before] = BYTES;
        body.put(a);
      } else if (value instanceof int[] a) {
        form[before] = INTS;
        body.asIntBuffer().put(a);
      } else if (value instanceof long[] a) {
        form[before] = LONGS;
        body.asLongBuffer().put(a);
      } else {
        form[before] = DOUBLES;
        body.asDoubleBuffer().put((double[]) value);
      }
      return form;
    }
    byte[] scalar = scalar(value);
    if (scalar == null && value instanceof String s && s.length() <= MAX_STRING_CHARS) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length() + 3);
      try {
        write(s, bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e); // never: an array stream does not fail
      }
      scalar = bytes.toByteArray();
    }
    if (scalar == null || before == 0) {
      return scalar;
    }
    byte[] form = new byte[before + scalar.length];
    System.arraycopy(scalar, 0, form, before, scalar.length);
    return form;
  }

  /**
   * The bytes of the elements of {@code value}'s compact form if it is an array that has one (byte,
   * int, long or double), else -1: so that a caller can refuse one too large for it before it is
   * copied.
   */
  public static long arrayBytes(Object value) {
    if (value instanceof byte[] a) {
      return a.length;
    } else if (value instanceof int[] a) {
      return (long) a.length * Integer.BYTES;
    } else if (value instanceof long[] a) {
      return (long) a.length * Long.BYTES;
    } else if (value instanceof double[] a) {
      return (long) a.length * Double.BYTES;
    }
    return -1;
  }

  private static byte[] scalar(Object value) {
    if (value == null) {
      return new byte[] {NULL};
    } else if (value instanceof Integer i) {
      byte[] form = {INTEGER, 0, 0, 0, 0};
      BigEndian.putInt(form, 1, i);
      return form;
    } else if (value instanceof Long l) {
      return tagged(LONG, l);
    } else if (value instanceof Double d) {
      return tagged(DOUBLE, Double.doubleToRawLongBits(d));
    } else if (value instanceof Boolean b) {
      return new byte[] {b ? TRUE : FALSE};
    }
    return null;
  }

  private static byte[] tagged(byte tag, long bits) {
    byte[] form = new byte[1 + Long.BYTES];
    form[0] = tag;
    BigEndian.putLong(form, 1, bits);
    return form;
  }

  /**
   * Reads the value of a compact form; the {@code length} bytes from {@code offset} must hold
   * exactly one.
   *
   * @throws StreamCorruptedException if they do not: an unknown tag, a value cut short, or bytes
   *     after it
   */
  public static Object read(byte[] data, int offset, int length) throws IOException {
    if (length < 1) {
      throw new StreamCorruptedException("a compact value with no tag");
    }
    byte first = data[offset];
    if (first == INTEGER || first == LONG || first == DOUBLE) {
      return number(first, data, offset + 1, length - 1);
    }
    ByteBuffer in = ByteBuffer.wrap(data, offset, length);
    byte tag = in.get();
    Object value;
    try {
      switch (tag) {
        case NULL:
          value = null;
          break;
        case FALSE:
        case TRUE:
          value = tag == TRUE;
          break;
        case STRING:
          DataInputStream strings =
              new DataInputStream(new ByteArrayInputStream(data, offset + 1, length - 1));
          value = strings.readUTF();
          in.position(in.limit() - strings.available());
          break;
        case BYTES:
          value = Arrays.copyOfRange(data, offset + 1, offset + length);
          in.position(in.limit());
          break;
        case INTS:
          int[] ints = new int[elements(tag, length, Integer.BYTES)];
          in.asIntBuffer().get(ints);
          in.position(in.limit());
          value = ints;
          break;
        case LONGS:
          long[] longs = new long[elements(tag, length, Long.BYTES)];
          in.asLongBuffer().get(longs);
          in.position(in.limit());
          value = longs;
          break;
        case DOUBLES:
          double[] doubles = new double[elements(tag, length, Double.BYTES)];
          in.asDoubleBuffer().get(doubles);
          in.position(in.limit());
          value = doubles;
          break;
        default:
          throw new StreamCorruptedException("unknown compact tag " + tag);
      }
    } catch (BufferUnderflowException | EOFException e) {
      throw cutShort(tag);
    }
    if (in.hasRemaining()) {
      throw bytesAfter(in.remaining(), tag);
    }
    return value;
  }

  /**
   * Reads a number's {@code length} bytes from {@code at}, without a buffer: a queue's or a pool's
   * commonest items.
   */
  private static Object number(byte tag, byte[] data, int at, int length)
      throws StreamCorruptedException {
    int size = tag == INTEGER ? Integer.BYTES : Long.BYTES;
    if (length < size) {
      throw cutShort(tag);
    } else if (length > size) {
      throw bytesAfter(length - size, tag);
    } else if (tag == INTEGER) {
      return BigEndian.intAt(data, at);
    }
    long bits = BigEndian.longAt(data, at);
    return tag == LONG ? (Object) bits : (Object) Double.longBitsToDouble(bits);
  }

  private static StreamCorruptedException cutShort(byte tag) {
    return new StreamCorruptedException("a compact value of tag " + tag + " is cut short");
  }

  private static StreamCorruptedException bytesAfter(int bytes, byte tag) {
    return new StreamCorruptedException(bytes + " bytes after a compact value of tag " + tag);
  }

  /** How many elements of {@code size} bytes an array's form of {@code length} bytes holds. */
  private static int elements(byte tag, int length, int size) throws StreamCorruptedException {
    if ((length - 1) % size != 0) {
      throw new StreamCorruptedException(
          "an array of tag " + tag + " whose " + (length - 1) + " bytes are not whole elements");
    }
    return (length - 1) / size;
  }
}
