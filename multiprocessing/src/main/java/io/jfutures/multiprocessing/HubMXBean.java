package io.jfutures.multiprocessing;

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
