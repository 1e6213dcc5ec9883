package io.jfutures.impl.internal.process;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.Condition;

/**
 * A pool's tasks not yet sent to a worker, in order, and how many of them still wait: what
 * admission ({@code maxQueued}) and the start of workers count.
 *
 * <pre>
 * A task here: WAITING (task.queued, counted) -> taken by poll(), or drained by shutdownNow
 *              WAITING -> DONE WHILE WAITING (its future completed: cancelled, completed by hand):
 *                         no longer counted at once; its entry is passed over by poll() and
 *                         peek(), or compacted away once such entries outnumber the waiting ones
 * </pre>
 *
 * Invariants: {@code waiting} equals the number of entries whose task is {@code queued}; {@code
 * notFull} is signalled whenever {@code waiting} drops. Guarded by the pool's lock: every method is
 * called holding it.
 */
final class TaskQueue {
  private final ArrayDeque<Task> tasks = new ArrayDeque<>();
  private final Condition notFull;
  private int waiting;

  TaskQueue(Condition notFull) {
    this.notFull = notFull;
  }

  /** How many tasks wait to be sent. */
  int waiting() {
    return waiting;
  }

  /** Puts {@code task} at the tail, counted as waiting. */
  void add(Task task) {
    task.queued = true;
    waiting++;
    tasks.add(task);
  }

  /** Takes back the task just added by a submit that failed. */
  void removeLast(Task task) {
    tasks.removeLastOccurrence(task);
    if (task.queued) {
      task.queued = false;
      waiting--;
    }
  }

  /** Puts tasks that never started back at the head, in order. */
  void addFirst(List<Task> neverStarted) {
    for (int i = neverStarted.size() - 1; i >= 0; i--) {
      Task task = neverStarted.get(i);
      task.queued = true;
      waiting++;
      tasks.addFirst(task);
    }
  }

  /** Takes the next waiting task, or null, passing over those done while they waited. */
  Task poll() {
    Task task;
    while ((task = tasks.poll()) != null) {
      if (task.queued) {
        task.queued = false;
        waiting--;
        notFull.signal();
        return task;
      }
    }
    return null;
  }

  /** Returns the next waiting task without taking it, or null. */
  Task peek() {
    while (!tasks.isEmpty() && !tasks.peek().queued) {
      tasks.poll();
    }
    return tasks.peek();
  }

  /** Empties the queue into {@code into}; returns {@code into}. */
  List<Task> drainTo(List<Task> into) {
    for (Task task : tasks) {
      if (task.queued) {
        task.queued = false;
        into.add(task);
      }
    }
    tasks.clear();
    waiting = 0;
    notFull.signalAll();
    return into;
  }

  /**
   * {@code task}'s future completed while it waited: it no longer counts against {@code maxQueued}
   * nor asks for a worker. Its entry stays until a poll passes it, unless such entries pile up.
   */
  void doneWhileWaiting(Task task) {
    if (task.queued) {
      task.queued = false;
      waiting--;
      notFull.signal();
      int stale = tasks.size() - waiting;
      if (stale > 64 && stale > waiting) {
        tasks.removeIf(t -> !t.queued);
      }
    }
  }

  /** Drops the entries left once nothing waits: those done while they waited, at termination. */
  void clear() {
    tasks.clear();
  }
}
