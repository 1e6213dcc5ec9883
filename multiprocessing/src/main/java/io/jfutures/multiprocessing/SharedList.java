package io.jfutures.multiprocessing;

import io.jfutures.multiprocessing.internal.hub.LockWords;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A fixed-length list of simple values in memory that processes share: Python's {@code
 * multiprocessing.shared_memory.ShareableList}, and a fixed-size {@link List} (as {@link
 * Arrays#asList}) for Java code. It holds {@code null}, {@link Boolean}, {@link Integer}, {@link
 * Long}, {@link Double}, {@link String} and {@code byte[]}; {@link #get} returns the type that was
 * stored.
 *
 * <pre>{@code
 * SharedList list = SharedList.create(List.of("howdy", 42, 3.5, true));  // this process owns it
 * new JvmProcess(() -> list.set(0, "hi")).start().join();     // a child writes; no copy
 * list.get(0);                                                 // "hi"
 * list.unlink();
 * }</pre>
 *
 * <p>As in Python, each element keeps the room it was created with: 8 bytes for a number, a boolean
 * or null, and the encoded length (at least 8, rounded up to 8) for a string or bytes; a later
 * value of any type may take its place if it fits. Unlike Python's, each {@code get} and {@code
 * set} is atomic across processes, and a process killed in the middle of a {@code set} leaves the
 * element as it was before: an element has two buffers, a writer fills the one nobody reads and
 * then switches them with one atomic write, and a reader that saw the switch happen under it reads
 * again.
 *
 * <p>A handle is serializable: a process that receives one attaches to the same memory. {@link
 * #attach(String)} attaches by name. See {@link SharedMemory} for who owns and removes the block.
 * Thread-safe.
 *
 * <pre>
 * Layout: int MAGIC | int length | int room[length] | padding to 8 | the elements, each:
 *   long state (switches &lt;&lt; 1 | which buffer is current) | long writer (a thread's token, 0: none)
 *   | two buffers, each: long (kind &lt;&lt; 32 | byte length) | room bytes.
 * Invariants: the header is written once, by the creator, before the name is given to anyone.
 * Only the thread whose token is in an element's writer word writes its spare buffer and its state;
 * a writer whose process is gone is replaced by the next (its half-written buffer was never
 * current). A reader's value is one whose state read the same before and after it was copied.
 * </pre>
 */
public final class SharedList extends AbstractList<Object>
    implements RandomAccess, AutoCloseable, Serializable {
  private static final long serialVersionUID = 1L;
  private static final int MAGIC = 0x4A46534C; // "JFSL"
  private static final VarHandle INTS =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
  private static final VarHandle LONGS =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final long PID = ProcessHandle.current().pid();

  // The kinds of value, as stored.
  private static final int NULL = 0;
  private static final int BOOLEAN = 1;
  private static final int INT = 2;
  private static final int LONG = 3;
  private static final int DOUBLE = 4;
  private static final int STRING = 5;
  private static final int BYTES = 6;

  /** What a writer spins through before it looks whether a writer in its way is still alive. */
  private static final int SPINS_BEFORE_LOOKING = 1 << 12;

  private final transient SharedMemory memory;
  private final transient ByteBuffer buffer;
  private final transient int[] offsets; // of each element's state word
  private final transient int[] rooms; // each element's buffer size

  private SharedList(SharedMemory memory, ByteBuffer buffer, int[] offsets, int[] rooms) {
    this.memory = memory;
    this.buffer = buffer;
    this.offsets = offsets;
    this.rooms = rooms;
  }

  /**
   * Creates a list holding {@code values}, with a new random name; this process owns it.
   *
   * @param values the list's elements, of the types above
   * @return a handle to the new list, which owns it
   * @throws IllegalArgumentException if a value is of another type than those above, or the whole
   *     is larger than 2 GiB
   */
  public static SharedList create(List<?> values) {
    return create(null, values);
  }

  /**
   * Creates a list named {@code name} holding {@code values}: Python's {@code ShareableList(values,
   * name=name)}; this process owns it.
   *
   * @param name the name of the list's block
   * @param values the list's elements, of the types above
   * @return a handle to the new list, which owns it
   * @throws IllegalArgumentException if a value is of another type than those above, the whole is
   *     larger than 2 GiB, or the name is not valid (see {@link SharedMemory#create(String, long)})
   * @throws java.io.UncheckedIOException if a block of that name exists
   */
  public static SharedList create(String name, List<?> values) {
    Objects.requireNonNull(values, "values");
    int n = values.size();
    byte[][] encoded = new byte[n][];
    int[] kinds = new int[n];
    int[] rooms = new int[n];
    long size = header(n);
    for (int i = 0; i < n; i++) {
      Object v = values.get(i);
      kinds[i] = kindOf(v, i);
      encoded[i] = encode(kinds[i], v);
      rooms[i] = Math.max(8, (encoded[i].length + 7) & ~7);
      size += slot(rooms[i]);
    }
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "a SharedList of these values takes "
              + size
              + " bytes, more than one block holds (2 GiB): use several, or a SharedMemory block");
    }
    SharedMemory memory =
        name == null ? SharedMemory.create(Math.max(size, 8)) : SharedMemory.create(name, size);
    ByteBuffer b = memory.buffer().order(ByteOrder.nativeOrder());
    b.putInt(4, n);
    for (int i = 0; i < n; i++) {
      b.putInt(8 + 4 * i, rooms[i]);
    }
    SharedList list = new SharedList(memory, b, offsets(n, rooms), rooms);
    for (int i = 0; i < n; i++) {
      list.write(list.offsets[i], rooms[i], 0, kinds[i], encoded[i]); // buffer 0 is current
    }
    INTS.setVolatile(b, 0, MAGIC); // last: an attacher that sees it sees the rest
    return list;
  }

  /**
   * Attaches to the list named {@code name}: Python's {@code ShareableList(name=name)}.
   *
   * @param name the name of the list's block
   * @return a handle to the list
   * @throws IllegalArgumentException if there is no such block, or it does not hold a SharedList
   */
  public static SharedList attach(String name) {
    SharedMemory memory = SharedMemory.attach(name);
    try {
      ByteBuffer b = memory.size() >= 8 ? memory.buffer().order(ByteOrder.nativeOrder()) : null;
      if (b == null || (int) INTS.getVolatile(b, 0) != MAGIC) {
        throw new IllegalArgumentException(
            "shared memory block " + name + " does not hold a SharedList");
      }
      int n = b.getInt(4);
      int[] rooms = new int[n];
      long size = header(n);
      for (int i = 0; i < n; i++) {
        rooms[i] = b.getInt(8 + 4 * i);
        size += slot(rooms[i]);
      }
      if (size > memory.size()) {
        throw new IllegalArgumentException(
            "shared memory block " + name + " is too short for the SharedList it says it holds");
      }
      return new SharedList(memory, b, offsets(n, rooms), rooms);
    } catch (RuntimeException e) {
      memory.close();
      throw e;
    }
  }

  private static long header(int n) {
    return (8 + 4L * n + 7) & ~7L;
  }

  /** An element's bytes: its state and writer words, and two buffers with their headers. */
  private static long slot(int room) {
    return 16 + 2 * (8 + (long) room);
  }

  private static int[] offsets(int n, int[] rooms) {
    int[] offsets = new int[n];
    long at = header(n);
    for (int i = 0; i < n; i++) {
      offsets[i] = (int) at;
      at += slot(rooms[i]);
    }
    return offsets;
  }

  /**
   * Returns the name by which other processes attach to it.
   *
   * @return the name of the list's block
   */
  public String name() {
    return memory.name();
  }

  /**
   * Returns the block that holds it: Python's {@code shm}.
   *
   * @return the block that holds the list
   */
  public SharedMemory memory() {
    return memory;
  }

  @Override
  public int size() {
    return offsets.length;
  }

  /**
   * Returns the room, in bytes, that element {@code index} has for a string or bytes.
   *
   * @param index the element's index
   * @return the element's room in bytes
   * @throws IndexOutOfBoundsException if {@code index} is out of range
   */
  public int room(int index) {
    return rooms[Objects.checkIndex(index, offsets.length)];
  }

  /** Returns element {@code index}, as it was at one moment: never half of two writes. */
  @Override
  public Object get(int index) {
    int at = offsets[Objects.checkIndex(index, offsets.length)];
    int room = rooms[index];
    while (true) {
      long state = (long) LONGS.getVolatile(buffer, at);
      int head = bufferAt(at, room, (int) (state & 1));
      long kindAndLength = buffer.getLong(head);
      int length = (int) kindAndLength;
      byte[] bytes = new byte[Math.max(0, Math.min(length, room))];
      buffer.get(head + 8, bytes);
      VarHandle.loadLoadFence(); // the copy above happens before the state is read again
      if ((long) LONGS.getVolatile(buffer, at) == state) {
        return decode((int) (kindAndLength >>> 32), bytes);
      }
      // A writer switched the buffers (twice) while this read: read again.
    }
  }

  /**
   * Sets element {@code index} to {@code value}; returns the value it had. Atomic across processes:
   * a process killed in the middle leaves the old value.
   *
   * @throws IllegalArgumentException if {@code value} is of another type than those above, or needs
   *     more room than the element has
   */
  @Override
  public Object set(int index, Object value) {
    int at = offsets[Objects.checkIndex(index, offsets.length)];
    int kind = kindOf(value, index);
    byte[] bytes = encode(kind, value);
    if (bytes.length > rooms[index]) {
      throw new IllegalArgumentException(
          "element "
              + index
              + " has room for "
              + rooms[index]
              + " bytes, and this "
              + value.getClass().getSimpleName()
              + " needs "
              + bytes.length
              + ": each element keeps the room it was created with, as in Python's"
              + " ShareableList. Create the list with a value at least that long there");
    }
    long token = LockWords.token(PID, Thread.currentThread());
    claim(at + 8, token);
    try {
      long state = (long) LONGS.getVolatile(buffer, at);
      int current = (int) (state & 1);
      Object old = read(at, rooms[index], current);
      write(at, rooms[index], 1 - current, kind, bytes);
      LONGS.setVolatile(buffer, at, (((state >>> 1) + 1) << 1) | (1 - current));
      return old;
    } finally {
      LONGS.setVolatile(buffer, at + 8, 0L);
    }
  }

  /**
   * Becomes element's writer: waits for a writer of a live process, and takes the place of one
   * whose process is gone (it died in the middle of a set, which left the value as it was).
   */
  private void claim(int writerWord, long token) {
    int spins = 0;
    while (true) {
      long w = (long) LONGS.getVolatile(buffer, writerWord);
      if (w == 0 && LONGS.compareAndSet(buffer, writerWord, 0L, token)) {
        return;
      }
      if (w != 0 && ++spins % SPINS_BEFORE_LOOKING == 0) {
        long process = LockWords.pid(w);
        if (process != PID
            && !LockWords.running(process)
            && LONGS.compareAndSet(buffer, writerWord, w, token)) {
          return;
        }
        Thread.yield();
      } else {
        Thread.onSpinWait();
      }
    }
  }

  private Object read(int at, int room, int which) {
    int head = bufferAt(at, room, which);
    long kindAndLength = buffer.getLong(head);
    byte[] bytes = new byte[(int) kindAndLength];
    buffer.get(head + 8, bytes);
    return decode((int) (kindAndLength >>> 32), bytes);
  }

  private void write(int at, int room, int which, int kind, byte[] bytes) {
    int head = bufferAt(at, room, which);
    buffer.put(head + 8, bytes);
    buffer.putLong(head, ((long) kind << 32) | bytes.length);
  }

  private static int bufferAt(int at, int room, int which) {
    return at + 16 + which * (8 + room);
  }

  private static int kindOf(Object v, int index) {
    if (v == null) {
      return NULL;
    } else if (v instanceof Boolean) {
      return BOOLEAN;
    } else if (v instanceof Integer) {
      return INT;
    } else if (v instanceof Long) {
      return LONG;
    } else if (v instanceof Double) {
      return DOUBLE;
    } else if (v instanceof String) {
      return STRING;
    } else if (v instanceof byte[]) {
      return BYTES;
    }
    throw new IllegalArgumentException(
        "element "
            + index
            + " is a "
            + v.getClass().getName()
            + ": a SharedList holds null, Boolean, Integer, Long, Double, String and byte[], as"
            + " Python's ShareableList holds None, bool, int, float, str and bytes. For other"
            + " types use a Manager's list");
  }

  private static byte[] encode(int kind, Object v) {
    switch (kind) {
      case NULL:
        return new byte[0];
      case BOOLEAN:
        return new byte[] {(byte) ((Boolean) v ? 1 : 0)};
      case INT:
        return ByteBuffer.allocate(4).putInt((Integer) v).array();
      case LONG:
        return ByteBuffer.allocate(8).putLong((Long) v).array();
      case DOUBLE:
        return ByteBuffer.allocate(8).putDouble((Double) v).array();
      case STRING:
        return ((String) v).getBytes(StandardCharsets.UTF_8);
      default:
        return ((byte[]) v).clone();
    }
  }

  private static Object decode(int kind, byte[] bytes) {
    switch (kind) {
      case NULL:
        return null;
      case BOOLEAN:
        return bytes[0] != 0;
      case INT:
        return ByteBuffer.wrap(bytes).getInt();
      case LONG:
        return ByteBuffer.wrap(bytes).getLong();
      case DOUBLE:
        return ByteBuffer.wrap(bytes).getDouble();
      case STRING:
        return new String(bytes, StandardCharsets.UTF_8);
      case BYTES:
        return bytes;
      default:
        throw new IllegalStateException("a SharedList element of unknown kind " + kind);
    }
  }

  /** Always: a SharedList's length is fixed, as Python's ShareableList's. */
  @Override
  public void add(int index, Object element) {
    throw fixed();
  }

  /** Always: a SharedList's length is fixed, as Python's ShareableList's. */
  @Override
  public Object remove(int index) {
    throw fixed();
  }

  private static UnsupportedOperationException fixed() {
    return new UnsupportedOperationException(
        "a SharedList's length is fixed, as Python's ShareableList's: set elements instead");
  }

  /**
   * Closes this handle; the list stays for the other handles. Closing twice does nothing. Reading
   * or writing through a closed handle still works (the memory is mapped until the handle is
   * unreachable): close marks that this process is done.
   */
  @Override
  public void close() {
    memory.close();
  }

  /**
   * Removes its block's name: no process can attach to it any more. Only the process that created
   * it may.
   *
   * @throws IllegalStateException if this handle attached to it
   */
  public void unlink() {
    memory.unlink();
  }

  /**
   * Travels as its block's name: the receiving process attaches.
   *
   * @return the handle's serialized form: its block's name
   */
  private Object writeReplace() {
    return new ByName(name());
  }

  /**
   * Refuses a handle read directly from a stream: a handle travels as its block's name.
   *
   * @param in the stream
   * @throws InvalidObjectException always
   */
  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException("a SharedList travels by name");
  }

  /** The serialized form of a handle: its block's name. */
  private static final class ByName implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String name;

    ByName(String name) {
      this.name = name;
    }

    private Object readResolve() throws InvalidObjectException {
      try {
        return attach(name);
      } catch (RuntimeException e) {
        InvalidObjectException failure =
            new InvalidObjectException("cannot attach to SharedList " + name + ": " + e);
        failure.initCause(e);
        throw failure;
      }
    }
  }
}
