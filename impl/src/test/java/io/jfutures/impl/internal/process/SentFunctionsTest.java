package io.jfutures.impl.internal.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.api.SerializableBiFunction;
import io.jfutures.api.SerializableCallable;
import io.jfutures.api.SerializableFunction;
import io.jfutures.impl.internal.Calls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
final class SentFunctionsTest {
  static final class NoFields implements SerializableFunction<Integer, Integer> {
    private static final long serialVersionUID = 1L;
    static int calls; // static: not state of an instance

    @Override
    public Integer apply(Integer x) {
      calls++;
      return x + 1;
    }
  }

  static final class WithField implements SerializableFunction<Integer, Integer> {
    private static final long serialVersionUID = 1L;
    private final int add = 1;

    @Override
    public Integer apply(Integer x) {
      return x + add;
    }
  }

  static final class WithTransientField implements SerializableFunction<Integer, Integer> {
    private static final long serialVersionUID = 1L;
    private transient int seen;

    @Override
    public Integer apply(Integer x) {
      return x + seen++;
    }
  }

  static final class WithReadResolve implements SerializableFunction<Integer, Integer> {
    private static final long serialVersionUID = 1L;

    @Override
    public Integer apply(Integer x) {
      return x;
    }

    private Object readResolve() throws ObjectStreamException {
      return this;
    }
  }

  /** Not serializable, with a constructor that a read of each subclass instance runs. */
  static class Counted {
    Counted() {}
  }

  static final class OverCounted extends Counted implements SerializableFunction<Integer, Integer> {
    private static final long serialVersionUID = 1L;

    @Override
    public Integer apply(Integer x) {
      return x;
    }
  }

  record Empty() implements SerializableFunction<Integer, Integer> {
    @Override
    public Integer apply(Integer x) {
      return x;
    }
  }

  enum Single implements SerializableFunction<Integer, Integer> {
    INSTANCE;

    @Override
    public Integer apply(Integer x) {
      return x;
    }
  }

  static final SerializableFunction<Integer, Integer> TWICE = x -> 2 * x;

  /** A sending table and the receiving side of one connection, joined by frames. */
  private static final class Connection {
    final Codec.ClassTable table;
    final Codec.ClassIndex index;
    final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    final Frames.Writer writer;

    Connection(Codec.ClassTable table, String receiverPatterns) {
      this.table = table;
      this.index =
          new Codec.ClassIndex(
              getClass().getClassLoader(), new ClassFilter(receiverPatterns), true);
      this.writer = new Frames.Writer(wire, table);
    }

    /** Sends {@code call} as a pool sends a task; returns the frame as the worker reads it. */
    Frames.Frame send(Callable<?> call) throws IOException {
      wire.reset();
      writer.write(Frames.TASK, 1, 0, table.encodeTask(call));
      writer.flush();
      return new Frames.Reader(new ByteArrayInputStream(wire.toByteArray()), index).read();
    }

    Callable<?> receive(Callable<?> call) throws Exception {
      return (Callable<?>) index.decode(send(call));
    }
  }

  private static Codec.ClassTable newTable() {
    return new Codec.ClassTable(new ClassFilter(""));
  }

