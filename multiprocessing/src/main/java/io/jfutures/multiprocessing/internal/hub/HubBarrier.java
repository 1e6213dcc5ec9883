package io.jfutures.multiprocessing.internal.hub;

import java.util.ArrayList;
import java.util.List;

/**
 * A barrier shared by processes ({@code ProcessBarrier}): {@code parties} arrivals release each
 * other, then it starts over. With an action, the last to arrive is told to run it (RUN_ACTION) and
 * to say how it went (ACTION_DONE) before the others are released, as in {@link
 * java.util.concurrent.CyclicBarrier}.
 *
 * <pre>
 * States: FILLING (waiting < parties) -> ACTING (all arrived, the last runs the action) -> FILLING
 * (a new generation); any -> BROKEN (a waiter stopped waiting, a waiting party's process died,
 * the action threw or its process died, abort()) -> FILLING (reset()).
 * Invariants: while BROKEN, nobody waits and every ARRIVE is answered BROKEN; a party that
 * arrives while ACTING waits for the next generation; arrival indexes count down from
 * parties - 1 (first) to 0 (last), as CyclicBarrier's do.
 * </pre>
 */
final class HubBarrier extends HubSync {
  private final int parties;
  private final boolean hasAction;
  private final List<Parked> waiters = new ArrayList<>();
  private final List<Parked> early = new ArrayList<>(); // arrived while ACTING
  private Parked acting; // the last party, running the action
  private boolean broken;

  HubBarrier(long id, int parties, boolean hasAction) {
    super(id);
    this.parties = parties;
    this.hasAction = hasAction;
  }

  @Override
  void onRequest(Peer peer, byte op, long object, long request, long value, byte[] payload) {
    switch (op) {
      case Wire.ARRIVE:
        arrive(new Parked(peer, request, 0, 0));
        break;
      case Wire.ACTION_DONE:
        if (acting == null || acting.peer != peer) {
          reply(peer, Wire.BROKEN, request, 0); // broken meanwhile
        } else if (value == 1) {
          acting = null;
          trip(new Parked(peer, request, 0, 0));
        } else {
          acting = null;
          breakBarrier();
          reply(peer, Wire.BROKEN, request, 0);
        }
        break;
      case Wire.ABORT:
        breakBarrier();
        reply(peer, Wire.OK, request, 0);
        break;
      case Wire.RESET:
        breakBarrier();
        broken = false;
        reply(peer, Wire.OK, request, 0);
        break;
      case Wire.WAITING:
        reply(peer, Wire.VALUE, request, broken ? -1 : waiters.size());
        break;
      default:
        unknown(peer, op, request);
    }
  }

  private void arrive(Parked party) {
    if (broken) {
      reply(party.peer, Wire.BROKEN, party.request, 0);
    } else if (acting != null) {
      early.add(party);
    } else if (waiters.size() == parties - 1) {
      if (hasAction) {
        acting = party;
        reply(party.peer, Wire.RUN_ACTION, party.request, 0);
      } else {
        trip(party);
      }
    } else {
      party.index = parties - 1 - waiters.size();
      waiters.add(party);
    }
  }

  /** Releases the waiters and {@code last}; a new generation begins with the early arrivals. */
  private void trip(Parked last) {
    waiters.forEach(w -> reply(w.peer, Wire.OK, w.request, w.index));
    waiters.clear();
    reply(last.peer, Wire.OK, last.request, 0);
    List<Parked> next = new ArrayList<>(early);
    early.clear();
    next.forEach(this::arrive);
  }

  private void breakBarrier() {
    broken = true;
    acting = null;
    waiters.forEach(w -> reply(w.peer, Wire.BROKEN, w.request, 0));
    early.forEach(w -> reply(w.peer, Wire.BROKEN, w.request, 0));
    waiters.clear();
    early.clear();
  }

  @Override
  void onCancel(Peer peer, long request) {
    if (remove(early, peer, request) != null) {
      reply(peer, Wire.CANCELLED, request, 0);
    } else if (remove(waiters, peer, request) != null) {
      // As CyclicBarrier: one party that stops waiting breaks the barrier for all.
      reply(peer, Wire.CANCELLED, request, 0);
      breakBarrier();
    }
  }

  @Override
  void onPeerGone(Peer peer) {
    boolean took = removeAll(waiters, peer) | (acting != null && acting.peer == peer);
    removeAll(early, peer);
    if (took) {
      breakBarrier(); // F13: a party's death breaks it at once for the others
    }
  }

  @Override
  int parked() {
    return waiters.size() + early.size();
  }
}
