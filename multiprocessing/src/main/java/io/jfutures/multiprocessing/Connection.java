package io.jfutures.multiprocessing;

import io.jfutures.multiprocessing.internal.MappingWarmUp;
import io.jfutures.multiprocessing.internal.Serialized;
import io.jfutures.multiprocessing.internal.hub.HubRef;
import io.jfutures.multiprocessing.internal.hub.PipeBackend;
import io.jfutures.multiprocessing.internal.hub.QueueBackend;
import java.io.EOFException;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One end of a {@link Pipe}: Python's {@code multiprocessing.connection.Connection}. It is
 * serializable, and works in whichever process holds it.
 *
 * <p>Messages keep their boundaries: {@link #send} an object and {@link #recv} gets a copy of it;
 * {@link #sendBytes} a byte range and {@link #recvBytes} gets exactly those bytes. Once the other
 * end is closed, or every process that held it has died, {@code recv} returns what is left and then
 * throws {@link EOFException}; and a {@link #send} to it throws {@link BrokenPipeException}. The
 * process that created a pipe and handed an end to a child does not hold that end (it only passed
 * it on), so, unlike Python, it need not close its copy to see end-of-file when the child is done.
 *
 * <p>While each end has one holder and both are on this machine, a message of up to 16 KiB goes
 * through a ring in shared memory that the pipe's hub owns, instead of through the hub's socket: a
 * round trip between two processes then takes microseconds. A receiver watches the ring for up to a
 * few milliseconds (learned from its own waits) before it parks. The contract is the same either
 * way.
 *
 * <pre>
 * States (per process): OPEN -> CLOSED (close()). The hub counts this process as a holder of the
 * end from when it arrives here (deserialized) or is first used here, until close() or death.
 * </pre>
 *
 * Thread-safe; a message goes to one receiver.
 */
public final class Connection implements Serializable, AutoCloseable {
  private static final long serialVersionUID = 1L;
  private static final long MAX_WAIT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  /** The hub that holds the pipe. */
  private final HubRef hub;

  /** The pipe's id in its hub. */
  private final long pipe;

  /** Which end of the pipe this is. */
  private final int end;

  /** Whether this end can receive. */
  private final boolean readable;

  /** Whether this end can send. */
  private final boolean writable;

  private transient volatile boolean attached;
  private transient volatile boolean closed;
  private transient byte[] stash; // a message poll() took ahead; guarded by "this"

  Connection(HubRef hub, long pipe, int end, boolean readable, boolean writable) {
    this.hub = hub;
    this.pipe = pipe;
    this.end = end;
    this.readable = readable;
    this.writable = writable;
  }

  // ---- sending -------------------------------------------------------------------------------

  /**
   * Sends a copy of {@code message}: Python's {@code send}. It is serialized on this thread, and is
   * the hub's once this returns (in its queue, or in the ring in its shared memory).
   *
   * <p>Like Python's, it waits while the pipe is full: while the other end's process has 1 MiB or
   * more of messages it has not received yet (one message of any size goes in when less is waiting;
   * between two processes on one machine, up to 4 MiB more of messages of 16 KiB to 1 MiB wait in
   * shared memory, which fills no heap). It never waits while no process holds the other end yet
   * (before that end reaches its process). An interrupt ends the wait, not the send: the message
   * goes in beyond the bound, and the thread stays interrupted.
   *
   * <p>Once the other end is gone (closed, or every process that held it died), it throws {@link
   * BrokenPipeException}, as Python's raises {@code BrokenPipeError}, and so does a send waiting on
   * a full pipe then: nobody could receive the message. What was sent before and not received is
   * dropped. A message sent in another process at the very moment the end goes may be dropped
   * without the exception, as a socket's last bytes are; the next send there throws.
   *
   * <p>A message's serialized form may be up to {@code 2^31 - 90} bytes (2 GiB), and is held in
   * this JVM's heap twice while it is made (a child's heap is set with {@link
   * JvmProcess#jvmOptions}, as {@code "-Xmx6g"}). A larger one is refused as its bytes pass the
   * limit, before anything reaches the other end; so is one that this JVM's heap cannot hold. Send
   * such data in parts: several messages, or {@link #sendBytes(byte[], int, int)} chunks.
   *
   * @param message the object to send; serializable
   * @throws IllegalArgumentException if it cannot be serialized, its serialized form is larger than
   *     2 GiB, or this JVM's heap cannot hold it; the message names its class and what to do.
   *     Nothing was sent, and the connection stays usable
   * @throws IllegalStateException if this end is closed, or cannot send (the receiving end of a
   *     one-way pipe), or the JVM that holds the pipe (its hub) has no heap for a message this
   *     large; nothing was queued then, and the connection stays usable
   * @throws BrokenPipeException if the other end is gone; nothing was sent
   */
  public void send(Object message) {
    checkOpen("send");
    checkWritable();
    put(Serialized.toBytes(message, "cannot send"));
  }

  /**
   * Sends all of {@code bytes} as one message: Python's {@code send_bytes(buf)}. It waits while the
   * pipe is full, as {@link #send} does.
   *
   * @param bytes the message
   * @throws IllegalArgumentException if it is larger than 2 GiB ({@code 2^31 - 90} bytes); nothing
   *     was sent, and the connection stays usable
   * @throws IllegalStateException as {@link #sendBytes(byte[], int, int)}
   * @throws BrokenPipeException if the other end is gone; nothing was sent
   */
  public void sendBytes(byte[] bytes) {
    sendBytes(bytes, 0, bytes.length);
  }

  /**
   * Sends {@code size} bytes of {@code buffer} from {@code offset} as one message: Python's {@code
   * send_bytes(buf, offset, size)}. A part of the buffer, or any message to a pipe whose hub is
   * this JVM, is copied on this thread first, so it takes that much more heap here while it is
   * sent; a whole buffer sent to another JVM's hub is written as it is. It waits while the pipe is
   * full, as {@link #send} does.
   *
   * @param buffer the bytes to send from
   * @param offset where in {@code buffer} the message starts
   * @param size the message's length in bytes
   * @throws IndexOutOfBoundsException if the range is not within the buffer
   * @throws IllegalArgumentException if {@code size} is larger than 2 GiB ({@code 2^31 - 90}
   *     bytes); checked before anything is copied or sent, and the connection stays usable
   * @throws IllegalStateException if this end is closed, or cannot send, or the JVM that holds the
   *     pipe (its hub) has no heap for a message this large; nothing was queued then, and the
   *     connection stays usable
   * @throws BrokenPipeException if the other end is gone; nothing was sent
   */
  public void sendBytes(byte[] buffer, int offset, int size) {
    checkOpen("send");
    checkWritable();
    Objects.checkFromIndexSize(offset, size, buffer.length);
    QueueBackend.checkSize(size); // before copying 2 GiB for nothing
    attach();
    try (PipeBackend.Send send = PipeBackend.beginSend(hub, pipe, end)) {
      if (send.inRing(buffer, offset, size)) {
        return;
      }
      QueueBackend sending = PipeBackend.sending(hub, pipe, end);
      // A backend that writes the bytes before put returns needs no copy of a whole buffer; one
      // that keeps them (the hub is in this JVM) does, as the caller may change the buffer after.
      boolean whole = offset == 0 && size == buffer.length;
      put(
          sending,
          whole && !sending.keepsItems()
              ? buffer
              : Arrays.copyOfRange(buffer, offset, offset + size));
    }
  }

  private void put(byte[] message) {
    attach();
    try (PipeBackend.Send send = PipeBackend.beginSend(hub, pipe, end)) {
      if (send.inRing(message, 0, message.length)) {
        return;
      }
      put(PipeBackend.sending(hub, pipe, end), message);
    }
  }

  /**
   * Sends {@code message}, waiting while the pipe holds {@link PipeBackend#MAX_BUFFERED_BYTES} or
   * more bytes that the receiving end has not taken. An interrupt ends the wait, not the send: the
   * message goes in beyond that bound, and the thread stays interrupted.
   */
  private static void put(QueueBackend sending, byte[] message) {
    try {
      sending.put(message, -1);
    } catch (InterruptedException e) {
      // Not waiting now: a put that may not wait always goes into a pipe (false only if the hub
      // did not answer within its grace, when the put is made again).
      while (!putNowOrRetry(sending, message)) {
        // the hub was slow to answer: again
      }
      Thread.currentThread().interrupt();
    }
  }

  private static boolean putNowOrRetry(QueueBackend sending, byte[] message) {
    try {
      return sending.put(message, 0);
    } catch (InterruptedException e) {
      return false; // cannot be: the flag was cleared, and a put into a pipe does not park
    }
  }

  // ---- receiving -----------------------------------------------------------------------------

  /**
   * Waits for the next message, an object sent with {@link #send}, and returns it: Python's {@code
   * recv}.
   *
   * @return the message
   * @throws EOFException if the other end is closed or dead and nothing is left
   * @throws IOException if the message is not a serialized object (sent with sendBytes), or its
   *     class cannot be loaded here
   * @throws InterruptedException if interrupted while waiting; no message was taken
   */
  public Object recv() throws IOException, InterruptedException {
    byte[] message = next();
    try {
      return Serialized.fromBytes(message);
    } catch (java.io.StreamCorruptedException | EOFException e) { // EOF: shorter than a header
      throw new IOException(
          "the message is not a serialized object (was it sent with sendBytes?): " + e, e);
    }
  }

  /**
   * Waits for the next message and returns its bytes: Python's {@code recv_bytes()}.
   *
   * @return the message's bytes
   * @throws IOException an {@link EOFException} if the other end is closed or dead and nothing is
   *     left
   * @throws InterruptedException if interrupted while waiting; no message was taken
   */
  public byte[] recvBytes() throws IOException, InterruptedException {
    return next();
  }

  /**
   * Waits for the next message and returns its bytes if it has at most {@code maxLength}: Python's
   * {@code recv_bytes(maxlength)}.
   *
   * @param maxLength the longest message to return, in bytes
   * @return the message's bytes
   * @throws BufferTooShortException if it is longer; the exception carries the whole message, which
   *     is not lost
   * @throws InterruptedException if interrupted while waiting; no message was taken
   */
  public byte[] recvBytes(int maxLength) throws IOException, InterruptedException {
    byte[] message = next();
    if (message.length > maxLength) {
      throw new BufferTooShortException(
          "a message of " + message.length + " bytes, longer than " + maxLength, message);
    }
    return message;
  }

  /**
   * Waits for the next message, copies it into {@code buffer} at {@code offset}, and returns its
   * length: Python's {@code recv_bytes_into}.
   *
   * @param buffer where to copy the message
   * @param offset where in {@code buffer} to copy it
   * @return the message's length in bytes
   * @throws BufferTooShortException if it does not fit; the exception carries the whole message
   * @throws InterruptedException if interrupted while waiting; no message was taken
   */
  public int recvBytesInto(byte[] buffer, int offset) throws IOException, InterruptedException {
    Objects.checkIndex(offset, buffer.length + 1);
    byte[] message = next();
    if (message.length > buffer.length - offset) {
      throw new BufferTooShortException(
          "a message of "
              + message.length
              + " bytes does not fit in the "
              + (buffer.length - offset)
              + " bytes after offset "
              + offset,
          message);
    }
    System.arraycopy(message, 0, buffer, offset, message.length);
    return message.length;
  }

  /**
   * Whether a message (or end-of-file) can be received now: Python's {@code poll()}.
   *
   * @return whether a message, or end-of-file, can be received now
   * @throws InterruptedException if interrupted
   */
  public boolean poll() throws InterruptedException {
    return poll(Duration.ZERO);
  }

  /**
   * Waits at most {@code timeout} until a message (or end-of-file) can be received; returns whether
   * one can: Python's {@code poll(timeout)}.
   *
   * @param timeout how long to wait at most
   * @return whether a message, or end-of-file, can be received
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean poll(Duration timeout) throws InterruptedException {
    checkOpen("poll");
    checkReadable();
    synchronized (this) {
      if (stash != null) {
        return true;
      }
    }
    attach();
    byte[] message = PipeBackend.receive(hub, pipe, end, Math.max(0, timeout.toNanos()));
    if (message == null) {
      return false;
    }
    synchronized (this) {
      if (stash == null) {
        stash = message;
        return true;
      }
    }
    // Another thread's poll took one ahead meanwhile: this one goes back, never lost.
    throw new IllegalStateException("two threads polled one connection at once");
  }

  private byte[] next() throws IOException, InterruptedException {
    checkOpen("receive");
    checkReadable();
    byte[] message;
    synchronized (this) {
      message = stash;
      stash = null;
    }
    if (message == null) {
      attach();
      message = PipeBackend.receive(hub, pipe, end, -1);
    }
    if (message == QueueBackend.END) {
      synchronized (this) {
        stash = message; // end-of-file stays end-of-file
      }
      throw new EOFException("the other end of the pipe is closed, and nothing is left");
    }
    return message;
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /**
   * Closes this end in this process: Python's {@code close()}. When no process holds it any more,
   * the other end receives what is left, then end-of-file. Idempotent.
   */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      if (attached) {
        PipeBackend.forget(hub, pipe, end);
        PipeBackend.detach(hub, pipe, end);
      }
    }
  }

  /**
   * Whether this end was closed in this process: Python's {@code closed}.
   *
   * @return whether this end was closed in this process
   */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Whether this end can receive: Python's {@code readable}.
   *
   * @return whether this end can receive
   */
  public boolean readable() {
    return readable;
  }

  /**
   * Whether this end can send: Python's {@code writable}.
   *
   * @return whether this end can send
   */
  public boolean writable() {
    return writable;
  }

  private void attach() {
    if (!attached) {
      synchronized (this) {
        if (!attached) {
          PipeBackend.attach(hub, pipe, end);
          attached = true;
        }
      }
    }
  }

  /**
   * Arriving in a process, this end is held there. In a process on the hub's machine it will map
   * its direction's ring in shared memory at its first send or receive: the process's first map is
   * made ahead ({@link MappingWarmUp}), as for a lock's handle. On JDK 25 a child's first send took
   * 23-26 ms for it.
   *
   * @param in the stream the end is read from
   * @throws IOException if the stream cannot be read
   * @throws ClassNotFoundException if a class of the stream cannot be found
   */
  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    attach();
    if (!hub.isTcp()) {
      MappingWarmUp.begin();
    }
  }

  private void checkOpen(String verb) {
    if (closed) {
      throw new IllegalStateException("cannot " + verb + ": this end of the pipe is closed");
    }
  }

  private void checkReadable() {
    if (!readable) {
      throw new IllegalStateException(
          "this end of a one-way pipe only sends: receive on the pipe's first end");
    }
  }

  private void checkWritable() {
    if (!writable) {
      throw new IllegalStateException(
          "this end of a one-way pipe only receives: send on the pipe's second end");
    }
  }

  // ---- waiting on several --------------------------------------------------------------------

  /**
   * Waits at most {@code timeout} until at least one of {@code objects} is ready, and returns those
   * that are: a {@link Connection} that can receive (or is at end-of-file), or a {@link JvmProcess}
   * that has exited. Python's {@code multiprocessing.connection.wait}.
   *
   * @param objects connections and processes
   * @param timeout how long to wait, or null to wait until one is ready
   * @return the objects of {@code objects} that are ready, possibly none if the timeout passed
   * @throws IllegalArgumentException if an object is neither a connection nor a started process
   * @throws InterruptedException if interrupted while waiting
   */
  public static List<Object> wait(List<?> objects, Duration timeout) throws InterruptedException {
    for (Object o : objects) {
      if (!(o instanceof Connection) && !(o instanceof JvmProcess)) {
        throw new IllegalArgumentException(
            "wait() takes connections and processes, not " + (o == null ? "null" : o.getClass()));
      }
    }
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    long pause = TimeUnit.MICROSECONDS.toNanos(50);
    while (true) {
      List<Object> ready = new ArrayList<>();
      for (Object o : objects) {
        if (o instanceof Connection c ? c.poll() : ((JvmProcess) o).exitCode().isPresent()) {
          ready.add(o);
        }
      }
      long left = deadline - System.nanoTime();
      if (!ready.isEmpty() || left <= 0) {
        return ready;
      }
      // Each poll asks the hub; between rounds, a pause that grows to 5 ms.
      LockSupport.parkNanos(Math.min(pause, left));
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      pause = Math.min(2 * pause, MAX_WAIT_PAUSE_NANOS);
    }
  }

  @Override
  public String toString() {
    return "Connection[pipe "
        + pipe
        + " end "
        + end
        + " in "
        + hub
        + (readable && writable ? "" : readable ? ", receives" : ", sends")
        + (closed ? ", closed" : "")
        + "]";
  }
}