  @Test
  void stateless_lambdasWithoutCapturesAndClassesWithoutFieldsOrHooks() {
    int captured = 3;
    SerializableFunction<Integer, Integer> nonCapturing = x -> x + 1;
    SerializableFunction<Integer, Integer> methodRef = Math::abs;
    SerializableFunction<Integer, Integer> capturing = x -> x + captured;
    SerializableFunction<Integer, Integer> anonymous =
        new SerializableFunction<>() {
          private static final long serialVersionUID = 1L;

          @Override
          public Integer apply(Integer x) {
            return x;
          }
        }; // an instance method's: holds this test

    assertTrue(SentFunctions.stateless(nonCapturing.getClass()), "non-capturing lambda");
    assertTrue(SentFunctions.stateless(methodRef.getClass()), "method reference");
    assertTrue(SentFunctions.stateless(NoFields.class), "no fields");
    assertFalse(SentFunctions.stateless(capturing.getClass()), "capturing lambda");
    assertFalse(SentFunctions.stateless(anonymous.getClass()), "holds its outer instance");
    assertFalse(SentFunctions.stateless(WithField.class), "a field");
    assertFalse(SentFunctions.stateless(WithTransientField.class), "a transient field");
    assertFalse(SentFunctions.stateless(WithReadResolve.class), "a serialization hook");
    assertFalse(SentFunctions.stateless(OverCounted.class), "a constructor runs at each read");
    assertFalse(SentFunctions.stateless(Empty.class), "a record");
    assertFalse(SentFunctions.stateless(Single.class), "an enum");
    assertFalse(SentFunctions.stateless(Runnable.class), "not serializable");
  }

  @Test
  void task_ofAStatelessFunction_isItsIdAndValue_andTheFunctionIsReadOncePerConnection()
      throws Exception {
    Connection connection = new Connection(newTable(), "");
    SerializableFunction<Integer, Integer> fn = TWICE;

    Frames.Frame first = connection.send(Calls.apply(fn, 20));
    Callable<?> firstTask = (Callable<?>) connection.index.decode(first);
    Frames.Frame second = connection.send(Calls.apply(fn, 21));
    Callable<?> secondTask = (Callable<?>) connection.index.decode(second);

    assertEquals(SentFunctions.TAG, first.payload()[0]);
    assertEquals(1 + 1 + 4 + 5, first.payload().length, "tag, shape, id, an Integer");
    assertTrue(
        connection.wire.size() < 64, "the second frame carries no definition: " + connection.wire);
    assertEquals(40, firstTask.call());
    assertEquals(42, secondTask.call());
    assertSame(
        Calls.parts(firstTask).function(),
        Calls.parts(secondTask).function(),
        "one instance for both tasks");
  }

  @Test
  void everyShape_comesBackAsItWent() throws Exception {
    Connection connection = new Connection(newTable(), "");
    SerializableCallable<String> call = () -> "called";
    Runnable run = (Runnable & Serializable) () -> NoFields.calls++;

    int before = NoFields.calls;
    assertEquals("called", connection.receive(call).call());
    assertEquals("done", connection.receive(Calls.run(run, "done")).call());
    assertEquals(8, connection.receive(Calls.apply(new NoFields(), 7)).call());
    assertEquals(Boolean.TRUE, connection.receive(Calls.apply(x -> x, true)).call());
    assertEquals(null, connection.receive(Calls.apply(x -> x, null)).call());
    assertEquals(before + 2, NoFields.calls);
    assertEquals(SentFunctions.TAG, connection.send(call).payload()[0]);
  }

  @Test
  void aSecondConnection_learnsTheFunctionWithItsFirstTask() throws Exception {
    Codec.ClassTable table = newTable();
    SerializableFunction<Integer, Integer> fn = TWICE;
    new Connection(table, "").receive(Calls.apply(fn, 1));

    Connection later = new Connection(table, "");
    assertEquals(10, later.receive(Calls.apply(fn, 5)).call());
  }

  @Test
  void stateOrAValueWithoutCompactForm_travelsWhole() throws Exception {
    Connection connection = new Connection(newTable(), "");
    List<Callable<?>> whole =
        List.of(
            Calls.apply(new WithField(), 1),
            Calls.apply(SIZE, List.of(1, 2)),
            Calls.chunk(x -> x, List.of("a", "b")),
            Calls.chunk(new WithField(), List.of(1, 2)),
            Calls.starChunk(JOIN, List.of(1, 2), List.of("a", "b")),
            Calls.starChunk(MUL_PLUS, List.of(1, 2), List.of(3, 4)));
    for (Callable<?> call : whole) {
      Frames.Frame frame = connection.send(call);
      assertTrue(frame.payload()[0] >= 0x70, "an object stream: " + call);
      ((Callable<?>) connection.index.decode(frame)).call();
    }
    assertEquals(0, connection.table.functions.size(), "nothing defined for them");
  }

