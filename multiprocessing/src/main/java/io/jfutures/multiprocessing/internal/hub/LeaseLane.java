package io.jfutures.multiprocessing.internal.hub;

import io.jfutures.multiprocessing.SharedMemory;

/**
 * A connection's lane for the items its hub leases to the client process ({@code LEASED}): a {@link
 * PipeRing} in shared memory that the hub owns and writes, and the client's threads take from. A
 * get that finds nothing held looks there itself, and watches it for a while ({@link
 * QueueBackend}): an item put for a consumer that watches reaches it without a write, a read or a
 * wake-up on either side (Q2, a queue's ping-pong: each item crossed the socket, woke the client's
 * reader, which wrote its acknowledgement and woke the getter). The mirror of {@link PutLane}.
 *
 * <pre>
 * States (per connection): NONE -> ASKED (the client asked for leases for the first time, and sent
 * LEASE_LANE_OPEN) -> OFFERED (the hub made the block and said LEASE_LANE; the client maps it)
 * -> OPEN (the client said LEASE_LANE_READY: the hub writes leases that fit there) or REFUSED
 * (LEASE_LANE -1, or the map failed: leases stay frames). An open lane lives as long as its
 * connection; the hub unlinks the block when the connection ends.
 * </pre>
 *
 * <p>Order. The hub counts the frames it queues for the client, and writes each record holding the
 * connection's lock for that count, with it. The client counts the frames its reader handled, and
 * takes a record only once its reader handled every frame counted in it; its reader takes every
 * record its frames allow before it handles the next frame. So the client sees its leases and the
 * hub's other frames (a recall, a claim word, a reply) in the order the hub decided them, as if
 * every lease had been a frame. A lease that does not fit (a large item, a full lane) goes as a
 * frame, in its turn.
 *
 * <p>The hub writes a lease there only while a get of the client watches the lane (WATCHED, a flag
 * the get sets): a consumer that takes what it is sent ahead, without waiting, has its leases read
 * by its reader thread from frames, beside its own work, as before (J1, two consumers of a joinable
 * queue, read about a tenth lower in alternating runs when every lease went through the lane and
 * the getters took them there themselves).
 *
 * <p>A record is a lease like a frame's: the item stays the hub's until a get claims it (in the
 * claim word), and goes back to the queue if the client gives it back or dies, taken from the lane
 * or not. Nothing wakes a client for a record: the reader takes records before each frame, and a
 * get takes them, or asks the hub, which answers that leases are there ({@code TAKE_LEASED}).
 */
final class LeaseLane {
  /** A lane's record bytes: a window of small items, 256 of them, fits about four times. */
  static final int CAPACITY = 2 * PipeRing.CAPACITY;

  /** The largest item a lane carries: a record is three longs, then the item. */
  static final int MAX_ITEM = PipeRing.MAX_MESSAGE - 3 * Long.BYTES;

  private final PipeRing ring;
  private final SharedMemory block; // the hub's, which unlinks it; null in a client

  private LeaseLane(PipeRing ring, SharedMemory block) {
    this.ring = ring;
    this.block = block;
  }

  /** The name of lane {@code lane}'s block in the hub of process {@code hubPid}. */
  static String blockName(long hubPid, long lane) {
    return "jfutures_internal_leases_" + hubPid + "_" + lane;
  }

  /**
   * Makes lane {@code lane} of this JVM's hub.
   *
   * @throws RuntimeException if the block cannot be made (no room): leases stay frames
   */
  static LeaseLane create(long lane) {
    SharedMemory block =
        SharedMemory.create(blockName(LockWords.pid(), lane), PipeRing.blockBytes(CAPACITY));
    return new LeaseLane(PipeRing.create(block), block);
  }

  /** A lane in memory of this JVM only: for tests. */
  static LeaseLane detached() {
    return new LeaseLane(PipeRing.detached(CAPACITY), null);
  }

  /**
   * A client's view of lane {@code lane} of the hub of process {@code hubPid}.
   *
   * @throws RuntimeException if it cannot be mapped
   */
  static LeaseLane attach(long hubPid, long lane) {
    return new LeaseLane(PipeRing.attach(blockName(hubPid, lane)), null);
  }

  // ---- the hub's, holding the connection's lock --------------------------------------------

  /**
   * Writes lease {@code lease} of {@code item} in queue {@code queue}, queued after {@code
   * framesBefore} frames; false if it does not fit (too large, or the lane is full): it goes as a
   * frame.
   */
  boolean offer(long framesBefore, long queue, long lease, byte[] item) {
    if (item.length > MAX_ITEM || !ring.flagged(PipeRing.WATCHED)) {
      return false;
    }
    long at = ring.claim(3 * Long.BYTES + item.length);
    if (at < 0) {
      return false;
    }
    ring.commit(at, framesBefore, queue, lease, item);
    return true;
  }

  /** Unlinks the block: the connection ended, or this JVM exits. */
  void unlink() {
    HubBlocks.unlink(block);
  }

  // ---- the client's, by one thread at a time ---------------------------------------------------

  /** Says that a get watches the lane ({@code true}), or no longer does. */
  void watched(boolean watched) {
    ring.flag(PipeRing.WATCHED, watched);
  }

  /**
   * The next lease, as a LEASED frame, if it was queued after at most {@code framesHandled} frames;
   * else null.
   */
  Wire.Frame next(long framesHandled) {
    return ring.drainLeased(framesHandled);
  }
}
