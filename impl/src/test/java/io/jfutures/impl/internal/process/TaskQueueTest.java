package io.jfutures.impl.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.jfutures.impl.internal.TaskFuture;
import io.jfutures.impl.internal.TaskName;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pool's queue: order, the waiting count, and tasks done while they wait. */
final class TaskQueueTest {
  private final ReentrantLock lock = new ReentrantLock();
  private final TaskQueue queue = new TaskQueue(lock.newCondition());

  /** The pool calls every method of its queue holding its lock; so does each test. */
  @BeforeEach
  void lock() {
    lock.lock();
  }

  @AfterEach
  void unlock() {
    lock.unlock();
  }

  private static Task task(long id) {
    return new Task(null, id, new TaskFuture<>(id, TaskName.of("task " + id)), null, 0, null);
  }

  @Test
  void fifo_withAnExactWaitingCount() {
    Task a = task(1);
    Task b = task(2);
    queue.add(a);
    queue.add(b);
    assertEquals(2, queue.waiting());
    assertSame(a, queue.peek());
    assertSame(a, queue.poll());
    assertFalse(a.queued);
    assertSame(b, queue.poll());
    assertNull(queue.poll());
    assertEquals(0, queue.waiting());
  }

  @Test
  void aTaskDoneWhileWaiting_stopsCounting_andIsPassedOver() {
    Task a = task(1);
    Task b = task(2);
    queue.add(a);
    queue.add(b);
    queue.doneWhileWaiting(a);
    assertEquals(1, queue.waiting());
    assertSame(b, queue.peek(), "peek passes over it");
    assertSame(b, queue.poll());
    queue.doneWhileWaiting(a); // twice is nothing
    assertEquals(0, queue.waiting());
  }

  @Test
  void tasksPutBack_goToTheHeadInOrder_andDrainTakesOnlyWaitingOnes() {
    Task a = task(1);
    Task b = task(2);
    Task c = task(3);
    Task d = task(4);
    queue.add(c);
    queue.add(d);
    queue.addFirst(List.of(a, b));
    queue.doneWhileWaiting(d);
    assertEquals(3, queue.waiting());
    assertEquals(List.of(a, b, c), queue.drainTo(new ArrayList<>()));
    assertEquals(0, queue.waiting());
    assertNull(queue.poll());
  }

  @Test
  void removeLast_takesBackAFailedSubmit() {
    Task a = task(1);
    queue.add(a);
    queue.removeLast(a);
    assertEquals(0, queue.waiting());
    assertNull(queue.peek());
  }
}