  static final SerializableFunction<List<Integer>, Integer> SIZE = List::size;

  @Test
  void aChunkOfNumbers_isItsFunctionsIdAndAPrimitiveArray_andComesBackInOrder() throws Exception {
    Connection connection = new Connection(newTable(), "");
    Frames.Frame ints = connection.send(Calls.chunk(TWICE, List.of(1, 2, 3)));
    assertEquals(SentFunctions.TAG, ints.payload()[0]);
    assertEquals(1 + 1 + 4 + 1 + 3 * 4, ints.payload().length, "tag, shape, id, kind, 3 ints");
    assertEquals(List.of(2, 4, 6), ((Callable<?>) connection.index.decode(ints)).call());

    SerializableFunction<Long, Long> inc = x -> x + 1;
    assertEquals(
        List.of(Long.MIN_VALUE + 1, 1L),
        connection.receive(Calls.chunk(inc, List.of(Long.MIN_VALUE, 0L))).call());
    SerializableFunction<Double, Double> half = x -> x / 2;
    assertEquals(
        List.of(0.25, -1.5), connection.receive(Calls.chunk(half, List.of(0.5, -3.0))).call());
    assertEquals(List.of(), connection.receive(Calls.chunk(TWICE, List.of())).call());
  }

  static final SerializableBiFunction<Integer, Object, Long> MUL =
      (a, b) -> (long) a * ((Number) b).intValue();

  static final SerializableBiFunction<Integer, String, String> JOIN = (a, b) -> a + b;

  /** A function of pairs with state: travels whole. */
  static final class MulPlus implements SerializableBiFunction<Integer, Object, Long> {
    private static final long serialVersionUID = 1L;
    private final long plus = 1;

    @Override
    public Long apply(Integer a, Object b) {
      return (long) a * ((Number) b).intValue() + plus;
    }
  }

  static final SerializableBiFunction<Integer, Object, Long> MUL_PLUS = new MulPlus();

  @Test
  void aChunkOfPairsOfNumbers_isItsFunctionsIdAndTwoArrays_andComesBackInOrder() throws Exception {
    Connection connection = new Connection(newTable(), "");
    Frames.Frame ints = connection.send(Calls.starChunk(MUL, List.of(1, 2, 3), List.of(4, 5, 6)));
    assertEquals(SentFunctions.TAG, ints.payload()[0]);
    assertEquals(
        1 + 1 + 4 + 4 + 2 * (1 + 3 * 4),
        ints.payload().length,
        "tag, shape, id, the keys' length, kind and 3 ints twice");
    assertEquals(List.of(4L, 10L, 18L), ((Callable<?>) connection.index.decode(ints)).call());

    // keys and values of different kinds, and an empty chunk
    assertEquals(
        List.of(-6L, 0L),
        connection.receive(Calls.starChunk(MUL, List.of(-2, 0), List.of(3L, 1L << 40))).call());
    assertEquals(List.of(), connection.receive(Calls.starChunk(MUL, List.of(), List.of())).call());
    assertEquals(
        List.of(7L), connection.receive(Calls.starChunk(MUL_PLUS, List.of(2), List.of(3))).call());
  }

  @Test
  void corruptPairs_areACorruptStream() throws Exception {
    byte[] pair = Numbers.encodePair(new int[] {1, 2}, new long[] {3, 4}, 0);
    Object[] read = Numbers.decodePair(pair, 0, pair.length);
    assertArrayEquals(new int[] {1, 2}, (int[]) read[0]);
    assertArrayEquals(new long[] {3, 4}, (long[]) read[1]);

    byte[] uneven = Numbers.encodePair(new int[] {1, 2}, new int[] {3}, 0);
    byte[] keysTooLong = pair.clone();
    keysTooLong[3] = 100;
    for (byte[] bytes : List.of(uneven, keysTooLong, new byte[] {0, 0})) {
      assertThrows(
          StreamCorruptedException.class, () -> Numbers.decodePair(bytes, 0, bytes.length));
    }
  }

