package io.jfutures.multiprocessing.internal.hub;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A pipe as the hub holds it: a queue per direction (one for a one-way pipe), and which processes
 * hold each end. An end is held by the processes it was sent to (it attaches when it is
 * deserialized there) and by the hub's own JVM once it uses it there; not by a process that only
 * passed it on, so that a parent that hands one end to a child need not close its copy, as Python's
 * must, to see end-of-file.
 *
 * <pre>
 * Per end: UNATTACHED -> HELD (attach) -> GONE (its last holder closed it or died): the direction
 * it sends into then gives end-of-file once drained, and the direction it receives from refuses
 * the other end's sends (a broken pipe). GONE is final.
 * A direction's ring (HubQueue, PipeRing) opens on its sender's ask only while each end has one
 * holder and both map this hub's shared memory (the hub's own JVM, or a process on this machine);
 * any change of holders retires it (a process that comes to hold an end reads and writes through
 * the hub), and an end GONE closes it. A direction's messages are leased ahead of its receives
 * only to its receiving end's sole holder, a process other than the hub's: a change of that end's
 * holders calls them back (HubQueue), before any holder receives what was sent after them.
 * </pre>
 *
 * Thread-safe: guarded by this object's lock.
 */
final class HubPipe {
  final long id;

  /**
   * {@code into[e]}: the queue end {@code e} sends into, or null for the receiving end of a one-way
   * pipe.
   */
  private final HubQueue[] into;

  private final List<Set<Peer>> holders = List.of(new HashSet<>(), new HashSet<>());

  private final boolean[] gone = new boolean[2];

  /**
   * {@code ringSender[e]}: the process the ring of the direction end e sends into was granted to.
   */
  private final Peer[] ringSender = new Peer[2];

  private final boolean[] attached = new boolean[2];

  HubPipe(long id, HubQueue zeroSendsInto, HubQueue oneSendsInto) {
    this.id = id;
    this.into = new HubQueue[] {zeroSendsInto, oneSendsInto};
  }

  synchronized void attach(int end, Peer peer) {
    if (!gone[end]) {
      if (holders.get(end).add(peer)) {
        holdersChanged();
      }
      if (!attached[end]) {
        attached[end] = true;
        HubQueue receiving = receivesFrom(end);
        if (receiving != null) {
          receiving.receiverHeld(); // its senders may wait now
        }
      }
    }
  }

  /**
   * The queue that {@code end} receives from (the one the other end sends into), or null for the
   * sending end of a one-way pipe, which receives nothing.
   */
  private HubQueue receivesFrom(int end) {
    return into[1 - end];
  }

  synchronized void detach(int end, Peer peer) {
    if (holders.get(end).remove(peer)) {
      holdersChanged();
      if (ringSender[end] == peer) {
        // What it claimed and never committed would hold up the ring's drain for good.
        ringSender[end] = null;
        into[end].dropRingRest();
      }
      if (holders.get(end).isEmpty()) {
        endGone(end);
      }
    }
  }

  /**
   * Opens the ring of the direction {@code end} sends into, for {@code sender}, if it is that end's
   * only holder and the other end has one too, both on this machine; returns it, or null.
   */
  synchronized PipeRing openRing(int end, Peer sender) {
    Set<Peer> sending = holders.get(end);
    Set<Peer> receiving = holders.get(1 - end);
    if (into[end] == null
        || gone[0]
        || gone[1]
        || sending.size() != 1
        || !sending.contains(sender)
        || receiving.size() != 1
        || !mapsMemory(sender)
        || !mapsMemory(receiving.iterator().next())) {
      return null;
    }
    PipeRing ring = into[end].openRing();
    if (ring != null) {
      ringSender[end] = sender;
    }
    return ring;
  }

  /** Whether {@code peer} can map this hub's shared memory: its JVM, or a process beside it. */
  private static boolean mapsMemory(Peer peer) {
    return peer == Peer.LOCAL || (peer.pid() > 0 && peer.pid() < LockWords.TCP_PROCESSES);
  }

  /**
   * An end gained or lost a holder: the rings retire, and each direction learns whether its
   * receiving end has a sole holder, the one process it may lease messages to.
   */
  private void holdersChanged() {
    for (int end = 0; end < 2; end++) {
      HubQueue direction = into[end];
      if (direction != null) {
        direction.retireRing();
        Set<Peer> receiving = holders.get(1 - end);
        direction.soleReceiver(receiving.size() == 1 ? receiving.iterator().next() : null);
      }
    }
  }

  synchronized void peerGone(Peer peer) {
    for (int end = 0; end < 2; end++) {
      detach(end, peer);
    }
  }

  private void endGone(int end) {
    if (attached[end] && !gone[end]) {
      gone[end] = true;
      if (into[end] != null) {
        into[end].writersGone();
      }
      HubQueue receiving = receivesFrom(end);
      if (receiving != null) {
        // No one will drain it: the other end's sends fail from now, as Python's BrokenPipeError.
        receiving.receiverGone(Set.copyOf(holders.get(1 - end)));
      }
    }
  }

  /** How many receivers and senders wait on this pipe now. */
  int waiting() {
    int n = 0;
    for (HubQueue direction : into) {
      if (direction != null) { // a one-way pipe has one direction
        n += direction.waiting();
      }
    }
    return n;
  }
}
