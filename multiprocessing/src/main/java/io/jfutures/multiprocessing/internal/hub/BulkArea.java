package io.jfutures.multiprocessing.internal.hub;

import io.jfutures.multiprocessing.SharedMemory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The bytes of a pipe direction's long messages, beside its {@link PipeRing}: a message longer than
 * a ring record takes goes here, and a record of the ring says where. So a long message crosses
 * from one process to the other with one copy on each side, instead of a socket's four (issue 17:
 * C2, a pipe's 1 MiB messages). The hub allocates the area when the direction's sender first asks
 * for it, and unlinks it with the ring.
 *
 * <pre>
 * The block: TAIL word, HEAD word (a cache line each), then CAPACITY bytes.
 * TAIL: the end of what the sender allocated (a byte position, never wrapping). Only the holder of
 *   the ring's sending end writes it, one thread at a time ({@link RingSender}'s lock), and in the
 *   order its records are claimed in the ring.
 * HEAD: the end of the last message whose record was taken, by a receiver or by the hub's drain.
 *   Raised by whoever took that record, after it took it; never lowered.
 * A message at position p takes [p, p + length), at p mod CAPACITY, never across the end: one
 *   that would is placed at the next lap's start instead.
 * </pre>
 *
 * Invariants: HEAD <= TAIL, and TAIL - HEAD <= CAPACITY: the sender writes only where no record
 * that is not yet taken points. A taker copies a message out before its compare-and-set of the
 * ring's HEAD, so a taker that loses that race may have read bytes the sender was already writing
 * again: it throws its copy away, as it does for a short record.
 */
final class BulkArea {
  /**
   * The bytes of an area: what a pipe holds of such messages for its receiver before a send waits.
   * More than the hub's bound for its queue ({@link HubQueue#PIPE_MAX_BYTES}), which keeps a fast
   * sender from filling the hub's heap: an area is allocated once, and three messages of 1 MiB in
   * flight instead of one let the sender's copy and the receiver's overlap (a child received 1 MiB
   * messages at 2,450-2,960 MiB/s against 1,250-2,160; issue 17, session 29).
   */
  static final int CAPACITY = 4 << 20;

  /** The longest message that goes through an area (1 MiB); a longer one goes through the hub. */
  static final int MAX_MESSAGE = CAPACITY / 4;

  private static final int TAIL = 0;
  private static final int HEAD = 64;
  private static final int DATA = 128;
  static final int BLOCK_BYTES = DATA + CAPACITY;

  private static final VarHandle LONGS =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private final ByteBuffer buffer;

  private BulkArea(ByteBuffer buffer) {
    this.buffer = buffer;
  }

  /** The name of the area beside the ring in block {@code ringName}. */
  static String blockName(String ringName) {
    return ringName + "_bulk";
  }

  /** A new area in a block of its own, in the hub's JVM: its owner. */
  static BulkArea create(SharedMemory block) {
    return new BulkArea(block.buffer());
  }

  /** This process's view of the area in block {@code name}, mapped now. */
  static BulkArea attach(String name) {
    try (SharedMemory block = SharedMemory.attach(name)) {
      return new BulkArea(block.buffer());
    }
  }

  /** An area in memory of this JVM only: for tests. */
  static BulkArea detached() {
    return new BulkArea(ByteBuffer.allocateDirect(BLOCK_BYTES));
  }

  // ---- the sender's, under its lock ---------------------------------------------------------

  /**
   * Where a message of {@code length} bytes goes next, or -1 if the area has no room for it now.
   * Allocates nothing: {@link #allocated} does, once the message's record is claimed.
   */
  long place(int length) {
    long h = head();
    long p = tail();
    int at = offset(p);
    if (at + length > CAPACITY) {
      p += CAPACITY - at; // the next lap's start
    }
    return p + length - h <= CAPACITY ? p : -1;
  }

  /** Allocates the message of {@code length} bytes {@link #place placed} at {@code position}. */
  void allocated(long position, int length) {
    LONGS.setVolatile(buffer, TAIL, position + length);
  }

  /** Copies {@code length} bytes of {@code message} from {@code offset} to {@code position}. */
  void write(long position, byte[] message, int offset, int length) {
    buffer.put(DATA + offset(position), message, offset, length);
  }

  // ---- the takers' ---------------------------------------------------------------------------

  /**
   * Whether a message of {@code length} bytes at {@code position} is one an area can hold: a record
   * read while its sender overwrote it (its taker lost the race for it) may say otherwise.
   */
  static boolean holds(long position, long length) {
    return position >= 0 && length > 0 && offset(position) + length <= CAPACITY;
  }

  /** Copies the message at {@code position} into {@code message}, which is as long as it is. */
  void read(long position, byte[] message) {
    buffer.get(DATA + offset(position), message);
  }

  /** The record of the message that ends at {@code end} was taken: its bytes may be written. */
  void taken(long end) {
    while (true) {
      long h = head();
      if (h >= end || LONGS.compareAndSet(buffer, HEAD, h, end)) {
        return;
      }
    }
  }

  /** Frees what is allocated: nothing in the ring points here any more (it was drained). */
  void freeAll() {
    taken(tail());
  }

  /** Whether nothing allocated waits to be taken. */
  boolean empty() {
    return head() == tail();
  }

  private long tail() {
    return (long) LONGS.getVolatile(buffer, TAIL);
  }

  private long head() {
    return (long) LONGS.getVolatile(buffer, HEAD);
  }

  private static int offset(long position) {
    return (int) (position % CAPACITY);
  }
}