  @Test
  void corruptNumbers_areACorruptStream() throws Exception {
    byte[] ints = Numbers.encode(new int[] {7, 8}, 0);
    assertArrayEquals(new int[] {7, 8}, (int[]) Numbers.decode(ints, 0, ints.length));
    assertThrows(StreamCorruptedException.class, () -> Numbers.decode(ints, 0, ints.length - 1));
    assertThrows(StreamCorruptedException.class, () -> Numbers.decode(new byte[] {9, 0}, 0, 2));
    assertThrows(StreamCorruptedException.class, () -> Numbers.decode(new byte[0], 0, 0));
  }

  @Test
  void aFunctionTheReaderRefuses_failsEachOfItsTasks_andIsNotKept() throws Exception {
    Connection connection = new Connection(newTable(), "!" + NoFields.class.getName());

    assertEachRefused(
        connection, NoFields.class, Calls.apply(new NoFields(), 1), Calls.apply(new NoFields(), 2));
  }

  /** Sends both tasks, then checks that the reader refuses each, naming {@code refused}. */
  private static void assertEachRefused(
      Connection connection, Class<?> refused, Callable<?> first, Callable<?> second)
      throws IOException {
    List<Frames.Frame> frames = List.of(connection.send(first), connection.send(second));
    for (Frames.Frame frame : frames) {
      Exception e = assertThrows(Exception.class, () -> connection.index.decode(frame));
      assertTrue(WorkerMain.describe(e).contains(refused.getName()), e.toString());
    }
  }

  @Test
  void unknownIdsAndShapes_areACorruptStream() throws Exception {
    Connection connection = new Connection(newTable(), "");
    byte[] unknownId = {SentFunctions.TAG, 0, 0, 0, 0, 9};
    byte[] unknownShape = {SentFunctions.TAG, 7, 0, 0, 0, 0};
    byte[] cutShort = {SentFunctions.TAG, 0};

    for (byte[] bytes : List.of(unknownId, unknownShape, cutShort)) {
      assertThrows(
          StreamCorruptedException.class, () -> connection.index.decode(bytes, 0, bytes.length));
    }

    // A function named as a shape it is not: a Function sent, then named as a Callable.
    connection.receive(Calls.apply(TWICE, 1));
    byte[] wrongShape = {SentFunctions.TAG, (byte) Calls.Shape.CALL.ordinal(), 0, 0, 0, 0};
    StreamCorruptedException e =
        assertThrows(
            StreamCorruptedException.class,
            () -> ((Callable<?>) connection.index.decode(wrongShape, 0, wrongShape.length)).call());
    assertTrue(e.getMessage().contains("shape CALL"), e.getMessage());
  }

  @Test
  void definitionsOutOfOrder_areACorruptStream() {
    SentFunctions.Index index = new SentFunctions.Index();
    assertThrows(StreamCorruptedException.class, () -> index.define(1, new byte[0]));
  }

  @Test
  void distinctFunctions_getDistinctIds_sameClassTheSameId() throws Exception {
    Connection connection = new Connection(newTable(), "");
    connection.send(Calls.apply(new NoFields(), 1));
    connection.send(Calls.apply(new NoFields(), 2));
    connection.send(Calls.apply(TWICE, 3));
    assertEquals(2, connection.table.functions.size());
    assertNotSame(
        Calls.parts(connection.receive(Calls.apply(new NoFields(), 1))).function(),
        Calls.parts(connection.receive(Calls.apply(TWICE, 1))).function());
  }

