package io.jfutures.multiprocessing.internal.hub;

import io.jfutures.impl.internal.jvm.ChannelStreams;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A second connection from this process to a hub on this machine, on which the calling thread
 * writes a request that the hub answers at once (a manager's call) and reads the reply itself. On
 * the shared connection ({@link HubClient}) a reply reaches its caller through the reader thread:
 * one more thread woken per call, which on a 2-vCPU VM costs a good part of a round trip.
 *
 * <pre>
 * States: IDLE (in its client's idle lines) -> IN USE (by one thread, for one request and its
 * reply) -> IDLE; or -> CLOSED (a read or write failed: the hub is gone; or the client lost its
 * shared connection). A closed line is never used again.
 * </pre>
 *
 * Invariants: a line carries only the requests of {@link #carries}, each with exactly one reply and
 * nothing else; the hub never counts a line as a process of its own (it says so in its handshake,
 * {@link #LINE_BIT}), so a line that ends releases nothing the process holds, only its own use of
 * hosted objects. The channel is non-blocking and waited on with its own selector: an interrupt
 * never closes it (NIO closes a blocking channel under an interrupted thread, and the reply of a
 * request already sent would be lost), it is kept and set again after the reply.
 */
final class CallLine implements AutoCloseable {
  /** Set in the pid a line's handshake gives; no pid reaches it. */
  static final long LINE_BIT = 1L << 62;

  private final SocketChannel channel;
  private final Selector selector;
  private final SelectionKey key;
  private final DataInputStream in;
  private final OutputStream out;
  private boolean interrupted; // by the thread that uses the line, while it waited

  private CallLine(SocketChannel channel, Selector selector) throws IOException {
    this.channel = channel;
    this.selector = selector;
    this.key = channel.register(selector, SelectionKey.OP_READ);
    this.in =
        new DataInputStream(
            new BufferedInputStream(
                ChannelStreams.in(channel, new Await(this, SelectionKey.OP_READ)), 64 * 1024));
    this.out = ChannelStreams.out(channel, new Await(this, SelectionKey.OP_WRITE));
  }

  /**
   * Waits until the line is ready for {@code op}: a class, not a lambda, which a cold JVM would
   * link at a child's first manager call.
   */
  private static final class Await implements ChannelStreams.Readiness {
    private final CallLine line;
    private final int op;

    Await(CallLine line, int op) {
      this.line = line;
      this.op = op;
    }

    @Override
    public void await() throws IOException {
      line.await(op);
    }
  }

  /** Whether a line carries requests with op {@code op}: a manager's, which never wait. */
  static boolean carries(byte op) {
    return op == Wire.NEW_HOSTED || op == Wire.INVOKE || op == Wire.FREE_ALL;
  }

  /** Connects to the hub listening at {@code socket}, as process {@code pid}. */
  static CallLine open(Path socket, String token, long pid) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    Selector selector = null;
    try {
      channel.connect(UnixDomainSocketAddress.of(socket));
      byte[] hello = (token + "\n").getBytes(StandardCharsets.US_ASCII);
      ByteBuffer handshake = ByteBuffer.allocate(hello.length + Long.BYTES);
      handshake.put(hello).putLong(pid | LINE_BIT).flip();
      while (handshake.hasRemaining()) {
        channel.write(handshake);
      }
      channel.configureBlocking(false);
      selector = Selector.open();
      return new CallLine(channel, selector);
    } catch (IOException | RuntimeException e) {
      ChannelStreams.closeQuietly(channel);
      if (selector != null) {
        ChannelStreams.closeQuietly(selector);
      }
      throw e;
    }
  }

  /**
   * Sends request {@code request} and reads its reply. An interrupt meanwhile is kept for later.
   *
   * @throws IOException if the line failed (the line is then closed)
   */
  Wire.Frame call(byte op, long request, long object, byte[] payload) throws IOException {
    interrupted = Thread.interrupted(); // or a select would return at once, each time
    try {
      Wire.write(out, op, request, object, 0, payload);
      Wire.Frame reply = Wire.read(in);
      if (reply == null || reply.request() != request) {
        throw new IOException(reply == null ? "the hub closed the line" : "unexpected " + reply);
      }
      return reply;
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void await(int ops) throws IOException {
    try {
      key.interestOps(ops);
      selector.select();
      selector.selectedKeys().clear();
    } catch (ClosedSelectorException e) {
      throw new IOException("the line was closed", e);
    }
    if (Thread.interrupted()) {
      interrupted = true;
    }
  }

  /** Whether the line can still be used: nothing failed on it, and nobody closed it. */
  boolean isOpen() {
    return channel.isOpen();
  }

  /** Closes the line; a thread waiting on it then fails. Safe from any thread, more than once. */
  @Override
  public void close() {
    ChannelStreams.closeQuietly(selector); // wakes a thread in select
    ChannelStreams.closeQuietly(channel);
  }
}
