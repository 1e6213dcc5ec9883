package io.jfutures.impl.internal.jvm;

import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A child JVM's channel made of two pipes, on Linux: the child creates them, and its parent opens
 * its ends through {@code /proc/PID/fd}. It needs no socket: a JVM's first Unix-domain socket seeds
 * a {@code SecureRandom} (the security providers), and the parent needed a private directory, a
 * server and a token per child. Measured in a worker, the main thread reached its channel after 29
 * ms of CPU instead of 37; most of what is left is NIO's first use.
 *
 * <pre>
 * Child:  create both pipes -> announce their fds on standard output -> read the parent's HELLO
 *         -> close its copies of the parent's ends: from then on only the parent writes to it and
 *         only the parent reads what it writes, so each side sees end-of-file when the other's
 *         ends close, however it ended.
 * Parent: read the announcement from the child's standard output -> open /proc/PID/fd/N for each
 *         pipe (a pipe opened there gives the end the open asks for) -> write HELLO.
 * </pre>
 *
 * <p>Standard input stays the orphan watch it is with a socket, and standard output and error stay
 * the child's own: native code that prints cannot corrupt the channel. Only a process of the same
 * user can open another's {@code /proc/PID/fd}, as only it could enter the socket's directory.
 */
public final class ChildPipes {
  /** The argument after {@code --connect} that asks a child for pipes instead of a socket path. */
  public static final String TARGET = "pipe:";

  /** What the announcement line on the child's standard output starts with. */
  static final String ANNOUNCEMENT = "\u0000jfutures-pipes ";

  /** The parent's first bytes: the child then knows both ends are open. */
  private static final byte[] HELLO = "jfutures".getBytes(StandardCharsets.US_ASCII);

  private static final Path OWN_FDS = Path.of("/proc/self/fd");

  private final Pipe fromParent;
  private final Pipe toParent;
  private final int fromParentFd;
  private final int toParentFd;

  private ChildPipes(Pipe fromParent, int fromParentFd, Pipe toParent, int toParentFd) {
    this.fromParent = fromParent;
    this.fromParentFd = fromParentFd;
    this.toParent = toParent;
    this.toParentFd = toParentFd;
  }

  /** Whether this system lets a parent open its child's pipes: Linux, with {@code /proc}. */
  public static boolean available() {
    return Files.isDirectory(OWN_FDS);
  }

  /**
   * Child side: creates both pipes and finds their file descriptors.
   *
   * @throws IOException if a pipe cannot be made or its descriptor cannot be told apart (another
   *     thread made pipes at the same time, say)
   */
  public static ChildPipes create() throws IOException {
    Map<Integer, String> before = ownPipes();
    Pipe fromParent = Pipe.open();
    Map<Integer, String> between = ownPipes();
    Pipe toParent = Pipe.open();
    Map<Integer, String> after = ownPipes();
    return new ChildPipes(
        fromParent, newPipeFd(before, between), toParent, newPipeFd(between, after));
  }

  /**
   * Child side: says on standard output which descriptors the parent opens, in one write, so that
   * no other writer's bytes land inside it, and waits for the parent's HELLO.
   *
   * @throws IOException if standard output or the pipe fails, or the parent sent something else
   */
  public void connect() throws IOException {
    // Not closed: that would close this JVM's standard output.
    connect(new FileOutputStream(FileDescriptor.out));
  }

  /** As {@link #connect()}, with the announcement written to {@code stdout}. */
  void connect(OutputStream stdout) throws IOException {
    stdout.write(announcement().getBytes(StandardCharsets.US_ASCII));
    ByteBuffer hello = ByteBuffer.allocate(HELLO.length);
    while (hello.hasRemaining()) {
      if (fromParent.source().read(hello) < 0) {
        throw new EOFException("the parent closed the channel before it said hello");
      }
    }
    if (!Arrays.equals(HELLO, hello.array())) {
      throw new StreamCorruptedException("the parent's first bytes were not its hello");
    }
    fromParent.sink().close();
    toParent.source().close();
  }

  /** For a rehearsal without a parent: the pipe the parent writes to, as it would open it. */
  Path fromParentPath() {
    return OWN_FDS.resolve(Integer.toString(fromParentFd));
  }

  /** For a rehearsal without a parent: writes the parent's hello on the pipe the child reads. */
  void helloFromParent() throws IOException {
    ByteBuffer hello = ByteBuffer.wrap(HELLO);
    while (hello.hasRemaining()) {
      fromParent.sink().write(hello);
    }
  }

  /** The line that tells the parent which descriptors to open. */
  String announcement() {
    return ANNOUNCEMENT + fromParentFd + " " + toParentFd + "\n";
  }