  // ---- lambdas that capture values ----------------------------------------------------------

  /** A lambda capturing {@code k} and {@code name}, made by one call site for every task. */
  private static SerializableCallable<String> greeting(int k, String name) {
    return () -> name + k;
  }

  private static SerializableFunction<Integer, Long> times(long factor) {
    return x -> x * factor;
  }

  private static SerializableBiFunction<Integer, Object, Long> timesPlus(long plus) {
    return (a, b) -> (long) a * ((Number) b).intValue() + plus;
  }

  private static SerializableCallable<Object> holding(Object captured) {
    return () -> captured;
  }

  @Test
  void task_ofALambdaCapturingCompactValues_isItsIdAndTheValues_andTheLambdaIsMadeForEachTask()
      throws Exception {
    Connection connection = new Connection(newTable(), "");

    Frames.Frame first = connection.send(greeting(1, "a"));
    Frames.Frame second = connection.send(greeting(2, "bc"));
    Callable<?> firstTask = (Callable<?>) connection.index.decode(first);
    Callable<?> secondTask = (Callable<?>) connection.index.decode(second);

    assertEquals(SentFunctions.TAG, second.payload()[0]);
    assertEquals(
        1 + 1 + 4 + 1 + (4 + 5) + (4 + 1 + 2 + 2),
        second.payload().length,
        "tag, shape, id, COMPACT, an Integer and a String, each after its length");
    assertTrue(
        connection.wire.size() < 64, "the second frame carries no definition: " + connection.wire);
    assertEquals(1, connection.table.functions.size());
    assertEquals("a1", firstTask.call());
    assertEquals("bc2", secondTask.call());
    assertNotSame(firstTask, secondTask, "a lambda for each task's values");
  }

  @Test
  void capturingLambdas_ofEveryShape_comeBackWithTheirValues() throws Exception {
    Connection connection = new Connection(newTable(), "");
    long seven = 7;
    Runnable run = (Runnable & Serializable) () -> NoFields.calls += (int) seven;
    int before = NoFields.calls;

    assertEquals(21L, connection.receive(Calls.apply(times(3), 7)).call());
    assertEquals("done", connection.receive(Calls.run(run, "done")).call());
    assertEquals(before + 7, NoFields.calls);
    Frames.Frame chunk = connection.send(Calls.chunk(times(10), List.of(1, 2, 3)));
    assertEquals(SentFunctions.TAG, chunk.payload()[0], "a chunk of numbers, packed");
    assertEquals(List.of(10L, 20L, 30L), ((Callable<?>) connection.index.decode(chunk)).call());
    Frames.Frame pairs =
        connection.send(Calls.starChunk(timesPlus(1), List.of(1, 2), List.of(3, 4)));
    assertEquals(SentFunctions.TAG, pairs.payload()[0], "a chunk of pairs of numbers, packed");
    assertEquals(List.of(4L, 9L), ((Callable<?>) connection.index.decode(pairs)).call());
  }

  @Test
  void capturedValues_ofEveryCompactKind_comeBackAsTheyWent() throws Exception {
    Connection connection = new Connection(newTable(), "");
    for (Object value : java.util.Arrays.asList(null, "", "é∂", 1L << 40, -0.5, true, 3)) {
      Frames.Frame frame = connection.send(holding(value));
      assertEquals(SentFunctions.TAG, frame.payload()[0], String.valueOf(value));
      assertEquals(value, ((Callable<?>) connection.index.decode(frame)).call());
    }
    assertEquals(1, connection.table.functions.size(), "one call site, one function");
  }

  /** A value without a compact form, as a user's task captures one. */
  record Order(String item, int quantity, List<Integer> lines) implements Serializable {}

  private static SerializableCallable<Object> pair(Object a, Object b) {
    return () -> List.of(a, b);
  }

