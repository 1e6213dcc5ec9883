package io.jfutures.multiprocessing;

import java.io.Serializable;
import java.util.function.DoubleUnaryOperator;

/**
 * An {@code double} in memory that processes share, as Python's {@code multiprocessing.Value('d')}
 * without its lock, with atomic updates: {@link #addAndGet} and {@link #updateAndGet} retry a
 * compare-and-set, so that no process's update is lost (Python's fault F19, where {@code v.value +=
 * 1.0} loses updates without {@code get_lock()}). {@link #compareAndSet} compares bit patterns.
 *
 * <pre>{@code
 * SharedDouble total = SharedDouble.create(0.0);      // this process owns it
 * JvmProcess child = new JvmProcess(() -> total.addAndGet(2.5)).start();
 * child.join();
 * total.get();                                        // 2.5
 * total.unlink();
 * }</pre>
 *
 * <p>A handle is serializable: a child that receives one attaches to the same memory. See {@link
 * SharedMemory} for who owns and removes the block. Thread-safe.
 */
public final class SharedDouble implements AutoCloseable, Serializable {
  private static final long serialVersionUID = 1L;

  /** The one-element array that holds the value. */
  private final SharedDoubleArray cell;

  private SharedDouble(SharedDoubleArray cell) {
    this.cell = cell;
  }

  /**
   * Creates a shared {@code double} holding {@code initial}; this process owns it.
   *
   * @param initial the value to start with
   * @return a handle to the new value, in a new block
   */
  public static SharedDouble create(double initial) {
    return new SharedDouble(SharedDoubleArray.of(initial));
  }

  /**
   * Creates a shared {@code double} holding {@code initial}, guarded by {@code lock}, which {@link
   * #getLock()} returns: Python's {@code Value(typecode, initial, lock=lock)}.
   *
   * @param initial the value to start with
   * @param lock the lock that guards it
   * @return a handle to the new value, in a new block
   */
  public static SharedDouble create(double initial, ProcessLock lock) {
    SharedDoubleArray cell = SharedDoubleArray.create(1, lock);
    cell.set(0, initial);
    return new SharedDouble(cell);
  }

  /**
   * Returns the lock made with it, for updates of several steps (the atomic operations need none):
   * Python's {@code get_lock()}.
   *
   * @return the lock it was made with
   * @throws IllegalStateException if it was made without one
   */
  public ProcessLock getLock() {
    return cell.getLock();
  }

  /**
   * Attaches to the shared {@code double} named {@code name}, which another handle created.
   *
   * @param name the name of the value's block
   * @return a handle to it
   * @throws IllegalArgumentException if that block does not hold one double
   * @throws java.io.UncheckedIOException if there is no such block
   */
  public static SharedDouble attach(String name) {
    return new SharedDouble(SharedSlots.single(SharedDoubleArray.attach(name), "double"));
  }

  /**
   * Returns the value.
   *
   * @return the value
   */
  public double get() {
    return cell.get(0);
  }

  /**
   * Sets the value.
   *
   * @param value the new value
   */
  public void set(double value) {
    cell.set(0, value);
  }

  /**
   * Sets the value; returns what it was.
   *
   * @param value the new value
   * @return the previous value
   */
  public double getAndSet(double value) {
    return cell.getAndSet(0, value);
  }

  /**
   * Sets the value to {@code update} if it is {@code expect}; returns whether it was.
   *
   * @param expect the value it is expected to hold
   * @param update the value to set if it holds {@code expect}
   * @return whether the value was set
   */
  public boolean compareAndSet(double expect, double update) {
    return cell.compareAndSet(0, expect, update);
  }

  /**
   * Adds {@code delta}; returns the sum.
   *
   * @param delta the amount to add
   * @return the new value
   */
  public double addAndGet(double delta) {
    return cell.addAndGet(0, delta);
  }

  /**
   * Replaces the value with {@code f} of it, atomically; returns the new value.
   *
   * @param f the function of the current value that gives the new one; free of side effects, as it
   *     may run more than once
   * @return the new value
   */
  public double updateAndGet(DoubleUnaryOperator f) {
    return cell.updateAndGet(0, f);
  }

  /**
   * Returns the name by which other processes attach to it.
   *
   * @return the block's name
   */
  public String name() {
    return cell.name();
  }

  /**
   * Returns the block that holds it.
   *
   * @return the block of shared memory
   */
  public SharedMemory memory() {
    return cell.memory();
  }

  /** Closes this handle; the value stays for the other handles. */
  @Override
  public void close() {
    cell.close();
  }

  /**
   * Removes its block's name. Only the process that created it may.
   *
   * @throws IllegalStateException if this handle attached to it
   */
  public void unlink() {
    cell.unlink();
  }

  @Override
  public String toString() {
    return "SharedDouble[" + name() + "]=" + get();
  }
}
