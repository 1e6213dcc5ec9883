package io.jfutures.multiprocessing.internal.hub;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A synchronization object in the hub ({@link HubLock}, {@link HubSemaphore}, {@link HubEvent},
 * {@link HubBarrier}): what they share. Each request from a process (a {@link Peer}) gets exactly
 * one final reply, at once or when the object decides; a request that waits is {@link Parked} until
 * then, and may be cancelled (a timeout, an interrupt), which the object answers as its kind
 * requires. When a process dies, each object drops its parked requests and takes back what it held
 * ({@link #peerGone}): nothing waits for a dead process, and a dead process keeps nothing.
 *
 * <p>All of an object's state is guarded by its monitor. Replies are queued under it, so that each
 * process sees them in the order they were decided, and written after it is released, so that a
 * process slow to read stalls nobody else's requests.
 */
abstract class HubSync {
  final long id;

  /** The peers with replies queued and not yet written: guarded by this. */
  private final Set<Peer> unflushed = new LinkedHashSet<>();

  HubSync(long id) {
    this.id = id;
  }

  /** A request that waits: who sent it and from which thread, and what it waits with. */
  static final class Parked {
    final Peer peer;
    final long request;
    final long thread;

    /** The permits it asks for; for a condition's waiter, the holds it gave back to wait. */
    long count;

    /** A condition's waiter: it gave back its holds, and is answered once it has them again. */
    boolean awaits;

    /** A condition's waiter that stopped waiting: it still takes the lock back first. */
    boolean cancelled;

    /** A condition's waiter at the hub: its place in line ({@link ConditionWords}' tickets). */
    long ticket;

    /** A barrier party's arrival index. */
    long index;

    /** A barrier's parked request: the generation it waits for, and what it waits for there. */
    long gen;

    int kind;

    Parked(Peer peer, long request, long thread, long count) {
      this.peer = peer;
      this.request = request;
      this.thread = thread;
      this.count = count;
    }
  }

  /** Handles a request for {@code object} (this, or a part of it such as a condition). */
  final void handle(Peer peer, byte op, long object, long request, long value, byte[] payload) {
    synchronized (this) {
      onRequest(peer, op, object, request, value, payload);
    }
    flush();
  }

  /** Stops the wait of {@code peer}'s {@code request}, if it still waits. */
  final void cancel(Peer peer, long request) {
    synchronized (this) {
      onCancel(peer, request);
    }
    flush();
  }

  /** The process of {@code peer} is gone: drop its waits, take back what it held. */
  final void peerGone(Peer peer) {
    synchronized (this) {
      onPeerGone(peer);
    }
    flush();
  }

  /**
   * Process {@code pid} has exited, and its parent reaped it: what it still holds that waited for
   * its death to be seen (a lock, whose holder's connection may end before its process does) is
   * handed on now.
   */
  final void processExited(long pid) {
    synchronized (this) {
      onProcessExited(pid);
    }
    flush();
  }

  /** See {@link #processExited}; nothing by default. Holds this. */
  void onProcessExited(long pid) {}

  /** Runs {@code action} under the monitor, then writes the replies it queued. */
  final void act(Runnable action) {
    synchronized (this) {
      action.run();
    }
    flush();
  }

  abstract void onRequest(
      Peer peer, byte op, long object, long request, long value, byte[] payload);

  abstract void onCancel(Peer peer, long request);

  abstract void onPeerGone(Peer peer);

  /** How many requests wait here now, for the hub's figures. */
  final synchronized int waiting() {
    return parkedRequests().size();
  }

  /**
   * What holds this object and who waits on it at the hub, as one line for an operator ({@link
   * io.jfutures.multiprocessing.HubMXBean#getBusyObjects}); null if nothing does. Waiters that wait
   * on the object's words in shared memory, without the hub, are not seen here.
   */
  final synchronized String describe() {
    List<String> parts = new ArrayList<>();
    describeHolders(parts);
    List<Peer> waiting = new ArrayList<>();
    for (Parked p : parkedRequests()) {
      waiting.add(p.peer);
    }
    if (!waiting.isEmpty()) {
      parts.add(waiting.size() + " waiting at the hub: " + OperatorNames.of(waiting));
    }
    return parts.isEmpty() ? null : kind() + " " + id + ": " + String.join(", ", parts);
  }

  /** The kind of object, for an operator: "lock", say. */
  abstract String kind();

  /** The requests parked here now. Holds this. */
  abstract Collection<Parked> parkedRequests();

  /** Adds who holds this object now, if its kind is held. Holds this. */
  void describeHolders(List<String> parts) {}

  /** Queues a reply; written once the monitor is released. Call holding the monitor. */
  final void reply(Peer peer, byte op, long request, long value) {
    peer.enqueue(op, request, id, value, null);
    unflushed.add(peer);
  }

  /** Queues a reply with a payload; written once the monitor is released. */
  final void reply(Peer peer, byte op, long request, long value, byte[] payload) {
    peer.enqueue(op, request, id, value, payload);
    unflushed.add(peer);
  }

  /** Queues an error reply of {@code kind} ({@link Wire#ERROR_MONITOR}, say). */
  final void error(Peer peer, long request, long kind, String message) {
    peer.enqueue(Wire.ERROR, request, id, kind, message.getBytes(StandardCharsets.UTF_8));
    unflushed.add(peer);
  }

  /** Replies to a request this kind of object does not know. */
  final void unknown(Peer peer, byte op, long request) {
    error(peer, request, 0, "unknown request " + op + " for " + getClass().getSimpleName());
  }

  /** Removes and returns {@code peer}'s {@code request} from {@code parked}, or null. */
  static Parked remove(Collection<Parked> parked, Peer peer, long request) {
    for (Iterator<Parked> it = parked.iterator(); it.hasNext(); ) {
      Parked p = it.next();
      if (p.peer == peer && p.request == request) {
        it.remove();
        return p;
      }
    }
    return null;
  }

  /** Removes every request of {@code peer} from {@code parked}; returns whether there was one. */
  static boolean removeAll(Collection<Parked> parked, Peer peer) {
    return parked.removeIf(p -> p.peer == peer);
  }

  private void flush() {
    List<Peer> peers;
    synchronized (this) {
      if (unflushed.isEmpty()) {
        return;
      }
      peers = new ArrayList<>(unflushed);
      unflushed.clear();
    }
    peers.forEach(Peer::flush);
  }
}