  @Test
  void capturedValuesWithoutCompactForm_travelInOneStream_byTheLambdasId() throws Exception {
    Connection connection = new Connection(newTable(), "");
    Order order = new Order("pen", 3, List.of(1, 2));
    Callable<?> whole = connection.receive(holding(order)); // defines the function
    Frames.Frame second = connection.send(holding(new Order("ink", 1, List.of())));
    Frames.Frame compact = connection.send(holding(5));
    Frames.Frame array = connection.send(holding(new short[] {1}));

    assertEquals(order, whole.call());
    assertEquals(SentFunctions.TAG, second.payload()[0]);
    assertEquals(SentFunctions.STREAM, second.payload()[6], "the captured values in a stream");
    assertTrue(
        connection.wire.size() < 120,
        "no definition, no lambda's names: " + connection.wire.size() + " bytes");
    assertEquals(
        new Order("ink", 1, List.of()), ((Callable<?>) connection.index.decode(second)).call());
    assertEquals(SentFunctions.COMPACT, compact.payload()[6], "the same lambda, compact values");
    assertEquals(5, ((Callable<?>) connection.index.decode(compact)).call());
    assertEquals(SentFunctions.STREAM, array.payload()[6]);
    assertArrayEquals(
        new short[] {1}, (short[]) ((Callable<?>) connection.index.decode(array)).call());
    assertEquals(1, connection.table.functions.size(), "one call site, one function");
  }

  @Test
  void valuesTheLambdaCapturedTwice_comeBackOneObject() throws Exception {
    Connection connection = new Connection(newTable(), "");
    List<Integer> shared = new java.util.ArrayList<>(List.of(1));
    int[] numbers = {1, 2};

    List<?> lists = (List<?>) connection.receive(pair(shared, shared)).call();
    List<?> arrays = (List<?>) connection.receive(pair(numbers, numbers)).call();
    List<?> two = (List<?>) connection.receive(pair(numbers, new int[] {1, 2})).call();

    assertEquals(shared, lists.get(0));
    assertSame(lists.get(0), lists.get(1), "one list, as the lambda had it");
    assertSame(arrays.get(0), arrays.get(1), "one array, as the lambda had it");
    assertNotSame(two.get(0), two.get(1));
    assertArrayEquals((int[]) two.get(0), (int[]) two.get(1));
  }

  @Test
  void aCapturedValueThatCannotBeSerialized_failsTheTaskAsAWholeTaskWould() {
    Connection connection = new Connection(newTable(), "");
    Object unserializable = new Object();

    java.io.NotSerializableException e =
        assertThrows(
            java.io.NotSerializableException.class,
            () -> connection.table.encodeTask(holding(unserializable)));
    assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
  }

  @Test
  void aCapturedValueWhoseClassTheReaderRefuses_failsThatTask_andNotTheNext() throws Exception {
    Connection connection = new Connection(newTable(), "!" + Order.class.getName());
    Frames.Frame refused = connection.send(holding(new Order("pen", 1, List.of())));
    Frames.Frame allowed = connection.send(holding("pen"));

    Exception e = assertThrows(Exception.class, () -> connection.index.decode(refused));
    assertTrue(WorkerMain.describe(e).contains(Order.class.getName()), e.toString());
    assertEquals("pen", ((Callable<?>) connection.index.decode(allowed)).call());
  }

  @Test
  void aLargeCapturedArray_travelsBesideTheStream() throws Exception {
    Connection connection = new Connection(newTable(), "");
    byte[] large = new byte[Codec.BLOB_MIN];
    large[7] = 7;

    Frames.Frame frame = connection.send(holding(large));
    large[7] = 8; // after the call: not in the task

    assertEquals(SentFunctions.STREAM, frame.payload()[6]);
    assertEquals(1, frame.blobs().size());
    byte[] back = (byte[]) ((Callable<?>) connection.index.decode(frame)).call();
    assertEquals(Codec.BLOB_MIN, back.length);
    assertEquals(7, back[7]);
  }

