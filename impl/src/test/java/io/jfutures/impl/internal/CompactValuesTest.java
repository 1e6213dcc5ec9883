package io.jfutures.impl.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The compact forms: which values have one, and that each reads back as it was. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
final class CompactValuesTest {
  @Test
  void toBytes_ofAByteArray_isTheTagThenTheArray_andReadsBackACopy() throws IOException {
    byte[] data = {0, 1, -1, 8, 0x70, (byte) 0xAC};
    byte[] form = CompactValues.toBytes(data);
    assertEquals(data.length + 1, form.length);
    assertTrue(CompactValues.isTag(form[0]));
    assertArrayEquals(data, java.util.Arrays.copyOfRange(form, 1, form.length));
    byte[] back = (byte[]) CompactValues.read(form, 0, form.length);
    assertArrayEquals(data, back);
    form[1] = 99;
    assertEquals(0, back[0], "the value read does not share the form's bytes");
    assertArrayEquals(
        new byte[0], (byte[]) CompactValues.read(CompactValues.toBytes(new byte[0]), 0, 1));
  }

  @Test
  void toBytes_withRoomBefore_leavesThatManyBytesForTheCallersHeader() throws IOException {
    for (Object value : List.<Object>of(new byte[] {5, 6}, 7, "seven")) {
      byte[] plain = CompactValues.toBytes(value);
      byte[] roomy = CompactValues.toBytes(value, 3);
      assertArrayEquals(new byte[3], java.util.Arrays.copyOf(roomy, 3));
      assertArrayEquals(plain, java.util.Arrays.copyOfRange(roomy, 3, roomy.length));
      assertEquals(
          value instanceof byte[] ? 2 : value,
          lengthOrValue(CompactValues.read(roomy, 3, roomy.length - 3)));
    }
    assertNull(CompactValues.toBytes(List.of(), 3));
  }

  private static Object lengthOrValue(Object value) {
    return value instanceof byte[] b ? b.length : value;
  }

  @Test
  void toBytes_andWrite_giveTheSameFormForScalarsAndStrings() throws IOException {
    for (Object value : java.util.Arrays.asList(null, 7, -1L, 0.5d, false, true, "", "h\u00e9")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertTrue(CompactValues.write(value, out), String.valueOf(value));
      assertArrayEquals(out.toByteArray(), CompactValues.toBytes(value), String.valueOf(value));
      byte[] form = out.toByteArray();
      assertEquals(value, CompactValues.read(form, 0, form.length));
    }
  }

  @Test
  void numbers_atTheirExtremes_readBackAsWritten_andAFormCutShortOrTooLongIsCorrupt()
      throws IOException {
    for (Object value :
        List.of(
            Integer.MIN_VALUE,
            Integer.MAX_VALUE,
            -256,
            Long.MIN_VALUE,
            Long.MAX_VALUE,
            1L << 40,
            -0.0d,
            Double.NaN,
            Double.MIN_VALUE,
            -1.0e300)) {
      byte[] form = CompactValues.toBytes(value);
      assertEquals(value, CompactValues.read(form, 0, form.length), String.valueOf(value));
      byte[] behind = new byte[form.length + 3];
      System.arraycopy(form, 0, behind, 2, form.length);
      assertEquals(value, CompactValues.read(behind, 2, form.length), "at an offset: " + value);
      assertThrows(
          StreamCorruptedException.class,
          () -> CompactValues.read(form, 0, form.length - 1),
          "cut short: " + value);
      assertThrows(
          StreamCorruptedException.class,
          () -> CompactValues.read(behind, 2, form.length + 1),
          "a byte after: " + value);
    }
  }