  /** Child side: the pipe the parent writes to. */
  public Pipe.SourceChannel fromParent() {
    return fromParent.source();
  }

  /** Child side: the pipe the parent reads from. */
  public Pipe.SinkChannel toParent() {
    return toParent.sink();
  }

  /** Child side: closes everything it holds. */
  public void closeQuietly() {
    ChannelStreams.closeQuietly(fromParent.source());
    ChannelStreams.closeQuietly(fromParent.sink());
    ChannelStreams.closeQuietly(toParent.source());
    ChannelStreams.closeQuietly(toParent.sink());
  }

  /**
   * Parent side: returns the descriptors an announcement line names, {@code {fromParentFd,
   * toParentFd}}, or null if {@code line} holds none.
   */
  static int[] parseAnnouncement(String line) {
    int at = line.indexOf(ANNOUNCEMENT);
    if (at < 0) {
      return null;
    }
    String[] fds = line.substring(at + ANNOUNCEMENT.length()).trim().split(" ");
    try {
      return fds.length == 2
          ? new int[] {Integer.parseInt(fds[0]), Integer.parseInt(fds[1])}
          : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Parent side: opens the child's pipes that {@code fds} (from {@link #parseAnnouncement}) name
   * and says hello.
   *
   * @throws IOException if they cannot be opened (a system that forbids opening another process's
   *     descriptors: {@code -Djfutures.channel=socket} then uses a socket)
   */
  static ChildJvm.Ends open(long pid, int[] fds) throws IOException {
    try {
      return openOrThrow(pid, fds);
    } catch (IOException e) {
      throw new IOException(
          "could not open child "
              + pid
              + "'s pipes through /proc/"
              + pid
              + "/fd ("
              + e
              + "); if this system forbids it, run with -D"
              + ChildJvm.CHANNEL_PROPERTY
              + "=socket to connect over a Unix-domain socket instead",
          e);
    }
  }

  private static ChildJvm.Ends openOrThrow(long pid, int[] fds) throws IOException {
    Path dir = Path.of("/proc", Long.toString(pid), "fd");
    FileChannel toChild =
        FileChannel.open(dir.resolve(Integer.toString(fds[0])), StandardOpenOption.WRITE);
    try {
      FileChannel fromChild =
          FileChannel.open(dir.resolve(Integer.toString(fds[1])), StandardOpenOption.READ);
      ChildJvm.Ends ends = new ChildJvm.Ends(fromChild, toChild);
      try {
        ByteBuffer hello = ByteBuffer.wrap(HELLO);
        while (hello.hasRemaining()) {
          toChild.write(hello);
        }
      } catch (IOException | RuntimeException e) {
        ends.closeQuietly();
        throw e;
      }
      return ends;
    } catch (IOException | RuntimeException e) {
      ChannelStreams.closeQuietly(toChild);
      throw e;
    }
  }

  /** This process's pipe descriptors above standard error, each with its pipe's identity. */
  private static Map<Integer, String> ownPipes() throws IOException {
    Map<Integer, String> pipes = new HashMap<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(OWN_FDS)) {
      for (Path fd : fds) {
        int n = Integer.parseInt(fd.getFileName().toString());
        if (n > 2) {
          try {
            String target = Files.readSymbolicLink(fd).toString();
            if (target.startsWith("pipe:")) {
              pipes.put(n, target);
            }
          } catch (IOException e) {
            // closed meanwhile (the directory stream's own descriptor, say)
          }
        }
      }
    }
    return pipes;
  }

  /**
   * Returns a descriptor of the one pipe that is in {@code after} and not in {@code before}: its
   * two ends, and nothing else new.
   */
  private static int newPipeFd(Map<Integer, String> before, Map<Integer, String> after)
      throws IOException {
    Map<String, Integer> ends = new HashMap<>();
    int fd = -1;
    for (Map.Entry<Integer, String> e : after.entrySet()) {
      if (!e.getValue().equals(before.get(e.getKey()))) {
        // Not merge(..., Integer::sum): no lambda before a worker's first task (see ChildSide).
        Integer seen = ends.get(e.getValue());
        ends.put(e.getValue(), seen == null ? 1 : seen + 1);
        fd = e.getKey();
      }
    }
    if (ends.size() != 1 || ends.values().iterator().next() != 2) {
      throw new IOException(
          "could not tell this JVM's new pipe among its descriptors (another thread opened pipes"
              + " meanwhile?): new ones "
              + ends
              + "; run with -Djfutures.channel=socket to connect over a socket instead");
    }
    return fd;
  }
}