  @Test
  void aCapturedStreamCutShortOrOfAnUnknownForm_isACorruptStream() throws Exception {
    Connection connection = new Connection(newTable(), "");
    byte[] task = connection.send(holding(List.of(1, 2))).payload();
    assertEquals(
        List.of(1, 2), ((Callable<?>) connection.index.decode(task, 0, task.length)).call());

    for (int cut : new int[] {6, 8, 11}) {
      assertThrows(
          StreamCorruptedException.class,
          () -> connection.index.decode(task, 0, cut),
          "cut at " + cut);
    }
    byte[] unknown = task.clone();
    unknown[6] = 9;
    assertThrows(
        StreamCorruptedException.class, () -> connection.index.decode(unknown, 0, unknown.length));
    byte[] truncated = java.util.Arrays.copyOf(task, task.length - 3);
    assertThrows(IOException.class, () -> connection.index.decode(truncated, 0, truncated.length));
  }

  @Test
  void aCapturingLambdaWhoseClassTheReaderRefuses_failsEachOfItsTasks_namingTheClass()
      throws Exception {
    Connection connection = new Connection(newTable(), "!" + SentFunctionsTest.class.getName());

    assertEachRefused(connection, SentFunctionsTest.class, greeting(1, "a"), greeting(2, "b"));
  }

  @Test
  void capturedValuesCutShortOrOfTheWrongType_areRefused() throws Exception {
    Connection connection = new Connection(newTable(), "");
    byte[] task = connection.send(greeting(1, "a")).payload();
    connection.index.decode(task, 0, task.length); // defines the function

    for (int cut : new int[] {6, 8, 11, 14, 18, 23}) {
      assertThrows(
          StreamCorruptedException.class,
          () -> connection.index.decode(task, 0, cut),
          "cut at " + cut);
    }
    // Two Integers where the lambda captured a String and an int.
    byte[] wrongType = new byte[7 + 2 * (4 + 5)];
    System.arraycopy(task, 0, wrongType, 0, 7);
    java.nio.ByteBuffer.wrap(wrongType, 7, 18)
        .putInt(5)
        .put((byte) 2)
        .putInt(1)
        .putInt(5)
        .put((byte) 2)
        .putInt(1);
    java.io.InvalidClassException e =
        assertThrows(
            java.io.InvalidClassException.class,
            () -> connection.index.decode(wrongType, 0, wrongType.length));
    assertTrue(e.getMessage().contains(SentFunctionsTest.class.getName()), e.getMessage());
  }

  // ---- a lambda as a task's value, as Futures.supplyAsync sends its supplier -------------------

  static final SerializableFunction<io.jfutures.api.SerializableSupplier<?>, Object> GET =
      io.jfutures.api.SerializableSupplier::get;

  private static io.jfutures.api.SerializableSupplier<String> supplier(int k, String name) {
    return () -> name + k;
  }

  /** A supplier without state that is no lambda. */
  static final class Constant implements io.jfutures.api.SerializableSupplier<Object> {
    private static final long serialVersionUID = 1L;

    @Override
    public Object get() {
      return 1;
    }
  }

  private static io.jfutures.api.SerializableSupplier<Object> supplierOf(Object captured) {
    return () -> captured;
  }

