package io.jfutures.multiprocessing.internal.hub;

import io.jfutures.multiprocessing.SharedMemory;

/**
 * A client connection's lane for its small unbounded puts ({@code PUT_ASYNC}): a {@link PipeRing}
 * in shared memory that the hub owns, so that a producer that puts many items writes each into
 * memory the hub maps instead of making a system call (Q1's producer: 3.3 us of CPU a put, most of
 * it the write). The item is safe outside the producer once committed, as a written frame is in the
 * kernel: a producer killed after {@code put} returned still has its item delivered (Python's fault
 * F1 stays fixed).
 *
 * <pre>
 * States (per connection): NONE -> ASKED (the client sent LANE_OPEN after ASK_AFTER puts) -> OPEN
 * (the hub made the block and said LANE; the client mapped it) or REFUSED (LANE -1, or the map
 * failed: puts stay on the socket). An open lane lives as long as its connection; the hub drains
 * what is committed when the connection ends, and unlinks the block.
 * </pre>
 *
 * <p>Order. A client writes every frame and commits every record holding its write lock, and counts
 * the frames it wrote on the socket; each record carries that count. The hub counts the frames it
 * read, and takes a record only once it has handled every socket frame written before it, and
 * handles a socket frame only once it has taken every record committed before it. So the hub sees
 * one client's puts, and its other requests, in the order the client made them, whichever way each
 * went. A record claimed and never committed (its process died in between) is the last: the lock
 * kept anything else from being written after it.
 *
 * <p>Wake-ups. The hub's reader marks the lane PARKED before it waits on the socket with nothing
 * left to take; a client that sees PARKED after its commit clears it and posts LANE_WAKE. The puts
 * made while the reader wakes up (tens of microseconds on a VM) need no system call: they are taken
 * with the first. A ping-pong's lone put costs a commit more than on the socket.
 */
final class PutLane {
  /** The largest item a lane carries: a record is two longs, then the item. */
  static final int MAX_ITEM = PipeRing.MAX_MESSAGE - 2 * Long.BYTES;

  /**
   * A lane's record bytes: four times a pipe's ring, so that a producer of 1 KiB items is not
   * stopped by a lane full of a few dozen while the hub's reader waits for a CPU (Q1b: half the
   * puts found a 64 KiB lane full and went on the socket).
   */
  static final int CAPACITY = 4 * PipeRing.CAPACITY;

  /**
   * How many puts a connection sends on its socket before it asks for a lane: a lane is a mapped
   * block, worth it for a producer, not for a process that puts a report or two.
   */
  static final int ASK_AFTER = 64;

  private final PipeRing ring;
  private final SharedMemory block; // the hub's, which unlinks it; null in a client

  private PutLane(PipeRing ring, SharedMemory block) {
    this.ring = ring;
    this.block = block;
  }

  /** The name of lane {@code lane}'s block in the hub of process {@code hubPid}. */
  static String blockName(long hubPid, long lane) {
    return "jfutures_internal_lane_" + hubPid + "_" + lane;
  }

  /**
   * Makes lane {@code lane} of this JVM's hub.
   *
   * @throws RuntimeException if the block cannot be made (no room): the client puts on its socket
   */
  static PutLane create(long lane) {
    SharedMemory block =
        SharedMemory.create(blockName(LockWords.pid(), lane), PipeRing.blockBytes(CAPACITY));
    return new PutLane(PipeRing.create(block), block);
  }

  /** A lane in memory of this JVM only: for tests. */
  static PutLane detached() {
    return new PutLane(PipeRing.detached(CAPACITY), null);
  }

  /**
   * A client's view of lane {@code lane} of the hub of process {@code hubPid}.
   *
   * @throws RuntimeException if it cannot be mapped
   */
  static PutLane attach(long hubPid, long lane) {
    return new PutLane(PipeRing.attach(blockName(hubPid, lane)), null);
  }

  // ---- the client's, under its write lock ------------------------------------------------------

  /** What {@link #offer} did with a put. */
  enum Offer {
    /** Nothing: send it on the socket (the item is too large, or the lane full). */
    SOCKET,
    /** Committed. */
    TAKEN,
    /** Committed, and the hub's reader was marked PARKED meanwhile: post LANE_WAKE. */
    TAKEN_WAKE
  }

  /**
   * Commits a put of {@code item} into queue {@code queue}, written after {@code socketFrames}
   * frames on the socket, unless it is better sent there.
   */
  Offer offer(long socketFrames, long queue, byte[] item) {
    if (item.length > MAX_ITEM) {
      return Offer.SOCKET;
    }
    long at = ring.claim(2 * Long.BYTES + item.length);
    if (at < 0) {
      return Offer.SOCKET; // full: the socket's frame comes after what the lane holds
    }
    long flags = ring.commit(at, socketFrames, queue, item);
    return (flags & PipeRing.PARKED) != 0 && ring.clearParked() ? Offer.TAKEN_WAKE : Offer.TAKEN;
  }

  // ---- the hub's, on the connection's reader ---------------------------------------------------

  /**
   * The next put to handle, as a PUT_ASYNC frame, if it was committed after at most {@code
   * socketFramesRead} socket frames; else null.
   */
  Wire.Frame next(long socketFramesRead) {
    return ring.drainPut(socketFramesRead);
  }

  /** Whether a committed record waits: one that {@link #next} refused waits for socket frames. */
  boolean hasCommitted() {
    return ring.hasCommitted();
  }

  /**
   * Whether the oldest committed record was committed after more than {@code socketFramesRead}
   * socket frames: it waits for them, and {@link #next} refuses it until they are handled. False if
   * none is committed, or it can be taken now.
   */
  boolean waitsForSocket(long socketFramesRead) {
    return ring.committedPutCount() > socketFramesRead;
  }

  /**
   * Marks the reader PARKED before it waits on the socket; false if a record was committed
   * meanwhile (then it is not marked, and takes it first).
   */
  boolean park() {
    return ring.markParked();
  }

  /** The reader was woken by a frame: no LANE_WAKE is needed any more. */
  void unpark() {
    ring.clearParked();
  }

  /** Unlinks the block: the connection ended, or this JVM exits. */
  void unlink() {
    HubBlocks.unlink(block);
  }
}
