package io.jfutures.multiprocessing.internal.hub;

import java.util.concurrent.Future;

/**
 * Who takes part in a hub object: a connection from another process, or {@link #LOCAL}, the threads
 * of the hub's own JVM, which never goes away before the hub does.
 */
interface Peer {
  /** The hub's own JVM. Its waiters carry futures, so nothing is ever sent to it. */
  Peer LOCAL =
      new Peer() {
        @Override
        public void enqueue(byte op, long request, long object, long value, byte[] payload) {}

        @Override
        public void flush() {}
      };

  /**
   * Queues a frame for this peer, to be written by {@link #flush}, after the frames queued before
   * it: a hub object queues under its lock, so that a process sees its frames in the order they
   * were decided (its leased items in lease order), and flushes after it.
   */
  void enqueue(byte op, long request, long object, long value, byte[] payload);

  /**
   * Writes what is queued, unless another thread is writing it already. Never throws: a connection
   * that cannot be written to is dead, and its reader reports that as the peer's death.
   */
  void flush();

  /** The pid of the peer's process, or -1 if it is not known. */
  default long pid() {
    return -1;
  }

  /**
   * Waits up to {@code nanos} for {@code done} without parking, and meanwhile, whenever this peer's
   * reader waits on its socket, watches the peer's lane ({@link PutLane}) in its place, handling
   * the puts committed there: a thread of the hub's JVM that waits for an item this peer is about
   * to put then takes it itself, and neither the putter's wake-up post nor the reader's wake-up is
   * paid. Returns false at once, without waiting, if the peer has no lane.
   */
  default boolean watchLane(Future<?> done, long nanos) {
    return false;
  }

  /** Queues and writes a frame. */
  default void send(byte op, long request, long object, long value, byte[] payload) {
    enqueue(op, request, object, value, payload);
    flush();
  }
}
