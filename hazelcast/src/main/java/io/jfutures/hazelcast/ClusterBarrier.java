package io.jfutures.hazelcast;

import com.hazelcast.map.IMap;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * A barrier shared by every member and client of a cluster, as {@code multiprocessing.Barrier}
 * across machines (and {@link java.util.concurrent.CyclicBarrier}'s exceptions): {@code parties}
 * threads, anywhere, wait in {@link #await(Duration)} until all have come, then all go on, and the
 * barrier is ready for the next round.
 *
 * <p><b>A party that dies.</b> Each waiting party holds a per-key lock of the map {@value
 * ClusterObjects#LOCKS} (its presence) while it waits; Hazelcast releases it when the party's
 * member leaves; the presence's key names the party's member or client, and a client is gone once
 * its {@link ClientLease lease} lapses ({@value ClientLease#LEASE_SECONDS} s). A waiter that finds
 * the presence of a party of its round released, or its owner gone, before the round ended breaks
 * the barrier: every waiter gets {@link BrokenBarrierException} (0.4 s after {@code kill -9} of a
 * party's member, plus the waiters' polling), never a hang. A waiter whose timeout passes breaks it
 * too, as in Python.
 *
 * <pre>
 * State: one entry of the map {@value ClusterObjects#BARRIERS}, replaced by compare-and-set: parties, the round
 * (generation), the presence keys of those that arrived in it, whether it is broken, and the
 * rounds that ended by all arriving (recent ones). A round ends when the last party arrives (the
 * round advances, arrivals cleared) or by a break (broken set; it stays broken until reset()).
 * Invariant: a presence key is locked by its party from before it is added until after the round
 * ended, so an unlocked key in a round that has not ended is a dead party; so is a key whose
 * member (named in the key) has left, should its lock outlive it.
 * </pre>
 *
 * <p>A waiter reads the state with a growing pause (1 ms doubling to 50 ms). A party that arrives,
 * and {@link #isBroken()}, check the presence of those already waiting too, so a round whose
 * waiters all died is broken rather than completed by newcomers. Thread-safe.
 */
public final class ClusterBarrier {
  private static final long MAX_PAUSE_NANOS = 50_000_000;
  private static final int RECENT_ROUNDS = 16;

  private final IMap<String, State> barriers;
  private final IMap<String, String> locks;
  private final String name;
  private final int parties;
  private final Owners owners;

  /** The shared state; replaced whole, compared by its serialized form. Immutable. */
  record State(int parties, long round, List<String> arrived, boolean broken, List<Long> tripped)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    State {
      arrived = List.copyOf(arrived);
      tripped = List.copyOf(tripped);
    }

    State arrive(String presence) {
      List<String> now = new ArrayList<>(arrived);
      now.add(presence);
      if (now.size() < parties) {
        return new State(parties, round, now, false, tripped);
      }
      List<Long> ended = new ArrayList<>(tripped);
      ended.add(round);
      if (ended.size() > RECENT_ROUNDS) {
        ended.remove(0);
      }
      return new State(parties, round + 1, List.of(), false, ended);
    }

    State asBroken() {
      return new State(parties, round, arrived, true, tripped);
    }
  }

  ClusterBarrier(
      IMap<String, State> barriers,
      IMap<String, String> locks,
      String name,
      int parties,
      Owners owners) {
    if (parties < 1) {
      throw new IllegalArgumentException("a barrier needs at least 1 party, was " + parties);
    }
    State fresh = new State(parties, 0, List.of(), false, List.of());
    State existing = barriers.putIfAbsent(name, fresh);
    if (existing != null && existing.parties() != parties) {
      throw new IllegalArgumentException(
          "cluster barrier " + name + " has " + existing.parties() + " parties, not " + parties);
    }
    this.barriers = barriers;
    this.locks = locks;
    this.name = name;
    this.parties = parties;
    this.owners = owners;
  }

  /** Returns how many parties the barrier waits for. */
  public int parties() {
    return parties;
  }

  /**
   * Waits until every party has come, as Python's {@code wait(timeout)}.
   *
   * @param timeout how long to wait at most
   * @return this party's arrival index: {@code parties - 1} for the first, 0 for the last
   * @throws BrokenBarrierException if the barrier is or becomes broken while this party waits (a
   *     party died or timed out, or {@link #reset()} or {@link #abort()} was called)
   * @throws TimeoutException if the timeout passed; the barrier is then broken for the others
   * @throws InterruptedException if interrupted; the barrier is then broken for the others
   */
  public int await(Duration timeout)
      throws BrokenBarrierException, TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String presence = "barrier:" + owners.tag() + ":" + UUID.randomUUID() + ":" + name;
    locks.lock(presence);
    try {
      State arrivedIn;
      int index;
      while (true) {
        State s = barriers.get(name);
        if (s.broken() || brokeForTheDead(s, presence)) {
          throw new BrokenBarrierException(); // a dead party would be counted as come
        }
        State next = s.arrive(presence);
        if (barriers.replace(name, s, next)) {
          arrivedIn = s;
          index = parties - 1 - s.arrived().size();
          break;
        }
      }
      if (index == 0) {
        return 0; // the last to come: the round ended
      }
      return awaitEnd(arrivedIn.round(), presence, deadline, index);
    } finally {
      locks.unlock(presence);
    }
  }

  private int awaitEnd(long round, String presence, long deadline, int index)
      throws BrokenBarrierException, TimeoutException, InterruptedException {
    long pause = 1_000_000;
    while (true) {
      State s = barriers.get(name);
      if (s.round() != round || s.tripped().contains(round)) {
        if (s.tripped().contains(round)) {
          return index;
        }
        throw new BrokenBarrierException(); // reset while this party waited
      }
      if (s.broken()) {
        throw new BrokenBarrierException();
      }
      if (brokeForTheDead(s, presence)) {
        throw new BrokenBarrierException();
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        breakIfRound(round);
        throw new TimeoutException("cluster barrier " + name + ": not every party came in time");
      }
      LockSupport.parkNanos(Math.min(pause, left));
      if (Thread.interrupted()) {
        breakIfRound(round);
        throw new InterruptedException("while waiting at cluster barrier " + name);
      }
      pause = Math.min(2 * pause, MAX_PAUSE_NANOS);
    }
  }

  /**
   * Breaks the barrier if a party that arrived in state {@code s} has let go of its presence: it
   * died, unless the round ended meanwhile, which the compare-and-set against {@code s} tells.
   * Returns whether it broke it.
   */
  private boolean brokeForTheDead(State s, String presence) {
    for (String other : s.arrived()) {
      if (!other.equals(presence)
          && (!locks.isLocked(other) || owners.isGone(other.split(":", 3)[1]))) {
        return barriers.replace(name, s, s.asBroken());
      }
    }
    return false;
  }

  /** Breaks the barrier if it is still in {@code round} and not broken. */
  private void breakIfRound(long round) {
    while (true) {
      State s = barriers.get(name);
      if (s.round() != round || s.broken() || barriers.replace(name, s, s.asBroken())) {
        return;
      }
    }
  }

  /** Breaks the barrier: every waiter, now and later, gets {@link BrokenBarrierException}. */
  public void abort() {
    while (true) {
      State s = barriers.get(name);
      if (s.broken() || barriers.replace(name, s, s.asBroken())) {
        return;
      }
    }
  }

  /**
   * Makes the barrier whole and empty for a new round; the parties waiting get {@link
   * BrokenBarrierException}.
   */
  public void reset() {
    while (true) {
      State s = barriers.get(name);
      State fresh = new State(parties, s.round() + 1, List.of(), false, s.tripped());
      if (barriers.replace(name, s, fresh)) {
        return;
      }
    }
  }

  /** Returns whether the barrier is broken; a dead party that it finds breaks it. */
  public boolean isBroken() {
    State s = barriers.get(name);
    return s.broken() || brokeForTheDead(s, null) || barriers.get(name).broken();
  }

  /** Returns how many parties wait in the current round. */
  public int getNumberWaiting() {
    return barriers.get(name).arrived().size();
  }

  @Override
  public String toString() {
    State s = barriers.get(name);
    return "ClusterBarrier["
        + name
        + ", "
        + s.arrived().size()
        + " of "
        + parties
        + " waiting"
        + (s.broken() ? ", broken" : "")
        + "]";
  }
}
