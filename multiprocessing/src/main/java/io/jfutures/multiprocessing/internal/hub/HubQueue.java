package io.jfutures.multiprocessing.internal.hub;

import io.jfutures.multiprocessing.SharedMemory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A queue as the hub holds it: items as the bytes their producer serialized (the hub never reads
 * them), and who waits for what.
 *
 * <pre>
 * An item's life:  QUEUED (in items) -> SENT (in unacked of the peer it was sent to)
 *                  -> TAKEN (acknowledged: in taken of that peer, joinable queues only)
 *                  -> DONE (taskDone by that peer)
 * A done is counted, not named: it marks the oldest item its peer took. One that reaches the hub
 *          before the take it marks (a claim or ACK in a frame still to be read, while the done
 *          came in the done word or a frame read first) waits for that take (settleDones).
 * SENT -> QUEUED again, in its place, when its peer dies before it acknowledged (it never saw it),
 *         or says it has no heap for it (NACK).
 * TAKEN -> QUEUED again in its place (REQUEUE), or DONE and counted failed (COUNT_AS_DONE), when
 *          its peer dies before taskDone: F14's policy.
 * QUEUED -> LEASED (sent ahead to a consumer process that asked for a window of them) -> TAKEN
 *          when that process's get claims it; LEASED -> QUEUED again, in its place, when the
 *          process gives it back (a recall) or dies.
 * An item's place is its put's turn (its seq): queued items are always in that order, so an item
 *          that comes back goes in ahead of every younger one, whoever gave those back first.
 * A claim is a CLAIM frame, or, from a process on this machine, a store to its claim word: the
 *          last lease its gets took, written before the get returns. The hub reads every word at
 *          the start of each operation on the queue (harvest), so each sees what was claimed.
 * A waiter (get, put while full, join) is PARKED until served, cancelled, or its peer dies.
 * A bounded queue's room: FREE -> GRANTED (reserved for a producer process that asked for places
 *          ahead of its puts) -> used by a put of that process (its item is in) | FREE again when
 *          given back (a recall) or the process dies.
 * A pipe direction's room, while its receiving end is held: OPEN (fewer than maxBytes bytes queued)
 *          -> FULL (maxBytes or more): a put that may wait parks, one that may not goes in and
 *          its process is told HOLD (its next puts may wait) -> OPEN again when a get makes room:
 *          the parked puts go in, in order, and every process told HOLD is told ROOM.
 * A pipe direction's receiver: UNHELD (its end not yet with a process: no bound) -> HELD ->
 *          GONE (closed, or every process that held it died), final: what is queued is dropped,
 *          the parked puts and every later put fail (RECEIVER_GONE to a local one, PIPE_BROKEN to a
 *          process), and the processes that hold the sending end are told PIPE_BROKEN at once.
 * A pipe direction's leases: only its receiving end's sole holder, a process other than the hub's,
 *          is leased messages (its window asked for as a queue's consumer asks); when that end gains
 *          or loses a holder, every lessee is recalled, and until what they hold is back, or taken,
 *          no getter is served from the queue (GATED): those messages are older than any queued.
 * A pipe direction's ring ({@link PipeRing}): NONE -> OPEN (its sender asked, each end has one
 *          holder on this machine, and nothing is queued, leased or parked: messages go through
 *          the ring, and a getter that finds none parks with the ring marked PARKED, to be told
 *          READ_RING)
 *          -> RETIRED (a holder came or went, the sender asked, or a put came, which only a sender
 *          that gave the ring up makes: what was committed is drained into the queue, in order,
 *          before anything put after; while a record claimed before the retire is not yet
 *          committed, puts wait behind the ring, behindRing, in order) -> OPEN
 *          again on the sender's next ask, once drained and nothing waits behind it -> CLOSED (an
 *          end is gone: drained, the rest dropped, the blocks unlinked), final.
 * </pre>
 *
 * <p>Leases keep a consumer in another process busy without a round trip per item: items go ahead
 * to it, in order, up to the window it asked for ({@link #lease}) and {@value #LEASE_MAX_BYTES}
 * bytes, but only while no getter waits: a getter always comes first. A leased item is still in the
 * queue ({@link #size()}, a bounded queue's room) until claimed. When a getter finds nothing queued
 * while items are leased, every lessee is recalled: it gives back what it has not claimed and gets
 * no more until it asks again, so that an item never sits with a process that does not take it
 * while another waits. A process takes what it is sent in the order sent, so none is leased an item
 * older than one it was sent already: Python's consumers stop at a sentinel put after every item,
 * and one leased a sentinel, then an older item given back by another, would stop without it.
 *
 * <p>Places are the mirror of leases for a bounded queue's producers: a producer process that asked
 * for them ({@link #askForPlaces}) is granted free room, up to a window, and puts into it without
 * waiting for a reply; a granted place counts against the room until that process's put uses it,
 * its process gives it back, or dies. Parked putters come first: no place is granted while one
 * waits, and when one must wait while places are granted, every holder is recalled (it gives back
 * what it has not used). A process's puts and give-backs reach the hub in any order relative to
 * each other, and the hub only counts them down, so its count stays exact ({@link GrantedPlaces}).
 * On the process's side, {@link Leases} and {@link Places} are the two mirrors.
 *
 * <p>Replies to connections are decided under the lock and sent after it (the outbox), so that a
 * write to a process that does not read (frozen, say) never holds up the queue for the others.
 *
 * <p>Invariants, under the lock of this object: a getter is parked only while items is empty, or,
 * in a pipe direction, while items are leased (GATED); a putter only while the queue is full;
 * {@code unfinished} counts the items put and not yet done (joinable queues); a peer's waiters,
 * unacked and taken items all go when the peer goes. Thread-safe.
 */
final class HubQueue {
  /** What happens to an item a dead consumer took but never marked done. */
  enum DeadConsumerPolicy {
    /** It is put back at the front of the queue, for another consumer: at least once. */
    REQUEUE,
    /** It counts as done, and as failed: {@code join()} is not held up by it. */
    COUNT_AS_DONE
  }

  /** One party waiting on this queue: a request of a connection, or a thread of the hub's JVM. */
  static final class Waiter {
    final Peer peer;
    final long request;
    final byte[] item; // a parked putter's item
    final CompletableFuture<byte[]> local; // for a thread of the hub's JVM; null for a connection

    Waiter(Peer peer, long request, byte[] item, CompletableFuture<byte[]> local) {
      this.peer = peer;
      this.request = request;
      this.item = item;
      this.local = local;
    }
  }

  private static final byte[] NOTHING = new byte[0];

  /**
   * How a local put into a pipe direction whose receiving end is gone fails: its future completes
   * with this. Shared and without a stack trace: it carries no more than that fact.
   */
  static final RuntimeException RECEIVER_GONE =
      new RuntimeException("the receiving end is gone", null, false, false) {
        private static final long serialVersionUID = 1L;
      };

  /**
   * How long a get that would not wait may wait for leased items to be called back: a lessee gives
   * them back at once unless its process is frozen.
   */
  static final long RECALL_GRACE_NANOS = 1_000_000_000L;

  /** The most bytes of items leased to one process at a time (at least one item). */
  static final long LEASE_MAX_BYTES = 1 << 20;

  /**
   * The most bytes a pipe direction holds for its receiver before a send waits: Python's pipe is a
   * socket pair, whose send blocks once the kernel holds a few hundred KiB unread. Without a bound
   * a sender faster than its receiver filled the hub's heap (the JVM of the pipe's creator).
   */
  static final long PIPE_MAX_BYTES = 1 << 20;

  /** A process that asked for items ahead of its gets: its window, and what it holds unclaimed. */
  private static final class Lessee {
    int window; // 0 once recalled, until it asks again
    long generation; // how many times it was recalled: a request for leases must name the last
    long bytes;
    final LinkedHashMap<Long, Item> held = new LinkedHashMap<>(); // in lease order, and put order
    boolean wantsWords; // asked for claims in memory, and can map them: words with its first item
    LockWords.Word claims; // the last lease its gets took, or null: it sends CLAIM frames
    long harvested; // the claim word's value when last read
    LockWords.Word dones; // joinable queues: its taskDone calls not sent as frames, or null
    long harvestedDones; // the done word's value when last read
    LockWords.Word full; // pipe directions: 1 while full, when its gets claim in frames too

    long youngestSent; // the seq of the youngest item sent to it, leased or as a get's reply

    /**
     * Whether it may be leased {@code next}: its window and bytes have room, and {@code next} is
     * younger than every item it was sent. A process takes its items in the order they are sent; an
     * older one, given back by another, would come after a younger one, which may be a sentinel
     * that ends the consumer with it unclaimed. It stays queued, for a get.
     */
    boolean wantsMore(Item next) {
      return held.size() < window
          && (held.isEmpty() || bytes < LEASE_MAX_BYTES)
          && next.seq > youngestSent;
    }
  }

  /**
   * An item as the hub holds it: the bytes its producer serialized, and its place in the order of
   * puts. The queue keeps its items in that order, also when some come back from a process.
   */
  static final class Item implements Comparable<Item> {
    final long seq;
    final byte[] bytes;

    Item(long seq, byte[] bytes) {
      this.seq = seq;
      this.bytes = bytes;
    }

    /**
     * By put order. Not a comparator built of lambdas: every process that uses a queue loads this
     * class (its handles name {@link #END}), and a cold JVM links each lambda at a cost of
     * milliseconds.
     */
    @Override
    public int compareTo(Item other) {
      return Long.compare(seq, other.seq);
    }
  }

  /**
   * The peers with replies queued under the lock, to be flushed once it is released: a write to a
   * peer that does not read (a frozen process) may block, and must not block everyone else's use of
   * this queue. Guarded by this.
   */
  private Set<Peer> outbox = new LinkedHashSet<>();

  /** What a getter gets from a queue whose writers are all gone and whose items are all taken. */
  static final byte[] END = new byte[0];

  final long id;
  private final int maxSize; // 0: unbounded
  private final long maxBytes; // a pipe direction's room while its receiver is held; 0: none
  private final boolean joinable;
  private final DeadConsumerPolicy policy;

  private final ArrayDeque<Item> items = new ArrayDeque<>(); // in put order (seq)
  private final ArrayDeque<Waiter> getters = new ArrayDeque<>();
  private final ArrayDeque<Waiter> putters = new ArrayDeque<>();

  /**
   * Puts that came while a retired ring held records not yet drained (one its sender claimed and
   * has not committed, or committed after the retire): they go in after those records, once the
   * ring is drained ({@link #releaseBehindRing}). A thread that committed into the ring, then put
   * through the hub, expects its messages in that order; and another thread's record, claimed
   * before them and committed after, would otherwise hold theirs back behind its put.
   */
  private final ArrayDeque<Waiter> behindRing = new ArrayDeque<>();

  private final List<Waiter> joiners = new ArrayList<>();
  private final Map<Peer, Map<Long, Item>> unacked = new HashMap<>();
  private final Map<Peer, ArrayDeque<Item>> taken = new HashMap<>();

  /**
   * Per process, its TASK_DONE frames that came before the hub learned of the takes they mark
   * ({@link #taskDoneCounted}): settled by its next items taken.
   */
  private final Map<Peer, Long> owedDones = new HashMap<>();

  private final Map<Peer, Lessee> lessees = new LinkedHashMap<>();
  private final GrantedPlaces places = new GrantedPlaces(); // a bounded queue's
  private long leased; // items held by lessees, over all of them
  private long leases; // the last lease number given
  private long puts; // the last item's seq
  private long unfinished;
  private long failed;
  private boolean writersGone; // a pipe direction whose sending end is closed or dead
  private boolean receiverHeld; // a pipe direction whose receiving end a process holds
  private boolean receiverGone; // a pipe direction whose receiving end is gone for good
  private long queuedBytes; // of the items in items
  private final Set<Peer> told = new LinkedHashSet<>(); // told HOLD, not yet ROOM

  private final LockWords words; // where claim words come from; null: none are given
  private volatile Peer lastPutter = Peer.LOCAL; // the process whose put came last (a hint)

  private Peer soleReceiver; // a pipe direction's: the process that alone holds its receiving end,
  // which may be leased messages; null: none may

  private PipeRing ring; // a pipe direction's, once its sender asked for one; null before and once
  // CLOSED
  private volatile SharedMemory ringBlock; // the ring's block, which this hub owns
  private volatile SharedMemory bulkBlock; // the ring's area for long messages, once asked for
  private boolean ringOpen; // senders may claim records in it
  private boolean ringClosed; // one of the pipe's ends is gone: no ring ever again

  /**
   * What a getter of a pipe direction is answered when a message waits in its ring: read it there.
   */
  static final byte[] READ_RING = new byte[0];

  HubQueue(long id, int maxSize, boolean joinable, DeadConsumerPolicy policy) {
    this(id, maxSize, joinable, policy, null);
  }

  HubQueue(long id, int maxSize, boolean joinable, DeadConsumerPolicy policy, LockWords words) {
    this(id, maxSize, 0, joinable, policy, words);
  }

  private HubQueue(
      long id,
      int maxSize,
      long maxBytes,
      boolean joinable,
      DeadConsumerPolicy policy,
      LockWords words) {
    this.id = id;
    this.maxSize = maxSize;
    this.maxBytes = maxBytes;
    this.joinable = joinable;
    this.policy = policy;
    this.words = words;
  }

  /**
   * Returns a pipe direction: unbounded in items, and holding at most {@code maxBytes} bytes for
   * its receiver before a put that may wait parks.
   */
  static HubQueue pipeDirection(long id, long maxBytes) {
    return pipeDirection(id, maxBytes, null);
  }

  /**
   * As {@link #pipeDirection(long, long)}; a lessee on this machine claims its items in {@code
   * words} (null: in frames).
   */
  static HubQueue pipeDirection(long id, long maxBytes, LockWords words) {
    return new HubQueue(id, 0, maxBytes, false, DeadConsumerPolicy.REQUEUE, words);
  }

  /**
   * The process whose put came last, or {@link Peer#LOCAL}: the one whose lane a getter of the
   * hub's JVM watches while it waits ({@link Peer#watchLane}).
   */
  Peer lastPutter() {
    return lastPutter;
  }

  // ---- put -----------------------------------------------------------------------------------

  /**
   * Puts {@code item}. Returns true if it was accepted now; false if the queue is full and the
   * caller did not want to wait; otherwise parks {@code waiter} and returns null.
   */
  Boolean put(byte[] item, boolean wait, Peer peer, long request, CompletableFuture<byte[]> local) {
    if (peer != Peer.LOCAL && lastPutter != peer) {
      lastPutter = peer;
    }
    return locked(
        () -> {
          if (ringOpen) {
            // Its sender gave the ring up, and this put came before the retire it asked for (which
            // RingSender sends first): nothing may be queued while the ring is open, as receivers
            // then read the ring alone, so the ring retires here, its records going in first.
            retireRingLocked();
          }
          if (!behindRing.isEmpty() || ringDraining()) {
            behindRing.add(new Waiter(peer, request, item, local));
            return null; // answered once the ring is drained
          }
          return putLocked(item, wait, peer, request, local);
        });
  }

  /** Whether a retired ring holds records not yet drained into the queue. */
  private boolean ringDraining() {
    return ring != null && !ringOpen && !ring.drained();
  }

  /**
   * The ring is drained (or gone): the puts held behind it go in, in order, whatever the bound (a
   * sender's way through the hub would have let them in before the ring's records were drained).
   */
  private void releaseBehindRing() {
    while (!behindRing.isEmpty() && !ringDraining()) {
      Waiter w = behindRing.poll();
      if (Boolean.TRUE.equals(putLocked(w.item, false, w.peer, w.request, w.local))) {
        release(w);
      }
    }
  }

  /** {@link #put}'s work, holding the lock; its replies go to the outbox. */
  private Boolean putLocked(
      byte[] item, boolean wait, Peer peer, long request, CompletableFuture<byte[]> local) {
    if (receiverGone) {
      refuse(new Waiter(peer, request, item, local));
      return null; // answered
    }
    if (wait && full()) { // full: items are queued, so no getter waits
      putters.add(new Waiter(peer, request, item, local)); // a pipe's sender, until room is made
      return null;
    }
    if (maxSize > 0 && free() <= 0 && getters.isEmpty()) {
      if (!wait && places.total() == 0) {
        return false;
      }
      if (places.total() > 0) {
        // The room is out as places: called back, it comes to this putter first. One that would
        // not wait waits for it too (its side bounds that: RECALL_GRACE_NANOS).
        recallPlaces();
      }
      putters.add(new Waiter(peer, request, item, local));
      return null;
    }
    accept(item);
    if (full() && peer != Peer.LOCAL && told.add(peer)) {
      reply(peer, Wire.HOLD, 0, null); // its next puts may wait, until ROOM
    }
    return true;
  }

  /** Whether a pipe direction holds as many bytes as it may for its receiver. */
  private boolean full() {
    return maxBytes > 0 && receiverHeld && queuedBytes + leasedBytes() >= maxBytes;
  }

  /** The bytes of the items out on lease, over all lessees. */
  private long leasedBytes() {
    long bytes = 0;
    for (Lessee l : lessees.values()) {
      bytes += l.bytes;
    }
    return bytes;
  }

  /**
   * Whether getters must wait for leased items to come back or be taken before anything queued: in
   * a pipe direction, whose receivers see its messages in the order sent, they are older than any.
   */
  private boolean gated() {
    return maxBytes > 0 && leased > 0;
  }

  /** A pipe direction's receiving end is now held by a process: its bound applies from now. */
  void receiverHeld() {
    locked(
        () -> {
          receiverHeld = true;
          return null;
        });
  }

  /**
   * A pipe direction's receiving end is gone for good (closed, or every process that held it died):
   * what is queued is dropped, parked and later puts fail, and {@code senders}, the processes that
   * hold the sending end, are told now.
   */
  void receiverGone(Set<Peer> senders) {
    locked(
        () -> {
          receiverHeld = false;
          receiverGone = true;
          closeRingLocked(); // its records dropped with the rest
          items.clear();
          queuedBytes = 0;
          putters.forEach(this::refuse);
          putters.clear();
          told.clear(); // PIPE_BROKEN ends their HOLD
          for (Peer sender : senders) {
            if (sender != Peer.LOCAL) {
              reply(sender, Wire.PIPE_BROKEN, 0, null);
            }
          }
          return null;
        });
  }

  /** Whether this pipe direction's receiving end is gone for good. */
  synchronized boolean receiverGone() {
    return receiverGone;
  }

  /**
   * Answers a put into a pipe direction whose receiver is gone: a local one's future fails, a
   * process's put is answered PIPE_BROKEN (an asynchronous one waits for no answer, but its process
   * learns from it that its later puts fail). The item is dropped.
   */
  private void refuse(Waiter putter) {
    if (putter.local != null) {
      putter.local.completeExceptionally(RECEIVER_GONE);
    } else {
      reply(putter.peer, Wire.PIPE_BROKEN, putter.request, null);
    }
  }

  /** Whether this queue has a most number of items. */
  boolean bounded() {
    return maxSize > 0;
  }

  /** A bounded queue's room: what is neither queued, leased nor granted as places. */
  private long free() {
    return maxSize - items.size() - leased - places.total();
  }

  /**
   * {@code peer} put {@code item} into a place it was granted (a bounded queue's put that waited
   * for no reply): the place is used, and the item goes in.
   */
  void putIntoPlace(Peer peer, byte[] item) {
    if (lastPutter != peer) {
      lastPutter = peer;
    }
    locked(
        () -> {
          places.used(peer); // a process puts so only into a place it holds
          accept(item);
          grantPlaces(); // its window topped up from the free room
          return null;
        });
  }

  /** {@code peer} may hold up to {@code window} places ahead of its puts (a bounded queue). */
  void askForPlaces(Peer peer, int window) {
    locked(
        () -> {
          if (maxSize > 0) {
            places.window(peer, Math.min(window, Math.max(1, maxSize / 4)));
            grantPlaces();
          }
          return null;
        });
  }

  /** {@code peer} gives back {@code places} places it held and had not used. */
  void giveBackPlaces(Peer peer, int given) {
    locked(
        () -> {
          if (places.givenBack(peer, given) > 0) {
            roomMade();
          }
          return null;
        });
  }

  /** Grants free room to the grantees that want more, unless a putter waits for it. */
  private void grantPlaces() {
    if (maxSize == 0 || !putters.isEmpty()) {
      return;
    }
    places.grant(free(), (peer, n) -> reply(peer, Wire.PLACES, 0, n, null));
  }

  /** Tells every grantee holding places to give back those it has not used: a putter waits. */
  private void recallPlaces() {
    places.holders(peer -> reply(peer, Wire.RECALL_PLACES, 0, null));
  }

  private void accept(byte[] bytes) {
    if (joinable) {
      unfinished++;
    }
    Item item = new Item(++puts, bytes);
    Waiter getter = gated() ? null : getters.poll();
    if (getter != null) {
      send(getter, item);
      return;
    }
    items.addLast(item); // the youngest
    queuedBytes += bytes.length;
    leaseAhead();
  }

  /** Sends queued items, in order, to the lessees that want more, one each per round. */
  private void leaseAhead() {
    boolean sent = true;
    while (sent && !items.isEmpty() && !lessees.isEmpty()) {
      sent = false;
      for (Map.Entry<Peer, Lessee> e : lessees.entrySet()) {
        Lessee l = e.getValue();
        if (items.isEmpty()) {
          break;
        }
        if (l.wantsMore(items.peek()) && (maxBytes == 0 || e.getKey() == soleReceiver)) {
          giveWordsOnce(e.getKey(), l);
          Item item = poll();
          long lease = ++leases;
          l.held.put(lease, item);
          l.youngestSent = item.seq;
          l.bytes += item.bytes.length;
          leased++;
          reply(e.getKey(), Wire.LEASED, lease, item.bytes);
          sent = true;
        }
      }
    }
  }

  /** Tells every lessee to give back what it holds and take no more: a getter found nothing. */
  private void recallLeases() {
    recallLeasesExcept(null);
  }

  /** As {@link #recallLeases}, for every lessee but {@code keep}. */
  private void recallLeasesExcept(Peer keep) {
    for (Map.Entry<Peer, Lessee> e : lessees.entrySet()) {
      Lessee l = e.getValue();
      if (e.getKey() != keep && (l.window > 0 || !l.held.isEmpty())) {
        l.window = 0;
        l.generation++;
        reply(e.getKey(), Wire.RECALL, l.generation, null);
      }
    }
  }

  private void send(Waiter getter, Item item) {
    if (getter.local != null) {
      taken(getter.peer, item);
      getter.local.complete(item.bytes);
    } else {
      replyItem(getter.peer, getter.request, item);
    }
  }

  /** Sends {@code item} to a process as its get's reply; unacknowledged until it says so. */
  private void replyItem(Peer peer, long request, Item item) {
    unacked.computeIfAbsent(peer, p -> new LinkedHashMap<>()).put(request, item);
    Lessee l = lessees.get(peer);
    if (l == null) {
      l = new Lessee(); // its first get: a window asked for later leases it nothing older
      lessees.put(peer, l);
    }
    l.youngestSent = Math.max(l.youngestSent, item.seq);
    reply(peer, Wire.ITEM, request, item.bytes);
  }

  private void taken(Peer peer, Item item) {
    if (joinable) {
      taken.computeIfAbsent(peer, p -> new ArrayDeque<>()).add(item);
    }
  }

  /** {@link #settleDones(Peer, Lessee, long)} with {@code peer}'s done word as it reads now. */
  private void settleDones(Peer peer) {
    Lessee l = lessees.get(peer);
    settleDones(peer, l, l == null || l.dones == null ? 0 : l.dones.get());
  }

  /**
   * Marks done what {@code peer} marked and the hub has items taken for: its done word's count
   * {@code dones} beyond what was harvested, and its TASK_DONE frames that found nothing to mark
   * ({@link #taskDoneCounted}). Runs after the hub learns of takes. A process's takes reach the hub
   * by several ways (its claim word, read at each operation; CLAIM frames, while that word is not
   * yet mapped there; the ACK of a get's reply), and its dones by two (the done word, read at any
   * operation, and frames), so a done can come first: the word's count, read during another
   * process's operation, can mark the one item the hub knows of, which a TASK_DONE frame still on
   * its way was to mark. Dones are counted, not named (each marks the oldest item taken), so any
   * item taken later settles it.
   */
  private void settleDones(Peer peer, Lessee l, long dones) {
    if (!joinable) {
      return;
    }
    boolean marked = false;
    while (l != null && l.harvestedDones < dones && markOldestDone(peer)) {
      l.harvestedDones++;
      marked = true;
    }
    Long owed = owedDones.get(peer);
    if (owed != null) {
      long left = owed;
      while (left > 0 && markOldestDone(peer)) {
        left--;
        marked = true;
      }
      if (left == 0) {
        owedDones.remove(peer);
      } else {
        owedDones.put(peer, left);
      }
    }
    if (marked) {
      releaseJoinersIfDone();
    }
  }

  // ---- get -----------------------------------------------------------------------------------

  /**
   * Takes the first item for {@code peer}, or parks the getter if the queue is empty and it may
   * wait. An item for a connection is sent to it here.
   *
   * @return the item, for a local getter that got one now; {@link #NOTHING} if the queue is empty
   *     and the getter would not wait; null if the getter was parked (also one that would not wait,
   *     while leased items are called back), or the item sent
   */
  byte[] get(boolean wait, Peer peer, long request, CompletableFuture<byte[]> local) {
    return locked(() -> getLocked(wait, peer, request, local));
  }

  /** {@link #get}'s work, holding the lock; its replies go to the outbox. */
  private byte[] getLocked(boolean wait, Peer peer, long request, CompletableFuture<byte[]> local) {
    Lessee lessee = local == null ? lessees.get(peer) : null;
    if (lessee != null && !lessee.held.isEmpty()) {
      // Its own leased items are older than anything queued, and are on their way to it (or
      // there): it takes those first, so that it sees items in the order they were put.
      reply(peer, Wire.TAKE_LEASED, request, null);
      return null;
    }
    if (gated()) {
      // A pipe's older messages are leased to a process that no longer holds its end alone:
      // called back, they come to this getter first (gated getters are served in serveGetters).
      recallLeases();
      getters.add(new Waiter(peer, request, null, local));
      return null;
    }
    Item item = poll();
    if (item == null && ringOpen) {
      // Whatever was sent is in the ring: read it there, or wait until the sender says it wrote.
      if (!ring.hasCommitted() && !wait) {
        return NOTHING;
      }
      if (ring.hasCommitted() || !ring.markParked()) {
        return answer(peer, request, local, READ_RING, Wire.READ_RING);
      }
      getters.add(new Waiter(peer, request, null, local));
      return null;
    }
    if (item == null) {
      if (writersGone) {
        return answer(peer, request, local, END, Wire.EOF);
      }
      if (!wait && leased == 0) {
        return NOTHING;
      }
      if (leased > 0) {
        // The items are out on lease: called back, they come to this getter first. One that
        // would not wait waits for them too (its side bounds that: RECALL_GRACE_NANOS), so that
        // getNowait does not find the queue empty while it holds items.
        recallLeases();
      }
      getters.add(new Waiter(peer, request, null, local));
      return null;
    }
    roomMade();
    if (local != null) {
      taken(peer, item);
      return item.bytes;
    }
    replyItem(peer, request, item);
    return null;
  }

  /**
   * Answers a getter now, with no item: a local one gets {@code result} as its result, a process's
   * is answered {@code op}.
   */
  private byte[] answer(
      Peer peer, long request, CompletableFuture<byte[]> local, byte[] result, byte op) {
    if (local != null) {
      return result;
    }
    reply(peer, op, request, null);
    return null;
  }

  // ---- a pipe direction's ring ---------------------------------------------------------------

  /**
   * Opens this pipe direction's ring, allocating it on first use, if nothing is queued, parked or
   * on its way through the ring; returns it, or null if it cannot open now. The caller ({@link
   * HubPipe}) checked the ends.
   */
  PipeRing openRing() {
    return locked(
        () -> {
          if (maxBytes == 0
              || ringOpen
              || ringClosed
              || writersGone
              || receiverGone
              || !items.isEmpty()
              || leased > 0
              || !putters.isEmpty()
              || !behindRing.isEmpty()
              || !told.isEmpty()) {
            return null;
          }
          if (ring == null) {
            try {
              ringBlock =
                  SharedMemory.create(
                      PipeRing.blockName(LockWords.pid(), id), PipeRing.BLOCK_BYTES);
            } catch (RuntimeException e) {
              ringClosed = true; // no room, or a block of a dead hub with this pid: the hub's way
              return null;
            }
            ring = PipeRing.create(ringBlock);
          } else if (!ring.drained()) {
            return null; // a record its sender claimed before it was retired is not yet in
          } else {
            ring.reopen();
          }
          ringOpen = true;
          if (!getters.isEmpty()) {
            ring.markParked(); // they wait for a message, which now comes through the ring
          }
          return ring;
        });
  }

  /**
   * The area for long messages beside this pipe direction's ring ({@link BulkArea}), allocated at
   * the first ask; null if the direction has no ring, or the system no room for the area.
   */
  BulkArea openBulk() {
    return locked(
        () -> {
          if (ring == null || ringClosed) {
            return null;
          }
          BulkArea area = ring.bulkArea();
          if (area == null) {
            try {
              bulkBlock =
                  SharedMemory.create(BulkArea.blockName(ring.name()), BulkArea.BLOCK_BYTES);
            } catch (RuntimeException e) {
              return null; // long messages go through this hub, as they would without the area
            }
            area = BulkArea.create(bulkBlock);
            ring.bulk(area);
          }
          return area;
        });
  }

  /** This pipe direction's ring, or null: for a receiver in the hub's own JVM. */
  synchronized PipeRing ring() {
    return ring;
  }

  /**
   * Retires the ring, if open: senders claim nothing more, and what they committed is drained into
   * the queue, in order, ahead of anything put from now on.
   */
  void retireRing() {
    locked(
        () -> {
          retireRingLocked();
          return null;
        });
  }

  private void retireRingLocked() {
    if (ring == null) {
      return;
    }
    if (ringOpen) {
      ringOpen = false;
      ring.retire();
    }
    drainRingLocked();
  }

  /** A sender committed a record into the ring after it was retired: it goes into the queue now. */
  void ringDrain() {
    locked(
        () -> {
          if (ring != null && !ringOpen) {
            drainRingLocked();
          }
          return null;
        });
  }

  /**
   * The ring's sender is gone (closed its end, or died): after what it committed, the records it
   * claimed and never committed are dropped, so that the ring can drain and open again.
   */
  void dropRingRest() {
    locked(
        () -> {
          if (ring != null && !ringOpen) {
            drainRingLocked();
            ring.dropRest();
            releaseBehindRing();
          }
          return null;
        });
  }

  /** Moves the committed records of a retired ring into the queue, oldest first. */
  private void drainRingLocked() {
    for (byte[] m = ring.drainOne(); m != null; m = ring.drainOne()) {
      if (!receiverGone) {
        accept(m);
      }
    }
    releaseBehindRing();
  }

  /** A sender wrote into the ring while a getter was parked: every parked getter reads it. */
  void ringWake() {
    locked(
        () -> {
          if (ringOpen) {
            answerGetters(READ_RING, Wire.READ_RING);
          }
          return null;
        });
  }

  /**
   * Closes the ring for good, as an end of the pipe is gone: what was committed is drained (unless
   * nobody will receive it), a record still being written is dropped, and the block is unlinked.
   */
  private void closeRingLocked() {
    ringClosed = true;
    if (ring == null) {
      return;
    }
    retireRingLocked();
    ring.dropRest();
    ring = null;
    unlinkRingBlock();
    releaseBehindRing();
  }

  /**
   * Unlinks the ring's block and its area's, if any: at the ring's close, or the hub's exit
   * (without the lock, which a thread stopped by the exit may hold).
   */
  void unlinkRingBlock() {
    HubBlocks.unlink(ringBlock);
    ringBlock = null;
    HubBlocks.unlink(bulkBlock);
    bulkBlock = null;
  }

  /** Takes the first queued item, or returns null. */
  private Item poll() {
    Item item = items.poll();
    if (item != null) {
      queuedBytes -= item.bytes.length;
    }
    return item;
  }

  /**
   * Room may have been made: parked putters' items go in, in order, then places are granted; a pipe
   * direction with room tells the processes it told HOLD.
   */
  private void roomMade() {
    while (!putters.isEmpty() && ((maxSize > 0 ? free() > 0 : !full()) || !getters.isEmpty())) {
      Waiter putter = putters.poll();
      accept(putter.item);
      release(putter);
    }
    if (!told.isEmpty() && !full()) {
      told.forEach(peer -> reply(peer, Wire.ROOM, 0, null));
      told.clear();
    }
    grantPlaces();
  }

  // ---- leases --------------------------------------------------------------------------------

  /**
   * {@code peer} may hold up to {@code window} leased items; 0 ends its leases. A request that
   * crossed a recall ({@code generation} is not the number of recalls sent to it) is ignored: the
   * recall tells the process to ask again, and what it gives back would otherwise come after items
   * leased since.
   */
  void lease(Peer peer, long generation, int window) {
    lease(peer, generation, window, false);
  }

  /**
   * As {@link #lease(Peer, long, int)}; with {@code claimsInMemory}, a process that maps this hub's
   * shared memory is given a claim word ({@link Wire#CLAIM_WORD}) right before its first leased
   * item: not before, since mapping it costs a process's first get (a gate it waits at, whose item
   * comes as the reply) a millisecond or more of its reader thread, in front of that reply.
   */
  void lease(Peer peer, long generation, int window, boolean claimsInMemory) {
    locked(
        () -> {
          Lessee l = lessees.computeIfAbsent(peer, p -> new Lessee());
          l.wantsWords |= claimsInMemory && words != null && peer.pid() > 0;
          if (generation == l.generation) {
            l.window = Math.max(0, window);
            leaseAhead();
          }
          return null;
        });
  }

  /** {@code peer}'s get took the item of {@code lease}: it is taken, and makes room. */
  void claim(Peer peer, long lease) {
    locked(
        () -> {
          Item item = unlease(peer, lease);
          if (item != null) {
            taken(peer, item);
            settleDones(peer);
            serveGetters();
            roomMade();
            leaseAhead();
          }
          return null;
        });
  }

  /**
   * {@code peer} gives back the items of {@code leases}: they go back into the queue, each in its
   * place in the order of puts.
   */
  void giveBack(Peer peer, long[] leases) {
    locked(
        () -> {
          List<Item> back = new ArrayList<>();
          for (long lease : leases) {
            Item item = unlease(peer, lease);
            if (item != null) {
              back.add(item);
            }
          }
          offerBack(back);
          return null;
        });
  }

  /**
   * Takes what lessees wrote in their words since last read: the items claimed are taken, make room
   * and free their places in the windows; the dones mark taken items done. Runs first in every
   * operation, holding the lock. Returns whether any item was claimed.
   */
  private boolean harvestWords() {
    int claimed = 0;
    for (Map.Entry<Peer, Lessee> e : lessees.entrySet()) {
      Lessee l = e.getValue();
      if (l.claims == null) {
        continue;
      }
      // Dones first: a process stores its claim of an item before its done of it, so the claims
      // read after a done count include that item's.
      long dones = l.dones == null ? 0 : l.dones.get();
      long through = l.claims.get();
      claimed += claimThrough(e.getKey(), l, through);
      // Each done pops the oldest item it took. One it got as a reply to a GET is in taken only
      // once its ACK is read, one claimed in a frame once that frame is: a done counted before
      // that waits for the take.
      settleDones(e.getKey(), l, dones);
    }
    if (claimed > 0) {
      serveGetters();
      roomMade();
      leaseAhead();
    }
    return claimed > 0;
  }

  /** Takes the items of {@code l} leased up to {@code through}; returns how many. */
  private int claimThrough(Peer peer, Lessee l, long through) {
    int claimed = 0;
    if (through > l.harvested) {
      l.harvested = through;
      Iterator<Map.Entry<Long, Item>> it = l.held.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<Long, Item> h = it.next();
        if (h.getKey() > through) {
          break;
        }
        it.remove();
        l.bytes -= h.getValue().bytes.length;
        leased--;
        taken(peer, h.getValue());
        claimed++;
      }
    }
    return claimed;
  }

  /**
   * Gives {@code l} its claim word (and a joinable queue's done word, a pipe direction's full word)
   * before its first leased item, if it asked. The claim word goes last: a process's gets claim in
   * it from the moment it arrives, and must find the full word there already (a take while full is
   * told in a frame at once); one that arrived before it left a take between the two that claimed
   * in the word only, which the hub would read at its next operation, while a sender waited.
   */
  private void giveWordsOnce(Peer peer, Lessee l) {
    if (l.wantsWords && l.claims == null) {
      l.claims = words.allocate();
      if (joinable) {
        l.dones = words.allocate();
        giveWord(peer, Wire.DONE_WORD, l.dones);
      }
      if (maxBytes > 0) {
        l.full = words.allocate();
        l.full.set(full() ? 1 : 0);
        giveWord(peer, Wire.FULL_WORD, l.full);
      }
      giveWord(peer, Wire.CLAIM_WORD, l.claims);
    }
  }

  /**
   * Tells a pipe direction's lessees, in their full words, whether it is full: while it is, a
   * sender waits for room, and the hub must hear of each item a get takes at once (a claim word is
   * read only at the hub's next operation on the queue, which might never come: the receiver may
   * wait for that sender on another channel). Runs last in every operation, holding the lock.
   */
  private void tellFull() {
    if (maxBytes == 0 || words == null || lessees.isEmpty()) {
      return;
    }
    boolean raised;
    do {
      boolean full = full();
      raised = false;
      for (Lessee l : lessees.values()) {
        if (l.full != null && l.full.get() != (full ? 1 : 0)) {
          l.full.set(full ? 1 : 0);
          raised |= full;
        }
      }
      // A get may have claimed an item after this operation read the claim words, and read the
      // full word before it was raised: it stores its claim before it reads the full word, and
      // this raises the word before it reads the claims again, so one of the two sees the other.
    } while (raised && harvestWords());
  }

  private void giveWord(Peer peer, byte op, LockWords.Word word) {
    reply(peer, op, 0, word.index, word.block.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  private Item unlease(Peer peer, long lease) {
    Lessee l = lessees.get(peer);
    Item item = l == null ? null : l.held.remove(lease);
    if (item != null) {
      l.bytes -= item.bytes.length;
      leased--;
    }
    return item;
  }

  /**
   * {@code peer} had no heap for the item it asked for with {@code request}: it goes back in its
   * place, as if never sent.
   */
  void nack(Peer peer, long request) {
    locked(
        () -> {
          Map<Long, Item> sent = unacked.get(peer);
          Item item = sent == null ? null : sent.remove(request);
          if (item != null) {
            offerBack(List.of(item));
          }
          return null;
        });
  }

  /**
   * {@code peer} received the item it asked for with {@code request}. Not a whole operation (no
   * harvest: an ACK comes with most gets of a consumer that holds no leases), but a done that came
   * before it may release a joiner, who is told at once.
   */
  void ack(Peer peer, long request) {
    Set<Peer> toFlush;
    synchronized (this) {
      Map<Long, Item> sent = unacked.get(peer);
      Item item = sent == null ? null : sent.remove(request);
      if (item != null) {
        taken(peer, item);
        settleDones(peer);
      }
      toFlush = takeOutbox();
    }
    DeferredFlushes.flush(toFlush);
  }

  /**
   * The sending end of this pipe direction is closed, or its holders are dead: getters, once the
   * items are taken, get end-of-file; those waiting now get it at once.
   */
  void writersGone() {
    locked(
        () -> {
          writersGoneLocked();
          return null;
        });
  }

  /** {@link #writersGone}'s work, holding the lock; its replies go to the outbox. */
  private void writersGoneLocked() {
    closeRingLocked(); // what was sent through it comes before end-of-file
    writersGone = true;
    if (!gated()) { // else the messages out on lease come first (serveGetters)
      answerGetters(END, Wire.EOF);
    }
  }

  /** Answers every parked getter: a local one with {@code result}, a process's with {@code op}. */
  private void answerGetters(byte[] result, byte op) {
    for (Waiter g : getters) {
      if (g.local != null) {
        g.local.complete(result);
      } else {
        reply(g.peer, op, g.request, null);
      }
    }
    getters.clear();
  }

  // ---- waiting ends --------------------------------------------------------------------------

  /**
   * Withdraws the parked request or local waiter; returns whether it was still parked (then it gets
   * nothing). A remote one is answered CANCELLED here.
   */
  boolean cancel(Peer peer, long request, CompletableFuture<byte[]> local) {
    return locked(() -> cancelLocked(peer, request, local));
  }

  /** {@link #cancel}'s work, holding the lock; its replies go to the outbox. */
  private boolean cancelLocked(Peer peer, long request, CompletableFuture<byte[]> local) {
    for (ArrayDeque<Waiter> parked : List.of(getters, putters, behindRing)) {
      if (removeWaiter(parked.iterator(), peer, request, local)) {
        return true;
      }
    }
    return removeWaiter(joiners.iterator(), peer, request, local);
  }

  private boolean removeWaiter(
      Iterator<Waiter> it, Peer peer, long request, CompletableFuture<byte[]> local) {
    while (it.hasNext()) {
      Waiter w = it.next();
      if (local != null ? w.local == local : (w.peer == peer && w.request == request)) {
        it.remove();
        if (local == null) {
          reply(peer, Wire.CANCELLED, request, null);
        }
        return true;
      }
    }
    return false;
  }

  /**
   * {@code peer}'s process is gone: its parked requests go; the items sent or leased to it and
   * never acknowledged or claimed go back into the queue, each in its place; the items it took and
   * never marked done follow the policy.
   */
  void peerGone(Peer peer) {
    locked(
        () -> {
          peerGoneLocked(peer);
          return null;
        });
  }

  /** {@link #peerGone}'s work, holding the lock; its replies go to the outbox. */
  private void peerGoneLocked(Peer peer) {
    getters.removeIf(w -> w.peer == peer);
    putters.removeIf(w -> w.peer == peer); // a put that never returned: its item was never in
    told.remove(peer);
    joiners.removeIf(w -> w.peer == peer);
    List<Item> back = new ArrayList<>();
    Map<Long, Item> sent = unacked.remove(peer);
    if (sent != null) {
      back.addAll(sent.values());
    }
    Lessee lessee = lessees.remove(peer);
    if (lessee != null) {
      // What it claimed in its word was harvested as this began: these it never took.
      back.addAll(lessee.held.values());
      leased -= lessee.held.size();
      if (lessee.claims != null) {
        words.free(lessee.claims, peer.pid());
      }
      if (lessee.dones != null) {
        words.free(lessee.dones, peer.pid());
      }
      if (lessee.full != null) {
        words.free(lessee.full, peer.pid());
      }
    }
    places.gone(peer); // its puts all arrived before its end
    owedDones.remove(peer); // its frames are all read: none can wait for a take still to come
    ArrayDeque<Item> notDone = taken.remove(peer);
    if (notDone != null) {
      if (policy == DeadConsumerPolicy.REQUEUE) {
        back.addAll(notDone);
      } else {
        unfinished -= notDone.size();
        failed += notDone.size();
        releaseJoinersIfDone();
      }
    }
    offerBack(back);
    roomMade(); // its places, and what its parked putters would have taken
  }

  /**
   * Puts items that were out (given back, never acknowledged, or taken by a process that died) back
   * into the queue, each in its place in the order of puts: they are older than every item put
   * since they went out, but not always than those another process gave back before them, and a
   * consumer that stops at a sentinel must find every older item before it. Then serves the
   * getters, oldest item first, and leases what lessees want.
   */
  private void offerBack(List<Item> back) {
    if (receiverGone) {
      return; // nobody will receive them
    }
    if (!back.isEmpty()) {
      long youngestBack = 0;
      for (Item item : back) {
        youngestBack = Math.max(youngestBack, item.seq);
      }
      List<Item> merged = new ArrayList<>(back);
      while (!items.isEmpty() && items.peek().seq < youngestBack) {
        merged.add(items.poll()); // older items given back before these: few
      }
      merged.sort(null);
      for (int i = merged.size() - 1; i >= 0; i--) {
        items.addFirst(merged.get(i));
      }
      for (Item item : back) {
        queuedBytes += item.bytes.length;
      }
    }
    serveGetters(); // even if none came back: a give-back may be empty
    leaseAhead();
  }

  /**
   * Serves parked getters from the queue, in order: those a pipe direction's leases held up
   * (GATED), once nothing is leased any more, and those that waited for items to come back from a
   * process; the rest get end-of-file if a pipe direction's sending end is gone.
   */
  private void serveGetters() {
    if (gated()) {
      return;
    }
    boolean served = false;
    while (!getters.isEmpty() && !items.isEmpty()) {
      send(getters.poll(), poll());
      served = true;
    }
    if (served) {
      roomMade();
    }
    if (items.isEmpty() && writersGone) {
      answerGetters(END, Wire.EOF);
    }
  }

  /**
   * A pipe direction's receiving end is held by {@code sole} alone (a process other than the
   * hub's), or by none or several ({@code null}): only that process may be leased messages, and a
   * lessee that is no longer it gives back what it holds.
   */
  void soleReceiver(Peer sole) {
    locked(
        () -> {
          soleReceiver = sole == Peer.LOCAL ? null : sole;
          recallLeasesExcept(soleReceiver);
          leaseAhead();
          return null;
        });
  }

  // ---- joinable ------------------------------------------------------------------------------

  /**
   * Marks the oldest item {@code peer} took as done.
   *
   * @throws IllegalStateException if {@code peer} has no item it took and has not marked done
   */
  void taskDone(Peer peer) {
    locked(
        () -> {
          if (!markOldestDone(peer)) {
            throw new IllegalStateException(
                "taskDone() called more times than this process got items from the queue");
          }
          releaseJoinersIfDone();
          return null;
        });
  }

  /**
   * Marks the oldest item {@code peer} took as done, for a process that counted its takes and dones
   * itself (so it never sends a done too many): if the hub has not yet learned of the take it
   * marks, the done waits for it ({@link #settleDones}).
   */
  void taskDoneCounted(Peer peer) {
    locked(
        () -> {
          if (markOldestDone(peer)) {
            releaseJoinersIfDone();
          } else {
            owedDones.merge(peer, 1L, Long::sum);
          }
          return null;
        });
  }

  /** Marks the oldest item {@code peer} took and has not marked as done; false if there is none. */
  private boolean markOldestDone(Peer peer) {
    ArrayDeque<Item> notDone = taken.get(peer);
    if (notDone == null || notDone.poll() == null) {
      return false;
    }
    unfinished--;
    return true;
  }

  /** Returns true if nothing is unfinished; else parks the joiner and returns false. */
  boolean join(Peer peer, long request, CompletableFuture<byte[]> local) {
    return locked(() -> joinLocked(peer, request, local));
  }

  /** {@link #join}'s work, holding the lock; its replies go to the outbox. */
  private boolean joinLocked(Peer peer, long request, CompletableFuture<byte[]> local) {
    if (unfinished == 0) {
      return true;
    }
    joiners.add(new Waiter(peer, request, null, local));
    return false;
  }

  private void releaseJoinersIfDone() {
    if (unfinished == 0) {
      joiners.forEach(this::release);
      joiners.clear();
    }
  }

  /** Tells a parked putter or joiner that it may go on. */
  private void release(Waiter w) {
    if (w.local != null) {
      w.local.complete(NOTHING);
    } else {
      reply(w.peer, Wire.OK, w.request, null);
    }
  }

  /** Runs {@code work} holding the lock, then flushes the replies it decided, without the lock. */
  private <T> T locked(Supplier<T> work) {
    T result;
    Set<Peer> toFlush;
    synchronized (this) {
      harvestWords();
      result = work.get();
      tellFull();
      toFlush = takeOutbox();
    }
    DeferredFlushes.flush(toFlush);
    return result;
  }

  /** Queues a reply to {@code peer} (in the order decided: under the lock), flushed after it. */
  private void reply(Peer peer, byte op, long request, byte[] payload) {
    reply(peer, op, request, 0, payload);
  }

  private void reply(Peer peer, byte op, long request, long value, byte[] payload) {
    peer.enqueue(op, request, id, value, payload);
    outbox.add(peer);
  }

  private Set<Peer> takeOutbox() {
    if (outbox.isEmpty()) {
      return Set.of();
    }
    Set<Peer> taken = outbox;
    outbox = new LinkedHashSet<>();
    return taken;
  }

  /** How many getters and putters wait now. */
  synchronized int waiting() {
    return getters.size() + putters.size();
  }

  /**
   * What this queue holds and who waits on it, as one line for an operator ({@link
   * io.jfutures.multiprocessing.HubMXBean#getBusyObjects}); null if it holds nothing and nobody
   * waits.
   */
  String describe() {
    return locked(
        () -> {
          long taken = 0;
          for (ArrayDeque<Item> t : this.taken.values()) {
            taken += t.size();
          }
          if (items.isEmpty()
              && leased == 0
              && unfinished == 0
              && taken == 0
              && getters.isEmpty()
              && putters.isEmpty()
              && joiners.isEmpty()
              && behindRing.isEmpty()) {
            return null;
          }
          List<String> parts = new ArrayList<>();
          parts.add(items.size() + " queued");
          if (leased > 0) {
            parts.add(leased + " leased ahead to " + OperatorNames.of(lessees.keySet()));
          }
          if (joinable) {
            parts.add(unfinished + " unfinished");
          }
          for (Map.Entry<Peer, ArrayDeque<Item>> t : this.taken.entrySet()) {
            if (!t.getValue().isEmpty()) {
              parts.add(
                  t.getValue().size()
                      + " taken by "
                      + OperatorNames.of(t.getKey())
                      + " and not done");
            }
          }
          waiters(parts, "getter", getters);
          waiters(parts, "putter", putters);
          waiters(parts, "put held behind the ring", behindRing);
          waiters(parts, "joiner", joiners);
          if (writersGone) {
            parts.add("its sending end is closed");
          }
          if (receiverGone) {
            parts.add("its receiving end is closed");
          }
          return (maxBytes > 0 ? "pipe direction " : joinable ? "joinable queue " : "queue ")
              + id
              + ": "
              + String.join(", ", parts);
        });
  }

  private static void waiters(List<String> parts, String what, Collection<Waiter> waiting) {
    if (!waiting.isEmpty()) {
      List<Peer> from = new ArrayList<>();
      for (Waiter w : waiting) {
        from.add(w.peer);
      }
      parts.add(
          waiting.size()
              + " "
              + what
              + (waiting.size() == 1 ? "" : "s")
              + " waiting: "
              + OperatorNames.of(from));
    }
  }

  /** The items put and not yet taken: queued, or leased and not yet claimed. */
  long size() {
    return locked(() -> items.size() + leased);
  }

  long unfinished() {
    return locked(() -> unfinished);
  }

  synchronized long failed() {
    return failed;
  }
}
