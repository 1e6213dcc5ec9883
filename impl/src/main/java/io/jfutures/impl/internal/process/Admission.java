package io.jfutures.impl.internal.process;

import io.jfutures.api.BrokenProcessPoolException;
import io.jfutures.impl.internal.TaskFuture;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;

/**
 * Whether a task may enter a pool: the first steps of {@link ProcessPool#schedule}, each of which
 * refuses the task with a {@link RejectedExecutionException} that says why.
 *
 * <pre>
 * A submit:
 *   CHECKED     checkAccepting: the pool runs and is not broken (checked before serializing, then
 *               again under the lock)
 *   SERIALIZED  serialize: the task can travel to a child JVM, on the caller's thread
 *   ROOM        awaitRoom: fewer than maxQueued tasks wait; with blockWhenFull it waits on notFull,
 *               and checks the pool again each time it wakes
 *   -> admitted: the pool queues it, under the same hold of the lock as ROOM
 * Refused: broken (a copy of the pool's BrokenProcessPoolException, so that each caller gets its
 *   own stack), shut down (saying so if the JVM is exiting), not serializable (naming the class at
 *   fault and the fix), full without blockWhenFull, or interrupted while waiting (the interrupt is
 *   kept).
 * </pre>
 *
 * Invariants: guarded by the pool's lock; {@link #awaitRoom} is called holding it, {@link
 * #checkAccepting} with or without it (it reads the pool's volatile state), {@link #serialize}
 * without it. A submit waiting for room is woken whenever the waiting count drops ({@link
 * TaskQueue} signals {@code notFull}) and when the pool shuts down ({@link #wakeWaiting}), so it
 * never waits on a pool that will not take it. No state of its own: what the pool is, {@link
 * PoolState} says.
 */
final class Admission {
  /**
   * What admission reads of its pool's state: written holding the pool's lock, read with or without
   * it.
   */
  interface PoolState {
    /** The pool's breakage, or null if it is not broken. */
    BrokenProcessPoolException broken();

    /** Whether the pool runs: it is not shut down, broken or terminated. */
    boolean running();

    /** Whether the pool was shut down because the JVM is exiting. */
    boolean jvmExiting();
  }

  private final Condition notFull;
  private final TaskQueue queue;
  private final int maxQueued;
  private final boolean blockWhenFull;
  private final Codec.ClassTable table;
  private final PoolState pool;

  /**
   * Admits tasks to {@code queue}, which signals {@code notFull}, both guarded by the pool's lock,
   * as {@code maxQueued} (0 for no limit) and {@code blockWhenFull} say.
   */
  Admission(
      Condition notFull,
      TaskQueue queue,
      int maxQueued,
      boolean blockWhenFull,
      Codec.ClassTable table,
      PoolState pool) {
    this.notFull = notFull;
    this.queue = queue;
    this.maxQueued = maxQueued;
    this.blockWhenFull = blockWhenFull;
    this.table = table;
    this.pool = pool;
  }

  /**
   * Refuses {@code future}'s task if the pool is broken or does not run. Without the lock (the
   * pool's state is volatile), as a submit asks first, before it serializes the task; then again
   * holding the lock, which decides (a pool that stops running never runs again).
   */
  void checkAccepting(TaskFuture<?> future) {
    BrokenProcessPoolException broken = pool.broken();
    if (broken != null) {
      throw ProcessPool.copyOf(broken);
    }
    if (!pool.running()) {
      broken = pool.broken(); // set before the state leaves RUNNING: a breakage says why
      if (broken != null) {
        throw ProcessPool.copyOf(broken);
      }
      throw new RejectedExecutionException(
          "cannot submit "
              + future.description()
              + ": the process pool is shut down"
              + (pool.jvmExiting() ? ", as the JVM is exiting" : ""));
    }
  }

  /**
   * Serializes {@code call}, whose user task is {@code userTask}, or refuses it: the caller learns
   * at once, where a failed future might go unread (as {@code execute}'s). Called without the lock.
   */
  Codec.Payload serialize(Callable<?> call, Object userTask, TaskFuture<?> future) {
    try {
      if (!(userTask instanceof Serializable)) {
        throw new NotSerializableException(userTask.getClass().getName());
      }
      return table.encodeTask(call);
    } catch (IOException | RuntimeException | StackOverflowError e) {
      throw Refusals.cannotTravel(
          future, userTask, e, "a process pool sends each task to a child JVM");
    }
  }

  /** Applies maxQueued: waits for room or rejects. Holds lock. */
  void awaitRoom(TaskFuture<?> future) {
    int max = maxQueued;
    while (max > 0 && queue.waiting() >= max) {
      if (!blockWhenFull) {
        throw new RejectedExecutionException(
            "cannot submit "
                + future.description()
                + ": the queue is full ("
                + max
                + " tasks waiting, the pool's maxQueued)");
      }
      try {
        notFull.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RejectedExecutionException(
            "interrupted while waiting for room in the queue for " + future.description(), e);
      }
      checkAccepting(future);
    }
  }

  /** Wakes every submit waiting for room, to check the pool again: it shut down. Holds lock. */
  void wakeWaiting() {
    notFull.signalAll();
  }
}
