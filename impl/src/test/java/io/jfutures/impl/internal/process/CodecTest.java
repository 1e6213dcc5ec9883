package io.jfutures.impl.internal.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.impl.internal.Calls;
import io.jfutures.impl.internal.CompactValues;
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
    final ClassFilter senderFilter = new ClassFilter("");
    final Codec.ClassTable table = new Codec.ClassTable(senderFilter);
    final ClassFilter receiverFilter;
    final Codec.ClassIndex index;
    final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    final Frames.Writer writer = new Frames.Writer(wire, table);

    Link(boolean receiverLearns, String receiverPatterns) {
      receiverFilter = new ClassFilter(receiverPatterns);
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

    /** Sends {@code value} as a task or result is sent; returns the frame read. */
    Frames.Frame sendMessage(Object value, boolean copyArrays) throws Exception {
      wire.reset();
      writer.write(Frames.TASK, 1, 0, table.encodeMessage(value, copyArrays));
      writer.flush();
      return new Frames.Reader(new ByteArrayInputStream(wire.toByteArray()), index).read();
    }
  }

  private static byte[] pattern(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (i * 31);
    }
    return bytes;
  }

  @Test
  void message_largeByteArraysTravelAsBlobs_smallOnesInTheStream() throws Exception {
    Link link = new Link(true, "");
    byte[] large = pattern(Codec.BLOB_MIN + 5);
    byte[] small = pattern(Codec.BLOB_MIN - 1);
    Object[] sent = {large, small, large, new Point(1, 2)};

    Frames.Frame frame = link.sendMessage(sent, false);

    assertEquals(1, frame.blobs().size(), "one blob for the large array, sent once");
    assertTrue(frame.payload().length < small.length + 1024, "the stream holds the small array");
    Object[] got = (Object[]) link.index.decode(frame);
    assertArrayEquals(large, (byte[]) got[0]);
    assertArrayEquals(small, (byte[]) got[1]);
    assertTrue(got[0] == got[2], "one array referred to twice is one array when read");
    assertEquals(new Point(1, 2), got[3]);
  }

  @Test
  void message_commonResultTypes_travelCompactly_andComeBackEqual() throws Exception {
    Link link = new Link(true, "");
    String longest = "\u0800".repeat(CompactValues.MAX_STRING_CHARS); // 3 UTF-8 bytes each
    List<Object> values =
        java.util.Arrays.asList(
            null,
            0,
            -1,
            Integer.MIN_VALUE,
            Integer.MAX_VALUE,
            Long.MIN_VALUE,
            Long.MAX_VALUE,
            -0.0d,
            Double.NaN,
            Double.NEGATIVE_INFINITY,
            true,
            false,
            "",
            "plain",
            "nul\u0000, \u00e9, \ud83d\ude00",
            longest);
    for (Object value : values) {
      Codec.Payload payload = link.table.encodeMessage(value, false);
      byte[] bytes = payload.toByteArray();
      assertTrue(CompactValues.isTag(bytes[0]), "compact: " + describe(value));
      Frames.Frame frame = link.sendMessage(value, false);
      assertEquals(value, link.index.decode(frame), describe(value));
    }
    assertEquals(5, link.table.encodeMessage(7, false).size(), "an Integer: tag and 4 bytes");
  }

  @Test
  void message_primitiveArraysBelowABlob_travelCompactly_largerByteArraysAsBlobs()
      throws Exception {
    Link link = new Link(true, "");
    List<Object> arrays =
        List.of(
            new byte[0],
            pattern(Codec.BLOB_MIN - 1),
            new int[] {1, -2, Integer.MAX_VALUE},
            new long[] {Long.MIN_VALUE, 0},
            new double[] {Double.NaN, -0.0d, 1.5},
            new long[Codec.BLOB_MIN / Long.BYTES - 1]);
    for (Object value : arrays) {
      byte[] bytes = link.table.encodeMessage(value, false).toByteArray();
      assertTrue(CompactValues.isTag(bytes[0]), "compact: " + value.getClass().getSimpleName());
      Object back = link.index.decode(link.sendMessage(value, false));
      assertEquals(value.getClass(), back.getClass());
      assertTrue(java.util.Objects.deepEquals(value, back), value.getClass().getSimpleName());
    }
    Frames.Frame large = link.sendMessage(pattern(Codec.BLOB_MIN), false);
    assertEquals(1, large.blobs().size(), "a blob, beside its stream");
    assertArrayEquals(pattern(Codec.BLOB_MIN), (byte[]) link.index.decode(large));
    assertFalse(
        CompactValues.isTag(link.table.encodeMessage(new short[] {1}, false).toByteArray()[0]),
        "a short[] by object stream");
  }

  @Test
  void message_aChunksResultsOfNumbers_travelAsAnArray_andComeBackAReadOnlyListInOrder()
      throws Exception {
    Link link = new Link(true, "");
    List<?> ints = Calls.chunk((Integer x) -> -x, List.of(1, 2, 3)).call();
    List<?> longs = Calls.chunk((Integer x) -> (long) x << 40, List.of(1, 2)).call();
    List<?> doubles = Calls.chunk((Integer x) -> x / 4.0, List.of(1, 2)).call();
    for (List<?> results : List.of(ints, longs, doubles)) {
      byte[] bytes = link.table.encodeMessage(results, false).toByteArray();
      assertEquals(Numbers.TAG, bytes[0], "numbers: " + results);
      List<?> got = (List<?>) link.index.decode(link.sendMessage(results, false));
      assertEquals(results, got);
      assertThrows(UnsupportedOperationException.class, () -> got.set(0, null));
      // read back and sent on (a result handed to a task): numbers again
      assertEquals(Numbers.TAG, link.table.encodeMessage(got, false).toByteArray()[0]);
    }
    assertEquals(1 + 1 + 3 * 4, link.table.encodeMessage(ints, false).size(), "tag, kind, 3 ints");
  }

  @Test
  void message_otherListsOfNumbers_goByObjectStream_andComeBackAsTheyWent() throws Exception {
    Link link = new Link(true, "");
    List<Integer> users = new ArrayList<>(List.of(1, 2, 3));
    List<?> strings = Calls.chunk((Integer x) -> "s" + x, List.of(1, 2)).call();
    List<?> empty = Calls.chunk((Integer x) -> x, List.<Integer>of()).call();
    for (List<?> list : List.of(users, strings, empty)) {
      assertTrue(link.table.encodeMessage(list, false).toByteArray()[0] >= 0x70, "" + list);
      List<?> got = (List<?>) link.index.decode(link.sendMessage(list, false));
      assertEquals(list, got);
    }
    @SuppressWarnings("unchecked")
    List<Integer> got = (List<Integer>) link.index.decode(link.sendMessage(users, false));
    got.set(0, 9); // a user's ArrayList is one again
    assertEquals(ArrayList.class, got.getClass());
  }

  @Test
  void numbers_cutShortOrOfAnUnknownKind_areACorruptStream() {
    Link link = new Link(true, "");
    for (byte[] bytes :
        List.of(
            new byte[] {Numbers.TAG},
            new byte[] {Numbers.TAG, 1, 0, 0, 0},
            new byte[] {Numbers.TAG, 9})) {
      assertThrows(StreamCorruptedException.class, () -> link.index.decode(bytes, 0, bytes.length));
    }
  }

  private static String describe(Object value) {
    String s = String.valueOf(value);
    return s.length() > 40 ? s.substring(0, 40) + "... (" + s.length() + " chars)" : s;
  }

  @Test
  void message_otherTypesAndLongStrings_stillGoByObjectStream() throws Exception {
    Link link = new Link(true, "");
    String tooLong = "\u0800".repeat(CompactValues.MAX_STRING_CHARS + 1);
    for (Object value : List.<Object>of((short) 3, 'c', 1.5f, List.of(1, 2), tooLong)) {
      byte[] bytes = link.table.encodeMessage(value, false).toByteArray();
      assertTrue(bytes[0] >= 0x70, "an object stream starts with a TC_ code: " + describe(value));
      assertEquals(value, link.index.decode(link.sendMessage(value, false)));
    }
  }

  /**
   * Arrays travel with serialVersionUID 0 in the class table, which neither side computes (a SHA-1
   * digest each, and the first starts the security providers); other classes with their own.
   */
  @Test
  void arrays_travelWithoutAComputedSerialVersionUid_othersWithTheirs() throws Exception {
    assertEquals(0, Codec.suid(java.io.ObjectStreamClass.lookup(Object[].class)));
    assertEquals(0, Codec.suid(java.io.ObjectStreamClass.lookup(Point[][].class)));
    assertEquals(
        java.io.ObjectStreamClass.lookup(java.util.ArrayList.class).getSerialVersionUID(),
        Codec.suid(java.io.ObjectStreamClass.lookup(java.util.ArrayList.class)));
    Link link = new Link(true, "");
    Object[] value = {new Point[] {new Point(1, 2)}, new int[] {3}, new java.util.ArrayList<>()};
    Object[] back = (Object[]) link.roundTrip(value);
    assertEquals(new Point(1, 2), ((Point[]) back[0])[0]);
    assertEquals(3, ((int[]) back[1])[0]);
    assertEquals(List.of(), back[2]);
    java.io.ObjectStreamClass read = Codec.ArrayDescriptors.of(Point[][].class.getName());
    assertEquals(Point[][].class.getName(), read.getName());
    assertEquals(0, read.getSerialVersionUID(), "stated, not computed");
  }

  @Test
  void compact_cutShortOrWithBytesAfter_isACorruptStream() {
    byte[] integer = {2, 0, 0, 0, 7};
    assertEquals(7, assertDoesNotThrowRead(integer, integer.length));
    StreamCorruptedException shortRead =
        assertThrows(StreamCorruptedException.class, () -> CompactValues.read(integer, 0, 3));
    assertTrue(shortRead.getMessage().contains("cut short"), shortRead.getMessage());
    byte[] longer = {2, 0, 0, 0, 7, 9};
    StreamCorruptedException extra =
        assertThrows(StreamCorruptedException.class, () -> CompactValues.read(longer, 0, 6));
    assertTrue(extra.getMessage().contains("1 bytes after"), extra.getMessage());
    byte[] string = {7, 0, 5, 'a'};
    assertThrows(StreamCorruptedException.class, () -> CompactValues.read(string, 0, 4));
  }

  private static Object assertDoesNotThrowRead(byte[] bytes, int length) {
    try {
      return CompactValues.read(bytes, 0, length);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void message_copyArrays_aTaskDoesNotSeeChangesMadeAfterItWasEncoded() throws Exception {
    Link link = new Link(true, "");
    byte[] large = pattern(Codec.BLOB_MIN);
    byte[] before = large.clone();
    Codec.Payload copied = link.table.encodeMessage(large, true);
    Codec.Payload shared = link.table.encodeMessage(large, false);
    large[0]++;
    assertArrayEquals(before, copied.blobs().get(0));
    assertTrue(shared.blobs().get(0) == large, "a result's array is sent as it is");
  }

  @Test
  void encode_keepsLargeArraysInTheStream() throws Exception {
    Link link = new Link(true, "");
    byte[] large = pattern(Codec.BLOB_MIN * 2);
    Codec.Payload payload = link.table.encode(large);
    assertEquals(List.of(), payload.blobs());
    assertArrayEquals(large, (byte[]) link.roundTrip(large));
  }

  @Test
  void blobRef_outOfRange_isACorruptStream_neverHandedOnAsItself() throws Exception {
    Link link = new Link(true, "");
    Frames.Frame frame = link.sendMessage(new Object[] {new Codec.BlobRef(0)}, false);
    StreamCorruptedException e =
        assertThrows(StreamCorruptedException.class, () -> link.index.decode(frame));
    assertTrue(e.getMessage().contains("blob 0 of a message with 0"), e.getMessage());
  }

  @Test
  void reader_blobLengthsBeyondTheFrame_isACorruptStream() throws Exception {
    Link link = new Link(true, "");
    link.sendMessage(pattern(Codec.BLOB_MIN), false);
    byte[] bytes = link.wire.toByteArray();
    // length(4) type(1) id(8) aux(8) defCount(4) defs... blobCount(4) blobLength(4): find the
    // blob length, which is the frame's last header int before the payload, and make it huge.
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
    int length = buffer.getInt(0);
    int blobLengthAt = 4 + length - Codec.BLOB_MIN - payloadSize(link) - 4;
    assertEquals(Codec.BLOB_MIN, buffer.getInt(blobLengthAt), "found the blob's length");
    buffer.putInt(blobLengthAt, Integer.MAX_VALUE);
    Frames.Reader reader = new Frames.Reader(new ByteArrayInputStream(bytes), link.index);
    assertThrows(StreamCorruptedException.class, reader::read);
  }

  @Test
  void reader_frameShorterThanItsHeader_isACorruptStream() throws Exception {
    // length(4) = 27, then a 29-byte header: type(1) id(8) aux(8) defCount(4) = 0,
    // functionCount(4) = 0, blobCount(4) = 0
    java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(4 + 29);
    frame.putInt(27).put(Frames.RESULT).putLong(1).putLong(0).putInt(0).putInt(0).putInt(0);
    Codec.ClassIndex index =
        new Codec.ClassIndex(CodecTest.class.getClassLoader(), new ClassFilter(""), true);
    Frames.Reader reader = new Frames.Reader(new ByteArrayInputStream(frame.array()), index);
    StreamCorruptedException e = assertThrows(StreamCorruptedException.class, reader::read);
    assertTrue(e.getMessage().contains("header is longer than its length 27"), e.getMessage());
  }

  /** The stream size of the last message {@code link} sent, read back from the wire. */
  private static int payloadSize(Link link) throws Exception {
    Codec.ClassIndex fresh =
        new Codec.ClassIndex(CodecTest.class.getClassLoader(), new ClassFilter(""), true);
    return new Frames.Reader(new ByteArrayInputStream(link.wire.toByteArray()), fresh)
        .read()
        .payload()
        .length;
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
    assertInstanceOf(ClassFilter.Rejected.class, cause);
    assertTrue(cause.getMessage().contains("com.google.common.collect."), cause.getMessage());
    assertTrue(
        cause.getMessage().contains("allowClasses(\"com.google.common.collect.*\")"),
        cause.getMessage());
  }

  /**
   * A pool's filter allows its tasks' packages: a lambda's result of a class of the lambda's own
   * package is read without {@code allowClasses}; before a task of that package, it is refused.
   */
  @Test
  void filter_allowsTheResultOfALambda_fromTheLambdasOwnPackage() throws Exception {
    ClassFilter poolFilter = new ClassFilter("");
    Codec.ClassTable poolTable = new Codec.ClassTable(poolFilter);
    Codec.ClassTable workerTable = new Codec.ClassTable(new ClassFilter(""));
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    Frames.Writer worker = new Frames.Writer(wire, workerTable);
    Object result = com.example.app.Totals.SUM_TO.apply(10);
    worker.write(Frames.RESULT, 1, 0, workerTable.encodeMessage(result, false));
    worker.flush();
    byte[] frames = wire.toByteArray();

    Codec.ClassIndex before = new Codec.ClassIndex(getClass().getClassLoader(), poolFilter, false);
    InvalidClassException refused =
        assertThrows(
            InvalidClassException.class,
            () ->
                before.decode(new Frames.Reader(new ByteArrayInputStream(frames), before).read()));
    assertTrue(refused.getCause().getMessage().contains("com.example.app"), refused.toString());

    poolTable.encodeTask(Calls.apply(com.example.app.Totals.SUM_TO, 10)); // a lambda, no stream
    Codec.ClassIndex after = new Codec.ClassIndex(getClass().getClassLoader(), poolFilter, false);
    assertEquals(
        result, after.decode(new Frames.Reader(new ByteArrayInputStream(frames), after).read()));
  }

  /** A serializable handler, as a manager's proxies have. */
  static final class Answers implements java.lang.reflect.InvocationHandler, java.io.Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] args) {
      return method.getName().equals("get") ? "answered" : null;
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void filter_allowsADynamicProxy_whoseInterfacesTheSenderSent() throws Exception {
    Object proxy =
        java.lang.reflect.Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {com.google.common.base.Supplier.class},
            new Answers());
    // Guava's package is neither java.base nor jfutures': only the sent interface makes it known.
    Object back = new Link(true, "").roundTrip(proxy);
    assertEquals("answered", ((com.google.common.base.Supplier<String>) back).get());
    InvalidClassException e =
        assertThrows(InvalidClassException.class, () -> new Link(false, "").roundTrip(proxy));
    assertTrue(
        e.getCause().getMessage().contains("com.google.common.base.Supplier"),
        e.getCause().getMessage());
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
    ClassFilter filter = new ClassFilter("");
    assertEquals(
        java.io.ObjectInputFilter.Status.ALLOWED, filter.checkInput(info(java.util.HashMap.class)));
    assertThrows(
        ClassFilter.Rejected.class,
        () -> filter.checkInput(info(com.google.common.collect.ImmutableList.class)));
  }

  @Test
  void reader_unknownClassId_isACorruptStream() {
    Codec.ClassIndex index =
        new Codec.ClassIndex(getClass().getClassLoader(), new ClassFilter(""), true);
    assertThrows(StreamCorruptedException.class, () -> index.descriptor(7));
  }

  private static java.io.ObjectInputFilter.FilterInfo info(Class<?> cl) {
    return new FunctionForms.Named(cl);
  }
}
