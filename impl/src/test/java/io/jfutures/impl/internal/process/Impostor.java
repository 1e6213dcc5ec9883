package io.jfutures.impl.internal.process;

import io.jfutures.impl.internal.jvm.ChannelStreams;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A worker main class that first plays a stranger: it reports the socket directory's permissions,
 * connects with a wrong token and checks that the pool hangs up, then connects as the real worker.
 */
final class Impostor {
  private Impostor() {}

  public static void main(String[] args) throws Exception {
    Path socket = Path.of(args[1]);
    InputStream stdin = System.in;
    StringBuilder token = new StringBuilder();
    for (int c = stdin.read(); c != '\n'; c = stdin.read()) {
      token.append((char) c);
    }
    System.out.println(
        "IMPOSTOR dir "
            + PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
    try (SocketChannel stranger = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      stranger.connect(UnixDomainSocketAddress.of(socket));
      OutputStream out = ChannelStreams.out(stranger);
      String wrong = "0".repeat(token.length());
      out.write((wrong + "\n").getBytes(StandardCharsets.US_ASCII));
      // a fake task frame after the wrong token: it must never be read as one
      out.write(new byte[] {0, 0, 0, 21, Frames.TASK, 0, 0, 0, 0, 0, 0, 0, 1});
      int got = ChannelStreams.in(stranger).read();
      System.out.println("IMPOSTOR stranger " + (got < 0 ? "rejected" : "ACCEPTED"));
    } catch (java.io.IOException e) {
      System.out.println("IMPOSTOR stranger rejected (" + e.getMessage() + ")");
    }
    SocketChannel real = SocketChannel.open(StandardProtocolFamily.UNIX);
    real.connect(UnixDomainSocketAddress.of(socket));
    OutputStream out = ChannelStreams.out(real);
    out.write((token + "\n").getBytes(StandardCharsets.US_ASCII));
    WorkerMain.serve(ChannelStreams.in(real), out);
    System.exit(0);
  }
}
