package io.jfutures.multiprocessing;

import java.util.function.DoubleUnaryOperator;

/**
 * An array of {@code double}s in memory that processes share, as Python's {@code
 * multiprocessing.Array('d', ...)} without its lock, with atomic updates: {@link #addAndGet} and
 * {@link #updateAndGet} retry a compare-and-set, so that no process's update is lost. {@link
 * #compareAndSet} compares bit patterns, as Guava's {@code AtomicDouble} does ({@code 0.0} is not
 * {@code -0.0}; a {@code NaN} equals itself).
 *
 * <p>A handle is serializable: a child that receives one attaches to the same memory. Every access
 * has volatile semantics. See {@link SharedMemory} for who owns and removes the block. Thread-safe.
 */
public final class SharedDoubleArray extends SharedSlots {
  private static final long serialVersionUID = 1L;

  private SharedDoubleArray(int length, ProcessLock lock) {
    super('d', Double.BYTES, length, lock);
  }

  private SharedDoubleArray(String name, ProcessLock lock) {
    super(name, 'd', Double.BYTES, "doubles", lock);
  }

  /**
   * Creates an array of {@code length} zeros; this process owns it.
   *
   * @param length the number of elements, 0 or more
   * @return a handle to the new array, in a new block
   * @throws IllegalArgumentException if {@code length} is negative or larger than a block holds
   */
  public static SharedDoubleArray create(int length) {
    return new SharedDoubleArray(length, null);
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
  public static SharedDoubleArray create(int length, ProcessLock lock) {
    return new SharedDoubleArray(length, java.util.Objects.requireNonNull(lock, "lock"));
  }

  /**
   * Creates an array holding {@code values}; this process owns it.
   *
   * @param values the elements to copy in
   * @return the new array, in a new block
   */
  public static SharedDoubleArray of(double... values) {
    SharedDoubleArray array = new SharedDoubleArray(values.length, null);
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
   * @throws IllegalArgumentException if that block does not hold doubles
   * @throws java.io.UncheckedIOException if there is no such block
   */
  public static SharedDoubleArray attach(String name) {
    return new SharedDoubleArray(name, null);
  }

  static SharedDoubleArray attach(String name, ProcessLock lock) {
    return new SharedDoubleArray(name, lock);
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
  public double get(int i) {
    return (double) DOUBLES.getVolatile(buffer, offset(i));
  }

  /**
   * Sets element {@code i} to {@code value}.
   *
   * @param i the index of the element
   * @param value the new value
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  public void set(int i, double value) {
    DOUBLES.setVolatile(buffer, offset(i), value);
  }

  /**
   * Sets element {@code i} to {@code value}; returns what it was.
   *
   * @param i the index of the element
   * @param value the new value
   * @return the previous value of the element
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  public double getAndSet(int i, double value) {
    return (double) DOUBLES.getAndSet(buffer, offset(i), value);
  }

  /**
   * Sets element {@code i} to {@code update} if its bits are those of {@code expect}; returns
   * whether they were.
   *
   * @param i the index of the element
   * @param expect the value it is expected to hold
   * @param update the value to set if it holds {@code expect}
   * @return whether the value was set
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  public boolean compareAndSet(int i, double expect, double update) {
    return DOUBLES.compareAndSet(buffer, offset(i), expect, update);
  }

  /**
   * Adds {@code delta} to element {@code i}, atomically; returns the sum.
   *
   * @param i the index of the element
   * @param delta the amount to add
   * @return the new value of the element
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  public double addAndGet(int i, double delta) {
    return updateAndGet(i, x -> x + delta);
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
  public double updateAndGet(int i, DoubleUnaryOperator f) {
    int offset = offset(i);
    while (true) {
      double current = (double) DOUBLES.getVolatile(buffer, offset);
      double next = f.applyAsDouble(current);
      if (DOUBLES.compareAndSet(buffer, offset, current, next)) {
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
  public java.nio.DoubleBuffer asDoubleBuffer() {
    return elements().asDoubleBuffer();
  }

  /**
   * Returns a copy of the elements, each read atomically (the copy as a whole is not).
   *
   * @return a copy of the elements
   */
  public double[] toArray() {
    double[] copy = new double[length()];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = get(i);
    }
    return copy;
  }

  @Override
  public String toString() {
    return "SharedDoubleArray[" + name() + "]" + java.util.Arrays.toString(toArray());
  }
}
