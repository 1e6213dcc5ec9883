package io.jfutures.multiprocessing.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How values become bytes, and how one too large for a message is refused. */
final class SerializedTest {
  private static final int LIMIT = 1 << 20;
  private static final int CHUNK = 1 << 10;

  /** A small object whose serialized form is {@code chunks} KiB: it writes them itself. */
  static final class Streamed implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int chunks;
    private final boolean swallow;
    transient int written;

    Streamed(int chunks, boolean swallow) {
      this.chunks = chunks;
      this.swallow = swallow;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
      out.defaultWriteObject();
      byte[] chunk = new byte[CHUNK];
      for (int i = 0; i < chunks; i++) {
        try {
          out.write(chunk);
          written++;
        } catch (IOException e) {
          if (!swallow) {
            throw e;
          }
        }
      }
    }
  }

  private static IllegalArgumentException refused(Streamed value) {
    return assertThrows(
        IllegalArgumentException.class, () -> Serialized.toBytes(value, "cannot send", LIMIT));
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void toBytes_pastTheLimit_failsAsItsCountPassesIt_namingClassLimitAndFix() {
    Streamed big = new Streamed(100 * LIMIT / CHUNK, false);
    IllegalArgumentException e = refused(big);
    String m = e.getMessage();
    assertTrue(m.startsWith("cannot send an instance of " + Streamed.class.getName()), m);
    assertTrue(m.contains("larger than 1048576 bytes (1 MiB)"), m);
    assertTrue(m.contains("nothing was sent"), m);
    assertTrue(m.contains("several smaller messages") && m.contains("sendBytes chunks"), m);
    // Stopped at the limit, not after a hundred times as much.
    assertTrue(big.written <= LIMIT / CHUNK, "wrote " + big.written + " KiB");
    assertInstanceOf(IOException.class, e.getCause());
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void toBytes_pastTheLimit_whenWriteObjectSwallowsTheFailure_isStillRefused() {
    Streamed big = new Streamed(2 * LIMIT / CHUNK, true);
    IllegalArgumentException e = refused(big);
    assertTrue(e.getMessage().contains("larger than 1048576 bytes (1 MiB)"), e.getMessage());
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void toBytes_justUnderTheLimit_goesThrough() throws IOException {
    // 8 KiB under: block-data headers take 5 bytes a KiB, the class descriptor a few hundred.
    Streamed fits = new Streamed(LIMIT / CHUNK - 8, false);
    byte[] bytes = Serialized.toBytes(fits, "cannot send", LIMIT);
    assertTrue(bytes.length > LIMIT - 8 * CHUNK && bytes.length <= LIMIT, "" + bytes.length);
    assertEquals(LIMIT / CHUNK - 8, fits.written);
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void toBytes_ofManyChunks_readsBackTheSameBytes() throws IOException {
    byte[] data = new byte[(40 << 20) + 12_345]; // past several chunk sizes, and their 16 MiB cap
    new Random(42).nextBytes(data);
    // In an Object[]: a byte array alone has a compact form, without an object stream.
    Object[] back =
        (Object[]) Serialized.fromBytes(Serialized.toBytes(new Object[] {data}, "cannot send"));
    assertArrayEquals(data, (byte[]) back[0]);
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void toBytes_ofTheCommonestValues_isCompact_andReadsBackEqual() throws IOException {
    byte[] data = new byte[1024];
    new Random(7).nextBytes(data);
    for (Object value : Arrays.asList(null, 42, -7L, 2.5d, true, "hello", "", new byte[0])) {
      byte[] bytes = Serialized.toBytes(value, "cannot send");
      assertTrue(Serialized.isCompact(bytes), "compact: " + value);
      assertEquals(value instanceof byte[] ? 1 : value, lengthOrValue(Serialized.fromBytes(bytes)));
    }
    byte[] form = Serialized.toBytes(data, "cannot send");
    assertEquals(data.length + 3, form.length, "0xACEE, a tag, then the array as it is");
    assertArrayEquals(data, (byte[]) Serialized.fromBytes(form));
    assertEquals(
        7, Serialized.toBytes(7, "cannot send").length, "an Integer: 0xACEE, tag, 4 bytes");
    // Raw bytes that happen to start with a tag are not read as a value.
    assertThrows(
        java.io.StreamCorruptedException.class,
        () -> Serialized.fromBytes(new byte[] {2, 0, 0, 0, 7}));
    // Others, as a List, still go by object stream: its header, 0xACED.
    assertEquals((byte) 0xAC, Serialized.toBytes(List.of(1), "cannot send")[0]);
  }

  /** An empty array's length plus one (arrays are not equal by value), or the value itself. */
  private static Object lengthOrValue(Object value) {
    return value instanceof byte[] b ? b.length + 1 : value;
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void toBytes_ofAByteArrayPastTheLimit_isRefusedBeforeItIsCopied() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Serialized.toBytes(new byte[LIMIT], "cannot send", LIMIT));
    assertTrue(e.getMessage().startsWith("cannot send an instance of [B"), e.getMessage());
    assertTrue(e.getMessage().contains("larger than 1048576 bytes (1 MiB)"), e.getMessage());
    assertEquals(LIMIT, Serialized.toBytes(new byte[LIMIT - 3], "cannot send", LIMIT).length);
    assertThrows(
        IllegalArgumentException.class,
        () -> Serialized.toBytes(new byte[LIMIT - 2], "cannot send", LIMIT));
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void toBytes_ofIntLongAndDoubleArrays_isCompact_andReadsBackEqual() throws IOException {
    long[] longs = {3, -1, Long.MAX_VALUE};
    byte[] form = Serialized.toBytes(longs, "cannot send");
    assertTrue(Serialized.isCompact(form));
    assertEquals(3 + 8 * 3, form.length, "0xACEE, a tag, then the elements");
    assertArrayEquals(longs, (long[]) Serialized.fromBytes(form));
    int[] ints = {1, 2};
    assertArrayEquals(ints, (int[]) Serialized.fromBytes(Serialized.toBytes(ints, "cannot send")));
    double[] doubles = {0.5, Double.NaN};
    assertArrayEquals(
        doubles, (double[]) Serialized.fromBytes(Serialized.toBytes(doubles, "cannot send")));
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void toBytes_ofALongArrayPastTheLimit_isRefusedBeforeItIsCopied() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Serialized.toBytes(new long[LIMIT / 8], "cannot send", LIMIT));
    assertTrue(e.getMessage().startsWith("cannot send an instance of [J"), e.getMessage());
    int fits = (LIMIT - 3) / 8;
    assertEquals(3 + 8 * fits, Serialized.toBytes(new long[fits], "cannot send", LIMIT).length);
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void toBytes_ofWhatCannotBeSerialized_namesTheClass() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Serialized.toBytes(new Object(), "cannot put"));
    assertTrue(e.getMessage().contains("java.lang.Object is not serializable"), e.getMessage());
  }
}
