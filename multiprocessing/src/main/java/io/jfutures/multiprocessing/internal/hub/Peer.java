package io.jfutures.multiprocessing.internal.hub;

/**
 * Who takes part in a hub object: a connection from another process, or {@link #LOCAL}, the threads
 * of the hub's own JVM, which never goes away before the hub does.
 */
interface Peer {
  /** The hub's own JVM. Its waiters carry futures, so nothing is ever sent to it. */
  Peer LOCAL = (op, request, object, value, payload) -> {};

  /**
   * Sends a reply. Never throws: a connection that cannot be written to is dead, and its reader
   * reports that as the peer's death.
   */
  void send(byte op, long request, long object, long value, byte[] payload);
}
