package io.jfutures.multiprocessing.internal.hub;

import io.jfutures.impl.internal.BigEndian;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The hub's frames, in both directions: {@code int length} (of what follows), {@code byte op},
 * {@code long request}, {@code long object}, {@code long value}, then the payload (a serialized
 * item, or a message). A frame is written with one write call under the connection's lock, so
 * frames never interleave; a reader that meets end-of-file inside a frame drops the partial frame.
 */
final class Wire {
  static final int HEADER = 1 + 8 + 8 + 8;

  /** The largest payload a frame carries: its length must fit in an int with the header. */
  static final int MAX_PAYLOAD = Integer.MAX_VALUE - 64 - HEADER;

  // Requests, client to hub. Each gets exactly one final reply, except ACK and unbounded PUT.
  static final byte PUT = 1; // value: 1 = may wait while full, 0 = now or never; payload: item
  static final byte PUT_ASYNC = 2; // no reply: unbounded queue, or into a place; payload: item
  static final byte GET = 3; // value: 1 = may wait while empty, 0 = now or never
  static final byte CANCEL = 4; // request: the waiting request to give up
  static final byte ACK = 5; // request: the GET whose ITEM arrived
  static final byte SIZE = 6;
  static final byte TASK_DONE = 7; // value: 1 = no reply (the client counted what it took)
  static final byte JOIN = 8; // may wait
  static final byte UNFINISHED = 9;
  static final byte ATTACH = 10; // object: a pipe; value: the end this process now holds; no reply
  static final byte DETACH = 11; // object: a pipe; value: the end this process closed; no reply
  static final byte NACK = 12; // request: the GET whose ITEM this process had no heap for
  // A queue's leases (see HubQueue): items sent ahead to a consumer, counted in the queue until
  // claimed. None of these gets a reply.
  static final byte LEASE = 13; // request: recalls seen; value: how many items this may hold;
  // payload: CLAIMS_IN_MEMORY if this process can map the hub's shared memory (a local client)
  static final byte CLAIM = 14; // request: the lease of an item this process's get took
  static final byte GIVE_BACK = 15; // payload: the leases of items given back, oldest first
  // A bounded queue's places (see HubQueue): room granted to a producer ahead of its puts, into
  // which it puts with PUT_ASYNC. None of these gets a reply.
  static final byte ASK_FOR_PLACES = 16; // value: how many places this may hold
  static final byte GIVE_BACK_PLACES = 17; // value: how many places given back, unused

  // Synchronization objects (HubSync). Every one gets exactly one final reply; a waiting one may
  // be cancelled (CANCEL). A thread's id travels in value, or in the payload beside a count.
  // LOCK_WORD: VALUE: the index of a lock's or an event's word, or of a condition's run of words
  // (ConditionWords); payload: its block. For a
  // semaphore: VALUE initial << 32 | the process's slot << 16 | the run's index; for a barrier:
  // VALUE slot << 16 | index; either EMPTY if it has no slot left (SemaphoreWords, BarrierWords).
  static final byte LOCK_WORD = 39;
  static final byte LOCK = 40; // value: thread; waits while another holds it
  static final byte LOCK_NOW = 41; // value: thread; EMPTY if another holds it
  static final byte UNLOCK = 42; // value: thread
  static final byte LOCK_STATE = 43; // VALUE: 1 if some thread holds the lock, else 0
  static final byte AWAIT = 44; // object: a condition; value: thread; OK when signalled
  static final byte SIGNAL = 45; // object: a condition; value: how many (-1 all); payload: thread
  static final byte ACQUIRE = 46; // object: a semaphore; value: permits; waits
  static final byte ACQUIRE_NOW = 47; // value: permits; EMPTY if not available now
  static final byte RELEASE = 48; // value: permits
  static final byte PERMITS = 49; // VALUE: the permits available
  static final byte SET =
      50; // an event; a barrier: wake the threads parked for decided generations
  static final byte CLEAR = 51;
  static final byte WAIT =
      52; // OK once the event is set, or a barrier's generation (value) decided
  static final byte IS_SET = 53; // VALUE: 1 if set
  static final byte ARRIVE = 54; // a barrier; OK, RUN_ACTION or BROKEN; value of OK: arrival index
  static final byte ACTION_DONE = 55; // value: 1 if the barrier's action completed, 0 if it threw
  static final byte ABORT = 56;
  static final byte RESET = 57;
  static final byte WAITING = 58; // VALUE: parties waiting, or -1 if broken
  static final byte NEW_CONDITION = 59; // object: a lock; VALUE: the new condition's id
  static final byte NEW_HOSTED = 60; // object: the manager; payload: a HostedSpec; VALUE: its id
  static final byte INVOKE = 61; // object: a hosted object; payload: a HostedCall; VALUE: result
  static final byte FREE_ALL = 62; // object: a manager that shut down; OK
  static final byte USE = 63; // object: a hosted object this process received; no reply
  // A condition's waiter in its words (ConditionWords) that stopped watching: value: the waiter;
  // OK once signalled. COND_WAKE (a post, no reply): value: a parked waiter just signalled.
  static final byte COND_PARK = 64;
  static final byte COND_WAKE = 65;

