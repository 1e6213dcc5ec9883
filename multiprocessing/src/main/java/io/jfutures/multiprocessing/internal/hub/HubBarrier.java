package io.jfutures.multiprocessing.internal.hub;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A barrier shared by processes ({@code ProcessBarrier}): {@code parties} arrivals release each
 * other, then it starts over; with an action, the last to arrive runs it before the others are
 * released, as in {@link java.util.concurrent.CyclicBarrier}. The hub's side: the state is a run of
 * words in shared memory ({@link BarrierWords}) where processes arrive, decide and settle
 * generations themselves; the hub parks the threads that waited long enough and wakes them when a
 * settle tells it to, does everything for a process that cannot map the words (a TCP client, or one
 * past the slots), and breaks the current generation when a process dies with a party in it.
 *
 * <pre>
 * Parked threads, each with its generation: a process's WAIT (answered OK once the generation is
 * decided; it reads the outcome itself), and for a process without a slot its ARRIVE, waiting for
 * the outcome (OK with its index, or BROKEN) or, if it found the generation FULL, for its turn to
 * arrive in the next. acting: such a process told to run the action (RUN_ACTION), which decides
 * the generation at its ACTION_DONE.
 * Invariants: bit WAITED is set while anyone is parked (park() sets it, and checks the generation
 * is undecided after); every change of the state that decides a generation is followed by a
 * settle and a wake here, or by a SET from the process that settled it with WAITED set. A process
 * whose connection ends with a party in the undecided generation (its slot counts it), or while
 * it runs the action, breaks that generation (Python's fault F13: the others wait for ever).
 * </pre>
 */
final class HubBarrier extends HubSync {
  private final int parties;
  private final BarrierWords words;
  private final ProcessSlots slots = new ProcessSlots(BarrierWords.SLOTS);
  private final Map<Peer, LockWords.Word> slotsHere = new HashMap<>(); // processes without one
  private final List<Parked> parked = new ArrayList<>();
  private final boolean hasAction;
  private Parked acting; // a process without a slot, running the action

  /** What a parked request waits for (its kind): see the class comment. */
  private static final int WAIT = 0;

  private static final int ARRIVED = 1;
  private static final int EARLY = 2;

  HubBarrier(long id, LockWords.Word run, int parties, boolean hasAction) {
    super(id);
    this.parties = parties;
    this.hasAction = hasAction;
    this.words = new BarrierWords(run, -1);
  }

  /** A barrier whose words are in memory of this JVM only: for tests of the hub's side. */
  HubBarrier(long id, int parties, boolean hasAction) {
    this(id, LockWords.detached(BarrierWords.RUN_WORDS), parties, hasAction);
  }

  /** The words, as the processes that map them see them: for tests. */
  BarrierWords words() {
    return words;
  }

  @Override
  void onRequest(Peer peer, byte op, long object, long request, long value, byte[] payload) {
    switch (op) {
      case Wire.LOCK_WORD:
        int slot = slots.give(peer);
        if (slot < 0) {
          reply(peer, Wire.EMPTY, request, 0); // it comes here for everything
        } else {
          reply(
              peer,
              Wire.VALUE,
              request,
              ((long) slot << 16) | words.index(),
              words.block().getBytes(StandardCharsets.UTF_8));
        }
        break;
      case Wire.WAIT: // value: the generation
        park(new Parked(peer, request, 0, 0), value); // kind WAIT
        break;
      case Wire.SET: // a process settled a generation and found threads parked
        wake();
        reply(peer, Wire.OK, request, 0);
        break;
      case Wire.ARRIVE:
        arrive(new Parked(peer, request, 0, 0));
        break;
      case Wire.ACTION_DONE:
        if (acting == null || acting.peer != peer) {
          reply(peer, Wire.BROKEN, request, 0); // broken meanwhile
        } else {
          long gen = acting.gen;
          acting = null;
          boolean tripped = words.decide(gen, value == 1) && value == 1;
          words.settle(gen);
          reply(peer, tripped ? Wire.OK : Wire.BROKEN, request, 0);
          wake();
        }
        break;
      case Wire.ABORT:
        words.abort();
        wake();
        reply(peer, Wire.OK, request, 0);
        break;
      case Wire.RESET:
        words.reset();
        wake();
        reply(peer, Wire.OK, request, 0);
        break;
      case Wire.WAITING:
        reply(peer, Wire.VALUE, request, words.isBroken() ? -1 : words.waiting());
        break;
      default:
        unknown(peer, op, request);
    }
  }

  /** The slot word of {@code peer}: in shared memory if it has a slot, else here. */
  private LockWords.Word slotWord(Peer peer) {
    int slot = slots.of(peer);
    return slot >= 0
        ? words.slot(slot)
        : slotsHere.computeIfAbsent(peer, p -> LockWords.detached());
  }

  /** Arrives for a process without a slot, and answers it or parks it. */
  private void arrive(Parked party) {
    BarrierWords.Arrival a = words.arrive(slotWord(party.peer), parties);
    if (a.wake()) {
      wake(); // it settled a generation whose decider had not
    }
    switch (a.kind()) {
      case BROKEN:
        reply(party.peer, Wire.BROKEN, party.request, 0);
        break;
      case FULL:
        party.kind = EARLY;
        park(party, a.gen());
        break;
      default:
        if (a.index() == 0) {
          if (hasAction) {
            party.gen = a.gen();
            acting = party;
            reply(party.peer, Wire.RUN_ACTION, party.request, 0);
          } else {
            words.decide(a.gen(), true);
            words.settle(a.gen());
            reply(party.peer, Wire.OK, party.request, 0);
            wake();
          }
        } else {
          party.kind = ARRIVED;
          party.index = a.index();
          park(party, a.gen());
        }
    }
  }

  /** Parks {@code p} until generation {@code gen} is decided, or answers it now if it is. */
  private void park(Parked p, long gen) {
    p.gen = gen;
    if (words.park(gen)) {
      parked.add(p);
    } else {
      answer(p);
    }
  }

  /** Answers the parked requests whose generations are decided; clears WAITED if none is left. */
  private void wake() {
    List<Parked> ready = new ArrayList<>();
    for (Iterator<Parked> it = parked.iterator(); it.hasNext(); ) {
      Parked p = it.next();
      if (words.outcome(p.gen) != BarrierWords.Outcome.UNDECIDED) {
        it.remove();
        ready.add(p);
      }
    }
    if (parked.isEmpty()) {
      words.unparkedAll();
    }
    ready.forEach(this::answer);
  }

  /** Answers {@code p}, whose generation is decided. */
  private void answer(Parked p) {
    if (p.kind == WAIT) {
      reply(p.peer, Wire.OK, p.request, 0);
    } else if (p.kind == EARLY) {
      arrive(p); // its turn in the next generation
    } else if (words.outcome(p.gen) == BarrierWords.Outcome.TRIPPED) {
      reply(p.peer, Wire.OK, p.request, p.index);
    } else {
      reply(p.peer, Wire.BROKEN, p.request, 0);
    }
  }

  @Override
  void onCancel(Peer peer, long request) {
    Parked p = remove(parked, peer, request);
    if (p == null) {
      return; // answered already: the reply crossed the cancel
    }
    if (p.kind == ARRIVED && !words.decide(p.gen, false)) {
      answer(p); // decided just before: as CyclicBarrier, what it decided stands
    } else {
      // As CyclicBarrier: one party that stops waiting breaks the barrier for all. A process
      // with a slot breaks it itself when its WAIT is cancelled.
      reply(peer, Wire.CANCELLED, request, 0);
    }
    if (p.kind == ARRIVED) {
      words.settle(p.gen);
      wake();
    } else if (parked.isEmpty()) {
      words.unparkedAll();
    }
  }

  @Override
  void onPeerGone(Peer peer) {
    removeAll(parked, peer);
    long gen = BarrierWords.gen(words.state());
    if (acting != null && acting.peer == peer) {
      words.decide(acting.gen, false);
      acting = null;
    }
    int slot = slots.of(peer);
    LockWords.Word mine = slot >= 0 ? words.slot(slot) : slotsHere.remove(peer);
    if (mine != null && BarrierWords.counts(mine.get(), gen)) {
      words.decide(gen, false); // F13: a party of the undecided generation died
    }
    slots.takeBack(peer);
    // Settles a generation decided by this process, or by one that died before it settled it.
    if (words.outcome(gen) != BarrierWords.Outcome.UNDECIDED) {
      words.settle(gen);
    }
    wake();
  }

  @Override
  String kind() {
    return "barrier of " + parties;
  }

  @Override
  Collection<Parked> parkedRequests() {
    return parked;
  }
}
