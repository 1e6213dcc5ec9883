package io.jfutures.impl.internal.jvm;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The child's end of a {@link ChildJvm}: connects to the parent (over the pipes of {@link
 * ChildPipes}, or a socket, proving itself with the token its parent wrote on its standard input),
 * optionally halts when its parent is gone, and exits within a bounded time.
 *
 * <pre>
 * States of a connection: CONNECTED (connect returned) -> CLOSED (close(): the parent sees EOF)
 * Orphan watch (if asked for): standard input reaches end-of-file while CONNECTED -> halt(0) at once
 * </pre>
 */
public final class ChildSide implements AutoCloseable {
  /** The exit code of a child whose parent's JVM went away. */
  public static final int EXIT_ORPHANED = 0;

  /** How long the shutdown hooks of an exiting child may run before it halts. */
  private static final long EXIT_GRACE_MILLIS = 10_000;

  private final ReadableByteChannel fromParent;
  private final WritableByteChannel toParent;
  private final OrphanWatch watch; // null: not watched
  private final InputStream in;
  private final OutputStream out;

  private ChildSide(
      ReadableByteChannel fromParent, WritableByteChannel toParent, OrphanWatch watch) {
    this.fromParent = fromParent;
    this.toParent = toParent;
    this.watch = watch;
    this.in = ChannelStreams.in(fromParent);
    this.out = ChannelStreams.out(toParent);
  }