  // A pipe direction's ring (PipeRing). RING_OPEN: object: a pipe; value: the end that sends
  // (its process its only holder); VALUE if granted (the ring's block is named by the hub's pid and
  // the direction), EMPTY if not. The others are posts, without a reply; object: the direction.
  // RING_RETIRE: a sender's message does not fit: retire the ring before its next put.
  // RING_WAKE: a sender wrote while the ring said PARKED. RING_DRAIN: a sender committed a record
  // after the ring was retired. READ_RING: GET: the message is in the ring.
  static final byte RING_OPEN = 66;
  static final byte RING_RETIRE = 67;
  static final byte RING_WAKE = 68;
  static final byte RING_DRAIN = 69;
  static final byte READ_RING = 70;
  // A pipe direction's lessee gets a third word with its claim word: 1 while the direction is full
  // (a sender waits for room), when its gets also send CLAIM frames, so that the hub sees the room
  // they make at once, not at its next operation on the pipe. Not a reply. Value: the word's index;
  // payload: its block's name.
  static final byte FULL_WORD = 71;

  // Replied OK once every frame the client sent before it was handled: a client about to close its
  // connection knows then that what it put is in, before anything it puts on a new one.
  static final byte SYNC = 72;

  // A client's lane for its small unbounded puts (PutLane). LANE_OPEN: a client that has put many
  // items asks for one. LANE_WAKE: a client committed a record while the lane said PARKED. Neither
  // gets a reply. LANE (hub to client, not a reply): value: the lane's number, which names its
  // block with the hub's pid, or -1: none will be given.
  static final byte LANE_OPEN = 73;
  static final byte LANE_WAKE = 74;
  static final byte LANE = 75;

  // A pipe direction's area for long messages (BulkArea), beside its ring. BULK_OPEN: object: the
  // direction; the ring's sender asks before its first long message. VALUE if the area is there
  // (its block named after the ring's), EMPTY if not (no room for it, or no ring).
  static final byte BULK_OPEN = 76;

  // A connection's lane for the items its hub leases to the client (LeaseLane). LEASE_LANE_OPEN: a
  // client on this machine that asked for leases asks for one. LEASE_LANE: value: the lane's
  // number, or -1 (none: leases stay frames). LEASE_LANE_READY: the client mapped it: the hub may
  // write leases there from now on.
  static final byte LEASE_LANE_OPEN = 77;
  static final byte LEASE_LANE = 78;
  static final byte LEASE_LANE_READY = 79;

  /** Whether {@code op} is a request to a synchronization object. */
  static boolean isSync(byte op) {
    return (op >= LOCK_WORD && op <= WAITING) || op == COND_PARK || op == COND_WAKE;
  }

  /**
   * An unbounded queue's items up to this size are put without waiting for the hub's reply; a
   * larger one waits, so that a hub without the heap to hold it can refuse it to the putter.
   */
  static final int ASYNC_PUT_MAX_BYTES = 1 << 20;

  /** LEASE's payload from a process that will claim its leased items in a claim word. */
  static final byte[] CLAIMS_IN_MEMORY = {1};

  /** Payloads up to this size are copied behind the header and written in one call. */
  private static final int COPY_MAX_BYTES = 64 * 1024;

