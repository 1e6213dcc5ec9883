package io.jfutures.hazelcast;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.UUID;

/**
 * One slot of a {@link ClusterJoinableQueue}, as the bytes of its map entry. A slot's value moves
 * by compare-and-set of these bytes (Hazelcast compares an entry's serialized value), so every
 * state a slot can take must differ from every other in its bytes: a put's identity (a random UUID)
 * travels through every state of its item.
 *
 * <pre>
 * WAITING  [0][put id: 16]                              [item]
 * TAKEN    [1][put id: 16][presence length: 2][presence][item]
 * DONE     [2][put id: 16]
 * HOLE     [3]   a sequence number whose put never came, marked so that it never will
 * </pre>
 *
 * Immutable; the arrays it hands out are its own and must not be changed.
 */
final class JoinableRecord {
  static final byte WAITING = 0;
  static final byte TAKEN = 1;
  static final byte DONE = 2;
  static final byte HOLE = 3;

  private static final int ID = 16;
  private static final byte[] HOLE_BYTES = {HOLE};

  private final byte[] bytes;

  private JoinableRecord(byte[] bytes) {
    if (bytes.length == 0 || bytes[0] < WAITING || bytes[0] > HOLE) {
      throw new IllegalArgumentException("not a joinable queue's slot: " + Arrays.toString(bytes));
    }
    this.bytes = bytes;
  }

  /** Reads a slot's bytes, or returns null for null (an empty slot). */
  static JoinableRecord of(byte[] bytes) {
    return bytes == null ? null : new JoinableRecord(bytes);
  }

  /** A new put's slot: a fresh identity and the item's bytes. */
  static JoinableRecord waiting(byte[] item) {
    UUID id = UUID.randomUUID();
    ByteBuffer b = ByteBuffer.allocate(1 + ID + item.length);
    b.put(WAITING).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
    return new JoinableRecord(b.put(item).array());
  }

  /** The bytes of a hole. */
  static byte[] hole() {
    return HOLE_BYTES.clone();
  }

  byte state() {
    return bytes[0];
  }

  /** Whether this slot is DONE or a HOLE: it never changes again, and counts for nothing. */
  boolean isFinished() {
    return bytes[0] == DONE || bytes[0] == HOLE;
  }

  byte[] bytes() {
    return bytes;
  }

  /** Whether this slot holds the same put as {@code other} (in any state but a hole). */
  boolean samePut(JoinableRecord other) {
    return bytes[0] != HOLE
        && other.bytes[0] != HOLE
        && Arrays.equals(bytes, 1, 1 + ID, other.bytes, 1, 1 + ID);
  }

  /** This waiting or taken slot, taken by {@code presence}. */
  JoinableRecord takenBy(String presence) {
    byte[] p = presence.getBytes(UTF_8);
    if (p.length > 0xFFFF) {
      throw new IllegalArgumentException("presence too long: " + presence);
    }
    byte[] item = item();
    ByteBuffer b = ByteBuffer.allocate(1 + ID + 2 + p.length + item.length);
    b.put(TAKEN).put(bytes, 1, ID).putShort((short) p.length).put(p).put(item);
    return new JoinableRecord(b.array());
  }

  /** This taken slot, done. */
  JoinableRecord done() {
    ByteBuffer b = ByteBuffer.allocate(1 + ID);
    return new JoinableRecord(b.put(DONE).put(bytes, 1, ID).array());
  }

  /** The presence of the consumer that took this slot's item; only for a taken slot. */
  String presence() {
    requireState(TAKEN);
    int length = ((bytes[1 + ID] & 0xFF) << 8) | (bytes[2 + ID] & 0xFF);
    return new String(bytes, 3 + ID, length, UTF_8);
  }

  /** The item's bytes; only for a waiting or taken slot. */
  byte[] item() {
    if (bytes[0] == WAITING) {
      return Arrays.copyOfRange(bytes, 1 + ID, bytes.length);
    }
    requireState(TAKEN);
    int length = ((bytes[1 + ID] & 0xFF) << 8) | (bytes[2 + ID] & 0xFF);
    return Arrays.copyOfRange(bytes, 3 + ID + length, bytes.length);
  }

  private void requireState(byte state) {
    if (bytes[0] != state) {
      throw new IllegalStateException("a slot in state " + bytes[0] + ", not " + state);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JoinableRecord && Arrays.equals(bytes, ((JoinableRecord) o).bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    switch (bytes[0]) {
      case WAITING:
        return "waiting";
      case TAKEN:
        return "taken by " + presence();
      case DONE:
        return "done";
      default:
        return "hole";
    }
  }
}
