package io.jfutures.multiprocessing;

import io.jfutures.multiprocessing.internal.hub.HubRef;
import java.time.Duration;

/**
 * A {@link ProcessQueue} whose consumers say when they have finished each item, so that a producer
 * can wait for all of them: Python's {@code JoinableQueue}.
 *
 * <pre>{@code
 * JoinableProcessQueue<String> q = new JoinableProcessQueue<>();
 * for (int i = 0; i < 4; i++) {
 *   new JvmProcess(() -> { while (true) { handle(q.get()); q.taskDone(); } }).daemon(true).start();
 * }
 * items.forEach(q::add);
 * q.join();                          // every item handled
 * }</pre>
 *
 * <p>A consumer that dies between {@code get} and {@code taskDone} (F14) does not make {@link
 * #join()} hang: by default its unfinished items go back to the front of the queue for another
 * consumer; with {@code requeue} false they count as done, and as failed. {@code taskDone} marks
 * the oldest item that this process took and has not marked done.
 *
 * @param <E> the type of the items, which must be serializable
 */
public final class JoinableProcessQueue<E> extends ProcessQueue<E> {
  private static final long serialVersionUID = 1L;

  /** Creates an unbounded joinable queue that requeues a dead consumer's unfinished items. */
  public JoinableProcessQueue() {
    this(0, true);
  }

  /**
   * Creates a joinable queue.
   *
   * @param maxSize at most this many items, or 0 for unbounded
   * @param requeue what happens to the items a dead consumer took and never marked done: true, back
   *     to the front of the queue (at least once); false, counted done (at most once)
   */
  public JoinableProcessQueue(int maxSize, boolean requeue) {
    super(maxSize, true, requeue);
  }

  /** A handle to joinable queue {@code id} of {@code hub}, which a manager created there. */
  JoinableProcessQueue(HubRef hub, long id, int maxSize) {
    super(hub, id, maxSize);
  }

  /**
   * Marks the oldest item this process took and has not marked done, as done: Python's {@code
   * task_done()}.
   *
   * @throws IllegalStateException if this process has no such item, as Python's {@code ValueError}
   */
  public void taskDone() {
    backend().taskDone();
  }

  /**
   * Waits until every item put has been marked done: Python's {@code join()}.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void join() throws InterruptedException {
    backend().join(-1);
  }

  /**
   * Waits at most {@code timeout} until every item put has been marked done; returns whether.
   *
   * @param timeout how long to wait at most
   * @return whether every item put has been marked done
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean join(Duration timeout) throws InterruptedException {
    return backend().join(Math.max(0, timeout.toNanos()));
  }

  /**
   * Returns the number of items put and not yet marked done.
   *
   * @return the number of items put and not yet marked done
   */
  public long unfinished() {
    return backend().unfinished();
  }
}
