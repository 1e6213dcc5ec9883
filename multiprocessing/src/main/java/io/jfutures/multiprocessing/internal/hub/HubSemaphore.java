package io.jfutures.multiprocessing.internal.hub;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A counting semaphore shared by processes ({@code ProcessSemaphore}), optionally bounded by its
 * initial count (Python's {@code BoundedSemaphore}). Acquirers that wait are served first come,
 * first served: a large request at the head is not overtaken by smaller ones.
 *
 * <pre>
 * State: permits (>= 0); held, each process's permits acquired and not released by it.
 * Invariants: while the first acquirer asks for more than permits, it and all behind it wait;
 * bounded implies permits <= initial. A process's held count never goes below 0: a release by a
 * process that acquired nothing (a signal) adds a permit without changing it. When a process
 * dies, its held permits come back (for a bounded one, up to the bound).
 * </pre>
 */
final class HubSemaphore extends HubSync {
  private final long initial;
  private final boolean bounded;
  private final Map<Peer, Long> held = new HashMap<>();
  private final ArrayDeque<Parked> acquirers = new ArrayDeque<>();
  private long permits;

  HubSemaphore(long id, long initial, boolean bounded) {
    super(id);
    this.initial = initial;
    this.bounded = bounded;
    this.permits = initial;
  }

  @Override
  void onRequest(Peer peer, byte op, long object, long request, long value, byte[] payload) {
    switch (op) {
      case Wire.ACQUIRE:
      case Wire.ACQUIRE_NOW:
        if (acquirers.isEmpty() && permits >= value) {
          take(peer, value, request);
        } else if (op == Wire.ACQUIRE) {
          acquirers.add(new Parked(peer, request, 0, value));
        } else {
          reply(peer, Wire.EMPTY, request, 0);
        }
        break;
      case Wire.RELEASE:
        if (bounded && permits + value > initial) {
          error(
              peer,
              request,
              Wire.ERROR_STATE,
              "a bounded semaphore of "
                  + initial
                  + " permits cannot be released more often than it was acquired: it has "
                  + permits
                  + " available, and releasing "
                  + value
                  + " would pass its bound");
          break;
        }
        held.computeIfPresent(peer, (p, n) -> n > value ? n - value : null);
        permits += value;
        grant();
        reply(peer, Wire.OK, request, 0);
        break;
      case Wire.PERMITS:
        reply(peer, Wire.VALUE, request, permits);
        break;
      default:
        unknown(peer, op, request);
    }
  }

  private void take(Peer peer, long count, long request) {
    permits -= count;
    held.merge(peer, count, Long::sum);
    reply(peer, Wire.OK, request, 0);
  }

  /** Serves the acquirers at the head whose requests the permits now cover. */
  private void grant() {
    while (!acquirers.isEmpty() && acquirers.peek().count <= permits) {
      Parked next = acquirers.poll();
      take(next.peer, next.count, next.request);
    }
  }

  @Override
  void onCancel(Peer peer, long request) {
    if (remove(acquirers, peer, request) != null) {
      reply(peer, Wire.CANCELLED, request, 0);
      grant(); // the head may have been the one that asked for too many
    }
  }

  @Override
  void onPeerGone(Peer peer) {
    removeAll(acquirers, peer);
    Long had = held.remove(peer);
    if (had != null) {
      permits = bounded ? Math.min(initial, permits + had) : permits + had;
    }
    grant();
  }

  @Override
  int parked() {
    return acquirers.size();
  }
}
