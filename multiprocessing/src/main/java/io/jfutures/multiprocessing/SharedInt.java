package io.jfutures.multiprocessing;

import java.io.Serializable;
import java.util.function.IntUnaryOperator;

/**
 * An {@code int} in memory that processes share, as Python's {@code multiprocessing.Value('i')}
 * without its lock, with the atomic operations of {@link
 * java.util.concurrent.atomic.AtomicInteger}: two processes that each call {@link #incrementAndGet}
 * a hundred thousand times leave exactly 200,000 (Python's fault F19, where {@code v.value += 1}
 * loses updates without {@code get_lock()}).
 *
 * <pre>{@code
 * SharedInt counter = SharedInt.create(0);            // this process owns it
 * JvmProcess child = new JvmProcess(() -> counter.incrementAndGet()).start();
 * child.join();
 * counter.get();                                      // 1
 * counter.unlink();
 * }</pre>
 *
 * <p>A handle is serializable: a child that receives one attaches to the same memory. See {@link
 * SharedMemory} for who owns and removes the block. Thread-safe.
 */
public final class SharedInt implements AutoCloseable, Serializable {
  private static final long serialVersionUID = 1L;

  /** The one-element array that holds the value. */
  private final SharedIntArray cell;

  private SharedInt(SharedIntArray cell) {
    this.cell = cell;
  }

  /**
   * Creates a shared {@code int} holding {@code initial}; this process owns it.
   *
   * @param initial the value to start with
   * @return a handle to the new value, in a new block
   */
  public static SharedInt create(int initial) {
    return new SharedInt(SharedIntArray.of(initial));
  }

  /**
   * Creates a shared {@code int} holding {@code initial}, guarded by {@code lock}, which {@link
   * #getLock()} returns: Python's {@code Value(typecode, initial, lock=lock)}.
   *
   * @param initial the value to start with
   * @param lock the lock that guards it
   * @return a handle to the new value, in a new block
   */
  public static SharedInt create(int initial, ProcessLock lock) {
    SharedIntArray cell = SharedIntArray.create(1, lock);
    cell.set(0, initial);
    return new SharedInt(cell);
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
   * Attaches to the shared {@code int} named {@code name}, which another handle created.
   *
   * @param name the name of the value's block
   * @return a handle to it
   * @throws IllegalArgumentException if that block does not hold one int
   * @throws java.io.UncheckedIOException if there is no such block
   */
  public static SharedInt attach(String name) {
    return new SharedInt(SharedSlots.single(SharedIntArray.attach(name), "int"));
  }

  /**
   * Returns the value.
   *
   * @return the value
   */
  public int get() {
    return cell.get(0);
  }

  /**
   * Sets the value.
   *
   * @param value the new value
   */
  public void set(int value) {
    cell.set(0, value);
  }

  /**
   * Sets the value; returns what it was.
   *
   * @param value the new value
   * @return the previous value
   */
  public int getAndSet(int value) {
    return cell.getAndSet(0, value);
  }

  /**
   * Sets the value to {@code update} if it is {@code expect}; returns whether it was.
   *
   * @param expect the value it is expected to hold
   * @param update the value to set if it holds {@code expect}
   * @return whether the value was set
   */
  public boolean compareAndSet(int expect, int update) {
    return cell.compareAndSet(0, expect, update);
  }

  /**
   * Adds {@code delta}; returns what the value was.
   *
   * @param delta the amount to add
   * @return the previous value
   */
  public int getAndAdd(int delta) {
    return cell.getAndAdd(0, delta);
  }

  /**
   * Adds {@code delta}; returns the sum.
   *
   * @param delta the amount to add
   * @return the new value
   */
  public int addAndGet(int delta) {
    return cell.addAndGet(0, delta);
  }

  /**
   * Adds 1; returns the new value.
   *
   * @return the new value
   */
  public int incrementAndGet() {
    return cell.incrementAndGet(0);
  }

  /**
   * Subtracts 1; returns the new value.
   *
   * @return the new value
   */
  public int decrementAndGet() {
    return cell.decrementAndGet(0);
  }

  /**
   * Replaces the value with {@code f} of it, atomically; returns the new value.
   *
   * @param f the function of the current value that gives the new one; free of side effects, as it
   *     may run more than once
   * @return the new value
   */
  public int updateAndGet(IntUnaryOperator f) {
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
    return "SharedInt[" + name() + "]=" + get();
  }
}
