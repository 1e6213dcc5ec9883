package io.jfutures.multiprocessing;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The layout the typed shared values share ({@link SharedIntArray}, {@link SharedLongArray}, {@link
 * SharedDoubleArray}, and the single values built on them): a {@link SharedMemory} block whose
 * first 16 bytes say what it holds (a magic number, the element kind, the length), then the
 * elements, in this machine's byte order, each aligned to its size, so that every access is one
 * atomic instruction on memory that all the processes map.
 *
 * <pre>
 * Layout: int MAGIC | int kind ('i', 'l' or 'd') | long length | elements from offset 16.
 * Invariant: the header is written once, by the creator, before the block's name is given to
 * anyone; an attacher checks it and refuses a block of another kind.
 * </pre>
 *
 * <p>Thread-safe.
 */
abstract class SharedSlots implements AutoCloseable, Serializable {
  private static final long serialVersionUID = 1L;
  private static final int MAGIC = 0x4A465341; // "JFSA"
  static final int DATA = 16;

  static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, order());
  static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, order());
  static final VarHandle DOUBLES = MethodHandles.byteBufferViewVarHandle(double[].class, order());

  final transient SharedMemory memory;
  final transient ByteBuffer buffer;
  private final transient ProcessLock lock; // null: created without one
  private final transient int length;
  private final transient int width;

  /**
   * Creates a block for {@code length} elements of {@code kind}, all zero, with its lock or none.
   */
  SharedSlots(char kind, int width, int length, ProcessLock lock) {
    if (length < 0 || length > (Integer.MAX_VALUE - DATA) / width) {
      throw new IllegalArgumentException(
          "a shared array's length must be 0 to "
              + (Integer.MAX_VALUE - DATA) / width
              + ", not "
              + length
              + "; for more, use several arrays or a SharedMemory block");
    }
    this.memory = SharedMemory.create(DATA + (long) length * width);
    this.buffer = memory.buffer().order(order());
    this.length = length;
    this.width = width;
    this.lock = lock;
    buffer.putInt(4, kind).putLong(8, length);
    INTS.setVolatile(buffer, 0, MAGIC); // last: an attacher that sees it sees the rest
  }

  /**
   * Attaches to the block named {@code name}, which must hold elements of {@code kind}, with the
   * lock that guards it or none.
   */
  SharedSlots(String name, char kind, int width, String type, ProcessLock lock) {
    SharedMemory attached = SharedMemory.attach(name);
    ByteBuffer b = attached.size() >= DATA ? attached.buffer().order(order()) : null;
    if (b == null
        || (int) INTS.getVolatile(b, 0) != MAGIC
        || b.getInt(4) != kind
        || b.getLong(8) != (attached.size() - DATA) / width) {
      attached.close();
      throw new IllegalArgumentException(
          "shared memory block " + name + " does not hold " + type + ": " + describe(b));
    }
    this.memory = attached;
    this.buffer = b;
    this.length = (int) b.getLong(8);
    this.width = width;
    this.lock = lock;
  }

  /**
   * Returns the name by which other processes attach to it.
   *
   * @return the block's name
   */
  public String name() {
    return memory.name();
  }

  /**
   * Returns the block that holds it.
   *
   * @return the block of shared memory
   */
  public SharedMemory memory() {
    return memory;
  }

  /**
   * Returns the lock made with it, for updates of several steps (the atomic operations need none):
   * Python's {@code get_lock()}.
   *
   * @return the lock it was made with
   * @throws IllegalStateException if it was made without one
   */
  public ProcessLock getLock() {
    if (lock == null) {
      throw new IllegalStateException(
          name()
              + " has no lock: it was made without one (its atomic operations need none), or"
              + " attached by name. For updates of several steps, make it with one, create(...,"
              + " new ProcessReentrantLock()), and pass the handle itself to other processes");
    }
    return lock;
  }

  /** Returns the lock made with it, or null. */
  ProcessLock lockOrNull() {
    return lock;
  }

  /**
   * Closes this handle; the values stay for the other handles. Closing twice does nothing. Reading
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

  /** Returns how many elements it holds. */
  int slots() {
    return length;
  }

  /** Returns {@code array} if it holds one element, as a single value's block does. */
  static <T extends SharedSlots> T single(T array, String type) {
    if (array.slots() != 1) {
      array.close();
      throw new IllegalArgumentException(
          "shared memory block "
              + array.name()
              + " holds an array of "
              + array.slots()
              + ", not one "
              + type
              + ": attach to it as an array");
    }
    return array;
  }

  /** Returns a view of the elements' bytes, in this machine's byte order. */
  final ByteBuffer elements() {
    return buffer.slice(DATA, buffer.capacity() - DATA).order(order());
  }

  /** Returns the byte offset of element {@code i}, checked. */
  final int offset(int i) {
    return DATA + Objects.checkIndex(i, length) * width;
  }

  private static ByteOrder order() {
    return ByteOrder.nativeOrder();
  }

  private static String describe(ByteBuffer b) {
    if (b == null || (int) INTS.getVolatile(b, 0) != MAGIC) {
      return "it is not a shared value or array (attach to it as a SharedMemory)";
    }
    char kind = (char) b.getInt(4);
    return "it holds "
        + b.getLong(8)
        + (kind == 'i' ? " int" : kind == 'l' ? " long" : kind == 'd' ? " double" : " unknown")
        + " element(s)";
  }

  /** Travels as its block's name and kind: the receiving process attaches. */
  Object writeReplace() {
    return new ByName(name(), getClass().getName(), lock);
  }

  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException("a shared value travels by name");
  }

  /** The serialized form of a handle: its block's name, its class and its lock. */
  private static final class ByName implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String name;
    private final String type;
    private final ProcessLock lock;

    ByName(String name, String type, ProcessLock lock) {
      this.name = name;
      this.type = type;
      this.lock = lock;
    }

    private Object readResolve() throws InvalidObjectException {
      try {
        switch (type) {
          case "io.jfutures.multiprocessing.SharedIntArray":
            return SharedIntArray.attach(name, lock);
          case "io.jfutures.multiprocessing.SharedLongArray":
            return SharedLongArray.attach(name, lock);
          case "io.jfutures.multiprocessing.SharedDoubleArray":
            return SharedDoubleArray.attach(name, lock);
          default:
            throw new InvalidObjectException("not a shared value type: " + type);
        }
      } catch (RuntimeException e) {
        InvalidObjectException failure =
            new InvalidObjectException("cannot attach to shared " + name + ": " + e.getMessage());
        failure.initCause(e);
        throw failure;
      }
    }
  }
}
