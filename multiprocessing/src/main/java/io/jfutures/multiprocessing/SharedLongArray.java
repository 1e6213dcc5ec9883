package io.jfutures.multiprocessing;

import java.util.function.LongUnaryOperator;

/**
 * An array of {@code long}s in memory that processes share, as Python's {@code
 * multiprocessing.Array('q', ...)} without its lock, and with the atomic operations of {@link
 * java.util.concurrent.atomic.AtomicLongArray}: two processes that each add 1 a hundred thousand
 * times leave exactly 200,000, with no lock (Python's fault F19, where {@code +=} on a shared value
 * loses updates).
 *
 * <pre>{@code
 * SharedLongArray counts = SharedLongArray.create(10);      // all zero; this process owns it
 * new JvmProcess(() -> counts.incrementAndGet(3)).start().join();
 * counts.get(3);                                          // 1
 * counts.unlink();
 * }</pre>
 *
 * <p>A handle is serializable: a child that receives one attaches to the same memory. Every access
 * has volatile semantics, across processes as across threads. See {@link SharedMemory} for who owns
 * and removes the block. Thread-safe.
 */
public final class SharedLongArray extends SharedSlots {
  private static final long serialVersionUID = 1L;

  private SharedLongArray(int length, ProcessLock lock) {
    super('l', Long.BYTES, length, lock);
  }

  private SharedLongArray(String name, ProcessLock lock) {
    super(name, 'l', Long.BYTES, "longs", lock);
  }

  /**
   * Creates an array of {@code length} zeros; this process owns it.
   *
   * @param length the number of elements, 0 or more
   * @return a handle to the new array, in a new block
   * @throws IllegalArgumentException if {@code length} is negative or larger than a block holds
   */
  public static SharedLongArray create(int length) {
    return new SharedLongArray(length, null);
  }

  /**
   * Creates an array of {@code length} zeros guarded by {@code lock}, which {@link #getLock()}
   * returns: Python's {@code Array(typecode, length, lock=lock)}.
   *
   * @param length the number of elements, 0 or more
   * @param lock the lock that guards it
   * @return a handle to the new array, in a new block
   * @throws IllegalArgumentException if {@code length} is negative or larger than a block holds
   */
  public static SharedLongArray create(int length, ProcessLock lock) {
    return new SharedLongArray(length, java.util.Objects.requireNonNull(lock, "lock"));
  }

  /**
   * Creates an array holding {@code values}; this process owns it.
   *
   * @param values the elements to copy in
   * @return the new array, in a new block
   */
  public static SharedLongArray of(long... values) {
    SharedLongArray array = new SharedLongArray(values.length, null);
    for (int i = 0; i < values.length; i++) {
      array.set(i, values[i]);
    }
    return array;
  }

  /**
   * Attaches to the array named {@code name}, which another handle created.
   *
   * @param name the name of the array's block
   * @return a handle to it
   * @throws IllegalArgumentException if that block does not hold longs
   * @throws java.io.UncheckedIOException if there is no such block
   */
  public static SharedLongArray attach(String name) {
    return new SharedLongArray(name, null);
  }

  static SharedLongArray attach(String name, ProcessLock lock) {
    return new SharedLongArray(name, lock);
  }

  /**
   * Returns how many elements it holds.
   *
   * @return the number of elements
   */
  public int length() {
    return slots();
  }

  /**
   * Returns element {@code i}.
   *
   * @param i the index of the element
   * @return the element
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  public long get(int i) {
    return (long) LONGS.getVolatile(buffer, offset(i));
  }

  /**
   * Sets element {@code i} to {@code value}.
   *
   * @param i the index of the element
   * @param value the new value
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  public void set(int i, long value) {
    LONGS.setVolatile(buffer, offset(i), value);
  }

  /**
   * Sets element {@code i} to {@code value}; returns what it was.
   *
   * @param i the index of the element
   * @param value the new value
   * @return the previous value of the element
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  public long getAndSet(int i, long value) {
    return (long) LONGS.getAndSet(buffer, offset(i), value);
  }

  /**
   * Sets element {@code i} to {@code update} if it is {@code expect}; returns whether it was.
   *
   * @param i the index of the element
   * @param expect the value it is expected to hold
   * @param update the value to set if it holds {@code expect}
   * @return whether the value was set
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  public boolean compareAndSet(int i, long expect, long update) {
    return LONGS.compareAndSet(buffer, offset(i), expect, update);
  }

  /**
   * Adds {@code delta} to element {@code i}; returns what it was.
   *
   * @param i the index of the element
   * @param delta the amount to add
   * @return the previous value of the element
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  public long getAndAdd(int i, long delta) {
    return (long) LONGS.getAndAdd(buffer, offset(i), delta);
  }

  /**
   * Adds {@code delta} to element {@code i}; returns the sum.
   *
   * @param i the index of the element
   * @param delta the amount to add
   * @return the new value of the element
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  public long addAndGet(int i, long delta) {
    return getAndAdd(i, delta) + delta;
  }

  /**
   * Adds 1 to element {@code i}; returns the new value.
   *
   * @param i the index of the element
   * @return the new value of the element
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  public long incrementAndGet(int i) {
    return addAndGet(i, 1);
  }

  /**
   * Subtracts 1 from element {@code i}; returns the new value.
   *
   * @param i the index of the element
   * @return the new value of the element
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  public long decrementAndGet(int i) {
    return addAndGet(i, -1);
  }

  /**
   * Replaces element {@code i} with {@code f} of it, atomically (retrying if another thread or
   * process changed it meanwhile, so {@code f} may run more than once); returns the new value.
   *
   * @param i the index of the element
   * @param f the function of the current value that gives the new one; free of side effects, as it
   *     may run more than once
   * @return the new value of the element
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  public long updateAndGet(int i, LongUnaryOperator f) {
    int offset = offset(i);
    while (true) {
      long current = (long) LONGS.getVolatile(buffer, offset);
      long next = f.applyAsLong(current);
      if (LONGS.compareAndSet(buffer, offset, current, next)) {
        return next;
      }
    }
  }

  /**
   * Returns a view of the elements in the shared memory itself, for bulk reads and writes with no
   * copy (Python's {@code memoryview} of an {@code Array}): plain accesses, neither atomic nor
   * ordered with other processes' writes; use the lock, or the atomic methods, for those. Each call
   * returns a new view, with its own position and limit.
   *
   * @return a new view of the elements
   */
  public java.nio.LongBuffer asLongBuffer() {
    return elements().asLongBuffer();
  }

  /**
   * Returns a copy of the elements, each read atomically (the copy as a whole is not).
   *
   * @return a copy of the elements
   */
  public long[] toArray() {
    long[] copy = new long[length()];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = get(i);
    }
    return copy;
  }

  @Override
  public String toString() {
    return "SharedLongArray[" + name() + "]" + java.util.Arrays.toString(toArray());
  }
}
