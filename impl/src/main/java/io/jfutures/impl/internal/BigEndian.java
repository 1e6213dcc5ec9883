package io.jfutures.impl.internal;

/**
 * Ints and longs in a byte array, most significant byte first, by shifts. For the few fields every
 * message between JVMs carries (a frame's header, a compact number): a heap {@code ByteBuffer}'s
 * get or put is a chain of calls in a new JVM's interpreter and a copy of that chain per field in
 * its compiled code, and a byte array view {@code VarHandle} links method handles at a child's
 * first use. Stateless.
 */
public final class BigEndian {
  private BigEndian() {}

  /** Stores {@code v} at {@code b[at]} to {@code b[at + 3]}. */
  public static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  /** Stores {@code v} at {@code b[at]} to {@code b[at + 7]}. */
  public static void putLong(byte[] b, int at, long v) {
    putInt(b, at, (int) (v >>> 32));
    putInt(b, at + 4, (int) v);
  }

  /** Reads the int at {@code b[at]} to {@code b[at + 3]}. */
  public static int intAt(byte[] b, int at) {
    return (b[at] << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }

  /** Reads the long at {@code b[at]} to {@code b[at + 7]}. */
  public static long longAt(byte[] b, int at) {
    return ((long) intAt(b, at) << 32) | (intAt(b, at + 4) & 0xffffffffL);
  }
}