  @Test
  void aLambdaAsTheValue_travelsAsItsIdAndCapturedValues_andIsMadeForEachTask() throws Exception {
    Connection connection = new Connection(newTable(), "");
    io.jfutures.api.SerializableSupplier<String> plain = () -> "plain";

    Frames.Frame first = connection.send(Calls.apply(GET, supplier(1, "a")));
    Frames.Frame second = connection.send(Calls.apply(GET, supplier(2, "b")));
    Frames.Frame third = connection.send(Calls.apply(GET, plain));

    assertEquals(SentFunctions.TAG, second.payload()[0]);
    assertEquals(
        1 + 1 + 4 + (1 + 4) + 1 + (4 + 4) + (4 + 5),
        second.payload().length,
        "tag, shape, id; the value's tag, id, COMPACT, a String and an Integer after their"
            + " lengths");
    assertEquals("a1", ((Callable<?>) connection.index.decode(first)).call());
    assertEquals("b2", ((Callable<?>) connection.index.decode(second)).call());
    assertEquals("plain", ((Callable<?>) connection.index.decode(third)).call());
    assertEquals(
        3, connection.table.functions.size(), "GET, the capturing supplier, the plain one");
  }

  @Test
  void aLambdaValueHoldingAValueWithoutCompactForm_sendsItInAStream() throws Exception {
    Connection connection = new Connection(newTable(), "");
    Frames.Frame frame = connection.send(Calls.apply(GET, supplierOf(List.of(1))));
    assertEquals(SentFunctions.TAG, frame.payload()[0]);
    assertEquals(SentFunctions.STREAM, frame.payload()[11], "after the value's tag and id");
    assertEquals(List.of(1), ((Callable<?>) connection.index.decode(frame)).call());
    byte[] large = new byte[Codec.BLOB_MIN];
    Frames.Frame withBlob = connection.send(Calls.apply(GET, supplierOf(large)));
    assertEquals(1, withBlob.blobs().size());
    assertEquals(
        Codec.BLOB_MIN, ((byte[]) ((Callable<?>) connection.index.decode(withBlob)).call()).length);
    Frames.Frame instance = connection.send(Calls.apply(GET, new Constant()));
    assertTrue(instance.payload()[0] >= 0x70, "only a lambda is sent as a function value");
  }

  @Test
  void aLambdaValueCutShortOrWithBytesAfter_isACorruptStream() throws Exception {
    Connection connection = new Connection(newTable(), "");
    byte[] task = connection.send(Calls.apply(GET, supplierOf(7))).payload();
    assertEquals(7, ((Callable<?>) connection.index.decode(task, 0, task.length)).call());
    for (int cut : new int[] {7, 10, 11, 12, 16}) {
      assertThrows(
          StreamCorruptedException.class,
          () -> connection.index.decode(task, 0, cut),
          "cut at " + cut);
    }
    byte[] longer = java.util.Arrays.copyOf(task, task.length + 1);
    assertThrows(
        StreamCorruptedException.class, () -> connection.index.decode(longer, 0, longer.length));
  }

  static final SerializableFunction<int[], Integer> SUM = a -> java.util.Arrays.stream(a).sum();

  @Test
  void smallPrimitiveArrays_capturedOrAsTheArgument_travelCompact_copiedAtTheCall()
      throws Exception {
    Connection connection = new Connection(newTable(), "");
    int[] numbers = {1, 2, 3};
    Frames.Frame captured = connection.send(holding(numbers));
    Frames.Frame argument = connection.send(Calls.apply(SUM, numbers));
    numbers[0] = 9; // after the call: not in the tasks

    assertEquals(SentFunctions.TAG, captured.payload()[0]);
    assertArrayEquals(
        new int[] {1, 2, 3}, (int[]) ((Callable<?>) connection.index.decode(captured)).call());
    assertEquals(SentFunctions.TAG, argument.payload()[0]);
    assertEquals(6, ((Callable<?>) connection.index.decode(argument)).call());
    assertArrayEquals(
        new double[] {0.5}, (double[]) connection.receive(holding(new double[] {0.5})).call());

    Frames.Frame large = connection.send(holding(new byte[Codec.BLOB_MIN]));
    assertEquals(SentFunctions.STREAM, large.payload()[6], "in a stream, the array beside it");
    assertEquals(1, large.blobs().size());
    assertEquals(
        Codec.BLOB_MIN, ((byte[]) ((Callable<?>) connection.index.decode(large)).call()).length);
  }
}
