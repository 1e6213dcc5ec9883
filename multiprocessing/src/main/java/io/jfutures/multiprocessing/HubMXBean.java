package io.jfutures.multiprocessing;

import java.util.List;

/**
 * What a JVM's hub reports to an operator, as a JMX MXBean registered as {@code
 * io.jfutures:type=Hub,name=<pid>} once the hub starts (the first queue, pipe, lock or manager
 * object made in that JVM). A {@link Manager} started in a JVM of its own has its hub there: attach
 * {@code jconsole} to that process to read it.
 */
public interface HubMXBean {
  /**
   * Returns the objects the hub holds: queues, pipes, locks and the other primitives, and the
   * objects managers host.
   *
   * @return the count
   */
  int getObjects();

  /**
   * Returns the processes connected to the hub now (this JVM's own threads use it without a
   * connection).
   *
   * @return the count
   */
  int getClients();

  /**
   * Returns the requests that wait at the hub now: getters and putters of queues and pipes, lock,
   * semaphore, event, condition and barrier waiters.
   *
   * @return the count
   */
  int getWaiters();

  /**
   * Returns a line for each object that holds something or is waited on now, in the order they were
   * made: for a queue, a joinable queue or a pipe direction, the items queued and leased ahead, the
   * items each process took and has not marked done, and the processes whose gets, puts and joins
   * wait; for a lock, its holder (pid and thread); for each primitive, the processes that wait at
   * the hub (a short wait on a word in shared memory is not seen here). What to read when a {@code
   * join()}, a {@code get()} or an {@code acquire()} does not return. For example:
   *
   * <pre>
   * joinable queue 12: 0 queued, 3 unfinished, 3 taken by pid 4711 and not done,
   *     1 joiner waiting: the hub's JVM, pid 4700
   * lock 15: held by pid 4712, thread 31, 1 waiting at the hub: pid 4713
   * </pre>
   *
   * Each is one line (the first is folded above). A manager's TCP client shows as {@code TCP client
   * N}.
   *
   * @return one line per such object; empty if nothing waits and nothing is held
   */
  List<String> getBusyObjects();

  /**
   * Returns the bytes the hub has read from its clients: from their connections, and from the lanes
   * in shared memory where a producer's small puts go.
   *
   * @return the count
   */
  long getBytesRead();

  /**
   * Returns the bytes the hub has written to its clients.
   *
   * @return the count
   */
  long getBytesWritten();
}
