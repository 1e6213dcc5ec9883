package io.jfutures.impl.internal.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class CodecTest {
  record Point(int x, int y) implements Serializable {}

  enum Color {
    RED
  }

  /** A sender and a receiver joined by frames, as a pool and a worker are. */
  private static final class Link {
    final Codec.ClassFilter senderFilter = new Codec.ClassFilter("");
    final Codec.ClassTable table = new Codec.ClassTable(senderFilter);
    final Codec.ClassFilter receiverFilter;
    final Codec.ClassIndex index;
    final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    final Frames.Writer writer = new Frames.Writer(wire, table);

    Link(boolean receiverLearns, String receiverPatterns) {
      receiverFilter = new Codec.ClassFilter(receiverPatterns);
      index = new Codec.ClassIndex(getClass().getClassLoader(), receiverFilter, receiverLearns);
    }

    Object roundTrip(Object value) throws Exception {
      wire.reset();
      writer.write(Frames.TASK, 1, 0, table.encode(value));
      writer.flush();
      Frames.Frame frame =
          new Frames.Reader(new ByteArrayInputStream(wire.toByteArray()), index).read();
      return index.decode(frame.payload(), 0, frame.payload().length);
    }
  }

  @Test
  void roundTrip_variousTypes() throws Exception {
    Link link = new Link(true, "");
    Map<String, Object> map = new HashMap<>();
    map.put("p", new Point(1, 2));
    map.put("list", new ArrayList<>(List.of(1, "two", 3.0)));
    map.put("bytes", new byte[] {1, 2, 3});
    map.put("color", Color.RED);
    map.put("array", new Point[] {new Point(3, 4)});
    @SuppressWarnings("unchecked")
    Map<String, Object> back = (Map<String, Object>) link.roundTrip(map);
    assertEquals(new Point(1, 2), back.get("p"));
    assertEquals(List.of(1, "two", 3.0), back.get("list"));
    assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) back.get("bytes"));
    assertEquals(Color.RED, back.get("color"));
    assertEquals(new Point(3, 4), ((Point[]) back.get("array"))[0]);
  }

  @Test
  void roundTrip_largeArrays_crossManyPayloadChunksIntact() throws Exception {
    Link link = new Link(true, "");
    for (int size : new int[] {0, 255, 256, 257, 70_000, 3 * (1 << 20) + 17}) {
      byte[] data = new byte[size];
      for (int i = 0; i < size; i++) {
        data[i] = (byte) (i * 31 + size);
      }
      assertArrayEquals(data, (byte[]) link.roundTrip(data), "size " + size);
    }
  }

  @Test
  void payload_writeToAndToByteArray_giveTheBytesWrittenInOrder() throws Exception {
    Codec.Payload payload = new Codec.Payload();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    for (int i = 0; i < 5_000; i++) {
      byte[] piece = new byte[i % 700];
      java.util.Arrays.fill(piece, (byte) i);
      payload.write(piece, 0, piece.length);
      payload.write(i);
      expected.write(piece, 0, piece.length);
      expected.write(i);
    }
    assertEquals(expected.size(), payload.size());
    assertArrayEquals(expected.toByteArray(), payload.toByteArray());
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    payload.writeTo(written);
    payload.writeTo(written); // read-only: a task resent to a new worker sends the same bytes
    byte[] twice = written.toByteArray();
    assertArrayEquals(
        expected.toByteArray(), java.util.Arrays.copyOfRange(twice, 0, expected.size()));
    assertArrayEquals(
        expected.toByteArray(), java.util.Arrays.copyOfRange(twice, expected.size(), twice.length));
    assertThrows(IndexOutOfBoundsException.class, () -> payload.write(new byte[2], 1, 2));
  }

  @Test
  void classDescriptors_sentOncePerConnection() throws Exception {
    Link link = new Link(true, "");
    link.roundTrip(new Point(1, 2));
    int first = link.wire.size();
    link.roundTrip(new Point(3, 4));
    int second = link.wire.size();
    assertTrue(second < first, "second frame " + second + " bytes, first " + first);
    assertTrue(second < 64, "a known class costs a few bytes: " + second);
  }

  @Test
  void failedEncode_doesNotDesynchronizeTheTables() throws Exception {
    Link link = new Link(true, "");
    List<Object> bad = new ArrayList<>(List.of(new Point(1, 1), new Object()));
    assertThrows(IOException.class, () -> link.table.encode(bad));
    assertEquals(new Point(5, 6), link.roundTrip(new Point(5, 6)));
  }

  @Test
  void filter_rejectsUnknownPackagesNamingTheClass() throws Exception {
    Link link = new Link(false, "");
    // The receiver has not learned Guava's package: it never sent anything from it.
    InvalidClassException e =
        assertThrows(
            InvalidClassException.class,
            () -> link.roundTrip(com.google.common.collect.ImmutableList.of(1)));
    Throwable cause = e.getCause();
    assertInstanceOf(Codec.ClassRejectedException.class, cause);
    assertTrue(cause.getMessage().contains("com.google.common.collect."), cause.getMessage());
    assertTrue(
        cause.getMessage().contains("allowClasses(\"com.google.common.collect.*\")"),
        cause.getMessage());
  }

  @Test
  void filter_userPatternsWidenAndNarrow() throws Exception {
    Link widened = new Link(false, "com.google.common.collect.*");
    assertEquals(List.of(1), widened.roundTrip(com.google.common.collect.ImmutableList.of(1)));
    Link narrowed = new Link(true, "!" + Point.class.getName());
    InvalidClassException e =
        assertThrows(InvalidClassException.class, () -> narrowed.roundTrip(new Point(1, 2)));
    assertTrue(e.getCause().getMessage().contains("rejected by"), e.getCause().getMessage());
  }

  @Test
  void filter_javaBaseAllowedOtherModulesNot() {
    Codec.ClassFilter filter = new Codec.ClassFilter("");
    assertEquals(
        java.io.ObjectInputFilter.Status.ALLOWED, filter.checkInput(info(java.util.HashMap.class)));
    assertThrows(
        Codec.ClassRejectedException.class,
        () -> filter.checkInput(info(com.google.common.collect.ImmutableList.class)));
  }

  @Test
  void reader_unknownClassId_isACorruptStream() {
    Codec.ClassIndex index =
        new Codec.ClassIndex(getClass().getClassLoader(), new Codec.ClassFilter(""), true);
    assertThrows(StreamCorruptedException.class, () -> index.descriptor(7));
  }

  private static java.io.ObjectInputFilter.FilterInfo info(Class<?> cl) {
    return new java.io.ObjectInputFilter.FilterInfo() {
      @Override
      public Class<?> serialClass() {
        return cl;
      }

      @Override
      public long arrayLength() {
        return -1;
      }

      @Override
      public long depth() {
        return 1;
      }

      @Override
      public long references() {
        return 1;
      }

      @Override
      public long streamBytes() {
        return 1;
      }
    };
  }
}