  /**
   * The payload of a frame whose payload this JVM had no heap for: it was read and dropped. The
   * frame's {@code value} is then the payload's size.
   */
  static final byte[] NO_ROOM = new byte[0];

  // Replies, hub to client.
  static final byte OK = 20;
  static final byte ITEM = 21; // payload: item
  static final byte EMPTY = 22; // GET now-or-never found nothing; PUT now-or-never found it full
  static final byte CANCELLED = 23;
  static final byte VALUE = 24; // value: the answer
  static final byte ERROR = 25; // payload: message (UTF-8)
  static final byte EOF = 26; // GET: the sending end is gone and nothing is left
  static final byte LEASED = 27; // request: the lease; payload: the item; not a reply
  static final byte TAKE_LEASED = 29; // GET: items are leased to you: take them first (order)
  static final byte RECALL = 28; // give back what is unclaimed, take no more; request: recalls sent
  // Before a process's first LEASED item of a queue, if it asked for it: the word in shared memory
  // where its gets claim leased items (the last lease claimed) instead of sending CLAIM. Value:
  // the word's index; payload: its block's name (US-ASCII). Not a reply.
  static final byte CLAIM_WORD = 32;
  static final byte PLACES = 33; // value: how many more places this process holds; not a reply
  static final byte RECALL_PLACES = 34; // give back the places not used; not a reply
  static final byte HOLD = 36; // a pipe direction is full: puts into it may wait; not a reply
  static final byte ROOM = 37; // the pipe direction has room again; not a reply
  // PUT, or not a reply (request 0): the pipe direction's receiving end is gone, puts into it fail
  static final byte PIPE_BROKEN = 38;
  // A joinable queue's consumer gets a second word with its claim word: the count of its taskDone
  // calls not sent as TASK_DONE frames (each while it still held items of the queue).
  static final byte DONE_WORD = 35; // value: the word's index; payload: its block's name
  static final byte BROKEN = 30; // ARRIVE: the barrier is broken
  static final byte RUN_ACTION = 31; // ARRIVE: the last party runs the action, then ACTION_DONE

  // What an ERROR's value says about it, for the exception the client throws.
  static final long ERROR_MONITOR = 1; // IllegalMonitorStateException: not held by the caller
  static final long ERROR_STATE = 2; // IllegalStateException
  static final long ERROR_THROWN = 3; // a hosted method threw: the payload is the exception
  static final long ERROR_GONE = 4; // the hosted object was freed
  static final long ERROR_ARGUMENT = 5; // IllegalArgumentException: the request was bad

  private Wire() {}

  /** Returns {@code values} as a payload of 8 bytes each. */
  static byte[] payload(long[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8);
    for (long v : values) {
      b.putLong(v);
    }
    return b.array();
  }

  /** Reads a payload of 8-byte values. */
  static long[] longs(byte[] payload) {
    ByteBuffer b = ByteBuffer.wrap(payload);
    long[] values = new long[payload.length / 8];
    for (int i = 0; i < values.length; i++) {
      values[i] = b.getLong();
    }
    return values;
  }

  /** One frame, as read. */
  record Frame(byte op, long request, long object, long value, byte[] payload) {}

  /**
   * Writes a frame: with one write call if its payload is small, else its header and then the
   * payload as it is (no copy of a large message). Callers hold the stream's lock, so frames never
   * interleave; a writer that dies between the two calls leaves a partial frame, which the reader
   * drops.
   */
  static void write(
      OutputStream out, byte op, long request, long object, long value, byte[] payload)
      throws IOException {
    int size = payload == null ? 0 : payload.length;
    boolean copy = size <= COPY_MAX_BYTES;
    byte[] frame = new byte[4 + HEADER + (copy ? size : 0)];
    putHeader(frame, 0, op, request, object, value, size);
    if (copy && size > 0) {
      System.arraycopy(payload, 0, frame, 4 + HEADER, size);
    }
    out.write(frame, 0, frame.length);
    if (!copy) {
      out.write(payload);
    }
  }