  @Test
  void otherValues_haveNoCompactForm() throws IOException {
    String tooLong = "x".repeat(CompactValues.MAX_STRING_CHARS + 1);
    for (Object value :
        List.<Object>of(
            (short) 3, 'c', 1.5f, List.of(1), tooLong, new short[1], new float[1], new int[1][1])) {
      assertNull(CompactValues.toBytes(value), value.getClass().getName());
      assertFalse(CompactValues.write(value, new ByteArrayOutputStream()));
    }
    for (Object array : List.of(new byte[1], new int[1], new long[1], new double[1])) {
      assertFalse(CompactValues.write(array, new ByteArrayOutputStream()), "toBytes only");
    }
  }

  @Test
  void toBytes_ofIntLongAndDoubleArrays_isTheTagThenTheElements_andReadsBackEqualArrays()
      throws IOException {
    int[] ints = {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE};
    long[] longs = {0, -2, Long.MIN_VALUE, Long.MAX_VALUE};
    double[] doubles = {0.0, -0.0, 1.5, Double.NaN, Double.NEGATIVE_INFINITY, Double.MIN_VALUE};
    byte[] intForm = CompactValues.toBytes(ints);
    assertEquals(1 + 4 * ints.length, intForm.length);
    assertEquals(0, intForm[1 + 4], "big-endian elements: 1 is 0, 0, 0, 1");
    assertEquals(1, intForm[1 + 4 + 3], "big-endian elements: 1 is 0, 0, 0, 1");
    assertArrayEquals(ints, (int[]) CompactValues.read(intForm, 0, intForm.length));
    byte[] longForm = CompactValues.toBytes(longs, 2);
    assertEquals(2 + 1 + 8 * longs.length, longForm.length);
    assertArrayEquals(longs, (long[]) CompactValues.read(longForm, 2, longForm.length - 2));
    byte[] doubleForm = CompactValues.toBytes(doubles);
    assertArrayEquals(doubles, (double[]) CompactValues.read(doubleForm, 0, doubleForm.length));
    for (Object empty : List.of(new int[0], new long[0], new double[0])) {
      byte[] form = CompactValues.toBytes(empty);
      assertEquals(1, form.length);
      assertEquals(empty.getClass(), CompactValues.read(form, 0, 1).getClass());
    }
    assertTrue(CompactValues.isTag(intForm[0]));
    assertTrue(CompactValues.isTag(longForm[2]));
    assertTrue(CompactValues.isTag(doubleForm[0]));
  }

  @Test
  void arrayBytes_areTheElementsBytes_forArraysWithAForm() {
    assertEquals(3, CompactValues.arrayBytes(new byte[3]));
    assertEquals(12, CompactValues.arrayBytes(new int[3]));
    assertEquals(24, CompactValues.arrayBytes(new long[3]));
    assertEquals(24, CompactValues.arrayBytes(new double[3]));
    assertEquals(-1, CompactValues.arrayBytes(new float[3]));
    assertEquals(-1, CompactValues.arrayBytes(7));
  }

  @Test
  void read_ofAnArrayCutInsideAnElement_isACorruptStream() {
    byte[] form = CompactValues.toBytes(new long[] {1, 2});
    StreamCorruptedException e =
        assertThrows(
            StreamCorruptedException.class, () -> CompactValues.read(form, 0, form.length - 3));
    assertTrue(e.getMessage().contains("not whole elements"), e.getMessage());
  }

  @Test
  void objectStreams_neverStartWithATag() {
    assertFalse(CompactValues.isTag((byte) 0xAC), "a stream's header");
    for (int tc = 0x70; tc <= 0x7E; tc++) {
      assertFalse(CompactValues.isTag((byte) tc), "TC code " + tc);
    }
  }

  @Test
  void read_ofNothingOrAnUnknownTag_isACorruptStream() {
    assertThrows(StreamCorruptedException.class, () -> CompactValues.read(new byte[0], 0, 0));
    StreamCorruptedException e =
        assertThrows(
            StreamCorruptedException.class, () -> CompactValues.read(new byte[] {12}, 0, 1));
    assertTrue(e.getMessage().contains("unknown compact tag 12"), e.getMessage());
  }
}