  /**
   * Connects to the parent: {@code target} is what followed {@code --connect} on the command line,
   * {@link ChildPipes#TARGET} for the pipes the parent opens, else the path of the parent's socket.
   * For a socket it first reads the token on standard input and proves itself with it. If {@code
   * haltWhenOrphaned}, a daemon thread then halts this JVM as soon as standard input reaches
   * end-of-file: the parent's JVM is gone, however it ended. A child whose standard input closes
   * before the token arrives, or before the parent opened its pipes, halts at once.
   *
   * @throws IOException if the socket cannot be reached or the pipes cannot be made
   */
  public static ChildSide connect(String target, boolean haltWhenOrphaned) throws IOException {
    if (System.getProperty(ArchiveLearning.PROPERTY) != null) {
      ArchiveLearning.watchThisChild(); // the one child that records for its class archive
    }
    if (target.equals(ChildPipes.TARGET)) {
      // Watched while connecting in any case: a parent that dies before its hello would leave
      // this child waiting for it for ever (it holds the pipe's other end itself until then).
      OrphanWatch watch = watchForOrphaning();
      ChildPipes pipes = null;
      try {
        pipes = ChildPipes.create();
        pipes.connect();
        if (!haltWhenOrphaned) {
          watch.release(); // connected: from now on it may outlive its parent
          watch = null;
        }
        return new ChildSide(pipes.fromParent(), pipes.toParent(), watch);
      } catch (IOException | RuntimeException e) {
        if (pipes != null) {
          pipes.closeQuietly();
        }
        if (watch != null) {
          watch.close();
        }
        throw e;
      }
    }
    String token = readLine(System.in);
    OrphanWatch watch = haltWhenOrphaned ? watchForOrphaning() : null;
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(target));
      ChildSide side = new ChildSide(channel, channel, watch);
      side.out.write((token + "\n").getBytes(StandardCharsets.US_ASCII));
      return side;
    } catch (IOException | RuntimeException e) {
      ChannelStreams.closeQuietly(channel);
      if (watch != null) {
        watch.close();
      }
      throw e;
    }
  }

  /**
   * Stops the orphan watch: this JVM runs on when its parent's is gone. For a child started as a
   * daemon ahead of need, which then learns that it runs a non-daemon process.
   */
  public void outliveParent() {
    if (watch != null) {
      watch.release();
    }
  }

  /** Returns the stream of bytes from the parent. */
  public InputStream in() {
    return in;
  }

  /** Returns the stream of bytes to the parent. */
  public OutputStream out() {
    return out;
  }

  /**
   * Closes the channel, so that the parent sees the end at once, however long the JVM then takes to
   * exit, and stops the orphan watch.
   */
  @Override
  public void close() {
    ChannelStreams.closeQuietly(toParent);
    ChannelStreams.closeQuietly(fromParent);
    if (watch != null) {
      watch.close();
    }
  }

  /** What runs at {@link #exit}, before the shutdown hooks, in the order added. */
  private static final List<Runnable> BEFORE_EXIT = new CopyOnWriteArrayList<>();

  /**
   * Has {@code action} run when this child exits through {@link #exit} (its work done: a worker
   * retired, a process's target returned), before the shutdown hooks and on the exiting thread. For
   * what must not outlive the work, such as a connection whose reader, blocked in a read, would
   * hold the JVM's exit 300 ms (HotSpot waits that long for threads in native code). An action that
   * throws is reported on standard error, and the exit goes on.
   */
  public static void beforeExit(Runnable action) {
    BEFORE_EXIT.add(action);
  }

  /**
   * Exits, running the shutdown hooks, but halts if they take longer than {@link
   * #EXIT_GRACE_MILLIS}: a hook that user code registered and that blocks must not keep the child
   * alive, nor a parent waiting for it. What {@link #beforeExit} added runs first.
   */
  public static void exit(int code) {
    for (Runnable action : BEFORE_EXIT) {
      try {
        action.run();
      } catch (RuntimeException e) {
        e.printStackTrace();
      }
    }
    Thread watchdog = new Thread(new ExitWatchdog(code), "jfutures-exit-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    System.exit(code);
  }

  /**
   * Halts with its code once the shutdown hooks had their grace. A class, not a lambda, as is the
   * orphan watch: a child's first lambda of its own spins classes as it runs (its proxy, method
   * handle forms) where everything else of a worker's start comes ready-made from the class
   * archive.
   */
  private static final class ExitWatchdog implements Runnable {
    private final int code;

    ExitWatchdog(int code) {
      this.code = code;
    }

    @Override
    public void run() {
      try {
        Thread.sleep(EXIT_GRACE_MILLIS); // the grace the shutdown hooks get
      } catch (InterruptedException e) {
        return;
      }
      Runtime.getRuntime().halt(code);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        Runtime.getRuntime().halt(EXIT_ORPHANED);
      }
      line.append((char) c);
    }
    return line.toString();
  }

  /**
   * Halts this JVM when standard input closes: the parent's JVM is gone. Reads through a channel,
   * which {@link #close} closes: a JVM that exits waits up to 300 ms for a thread blocked in a
   * native read, and every child's exit paid that.
   */
  private static OrphanWatch watchForOrphaning() {
    return OrphanWatch.start(new FileInputStream(FileDescriptor.in).getChannel());
  }

  /**
   * Runs in this JVM, with no parent, what a child runs from its start to its first read: for a
   * class archive's training, so that the archive holds the classes a child loads there. It makes
   * the pipes, watches the parent's end as a child watches its standard input (reopened through
   * {@code /proc}, a file channel as standard input's is; closed, so the watch ends quietly), plays
   * the parent's hello, connects, and closes everything. Linux only ({@link ChildPipes#available}).
   *
   * @throws IOException if a pipe cannot be made or read
   */
  public static void rehearseStart() throws IOException {
    ChildPipes pipes = ChildPipes.create();
    try {
      // Closed before the pipe's last writer is: the watch sees its channel closed, never an end.
      // At once, not released: the watch reads the pipe that the hello then comes through.
      OrphanWatch.start(FileChannel.open(pipes.fromParentPath())).close();
      pipes.helloFromParent();
      pipes.connect(OutputStream.nullOutputStream());
    } finally {
      pipes.closeQuietly();
    }
  }

  /**
   * A daemon thread that reads standard input to its end, then halts this JVM: the parent's JVM is
   * gone, however it ended.
   *
   * <pre>
   * States: WATCHING -> RELEASED (release(): it may outlive its parent; the channel is closed on a
   *                               thread of its own) -> its thread ends quietly
   *         WATCHING -> CLOSED (close(): as this JVM exits, or a connect failed) -> it ends quietly
   *         WATCHING -> end-of-file or a read error -> halt(EXIT_ORPHANED)
   * </pre>
   *
   * A release does not close the channel on the caller's thread: closing a channel that a thread is
   * blocked reading signals that thread and waits until it has left the read, and a watch just
   * started may not be in it yet, so the signal finds nothing and the close waits for its next try,
   * 50 ms later (seen on every few process starts, an average of 5.6 ms of each). The flag makes an
   * end-of-file after a release harmless, whenever the close completes.
   */
  static final class OrphanWatch implements Runnable {
    private final FileChannel stdin;
    private volatile boolean released;

    private OrphanWatch(FileChannel stdin) {
      this.stdin = stdin;
    }

    /** Starts watching {@code channel} on a daemon thread. */
    static OrphanWatch start(FileChannel channel) {
      OrphanWatch watch = new OrphanWatch(channel);
      Thread watcher = new Thread(watch, "jfutures-orphan-watch");
      watcher.setDaemon(true);
      watcher.start();
      return watch;
    }

    /** Stops the watch, without waiting for its thread: the JVM outlives its parent from now. */
    void release() {
      stopHalting();
      Thread closer = new Thread(new Release(this), "jfutures-orphan-watch-release");
      closer.setDaemon(true);
      closer.start();
    }

    /** Closes a released watch's channel: a class, not a lambda (no linking on a cold start). */
    private static final class Release implements Runnable {
      private final OrphanWatch watch;

      Release(OrphanWatch watch) {
        this.watch = watch;
      }

      @Override
      public void run() {
        watch.close();
      }
    }

    /** From now on an end of the channel does not halt this JVM; the thread may still read. */
    void stopHalting() {
      released = true;
    }

    /** Stops the watch, and returns once its thread has left its read. */
    void close() {
      stopHalting();
      ChannelStreams.closeQuietly(stdin);
    }

    @Override
    public void run() {
      ByteBuffer buffer = ByteBuffer.allocate(64);
      try {
        while (stdin.read(buffer) >= 0) {
          buffer.clear(); // nothing else comes on standard input
        }
      } catch (ClosedChannelException e) {
        return; // closed on the way out, or released: not orphaned
      } catch (IOException e) {
        // treated as end-of-file
      }
      if (!released) {
        Runtime.getRuntime().halt(EXIT_ORPHANED);
      }
    }
  }
}