  /**
   * Puts a frame's length and header at {@code at}, for a payload of {@code size} bytes. By hand,
   * not through a {@code ByteBuffer}: every process writes and reads every frame through these, and
   * a heap buffer's puts cost a cold child's interpreter a chain of calls each, and its compiler a
   * copy of that chain per field (issue 17, session 25). (Not Guava's {@code Longs} either: a child
   * that reads frames would open Guava's jar for it.)
   */
  private static void putHeader(
      byte[] b, int at, byte op, long request, long object, long value, int size) {
    BigEndian.putInt(b, at, HEADER + size);
    b[at + 4] = op;
    BigEndian.putLong(b, at + 5, request);
    BigEndian.putLong(b, at + 13, object);
    BigEndian.putLong(b, at + 21, value);
  }

  /**
   * Frames gathered to leave in one write: small ones (a payload up to {@code COPY_MAX_BYTES})
   * copied in, up to {@link #BYTES}. Used by one thread at a time.
   */
  static final class Batch {
    static final int BYTES = 64 * 1024;

    private final byte[] buffer = new byte[BYTES];
    private int position;

    /** Adds {@code f}, unless it does not fit in what is left; returns whether it did. */
    boolean add(Frame f) {
      int size = f.payload() == null ? 0 : f.payload().length;
      if (4 + HEADER + size > BYTES - position) {
        return false;
      }
      putHeader(buffer, position, f.op(), f.request(), f.object(), f.value(), size);
      if (size > 0) {
        System.arraycopy(f.payload(), 0, buffer, position + 4 + HEADER, size);
      }
      position += 4 + HEADER + size;
      return true;
    }

    /** Writes what was gathered, if anything, under {@code lock} (as {@link #writeLocked}). */
    void writeTo(Object lock, OutputStream out) throws IOException {
      if (position == 0) {
        return;
      }
      try {
        boolean interrupted = Thread.interrupted(); // as writeLocked
        try {
          synchronized (lock) {
            out.write(buffer, 0, position);
          }
        } finally {
          restoreInterrupt(interrupted);
        }
      } finally {
        position = 0;
      }
    }
  }

  /**
   * Whether {@code in}'s buffer holds the whole of the next frame, so that reading it will not
   * wait. Reads nothing.
   */
  static boolean frameBuffered(DataInputStream in) throws IOException {
    int buffered = in.available(); // a hub connection's stream: what its buffer holds
    if (buffered < 4) {
      return false;
    }
    in.mark(4);
    int length = in.readInt();
    in.reset();
    return buffered - 4 >= length;
  }

  /**
   * Writes a frame under {@code lock}, with the calling thread's interrupt set aside meanwhile and
   * restored after: NIO closes a channel that an interrupted thread writes to, and with it every
   * other thread's requests on that connection. (No lambda: a child's first request would link it,
   * some tenths of a millisecond of a cold JVM.)
   */
  static void writeLocked(
      Object lock, OutputStream out, byte op, long request, long object, long value, byte[] payload)
      throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      synchronized (lock) {
        write(out, op, request, object, value, payload);
      }
    } finally {
      restoreInterrupt(interrupted);
    }
  }

  private static void restoreInterrupt(boolean interrupted) {
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Reads the next frame; returns null at end-of-file between frames. A frame whose payload this
   * JVM's heap cannot hold is skipped and returned with the payload {@link #NO_ROOM}.
   */
  static Frame read(DataInputStream in) throws IOException {
    byte[] header = new byte[4 + HEADER]; // every frame has at least this many bytes
    int got = in.readNBytes(header, 0, header.length);
    if (got < 4) {
      return null; // end-of-file between frames, or inside a length: no frame
    }
    int length = BigEndian.intAt(header, 0);
    if (length < HEADER) {
      throw new IOException("bad frame length " + length);
    }
    if (got < header.length) {
      throw new EOFException("end of stream inside a frame's header"); // the partial frame
    }
    byte op = header[4];
    long request = BigEndian.longAt(header, 5);
    long object = BigEndian.longAt(header, 13);
    long value = BigEndian.longAt(header, 21);
    int size = length - HEADER;
    byte[] payload;
    try {
      payload = new byte[size];
    } catch (OutOfMemoryError e) {
      in.skipNBytes(size); // the stream stays in step; the reader tells whoever sent it
      return new Frame(op, request, object, size, NO_ROOM);
    }
    in.readFully(payload); // EOFException inside a frame: the partial frame is dropped
    return new Frame(op, request, object, value, payload);
  }
}
