package io.jfutures.multiprocessing.internal.hub;

/**
 * One direction of a pipe of one hub, as a map key: its hub and its queue. A class, not a record,
 * whose {@code hashCode} and {@code equals} a cold JVM would link through {@code ObjectMethods} at
 * a child's first send or receive (4-30 ms of a fresh JVM's time for its first record type's, issue
 * 17, session 30).
 */
final class DirectionKey {
  private final HubRef hub;
  private final long queue;

  DirectionKey(HubRef hub, long queue) {
    this.hub = hub;
    this.queue = queue;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DirectionKey k && k.queue == queue && k.hub.equals(hub);
  }

  @Override
  public int hashCode() {
    return 31 * hub.hashCode() + Long.hashCode(queue);
  }
}
