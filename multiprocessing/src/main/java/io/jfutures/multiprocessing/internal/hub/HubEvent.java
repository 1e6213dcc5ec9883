package io.jfutures.multiprocessing.internal.hub;

import java.util.ArrayList;
import java.util.List;

/**
 * An event shared by processes ({@code ProcessEvent}): a flag that processes wait for.
 *
 * <pre>
 * States: CLEAR <-> SET. Invariant: while SET, nobody waits; SET answers every waiter at once,
 * queueing their replies without waiting for any of them to read (Python's fault F12: its set()
 * waits for each waiter, and for ever for a dead one).
 * </pre>
 */
final class HubEvent extends HubSync {
  private final List<Parked> waiters = new ArrayList<>();
  private boolean set;

  HubEvent(long id) {
    super(id);
  }

  @Override
  void onRequest(Peer peer, byte op, long object, long request, long value, byte[] payload) {
    switch (op) {
      case Wire.SET:
        set = true;
        waiters.forEach(w -> reply(w.peer, Wire.OK, w.request, 0));
        waiters.clear();
        reply(peer, Wire.OK, request, 0);
        break;
      case Wire.CLEAR:
        set = false;
        reply(peer, Wire.OK, request, 0);
        break;
      case Wire.WAIT:
        if (set) {
          reply(peer, Wire.OK, request, 0);
        } else {
          waiters.add(new Parked(peer, request, 0, 0));
        }
        break;
      case Wire.IS_SET:
        reply(peer, Wire.VALUE, request, set ? 1 : 0);
        break;
      default:
        unknown(peer, op, request);
    }
  }

  @Override
  void onCancel(Peer peer, long request) {
    if (remove(waiters, peer, request) != null) {
      reply(peer, Wire.CANCELLED, request, 0);
    }
  }

  @Override
  void onPeerGone(Peer peer) {
    removeAll(waiters, peer);
  }
}
