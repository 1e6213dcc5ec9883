package io.jfutures.multiprocessing.internal.hub;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * An event shared by processes ({@code ProcessEvent}): a flag that processes wait for, the hub's
 * side. The flag is a word in shared memory ({@link EventWord}) that processes set, clear and read
 * themselves; the hub parks the threads that waited long enough, and wakes them when told.
 *
 * <pre>
 * States of the word: see EventWord. Invariant: bit WAITED is set iff waiters is not empty (the
 * hub sets it as it parks the first and clears it as the last leaves, all under this monitor); a
 * waiter is parked only if the compare-and-set that sets WAITED finds the flag clear. SET answers
 * every waiter at once, queueing their replies without waiting for any of them to read (Python's
 * fault F12: its set() waits for each waiter, and for ever for a dead one).
 * </pre>
 *
 * <p>A process that reaches the hub over TCP has no word: its SET (value 0), CLEAR and IS_SET are
 * done here, on the same word. A SET with value 1 comes from a process that set the word itself and
 * found threads parked.
 */
final class HubEvent extends HubSync {
  private final List<Parked> waiters = new ArrayList<>();
  private final LockWords.Word word;

  HubEvent(long id, LockWords.Word word) {
    super(id);
    this.word = word;
  }

  @Override
  void onRequest(Peer peer, byte op, long object, long request, long value, byte[] payload) {
    switch (op) {
      case Wire.LOCK_WORD:
        reply(peer, Wire.VALUE, request, word.index, word.block.getBytes(StandardCharsets.UTF_8));
        break;
      case Wire.SET:
        if (value == 0) {
          EventWord.set(word);
        }
        waiters.forEach(w -> reply(w.peer, Wire.OK, w.request, 0));
        waiters.clear();
        unparkedAll();
        reply(peer, Wire.OK, request, 0);
        break;
      case Wire.CLEAR:
        EventWord.clear(word);
        reply(peer, Wire.OK, request, 0);
        break;
      case Wire.WAIT:
        if (park()) {
          waiters.add(new Parked(peer, request, 0, 0));
        } else {
          reply(peer, Wire.OK, request, 0);
        }
        break;
      case Wire.IS_SET:
        reply(peer, Wire.VALUE, request, EventWord.isSet(word.get()) ? 1 : 0);
        break;
      default:
        unknown(peer, op, request);
    }
  }

  /** Marks the word WAITED unless the flag is set; returns whether it did (the waiter parks). */
  private boolean park() {
    while (true) {
      long w = word.get();
      if (EventWord.isSet(w)) {
        return false;
      }
      if (word.compareAndSet(w, w | EventWord.WAITED)) {
        return true;
      }
    }
  }

  /** Clears bit WAITED if nobody is parked any more. */
  private void unparkedAll() {
    while (waiters.isEmpty()) {
      long w = word.get();
      if ((w & EventWord.WAITED) == 0 || word.compareAndSet(w, w & ~EventWord.WAITED)) {
        return;
      }
    }
  }

  @Override
  void onCancel(Peer peer, long request) {
    if (remove(waiters, peer, request) != null) {
      unparkedAll();
      reply(peer, Wire.CANCELLED, request, 0);
    }
  }

  @Override
  void onPeerGone(Peer peer) {
    removeAll(waiters, peer);
    unparkedAll();
  }

  @Override
  String kind() {
    return "event";
  }

  @Override
  Collection<Parked> parkedRequests() {
    return waiters;
  }
}
