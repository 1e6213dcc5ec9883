package io.jfutures.multiprocessing.internal.hub;

import java.util.HashMap;
import java.util.Map;

/**
 * Which process has which slot of a synchronization object's words in shared memory (a semaphore's
 * held counts, a barrier's arrivals): a hub object gives a process a slot when it first asks for
 * the words, and takes it back when the process's connection ends. Not thread-safe: its owner's
 * monitor guards it.
 *
 * <pre>
 * Invariant: a slot has at most one owner; a slot whose owner left is given again only once the
 * owner's process no longer runs (a connection can end while its process lives on, and writes).
 * </pre>
 */
final class ProcessSlots {
  private final Peer[] owners;
  private final long[] pids; // each slot's last owner's process
  private final Map<Peer, Integer> slots = new HashMap<>();

  ProcessSlots(int size) {
    this.owners = new Peer[size];
    this.pids = new long[size];
  }

  /** Returns {@code peer}'s slot, or -1 if it has none. */
  int of(Peer peer) {
    Integer slot = slots.get(peer);
    return slot == null ? -1 : slot;
  }

  /** Returns {@code peer}'s slot, giving it a free one if it has none; -1 if none is free. */
  int give(Peer peer) {
    Integer slot = slots.get(peer);
    if (slot != null) {
      return slot;
    }
    for (int i = 0; i < owners.length; i++) {
      if (owners[i] == null && (pids[i] == 0 || !LockWords.running(pids[i]))) {
        owners[i] = peer;
        pids[i] = peer.pid();
        slots.put(peer, i);
        return i;
      }
    }
    return -1;
  }

  /** Takes back {@code peer}'s slot, if it has one; returns it, or -1. */
  int takeBack(Peer peer) {
    Integer slot = slots.remove(peer);
    if (slot == null) {
      return -1;
    }
    owners[slot] = null;
    return slot;
  }
}
