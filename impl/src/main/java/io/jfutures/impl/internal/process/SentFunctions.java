package io.jfutures.impl.internal.process;

import io.jfutures.impl.internal.BigEndian;
import io.jfutures.impl.internal.Calls;
import io.jfutures.impl.internal.CompactValues;
import java.io.Externalizable;
import java.io.IOException;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Functions sent to each worker once instead of with every task: those that hold no state, and
 * lambdas whose captured values all have compact forms, whose values then travel with each task.
 *
 * <p>A small task is mostly its function: {@code submit(Demo::fib, 27)} serializes a lambda of
 * about 200 bytes (its class, method and signature by name) around an int, and the worker reads it
 * with a new {@code ObjectInputStream}, the lambda's {@code readResolve} and its bootstrap. In a
 * worker's first few hundred tasks, while that code is still interpreted, reading a lambda task
 * cost 170 µs of CPU and reading a function object with an {@code Integer} 110 µs, against a 0.5 ms
 * task. But a function with no state is the same function each time. So the pool gives it a small
 * id, sends its form to each worker once, before the first task that uses it (as the class table's
 * names travel: {@link Frames}), and the worker makes it once, when a task first needs it, and
 * keeps the instance; the form is its class's name or a lambda's parts where that makes the same
 * object as a stream would, without one ({@link FunctionForms}), else its serialized form. The task
 * itself is then its shape, the id and its value in compact form ({@link CompactValues}), read
 * without an object stream. A chunk of {@code map} over numbers is the same: the id and the chunk's
 * primitive array (W4, PL2: a chunk of 1,000 ints took the parent a new object stream and the
 * function's whole form each time, and the worker a lambda's read), and so is a chunk of {@code
 * starmap} over pairs of numbers, with two arrays (PL3). A task whose value has no compact form, or
 * whose function has state, travels whole, as before.
 *
 * <p>A lambda that captures values, {@code () -> fib(n)}, {@code x -> x * factor} or {@code () ->
 * score(order)}, is the same lambda each time but for those values ({@link LambdaCaptures}). Its
 * parts are sent once, as a stateless lambda's are, and each task carries its captured values
 * before its own value: in compact form if each has one, else all of them in one object stream
 * (which keeps an object they share one object); the worker makes the lambda from them with the
 * capturing class's {@code $deserializeLambda$}, as a stream would ({@link
 * FunctionForms.LambdaTemplate}). Whole, such a task cost a worker the {@code SerializedLambda}'s
 * nine strings and its {@code readResolve}'s reflective look-up each time, and, for numbers, a new
 * {@code ObjectInputStream}: a 1-worker pool ran 33-68k of them a second against 96-149k of a
 * stateless function's with an argument (issue 17, session 32). A lambda that is a task's value
 * travels the same way, after the task's function: {@code Futures.supplyAsync} submits a function
 * of its own with the user's supplier as the argument.
 *
 * <p>Stateless means: a non-capturing lambda or method reference (a lambda class with no fields),
 * or an instance of a serializable class that has no instance field, whose superclasses up to
 * {@code Object} are all serializable and have none either, and none of which has a serialization
 * hook ({@code writeObject}, {@code readObject}, {@code readObjectNoData}, {@code writeReplace},
 * {@code readResolve}); not a record, an enum, a proxy nor {@code Externalizable}. Two reads of
 * such an object give objects that differ only in identity, so one is as good as a fresh one.
 *
 * <pre>
 * form := byte TAG, byte shape (a Calls.Shape's ordinal), int functionId, captured, value
 * captured := nothing for a function without state; for a lambda that captured values (as many
 *             as its form says): byte COMPACT, then for each value int length, its compact form;
 *             or byte STREAM, int length, the values written one after the other in one object
 *             stream (as {@link Codec.ClassTable#encodeValues}: its large arrays are the frame's
 *             blobs)
 * value := the task's value in compact form, or a lambda's: byte TAG, int functionId, captured;
 *          nothing for Shape.CALL; for Shape.CHUNK numbers; for Shape.STAR_CHUNK pair
 * numbers := byte kind (1 int, 2 long, 3 double), then the elements, big-endian, to the end
 * pair := int keysLength, numbers (the keys, keysLength bytes), numbers (the values)
 * </pre>
 *
 * <p>Invariants: a function's id is its index in its {@link Table}, which only grows and holds at
 * most {@link #MAX_FUNCTIONS}; an {@link Index} learns them in id order, each before the first task
 * that names it. An instance is kept only once it was read successfully: a function that fails to
 * read fails each of its tasks the same way.
 */
final class SentFunctions {
  /** The first byte of a task in this form: neither a compact value's tag nor a stream's code. */
  static final byte TAG = 0x10;

  /** The most functions one pool sends this way; the rest travel whole with each task. */
  static final int MAX_FUNCTIONS = 1024;

  private static final int HEADER = 1 + 1 + 4;

  /** The captured part of a task whose values each have a compact form. */
  static final byte COMPACT = 0;

  /** The captured part of a task whose values travel in an object stream. */
  static final byte STREAM = 1;

  /** A captured part: its bytes, and the blobs its stream refers to, in index order. */
  private record Captured(byte[] form, List<byte[]> blobs) {}

  private static final Captured NO_CAPTURES = new Captured(new byte[0], List.of());

  /** The shapes by ordinal, made once: values() copies its array at each call. */
  private static final Calls.Shape[] SHAPES = Calls.Shape.values();

  private static final Set<String> HOOKS =
      Set.of("writeObject", "readObject", "readObjectNoData", "writeReplace", "readResolve");

  private static final ClassValue<Boolean> STATELESS =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
          return isStateless(type);
        }
      };

  private SentFunctions() {}

  /** Whether instances of {@code type} hold no state, as the class comment defines it. */
  static boolean stateless(Class<?> type) {
    return STATELESS.get(type);
  }

  private static boolean isStateless(Class<?> type) {
    if (!Serializable.class.isAssignableFrom(type)
        || Externalizable.class.isAssignableFrom(type)
        || type.isEnum()
        || type.isRecord()
        || type.isArray()
        || Proxy.isProxyClass(type)) {
      return false;
    }
    if (isLambda(type)) {
      // Its writeReplace gives a SerializedLambda made of its captured values: none here.
      return !hasInstanceFields(type);
    }
    for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
      // A superclass that is not serializable has its constructor run at each read.
      if (!Serializable.class.isAssignableFrom(c) || hasInstanceFields(c) || hasHook(c)) {
        return false;
      }
    }
    return true;
  }

  static boolean isLambda(Class<?> type) {
    return type.isSynthetic() && type.getName().contains("$$Lambda");
  }

  private static boolean hasInstanceFields(Class<?> c) {
    for (Field f : c.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasHook(Class<?> c) {
    for (Method m : c.getDeclaredMethods()) {
      if (!Modifier.isStatic(m.getModifiers()) && HOOKS.contains(m.getName())) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code first}, the first byte of a message, says it is a task in this form. */
  static boolean isTag(byte first) {
    return first == TAG;
  }

  /**
   * The writer's side: the stateless functions this pool has sent, by id, each with its serialized
   * form. Thread-safe; one per pool, as its {@link Codec.ClassTable}.
   */
  static final class Table {
    private final ConcurrentHashMap<Class<?>, Integer> ids = new ConcurrentHashMap<>();
    private final List<byte[]> forms = new ArrayList<>(); // guarded by "this"

    /** forms.size(), read without the lock by every frame a writer sends. */
    private volatile int size;

    /**
     * Returns {@code call} in this form, or null if it cannot take it: its function holds state,
     * its value has no compact form, or the table is full.
     *
     * @param classes the table that names the classes of the function's form
     */
    Codec.Payload encode(Callable<?> call, Codec.ClassTable classes) throws IOException {
      Calls.Parts parts = Calls.parts(call);
      Calls.Shape shape = parts.shape();
      Object value = parts.value();
      Object function = parts.function();
      Captured captured = capturedOf(function, classes);
      if (captured == null) {
        return null;
      }
      byte[] numbers = null;
      Captured valueForm = null;
      int before = HEADER + captured.form().length;
      if (shape == Calls.Shape.CHUNK || shape == Calls.Shape.STAR_CHUNK) {
        // Packed here only for a function that can have an id; any other chunk is packed as it
        // travels whole.
        numbers = numbers(shape, value, before);
        if (numbers == null) {
          return null;
        }
      } else if (shape != Calls.Shape.CALL && !Codec.compact(value)) {
        if (!isLambda(value.getClass())) {
          return null;
        }
        // A lambda as the value, as Futures.supplyAsync passes its supplier: sent as a function.
        valueForm = lambdaValue(value, classes);
        if (valueForm == null || !valueForm.blobs().isEmpty() && !captured.blobs().isEmpty()) {
          return null; // both streams would number their blobs from 0: the task travels whole
        }
      }
      int id = idOf(function, classes, captured != NO_CAPTURES);
      if (id < 0) {
        return null;
      }
      if (numbers != null) {
        ByteBuffer.wrap(numbers)
            .put(TAG)
            .put((byte) shape.ordinal())
            .putInt(id)
            .put(captured.form());
        return withBlobs(Codec.Payload.of(numbers), captured);
      }
      Codec.Payload payload = new Codec.Payload(before + Long.BYTES + 1); // a number's form fits
      payload.write(TAG);
      payload.write(shape.ordinal());
      payload.write(id >>> 24);
      payload.write(id >>> 16);
      payload.write(id >>> 8);
      payload.write(id);
      payload.write(captured.form());
      if (valueForm != null) {
        payload.write(valueForm.form());
        withBlobs(payload, valueForm);
      } else if (shape != Calls.Shape.CALL && !CompactValues.write(value, payload)) {
        payload.write(CompactValues.toBytes(value)); // an array: a copy, as a stream's would be
      }
      return withBlobs(payload, captured);
    }

    /** Adds the blobs of {@code captured} to {@code payload}, which has none yet. */
    private static Codec.Payload withBlobs(Codec.Payload payload, Captured captured) {
      for (byte[] blob : captured.blobs()) {
        payload.addBlob(blob);
      }
      return payload;
    }

    /**
     * Returns the form of {@code lambda} as a task's value, TAG, its id and its captured values,
     * with the blobs of their stream; or null if it can have none.
     */
    private Captured lambdaValue(Object lambda, Codec.ClassTable classes) throws IOException {
      Captured captured = capturedOf(lambda, classes);
      if (captured == null) {
        return null;
      }
      int id = idOf(lambda, classes, captured != NO_CAPTURES);
      if (id < 0) {
        return null;
      }
      byte[] form =
          ByteBuffer.allocate(1 + Integer.BYTES + captured.form().length)
              .put(TAG)
              .putInt(id)
              .put(captured.form())
              .array();
      return new Captured(form, captured.blobs());
    }

    /**
     * The captured part of {@code function}'s form: none if it holds no state, else the values it
     * captured; null if it can have no id (it is not a serializable lambda, or a value it captured
     * cannot be serialized: the task then travels whole, and fails as a whole task would).
     */
    private static Captured capturedOf(Object function, Codec.ClassTable classes) {
      if (stateless(function.getClass())) {
        return NO_CAPTURES;
      }
      Object[] values = LambdaCaptures.of(function);
      if (values == null) {
        return null;
      }
      if (LambdaCaptures.allCompact(values)) {
        return new Captured(compactForms(values), List.of());
      }
      Codec.Payload stream;
      try {
        stream = classes.encodeValues(values);
      } catch (IOException | RuntimeException e) {
        return null;
      }
      byte[] form = stream.streamBytes(1 + Integer.BYTES);
      ByteBuffer.wrap(form).put(STREAM).putInt(stream.size());
      return new Captured(form, stream.blobs());
    }

    /** The captured part of a task whose values each have a compact form. */
    private static byte[] compactForms(Object[] values) {
      byte[][] forms = new byte[values.length][];
      int length = 1;
      for (int i = 0; i < values.length; i++) {
        forms[i] = CompactValues.toBytes(values[i]);
        length += Integer.BYTES + forms[i].length;
      }
      ByteBuffer out = ByteBuffer.allocate(length).put(COMPACT);
      for (byte[] form : forms) {
        out.putInt(form.length).put(form);
      }
      return out.array();
    }

    /**
     * Returns the form of a chunk's value ({@code Shape.CHUNK}'s items, {@code Shape.STAR_CHUNK}'s
     * keys and values) after room for the header, or null if it is not all numbers.
     */
    private static byte[] numbers(Calls.Shape shape, Object value, int before) {
      if (shape == Calls.Shape.CHUNK) {
        Object items = Calls.numbers((List<?>) value);
        return items == null ? null : Numbers.encode(items, before);
      }
      Object[] pairs = (Object[]) value;
      Object keys = Calls.numbers((List<?>) pairs[0]);
      Object values = keys == null ? null : Calls.numbers((List<?>) pairs[1]);
      return values == null ? null : Numbers.encodePair(keys, values, before);
    }

    /**
     * Returns the id of {@code function}, a stateless function or a lambda that {@code captures}
     * values, giving it one if it is new, or -1 if it cannot have one.
     */
    private int idOf(Object function, Codec.ClassTable classes, boolean captures)
        throws IOException {
      Class<?> type = function.getClass();
      Integer id = ids.get(type);
      if (id != null) {
        return id;
      }
      // Outside the lock; names its classes.
      byte[] form =
          captures
              ? FunctionForms.capturing(function, classes)
              : FunctionForms.of(function, classes);
      synchronized (this) {
        id = ids.get(type);
        if (id == null) {
          if (form == null) {
            ids.put(type, -1); // a lambda the reader could not make: each travels as a stream
            return -1;
          }
          if (forms.size() >= MAX_FUNCTIONS) {
            return -1;
          }
          id = forms.size();
          forms.add(form);
          size = forms.size();
          ids.put(type, id);
        }
        return id;
      }
    }

    int size() {
      return size;
    }

    /** Returns the forms of the functions with ids from {@code from} (inclusive) to {@code to}. */
    synchronized List<byte[]> range(int from, int to) {
      return List.copyOf(forms.subList(from, to));
    }
  }

  /**
   * The reader's side: the stateless functions the other side has sent, by id, each read once when
   * a task first needs it. Not thread-safe; one per connection, as its {@link Codec.ClassIndex}.
   */
  static final class Index {
    private final List<byte[]> forms = new ArrayList<>();
    private final List<Object> functions = new ArrayList<>();

    /** Learns the form of the function with id {@code id}, the next one. */
    void define(int id, byte[] form) throws StreamCorruptedException {
      if (id != forms.size()) {
        throw new StreamCorruptedException(
            "function id " + id + " out of order, expected " + forms.size());
      }
      forms.add(form);
      functions.add(null);
    }

    /**
     * Reads a task in this form from the {@code length} bytes from {@code offset}, with its frame's
     * {@code blobs}.
     */
    Callable<?> decode(
        byte[] data, int offset, int length, Codec.ClassIndex classes, List<byte[]> blobs)
        throws IOException, ClassNotFoundException {
      if (length < HEADER) {
        throw new StreamCorruptedException("a task of " + length + " bytes");
      }
      ByteBuffer in = ByteBuffer.wrap(data, offset, length);
      in.get(); // TAG
      int shapeIndex = in.get();
      int id = in.getInt();
      if (shapeIndex < 0 || shapeIndex >= SHAPES.length) {
        throw new StreamCorruptedException("unknown task shape " + shapeIndex);
      }
      Calls.Shape shape = SHAPES[shapeIndex];
      int[] at = {HEADER};
      Object function = made(id, data, offset, length, at, classes, blobs);
      Object value = null;
      if (shape == Calls.Shape.CHUNK) {
        value = Numbers.decode(data, offset + at[0], length - at[0]);
      } else if (shape == Calls.Shape.STAR_CHUNK) {
        value = Numbers.decodePair(data, offset + at[0], length - at[0]);
      } else if (shape != Calls.Shape.CALL && at[0] < length && isTag(data[offset + at[0]])) {
        if (length - at[0] < 1 + Integer.BYTES) {
          throw new StreamCorruptedException("a function value cut short");
        }
        int valueId = in.getInt(offset + at[0] + 1);
        at[0] += 1 + Integer.BYTES;
        value = made(valueId, data, offset, length, at, classes, blobs);
        if (at[0] != length) {
          throw new StreamCorruptedException((length - at[0]) + " bytes after a task");
        }
      } else if (shape != Calls.Shape.CALL) {
        value = CompactValues.read(data, offset + at[0], length - at[0]);
      } else if (length != at[0]) {
        throw new StreamCorruptedException((length - at[0]) + " bytes after a task");
      }
      try {
        return new Calls.Parts(shape, function, value).rebuild();
      } catch (ClassCastException e) {
        throw new StreamCorruptedException(
            "function " + id + " does not fit a task of shape " + shape + ": " + e.getMessage());
      }
    }

    /**
     * Returns the function {@code id}: its one instance, or, for a lambda that captured values, one
     * made with the values read from {@code at[0]}, which then moves past them.
     */
    private Object made(
        int id,
        byte[] data,
        int offset,
        int length,
        int[] at,
        Codec.ClassIndex classes,
        List<byte[]> blobs)
        throws IOException, ClassNotFoundException {
      Object function = function(id, classes);
      if (!(function instanceof FunctionForms.LambdaTemplate template)) {
        return function;
      }
      if (at[0] >= length) {
        throw new StreamCorruptedException("the captured values of function " + id + " cut short");
      }
      byte mode = data[offset + at[0]++];
      if (mode == STREAM) {
        int size = length - at[0] >= Integer.BYTES ? BigEndian.intAt(data, offset + at[0]) : -1;
        if (size < 0 || size > length - at[0] - Integer.BYTES) {
          throw new StreamCorruptedException(
              "the captured values of function " + id + " cut short");
        }
        Object[] captured =
            classes.decodeValues(
                data, offset + at[0] + Integer.BYTES, size, template.captures(), blobs);
        at[0] += Integer.BYTES + size;
        return template.make(captured);
      }
      if (mode != COMPACT) {
        throw new StreamCorruptedException(
            "unknown form " + mode + " of the captured values of function " + id);
      }
      Object[] captured = new Object[template.captures()];
      for (int i = 0; i < captured.length; i++) {
        int size = length - at[0] >= Integer.BYTES ? BigEndian.intAt(data, offset + at[0]) : -1;
        if (size < 0 || size > length - at[0] - Integer.BYTES) {
          throw new StreamCorruptedException(
              "captured value " + i + " of function " + id + " cut short");
        }
        captured[i] = CompactValues.read(data, offset + at[0] + Integer.BYTES, size);
        at[0] += Integer.BYTES + size;
      }
      return template.make(captured);
    }

    private Object function(int id, Codec.ClassIndex classes)
        throws IOException, ClassNotFoundException {
      if (id < 0 || id >= forms.size()) {
        throw new StreamCorruptedException("unknown function id " + id);
      }
      Object function = functions.get(id);
      if (function == null) {
        byte[] form = forms.get(id);
        function = FunctionForms.read(form, classes);
        if (function == null) {
          throw new StreamCorruptedException("function " + id + " read as null");
        }
        functions.set(id, function);
      }
      return function;
    }
  }
}
