package io.jfutures.multiprocessing.internal.hub;

import io.jfutures.impl.internal.jvm.ChannelStreams;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One connection between a client and a hub, whatever carries it: a Unix-domain socket (a hub on
 * this machine), plain TCP, or TLS over TCP (a manager reached from other machines). The hub's
 * protocol sees only its two streams. Reading and writing may happen on two threads at once.
 *
 * <pre>
 * States: OPEN -> CLOSED (close(), from any thread: a thread blocked reading then sees the end).
 * </pre>
 */
final class HubLink implements AutoCloseable {
  private final InputStream in;
  private final OutputStream out;
  private final AutoCloseable closer;

  private HubLink(InputStream in, OutputStream out, AutoCloseable closer) {
    this.in = in;
    this.out = out;
    this.closer = closer;
  }

  /** A connection over a socket channel: Unix-domain or plain TCP. */
  static HubLink of(SocketChannel channel) {
    return new HubLink(ChannelStreams.in(channel), ChannelStreams.out(channel), channel);
  }

  /** A connection over a TCP socket, or a TLS socket. */
  static HubLink of(Socket socket) throws IOException {
    return new HubLink(socket.getInputStream(), socket.getOutputStream(), socket);
  }

  /** Connects to the hub whose socket is at {@code path}. */
  static HubLink unix(Path path) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(path));
    } catch (IOException e) {
      ChannelStreams.closeQuietly(channel);
      throw e;
    }
    return of(channel);
  }

  /**
   * Connects to the hub at {@code address} over TCP, and over TLS with {@code tls} if it is not
   * null: then the hub's certificate must be trusted by {@code tls} and name the host that {@code
   * address} names (as HTTPS checks it). Connecting, the TLS handshake and every read until {@link
   * #ready()} give up after {@code deadlineMillis}: a peer that accepts and never answers is not
   * waited for for ever.
   */
  static HubLink tcp(InetSocketAddress address, SSLContext tls, int deadlineMillis)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true); // see noDelay
      socket.connect(address, deadlineMillis);
      socket.setSoTimeout(deadlineMillis);
      if (tls != null) {
        SSLSocket secure =
            (SSLSocket)
                tls.getSocketFactory()
                    .createSocket(socket, address.getHostString(), address.getPort(), true);
        SSLParameters parameters = secure.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        secure.setSSLParameters(parameters);
        secure.startHandshake();
        socket = secure;
      }
      return of(socket);
    } catch (IOException | RuntimeException e) {
      ChannelStreams.closeQuietly(socket);
      throw e;
    }
  }

  /**
   * Sends each frame as it is written: with Nagle's algorithm a second small frame (an ACK, then a
   * put) waits for the peer's delayed acknowledgement of the first, up to 40 ms.
   */
  static void noDelay(SocketChannel channel) throws IOException {
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
  }

  /** The handshakes are done: reads wait as long as it takes from now on. */
  void ready() throws IOException {
    if (closer instanceof Socket socket) {
      socket.setSoTimeout(0);
    }
  }

  /**
   * Makes a TLS context with {@code supplier}, which {@code what} names in errors.
   *
   * @throws IllegalStateException if the supplier fails, or gives null
   */
  static SSLContext context(Supplier<? extends SSLContext> supplier, String what) {
    SSLContext context;
    try {
      context = supplier.get();
    } catch (RuntimeException e) {
      throw new IllegalStateException(what + " failed: " + e, e);
    }
    if (context == null) {
      throw new IllegalStateException(what + " gave null");
    }
    return context;
  }

  InputStream in() {
    return in;
  }

  OutputStream out() {
    return out;
  }

  @Override
  public void close() {
    ChannelStreams.closeQuietly(closer);
  }
}
