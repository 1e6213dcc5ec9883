package io.jfutures.impl.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The future an executor returns for a task. It is a {@link CompletableFuture} whose {@link
 * #cancel} knows whether the task has started.
 *
 * <pre>
 * States (field state):
 *   NEW       the task waits in a queue; cancel(any) cancels it and it never runs
 *   RUNNING   the executor handed the task to a worker; cancel(false) returns false, and
 *             cancel(true) asks the executor's Canceller to stop it
 *   CANCELLED cancel() won the race against start(); terminal
 *
 * NEW -> RUNNING    start(), by the executor, only if the future is not already done
 * RUNNING -> NEW    unstart(), by the executor, for a task sent to a worker that died before it
 *                   started it: the task goes back to the queue
 * NEW -> CANCELLED  cancel()
 * </pre>
 *
 * A caller who completes this future by hand (complete, completeExceptionally) does not disturb the
 * executor: {@link #start(Canceller)} then returns false and the task is skipped, or the task's own
 * outcome arrives later and is dropped, since a CompletableFuture completes once. Dependent stages
 * are plain CompletableFutures, so cancelling one of them never reaches the task.
 *
 * <p>An executor may subclass it, to make its queue item and the future one object; the subclass
 * adds state of its own and overrides nothing.
 *
 * <p>This class is thread-safe.
 */
public class TaskFuture<T> extends CompletableFuture<T> {

  /** Stops a task that has started; supplied by the executor that runs it. */
  @FunctionalInterface
  public interface Canceller {
    /**
     * Tries to stop the running task of {@code future}; returns whether the future is now
     * cancelled. Called at most once per future, from the thread calling {@code cancel(true)}.
     */
    boolean cancelRunning(TaskFuture<?> future);
  }

  private static final int NEW = 0;
  private static final int RUNNING = 1;
  private static final int CANCELLED = 2;

  /** One per class rather than an AtomicInteger per future: a future is made for every task. */
  private static final AtomicIntegerFieldUpdater<TaskFuture<?>> STATE = stateUpdater();

  @SuppressWarnings({
    "rawtypes",
    "unchecked"
  }) // the updater of TaskFuture serves every TaskFuture<T>
  private static AtomicIntegerFieldUpdater<TaskFuture<?>> stateUpdater() {
    return (AtomicIntegerFieldUpdater)
        AtomicIntegerFieldUpdater.newUpdater(TaskFuture.class, "state");
  }

  private volatile int state; // NEW: not written here, a volatile write in a constructor is a fence
  private final long id;
  private final TaskName taskName;

  /**
   * Written by start() before its CAS to RUNNING, read by cancel() after it read RUNNING: the CAS
   * publishes it, so it needs no fence of its own (one fewer per task).
   */
  private Canceller canceller;

  /**
   * Creates the future of task number {@code id}, whose code {@code taskName} names; messages name
   * it by both. The description is built only when a message needs it, not on every submit.
   */
  public TaskFuture(long id, TaskName taskName) {
    this.id = id;
    this.taskName = taskName;
  }

  /**
   * Returns how messages name this future's task, as {@code task #12 (app.Main.lambda$main$0
   * (Main.java:42))}.
   */
  public String description() {
    return "task #" + id + " (" + taskName + ")";
  }

  /**
   * Marks the task as started. Returns false if the future was already cancelled or completed by
   * hand, in which case the task must not run.
   *
   * @param canceller what stops the task on {@code cancel(true)}, or null if nothing can
   */
  public boolean start(Canceller canceller) {
    this.canceller = canceller;
    return !isDone() && STATE.compareAndSet(this, NEW, RUNNING);
  }

  /**
   * Returns whether this future is done, or cancel() has won against start() and is completing it:
   * then the task must not run, although {@link #isDone()} may not say so yet.
   */
  public boolean isCancelledOrDone() {
    return state == CANCELLED || isDone();
  }

  /** Marks a started task as waiting again: it never ran, and will be started anew. */
  public void unstart() {
    STATE.compareAndSet(this, RUNNING, NEW);
  }

  /**
   * Cancels this future if its task has not started, in which case the task never runs. If the task
   * is running, {@code cancel(false)} returns false and leaves it alone, and {@code cancel(true)}
   * asks the executor to stop it (see the executor's documentation).
   */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    if (isDone()) {
      return isCancelled();
    }
    if (STATE.compareAndSet(this, NEW, CANCELLED)) {
      return super.cancel(mayInterruptIfRunning);
    }
    if (state == CANCELLED) {
      return super.cancel(mayInterruptIfRunning);
    }
    Canceller c = canceller;
    return mayInterruptIfRunning && c != null && c.cancelRunning(this);
  }

  /** Completes this future as cancelled on behalf of the executor, whatever its state. */
  public boolean forceCancel() {
    STATE.compareAndSet(this, NEW, CANCELLED);
    return super.cancel(false);
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }

  @Override
  public String toString() {
    return super.toString() + "[" + description() + "]";
  }
}
