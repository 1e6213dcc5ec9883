package io.jfutures.multiprocessing.internal.hub;

import io.jfutures.multiprocessing.SharedMemory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One pipe direction's messages in shared memory, so that a message between two processes on this
 * machine crosses no socket and wakes no thread while the receiver watches: the hub allocates a
 * ring when the direction's sender asks for it and each end has one holder ({@link HubPipe}), and
 * retires it, for a while or for good, when that changes. {@link RingEnd} is a process's side;
 * {@link HubQueue} drains a retired ring into the direction's queue, in order.
 *
 * <pre>
 * The block: TAIL word, HEAD word (a cache line each), then the capacity's bytes of records (a
 * pipe's: CAPACITY; a lane's: its own).
 * TAIL: the end of what senders claimed (a byte position, a multiple of 8, never wrapping) | bits:
 *   RETIRED (the hub's: senders claim nothing more; what is committed goes to the hub queue) and
 *   PARKED (the hub's: a receiver waits at the hub; the sender that sees it clears it and posts
 *   RING_WAKE). Claims keep both bits.
 * HEAD: the start of what nobody took yet; the receiver and the hub's drain both move it, by
 *   compare-and-set, so a record is taken exactly once, oldest first.
 * A record at position p: a header word at p mod capacity (lap, length, PAD, BULK), then its
 *   bytes, padded to 8. Its sender claims it (TAIL), copies the bytes, then commits it: stores the
 *   header, with the lap of p, last. Memory is never zeroed: a header from an earlier lap reads as
 *   "not yet committed". A record that would not fit before the end is preceded by a PAD record
 *   to the end, committed at once. A BULK record holds a long message's place and length in the
 *   ring's {@link BulkArea}, whose bytes its sender wrote before it committed the record; whoever
 *   takes the record then frees them.
 * </pre>
 *
 * Invariants: HEAD <= committed <= TAIL, and TAIL - HEAD <= capacity; once RETIRED, only the hub
 * takes records (a receiver that finds RETIRED asks the hub, which queued them), so what the hub
 * drains comes after everything the receiver took. The sender stores a header with a volatile store
 * and then reads TAIL; the hub sets PARKED with a compare-and-set and then reads the header at
 * HEAD: one of the two sees the other (no lost wake-up).
 *
 * <p>A client's {@link PutLane} is such a ring too, never retired, whose only taker is the hub's
 * reader of that client's connection.
 */
final class PipeRing {
  /**
   * A pipe's ring's record bytes: an OS pipe's buffer, as Python's {@code Pipe(duplex=False)} has.
   */
  static final int CAPACITY = 64 * 1024;

  /**
   * The longest message a ring carries; a longer one retires it and goes through the hub (a quarter
   * of the ring, so that a few are in flight at once).
   */
  static final int MAX_MESSAGE = CAPACITY / 4 - Long.BYTES;

  /** The bytes of a record that points to a long message in the {@link BulkArea}. */
  static final int BULK_RECORD = 2 * Long.BYTES;

  static final long RETIRED = 1;
  static final long PARKED = 2;

  /** A lease lane's: a get of its client watches it, so the hub writes leases there. */
  static final long WATCHED = 4;

  private static final long FLAGS = 7;

  private static final int TAIL = 0;
  private static final int HEAD = 64;
  private static final int DATA = 128;
  static final int BLOCK_BYTES = blockBytes(CAPACITY);

  private static final long PAD = 1;
  private static final long BULK = 2;

  private static final VarHandle LONGS =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

  /** What {@link #claim} returns when the ring is retired. */
  static final long CLAIM_RETIRED = -1;

  /** What {@link #claim} returns when the record does not fit now. */
  static final long CLAIM_FULL = -2;

  private final ByteBuffer buffer;
  private final String name;
  private final int capacity; // the record bytes: the block's, after TAIL and HEAD
  private volatile BulkArea bulk; // set by the hub and the sender, mapped by a receiver on need

  private PipeRing(ByteBuffer buffer, String name) {
    this.buffer = buffer;
    this.name = name;
    this.capacity = (buffer.capacity() - DATA) & ~7;
  }

  /** The bytes of a block for a ring of {@code capacity} record bytes (a multiple of 8). */
  static int blockBytes(int capacity) {
    return DATA + capacity;
  }

  /** A new ring in a block of its own, in the hub's JVM: its owner. */
  static PipeRing create(SharedMemory block) {
    return new PipeRing(block.buffer(), block.name());
  }

  /** A ring in memory of this JVM only: for tests. */
  static PipeRing detached() {
    return detached(CAPACITY);
  }

  /** A ring of {@code capacity} record bytes in memory of this JVM only: for tests. */
  static PipeRing detached(int capacity) {
    return new PipeRing(ByteBuffer.allocateDirect(blockBytes(capacity)), "");
  }

  /** This process's view of the ring in block {@code name}, mapped now. */
  static PipeRing attach(String name) {
    try (SharedMemory block = SharedMemory.attach(name)) {
      return new PipeRing(block.buffer(), name);
    }
  }

  /**
   * The name of the block of the ring of queue {@code queue} (a pipe direction) of the hub in
   * process {@code hubPid}: a direction has at most one ring in its hub's life, so a receiver finds
   * it by name.
   */
  static String blockName(long hubPid, long queue) {
    return "jfutures_internal_ring_" + hubPid + "_" + queue;
  }

  /** The block's name, by which a process attaches. */
  String name() {
    return name;
  }

  /** Gives the ring its area for long messages, as the hub allocated it or a sender mapped it. */
  void bulk(BulkArea area) {
    bulk = area;
  }

  /** The ring's area for long messages, if this process has it. */
  BulkArea bulkArea() {
    return bulk;
  }

  /** The ring's area for long messages, mapped now if a BULK record is the first seen here. */
  private BulkArea bulk() {
    BulkArea b = bulk;
    if (b == null) {
      try {
        b = BulkArea.attach(BulkArea.blockName(name));
      } catch (RuntimeException e) {
        return null; // unlinked: the ring was closed after this receiver saw the record
      }
      bulk = b;
    }
    return b;
  }

  // ---- sender --------------------------------------------------------------------------------

  /**
   * Claims room for a record of {@code length} bytes; returns its position, or {@link
   * #CLAIM_RETIRED}, or {@link #CLAIM_FULL}. A claimed record must be {@link #commit committed}.
   */
  long claim(int length) {
    int size = recordBytes(length);
    while (true) {
      long t = tail();
      if ((t & RETIRED) != 0) {
        return CLAIM_RETIRED;
      }
      long p = t & ~FLAGS;
      int at = offset(p);
      int pad = at + size > capacity ? capacity - at : 0;
      if (p + pad + size - head() > capacity) {
        return CLAIM_FULL;
      }
      if (LONGS.compareAndSet(buffer, TAIL, t, (p + pad + size) | (t & FLAGS))) {
        if (pad > 0) {
          commitPadding(p, pad);
        }
        return p + pad;
      }
    }
  }

  /**
   * Copies {@code length} bytes of {@code message} from {@code offset} into the record claimed at
   * {@code position}, then commits it; returns TAIL's flags as read after the commit ({@link
   * #PARKED}: a receiver waits at the hub; {@link #RETIRED}: the hub may be draining, and must be
   * told).
   */
  long commit(long position, byte[] message, int offset, int length) {
    int at = offset(position);
    buffer.put(DATA + at + Long.BYTES, message, offset, length);
    LONGS.setVolatile(buffer, DATA + at, header(position, length));
    return tail() & (PARKED | RETIRED);
  }

  /**
   * As {@link #commit}, for a BULK record, claimed for {@link #BULK_RECORD} bytes: the message of
   * {@code length} bytes that its sender wrote at {@code bulkPosition} of the ring's area.
   */
  long commitBulk(long position, long bulkPosition, int length) {
    int at = offset(position);
    LONGS.set(buffer, DATA + at + Long.BYTES, bulkPosition);
    LONGS.set(buffer, DATA + at + 2 * Long.BYTES, (long) length);
    LONGS.setVolatile(buffer, DATA + at, header(position, BULK_RECORD) | BULK);
    return tail() & (PARKED | RETIRED);
  }

  /**
   * Commits the record claimed at {@code position} for {@code length} bytes as padding, which
   * takers pass by: its sender failed between its claim and its commit, and the record must not
   * hold up the ring (its drain, the puts behind it) for as long as the sender's process lives.
   */
  void commitPad(long position, int length) {
    commitPadding(position, recordBytes(length));
  }

  /** Commits {@code bytes} (header included) at {@code position} as a PAD record. */
  private void commitPadding(long position, int bytes) {
    LONGS.setVolatile(buffer, DATA + offset(position), header(position, bytes - Long.BYTES) | PAD);
  }

  /**
   * As {@link #commit}, for a record of two longs, {@code first} and {@code second}, then {@code
   * message}: a {@link PutLane}'s, claimed for {@code 2 * 8 + message.length} bytes.
   */
  long commit(long position, long first, long second, byte[] message) {
    int at = offset(position);
    LONGS.set(buffer, DATA + at + Long.BYTES, first);
    LONGS.set(buffer, DATA + at + 2 * Long.BYTES, second);
    buffer.put(DATA + at + 3 * Long.BYTES, message);
    LONGS.setVolatile(buffer, DATA + at, header(position, 2 * Long.BYTES + message.length));
    return tail() & (PARKED | RETIRED);
  }

  /**
   * As {@link #commit(long, long, long, byte[])}, with three longs before the message (a {@link
   * LeaseLane}'s record).
   */
  void commit(long position, long first, long second, long third, byte[] message) {
    int at = offset(position);
    LONGS.set(buffer, DATA + at + Long.BYTES, first);
    LONGS.set(buffer, DATA + at + 2 * Long.BYTES, second);
    LONGS.set(buffer, DATA + at + 3 * Long.BYTES, third);
    buffer.put(DATA + at + 4 * Long.BYTES, message);
    LONGS.setVolatile(buffer, DATA + at, header(position, 3 * Long.BYTES + message.length));
  }

  /** Sets or clears {@code flag} ({@link #WATCHED}), keeping the rest of TAIL. */
  void flag(long flag, boolean on) {
    while (true) {
      long t = tail();
      long next = on ? t | flag : t & ~flag;
      if (next == t || LONGS.compareAndSet(buffer, TAIL, t, next)) {
        return;
      }
    }
  }

  /** Whether {@code flag} is set. */
  boolean flagged(long flag) {
    return (tail() & flag) != 0;
  }

  /** Clears PARKED if it is set; returns whether this call cleared it (and so posts the wake). */
  boolean clearParked() {
    while (true) {
      long t = tail();
      if ((t & PARKED) == 0) {
        return false;
      }
      if (LONGS.compareAndSet(buffer, TAIL, t, t & ~PARKED)) {
        return true;
      }
    }
  }

  // ---- receiver and hub ----------------------------------------------------------------------

  /** Whether the hub retired the ring: a receiver asks the hub instead. */
  boolean retired() {
    return (tail() & RETIRED) != 0;
  }

  /**
   * A receiver's take: the oldest committed record's bytes, or null if there is none (the ring is
   * empty, or its oldest record is claimed and not yet committed) or the ring is retired ({@link
   * #retired} tells which).
   */
  byte[] receive() {
    return take(true);
  }

  /** The hub's drain: takes the oldest committed record, retired or not; null if there is none. */
  byte[] drainOne() {
    return take(false);
  }

  private byte[] take(boolean receiver) {
    while (true) {
      long h = committedHead(); // before TAIL: a HEAD moved by the hub's drain comes with RETIRED
      if ((receiver && retired()) || h < 0) {
        return null;
      }
      long header = committedHeader(h);
      if (header == 0) {
        continue; // the other side took it meanwhile
      }
      int at = offset(h);
      int length = length(header);
      if ((header & BULK) != 0) {
        BulkArea area = bulk();
        if (area == null) {
          return null;
        }
        long place = (long) LONGS.get(buffer, DATA + at + Long.BYTES);
        long size = (long) LONGS.get(buffer, DATA + at + 2 * Long.BYTES);
        if (!BulkArea.holds(place, size)) {
          continue; // a later lap's record overwrote this one: it was taken meanwhile
        }
        byte[] message = new byte[(int) size];
        area.read(place, message);
        if (LONGS.compareAndSet(buffer, HEAD, h, h + recordBytes(length))) {
          area.taken(place + message.length);
          return message;
        }
        continue; // as below; what this copy read may be the sender's next message already
      }
      byte[] message = new byte[length];
      buffer.get(DATA + at + Long.BYTES, message);
      if (LONGS.compareAndSet(buffer, HEAD, h, h + recordBytes(length))) {
        return message;
      }
      // the other side took it first (the hub's drain, or a receiver): look again
    }
  }

  /**
   * A {@link PutLane}'s drain, by its only taker: the oldest committed record of two longs and
   * bytes, as a PUT_ASYNC frame (object: the second long; payload: the bytes), if its first long is
   * at most {@code limit}; else null (there is none, or it must wait).
   */
  Wire.Frame drainPut(long limit) {
    long h = committedHead();
    if (h < 0) {
      return null;
    }
    int at = offset(h);
    int length = length(committedHeader(h)); // nobody else takes it
    if ((long) LONGS.get(buffer, DATA + at + Long.BYTES) > limit) {
      return null;
    }
    long object = (long) LONGS.get(buffer, DATA + at + 2 * Long.BYTES);
    byte[] payload = new byte[length - 2 * Long.BYTES];
    buffer.get(DATA + at + 3 * Long.BYTES, payload);
    LONGS.setVolatile(buffer, HEAD, h + recordBytes(length));
    return new Wire.Frame(Wire.PUT_ASYNC, 0, object, 0, payload);
  }

  /**
   * A {@link LeaseLane}'s take, by its one taker at a time: the oldest committed record as a LEASED
   * frame, if its first long is at most {@code limit}; else null. Its payload is {@link
   * Wire#NO_ROOM} if this JVM has no heap for it (the record is taken all the same).
   */
  Wire.Frame drainLeased(long limit) {
    long h = committedHead();
    if (h < 0) {
      return null;
    }
    int at = offset(h);
    int length = length(committedHeader(h));
    if ((long) LONGS.get(buffer, DATA + at + Long.BYTES) > limit) {
      return null;
    }
    long object = (long) LONGS.get(buffer, DATA + at + 2 * Long.BYTES);
    long lease = (long) LONGS.get(buffer, DATA + at + 3 * Long.BYTES);
    byte[] payload;
    try {
      payload = new byte[length - 3 * Long.BYTES];
      buffer.get(DATA + at + 4 * Long.BYTES, payload);
    } catch (OutOfMemoryError e) {
      payload = Wire.NO_ROOM;
    }
    LONGS.setVolatile(buffer, HEAD, h + recordBytes(length));
    return new Wire.Frame(Wire.LEASED, lease, object, 0, payload);
  }

  /**
   * The socket frames counted in the oldest committed record of a lane (the first of its two longs,
   * {@link #commit(long, long, long, byte[])}), or -1 if none is committed.
   */
  long committedPutCount() {
    long h = committedHead();
    return h < 0 ? -1 : (long) LONGS.get(buffer, DATA + offset(h) + Long.BYTES);
  }

  /** HEAD, once the pads there are taken, if a committed record waits there; else -1. */
  private long committedHead() {
    while (true) {
      long h = head();
      long header = committedHeader(h);
      if (header == 0) {
        return -1;
      }
      if ((header & PAD) == 0) {
        return h;
      }
      LONGS.compareAndSet(buffer, HEAD, h, h + Long.BYTES + length(header));
    }
  }

  private static int length(long header) {
    return (int) ((header & 0xFFFF_FFFFL) >>> 2);
  }

  /** Whether a committed record waits at HEAD. */
  boolean hasCommitted() {
    return committedHeader(head()) != 0;
  }

  /**
   * The header of the record at {@code position} if its sender committed it, else 0 (no committed
   * header is 0: its lap is at least 1).
   */
  private long committedHeader(long position) {
    long header = (long) LONGS.getVolatile(buffer, DATA + offset(position));
    return (int) (header >>> 32) == lap(position) ? header : 0;
  }

  // ---- the hub's -----------------------------------------------------------------------------

  /**
   * Marks a receiver parked at the hub, unless the ring is retired; returns false if a committed
   * record waits already (then nothing is marked, and the receiver is told to read).
   */
  boolean markParked() {
    while (true) {
      long t = tail();
      if ((t & RETIRED) != 0 || (t & PARKED) != 0) {
        break;
      }
      if (LONGS.compareAndSet(buffer, TAIL, t, t | PARKED)) {
        break;
      }
    }
    if (hasCommitted()) {
      clearParked(); // if the sender cleared it first, its wake-up finds nobody: harmless
      return false;
    }
    return true;
  }

  /** Sets RETIRED (and clears PARKED): senders claim nothing more. */
  void retire() {
    while (true) {
      long t = tail();
      if (LONGS.compareAndSet(buffer, TAIL, t, (t | RETIRED) & ~PARKED)) {
        return;
      }
    }
  }

  /** Whether every claimed record was taken: what a retired ring must be before it reopens. */
  boolean drained() {
    return head() == (tail() & ~FLAGS);
  }

  /** Drops what is left (its sender is gone, mid-send): the ring reads as drained. */
  void dropRest() {
    while (true) {
      long h = head();
      long end = tail() & ~FLAGS;
      if (h >= end || LONGS.compareAndSet(buffer, HEAD, h, end)) {
        break;
      }
    }
    freeBulk();
  }

  /** Frees the area's bytes: no record points there (the hub's, on a drained ring). */
  private void freeBulk() {
    BulkArea b = bulk;
    if (b != null) {
      b.freeAll(); // a taker that died before it freed its message's bytes cannot hold them up
    }
  }

  /** Reopens a retired, drained ring: senders claim again from where it stopped. */
  void reopen() {
    freeBulk();
    while (true) {
      long t = tail();
      if (LONGS.compareAndSet(buffer, TAIL, t, t & ~FLAGS)) {
        return;
      }
    }
  }

  // ---- layout --------------------------------------------------------------------------------

  private long tail() {
    return (long) LONGS.getVolatile(buffer, TAIL);
  }

  private long head() {
    return (long) LONGS.getVolatile(buffer, HEAD);
  }

  private int offset(long position) {
    return (int) (position % capacity);
  }

  /** The lap of {@code position}, from 1: a header never written (0) matches no lap. */
  private int lap(long position) {
    return (int) (position / capacity) + 1;
  }

  private long header(long position, int length) {
    return ((long) lap(position) << 32) | ((long) length << 2);
  }

  private static int recordBytes(int length) {
    return Long.BYTES + ((length + 7) & ~7);
  }

  @Override
  public String toString() {
    return "PipeRing[" + name + ", head " + head() + ", tail " + tail() + "]";
  }
}
